import { foldLine, icsText } from "~/modules/pledges/ical";

/** A meeting as an iCalendar (RFC 5545) event, for "add to calendar". Pure. */
export interface CalendarMeeting {
  id: number;
  title: string;
  hallName: string;
  place: string;
  remote: string;
  startsAt: Date;
  minutes: number;
  status: string;
  createdAt: Date;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** A meeting's VEVENT lines (unfolded). */
export function meetingEvent(m: CalendarMeeting, options: { origin: string; host: string }): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:meeting-${m.id}@${options.host}`,
    `DTSTAMP:${stamp(m.createdAt)}`,
    `DTSTART:${stamp(m.startsAt)}`,
    `DTEND:${stamp(new Date(m.startsAt.getTime() + m.minutes * 60_000))}`,
    `SUMMARY:${icsText(`${m.title} · ${m.hallName}`)}`,
    `LOCATION:${icsText(m.place)}`,
    `DESCRIPTION:${icsText([m.remote, `${options.origin}/meetings/${m.id}`].filter(Boolean).join("\n"))}`,
    `URL:${options.origin}/meetings/${m.id}`,
    `STATUS:${m.status === "cancelled" ? "CANCELLED" : "CONFIRMED"}`,
    "END:VEVENT",
  ];
}

export function meetingCalendar(m: CalendarMeeting, options: { origin: string; host: string }): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Gongzhi//Hall meetings//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", ...meetingEvent(m, options), "END:VCALENDAR"];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
