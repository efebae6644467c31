import admin from "./admin";
import core from "./core";
import halls from "./halls";
import structure from "./structure";
import votes from "./votes";
import whistles from "./whistles";

/**
 * Every message of the product, one file a domain. Simplified Chinese is the
 * default language and the source of keys; English is second.
 */
export const domains = [core, structure, admin, halls, votes, whistles] as const;

type Merge<T extends readonly { zh: Record<string, string> }[]> = T[number]["zh"];
export type MessageKey = keyof UnionToIntersection<Merge<typeof domains>>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export const zhCN = Object.assign({}, ...domains.map((d) => d.zh)) as Record<MessageKey, string>;
export const en = Object.assign({}, ...domains.map((d) => d.en)) as Record<MessageKey, string>;
