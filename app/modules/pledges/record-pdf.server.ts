import { access } from "node:fs/promises";
import { config } from "~/config.server";
import { punctuation, translator, type Locale } from "~/i18n/i18n";
import { hoursOf } from "./rules";
import type { serviceRecordPage } from "./queries.server";

/**
 * A member's yearly service record as a PDF, made on the server, to hand to
 * their work unit: headed by the community's name, the person, the year's and
 * the cumulative hours with the star level, every verified activity (date,
 * what, where, role, hours, certified by whom) and the certification note.
 *
 * Chinese needs a CJK font: the configured OpenType collection (Debian's
 * fonts-noto-cjk by default, PDF_FONT / PDF_FONT_NAME), embedded as a subset
 * (only the glyphs used) with its ToUnicode map, so the text can be searched
 * and copied. Without the font the caller says so and keeps the print page.
 * pdfkit is loaded on first use: most requests never make a PDF.
 */
export type ServiceRecord = Awaited<ReturnType<typeof serviceRecordPage>>;

/** The configured font file is not on this server. */
export class PdfFontMissingError extends Error {
  constructor(readonly file: string) {
    super(`The PDF font ${file} is missing (install fonts-noto-cjk or set PDF_FONT).`);
  }
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;

export async function serviceRecordPdf(
  record: ServiceRecord,
  options: { locale: Locale; timeZone: string; now: Date; font?: { file: string; name: string } },
): Promise<Buffer> {
  const font = options.font ?? config().pdfFont;
  try {
    await access(font.file);
  } catch {
    throw new PdfFontMissingError(font.file);
  }
  const { default: PDFDocument } = await import("pdfkit");
  const t = translator(options.locale);
  const punct = punctuation(options.locale);
  const day = new Intl.DateTimeFormat(options.locale, { timeZone: options.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const stamp = new Intl.DateTimeFormat(options.locale, { timeZone: options.timeZone, dateStyle: "long", timeStyle: "short" });
  const issuer = record.home ?? "";

  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${issuer} ${t("record.title")} ${t("record.year", { year: String(record.year) })}`,
      Author: issuer,
      Subject: record.person.name,
      Creator: "共治 Gongzhi",
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  // A collection (.ttc) needs the font's PostScript name; a single font file ignores it.
  doc.registerFont("body", font.file, /\.tt[c]$/i.test(font.file) || /\.otc$/i.test(font.file) ? font.name : undefined);
  doc.font("body");

  const width = A4.width - 2 * MARGIN;
  // The heading: the community's name, then what this is.
  if (issuer) doc.fontSize(20).text(issuer, { align: "center" });
  doc.fontSize(15).text(`${t("record.title")} · ${t("record.year", { year: String(record.year) })}`, { align: "center" });
  doc.moveDown(1);

  doc.fontSize(11);
  const fact = (label: string, value: string | null) => {
    if (value) doc.text(`${label}${punct.colon}${value}`);
  };
  fact(t("record.person"), record.person.name);
  fact(t("record.workUnit"), record.person.workUnit);
  fact(t("record.community"), record.person.communityName);
  doc.moveDown(0.5);
  doc.text(
    `${t("record.total", { hours: hoursOf(record.totalMinutes) })}${punct.semicolon}${t("record.cumulative", { hours: hoursOf(record.cumulativeMinutes) })}`,
  );
  doc.text(record.stars > 0 ? t("record.stars", { stars: record.stars }) : t("record.noStar"));
  doc
    .fontSize(9)
    .fillColor("#555555")
    .text(t("record.starLevels", { levels: record.starHours.join(" / ") }))
    .fillColor("#000000");
  doc.moveDown(1);

  // The table: columns in proportion to the page, wrapped cells, the header again on each new page.
  const columns = [
    { key: "record.date", share: 0.15 },
    { key: "record.activity", share: 0.25 },
    { key: "record.place", share: 0.2 },
    { key: "record.role", share: 0.1 },
    { key: "record.hours", share: 0.13 },
    { key: "record.certifiedBy", share: 0.17 },
  ] as const;
  const widths = columns.map((c) => c.share * width);
  const pad = 4;
  const row = (cells: string[], header = false) => {
    doc.fontSize(9.5);
    const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 2 * pad }));
    const height = Math.max(...heights) + 2 * pad;
    if (doc.y + height > A4.height - MARGIN - 30) {
      doc.addPage();
      if (!header)
        row(
          columns.map((c) => t(c.key)),
          true,
        );
    }
    const top = doc.y;
    let x = MARGIN;
    if (header) doc.rect(MARGIN, top, width, height).fill("#eeeeee").fillColor("#000000");
    cells.forEach((cell, i) => {
      doc.text(cell, x + pad, top + pad, { width: widths[i]! - 2 * pad, lineBreak: true });
      x += widths[i]!;
    });
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + width, top + height)
      .lineWidth(0.5)
      .strokeColor("#999999")
      .stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  };
  if (record.lines.length === 0) {
    doc.fontSize(11).text(t("record.empty"));
  } else {
    row(
      columns.map((c) => t(c.key)),
      true,
    );
    for (const l of record.lines) {
      row([
        day.format(new Date(l.startsAt)),
        l.title,
        `${l.unitName} · ${l.place}`,
        l.role,
        String(hoursOf(l.minutes)),
        [l.organisation, l.certifiedBy].filter(Boolean).join(" · "),
      ]);
    }
  }
  doc.moveDown(1);
  doc.x = MARGIN;
  doc.fontSize(9.5).text(t("record.certifyNote"), MARGIN, doc.y, { width });
  doc.moveDown(0.5);
  doc.text(t("record.pdf.generated", { time: stamp.format(options.now) }), { width });

  // Page numbers at the foot of every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // the foot is below the text's margin: no new page for it
    doc
      .fontSize(8)
      .fillColor("#777777")
      .text(t("record.pdf.page", { page: i + 1, pages: range.count }), MARGIN, A4.height - MARGIN + 10, {
        width,
        align: "center",
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
