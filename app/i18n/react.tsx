import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import {
  formatDate,
  formatNumber,
  formatPercent,
  hasCatalog,
  loadCatalog,
  punctuation,
  translate,
  translateData,
  type DateStyle,
  type Locale,
  type MessageKey,
  type Params,
  type Punctuation,
} from "./i18n";

interface I18n {
  locale: Locale;
  timeZone: string;
  t: (key: MessageKey, params?: Params) => string;
  /** Translate a message that arrived as data (a form error, a notification kind). */
  tx: (message: string, params?: Params) => string;
  /** Colon, comma, list separator, parentheses of this language (from the catalogue): never write "：" in a page. */
  punct: Punctuation;
  date: (value: Date | string, style?: DateStyle) => string;
  number: (value: number) => string;
  percent: (value: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function makeI18n(locale: Locale, timeZone: string): I18n {
  return {
    locale,
    timeZone,
    t: (key, params) => translate(locale, key, params),
    tx: (message, params) => translateData(locale, message, params),
    punct: punctuation(locale),
    date: (value, style) => formatDate(locale, timeZone, value, style),
    number: (value) => formatNumber(locale, value),
    percent: (value) => formatPercent(locale, value),
  };
}

export function I18nProvider({ locale, timeZone, children }: { locale: Locale; timeZone: string; children: ReactNode }) {
  // A language chosen after the page loaded (the switch, or a login that brings the account's) loads its
  // catalogue first; the page speaks the one at hand meanwhile, then re-renders.
  const [catalogsLoaded, setCatalogsLoaded] = useState(0);
  useEffect(() => {
    if (!hasCatalog(locale)) void loadCatalog(locale).then(() => setCatalogsLoaded((n) => n + 1));
  }, [locale]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- catalogsLoaded changes what translate() finds
  const value = useMemo(() => makeI18n(locale, timeZone), [locale, timeZone, catalogsLoaded]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
