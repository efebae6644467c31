/**
 * iCalendar (RFC 5545) for activities: a community's feed and one event per
 * activity ("add to calendar"). Pure: the caller passes the activities and
 * the site's origin.
 */
export interface CalendarActivity {
  id: number;
  title: string;
  description: string;
  place: string;
  unitName: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  createdAt: Date;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Escape text values (backslash, semicolon, comma, newline). */
export function icsText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Fold lines longer than 75 octets (continuation lines start with a space). */
export function foldLine(line: string): string {
  const bytes = new TextEncoder();
  const out: string[] = [];
  let current = "";
  for (const ch of line) {
    if (bytes.encode(current + ch).length > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = ch;
    } else current += ch;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** `extra`: whole VEVENTs of other kinds (a community's hall meetings) to carry in the same feed. */
export function activitiesCalendar(items: CalendarActivity[], options: { origin: string; name: string; host: string; extra?: string[] }): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gongzhi//Volunteer activities//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", `X-WR-CALNAME:${icsText(options.name)}`];
  for (const a of items) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:activity-${a.id}@${options.host}`,
      `DTSTAMP:${stamp(a.createdAt)}`,
      `DTSTART:${stamp(a.startsAt)}`,
      `DTEND:${stamp(a.endsAt)}`,
      `SUMMARY:${icsText(a.title)}`,
      `LOCATION:${icsText(`${a.unitName} ${a.place}`)}`,
      `DESCRIPTION:${icsText(a.description)}`,
      `URL:${options.origin}/activities/${a.id}`,
      `STATUS:${a.status === "cancelled" ? "CANCELLED" : "CONFIRMED"}`,
      "END:VEVENT",
    );
  }
  lines.push(...(options.extra ?? []), "END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
