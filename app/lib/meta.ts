import type { MetaDescriptor, MetaFunction } from "@remix-run/node";
import { translate, type Locale, type MessageKey, type Params } from "~/i18n/i18n";

type MetaArgs = Parameters<MetaFunction>[0];

/** The page's language, as the root loader resolved it for this request. */
export function metaLocale(args: Pick<MetaArgs, "matches">): Locale {
  const root = args.matches.find((m) => m.id === "root")?.data as { locale?: Locale } | undefined;
  return root?.locale ?? "zh-CN";
}

/** A part of a title: a message (with its parameters) or a name shown as it is. */
export type TitlePart = MessageKey | [MessageKey, Params] | { text: string };

/**
 * `<title>` in the reader's language: the parts, then the product's name
 * ("加装电梯 · 共治", "Lift for building 3 · Gongzhi"). Screen readers announce
 * it on every navigation.
 */
export function pageTitle(args: Pick<MetaArgs, "matches">, ...parts: TitlePart[]): MetaDescriptor[] {
  const locale = metaLocale(args);
  const text = (part: TitlePart) =>
    typeof part === "string" ? translate(locale, part) : Array.isArray(part) ? translate(locale, part[0], part[1]) : part.text;
  return [{ title: [...parts.map(text), translate(locale, "app.name")].join(" · ") }];
}
