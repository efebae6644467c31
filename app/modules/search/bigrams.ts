/**
 * Chinese has no spaces and PostgreSQL no Chinese word splitter. We index
 * overlapping character bigrams of every run of CJK characters, plus whole
 * Latin words and numbers, as a 'simple' tsvector (ADR 0008). The same
 * function makes the query, so "停车" finds "乱停车问题" and "parking" finds "Parking".
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
const TOKEN = /([\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]+)|([\p{L}\p{N}]+)/gu;

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    const run = match[0];
    if (CJK.test(run)) {
      const chars = [...run];
      if (chars.length === 1) out.push(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    } else if (run.length > 1 || /\d/.test(run)) {
      out.push(run);
    }
  }
  return out;
}

/** The text to index: distinct terms separated by spaces (fed to to_tsvector('simple', …)). */
export function indexText(...parts: (string | null | undefined)[]): string {
  return [...new Set(parts.flatMap((p) => (p ? terms(p) : [])))].join(" ");
}

/**
 * A tsquery in 'simple' syntax requiring every term (a single CJK character
 * matches as a prefix of its bigrams), or null when the query has no terms.
 */
export function queryText(query: string): string | null {
  const list = [...new Set(terms(query))].slice(0, 32);
  if (list.length === 0) return null;
  return list.map((t) => `'${t.replace(/'/g, "''")}'${[...t].length === 1 && CJK.test(t) ? ":*" : ""}`).join(" & ");
}
