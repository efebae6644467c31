/**
 * A domain's messages in both languages. The Chinese object is the source of
 * keys; the compiler refuses an English object with a key missing or extra.
 * `{name}` marks a parameter.
 */
export function defineMessages<const Z extends Record<string, string>>(zh: Z, en: { [K in keyof Z]: string }) {
  return { zh, en };
}
