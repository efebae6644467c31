import { inflateSync } from "node:zlib";

/**
 * The text a PDF viewer would extract from a PDF made by pdfkit with an
 * embedded (CID) font: every stream inflated, the font's ToUnicode map read
 * (bfchar and bfrange), and the glyph codes shown by `TJ` / `Tj` mapped back
 * to Unicode. Small on purpose: enough to prove the Chinese in a PDF is real
 * text (searchable, copyable) rather than boxes, without a PDF library.
 * Returns one string per text-showing operator, in drawing order.
 */
export function pdfTexts(pdf: Buffer): string[] {
  const raw = pdf.toString("latin1");
  const streams: string[] = [];
  // Each object's dictionary up to its stream (never across an `endobj` into the next object).
  const streamRe = /\bobj\s*<<((?:(?!endobj)[^])*?)>>\s*stream\r?\n/g;
  for (let m = streamRe.exec(raw); m; m = streamRe.exec(raw)) {
    const dict = m[1]!;
    const length = /\/Length (\d+)/.exec(dict);
    if (!length) continue;
    const start = m.index + m[0].length;
    const bytes = pdf.subarray(start, start + Number(length[1]));
    streams.push(/\/FlateDecode/.test(dict) ? inflateSync(bytes).toString("latin1") : bytes.toString("latin1"));
  }
  // ToUnicode: code (hex) → text. pdfkit writes one map per font subset; codes are unique within a subset,
  // and this test's PDFs use one subset, so one merged map is enough.
  const map = new Map<string, string>();
  const hexText = (hex: string) => {
    const units: number[] = [];
    for (let i = 0; i < hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  };
  for (const s of streams.filter((x) => x.includes("begincmap"))) {
    for (const block of s.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
      for (const pair of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(pair[1]!.toLowerCase(), hexText(pair[2]!));
    }
    for (const block of s.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
      for (const r of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const from = parseInt(r[1]!, 16);
        const to = parseInt(r[2]!, 16);
        const width = r[1]!.length;
        const targets = r[3]!.startsWith("[") ? [...r[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((t) => hexText(t[1]!)) : null;
        const base = targets ? 0 : parseInt(r[3]!.slice(1, -1), 16);
        for (let code = from; code <= to; code++) {
          const key = code.toString(16).padStart(width, "0").toLowerCase();
          map.set(key, targets ? targets[code - from]! : String.fromCodePoint(base + code - from));
        }
      }
    }
  }
  const width = map.size ? [...map.keys()][0]!.length : 4;
  const decode = (hex: string) => {
    let text = "";
    for (let i = 0; i < hex.length; i += width) text += map.get(hex.slice(i, i + width).toLowerCase()) ?? "\uFFFD";
    return text;
  };
  const texts: string[] = [];
  for (const s of streams.filter((x) => /\bT[Jj]\b/.test(x))) {
    for (const op of s.matchAll(/(\[[^\]]*\])\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [op[2]!];
      texts.push(hexes.map(decode).join(""));
    }
  }
  return texts;
}
