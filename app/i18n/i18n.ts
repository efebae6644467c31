import type { MessageKey } from "./messages";

export type { MessageKey };
export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
export const LOCALE_COOKIE = "gz_locale";

/** Messages of one language: a whole catalogue, or one domain of it. */
export type Catalog = Partial<Record<MessageKey, string>>;

/**
 * The catalogues at hand. The server registers both at start
 * (catalogs.server.ts); a browser loads only the one its page speaks, before
 * hydrating (entry.client.tsx), and the other only if the language changes.
 * Domains only a few pages use (the staff's `admin`) are not in the
 * catalogues: those pages' modules add them (`extendCatalogs`, see
 * app/i18n/scoped/), so other pages do not download them.
 */
const loaded: Partial<Record<Locale, Catalog>> = {};
const extra: Record<Locale, Catalog> = { "zh-CN": {}, en: {} };

export function registerCatalog(locale: Locale, catalog: Catalog): void {
  loaded[locale] = catalog;
}

/** Add a domain's messages in both languages (from a page module that needs them). */
export function extendCatalogs(domain: Record<Locale, Catalog>): void {
  for (const locale of locales) Object.assign(extra[locale], domain[locale]);
}

export function hasCatalog(locale: Locale): boolean {
  return loaded[locale] !== undefined;
}

function lookUp(locale: Locale, key: MessageKey): string | undefined {
  return loaded[locale]?.[key] ?? extra[locale][key];
}

/** Load a language's catalogue (its own chunk) once. */
export async function loadCatalog(locale: Locale): Promise<void> {
  if (loaded[locale]) return;
  const catalog = locale === "en" ? await import("./messages/en") : await import("./messages/zh-CN");
  registerCatalog(locale, catalog.default);
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  if (typeof value !== "string") return false;
  return locales.some((locale) => value in (loaded[locale] ?? {}) || value in extra[locale]);
}

/**
 * A message that travels as data (a form error from the server) with its
 * parameters: `key|{"minutes":15}`. `translateData` reads it back.
 */
export function messageWithParams(key: MessageKey, params: Params): string {
  return `${key}|${JSON.stringify(params)}`;
}

/** Translate a message that arrived as data; text that is not a key is shown as it is. */
export function translateData(locale: Locale, message: string, params?: Params): string {
  const bar = message.indexOf("|");
  const key = bar === -1 ? message : message.slice(0, bar);
  if (!isMessageKey(key)) return message;
  let own: Params | undefined;
  if (bar !== -1) {
    try {
      own = JSON.parse(message.slice(bar + 1)) as Params;
    } catch {
      own = undefined;
    }
  }
  return translate(locale, key, { ...own, ...params });
}

/** Translate a key; unknown parameters stay visible as `{name}` so a mistake shows. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  // While a newly chosen language loads, the one at hand speaks; the key only if none is.
  const template = lookUp(locale, key) ?? lookUp("zh-CN", key) ?? lookUp("en", key) ?? key;
  if (!params) return template;
  return interpolate(locale, template, params);
}

/**
 * ICU's plural form, the one piece of ICU the catalogue needs (issue 13 §6):
 * `{count, plural, one {# member} other {# members}}`, with `=0 {…}` for an
 * exact number; `#` is the number, formatted. Chinese needs none of it.
 */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const pluralRules = new Map<Locale, Intl.PluralRules>();
function interpolate(locale: Locale, template: string, params: Params): string {
  const plain = template.replace(PLURAL, (whole, name: string, body: string) => {
    const value = params[name];
    if (typeof value !== "number") return whole;
    const forms = new Map([...body.matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
    let rules = pluralRules.get(locale);
    if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
    const form = forms.get(`=${value}`) ?? forms.get(rules.select(value)) ?? forms.get("other") ?? "";
    return form.replace(/#/g, formatNumber(locale, value));
  });
  return plain.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(locale, value) : value;
  });
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/**
 * Punctuation between pieces of text, from the catalogue (`punct.*`), so that
 * full-width marks live in the Chinese catalogue only (issue 13 §4): a label
 * and its value are `{t("x")}{punct.colon}{value}`, never `{t("x")}：{value}`.
 * Chinese takes no space around its marks; English's carry their own.
 */
export interface Punctuation {
  /** "：" or ": " */
  colon: string;
  /** "，" or ", " */
  comma: string;
  /** "；" or "; " */
  semicolon: string;
  /** "。" or ". " */
  stop: string;
  /** Between items of a list: "、" or ", " */
  list: string;
  /** Items joined as a list */
  join: (items: readonly string[]) => string;
  /** A remark after a name: "（…）" or " (…)" */
  parens: (text: string) => string;
}

export function punctuation(locale: Locale): Punctuation {
  const list = translate(locale, "punct.list");
  return {
    colon: translate(locale, "punct.colon"),
    comma: translate(locale, "punct.comma"),
    semicolon: translate(locale, "punct.semicolon"),
    stop: translate(locale, "punct.stop"),
    list,
    join: (items) => items.join(list),
    parens: (text) => translate(locale, "punct.parens", { text }),
  };
}

// Intl formatters are costly to build: keep one per locale and style.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/**
 * Chinese writes a count as it is ("最多 4000 个字", "1952 年") and groups
 * digits only in large figures (12,345): `min2` groups from five digits on
 * (issue 14 §7). English groups from four ("4,000 characters").
 */
// `useGrouping: "min2"` is ES2023 (Chrome 106, Safari 15.4, Firefox 116; older engines read it as `true`); TypeScript's lib does not know it yet.
const grouping: Record<Locale, "min2" | "auto"> = { "zh-CN": "min2", en: "auto" };

export function formatNumber(locale: Locale, value: number): string {
  return cached(`n:${locale}`, () => new Intl.NumberFormat(locale, { useGrouping: grouping[locale] } as unknown as Intl.NumberFormatOptions)).format(value);
}

export function formatPercent(locale: Locale, value: number): string {
  return cached(`p:${locale}`, () => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 })).format(value);
}

export type DateStyle = "date" | "dateTime" | "time";
const dateOptions: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { year: "numeric", month: "long", day: "numeric" },
  dateTime: { year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
};

export function formatDate(locale: Locale, timeZone: string, value: Date | string, style: DateStyle = "dateTime"): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return cached(`d:${locale}:${timeZone}:${style}`, () => new Intl.DateTimeFormat(locale, { ...dateOptions[style], timeZone })).format(
    date,
  );
}
