import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogs } from "~/i18n/catalogs.server";
import base from "~/i18n/messages/zh-CN";

/*
 * Some domains' messages are not in the language catalogues but added by the
 * page modules that show them (app/i18n/scoped/, ADR 0005 amendments). A page
 * that shows such a message without importing its scope shows the key itself
 * once hydrated. The e2e test (tests/e2e/catalogues.spec.ts) walks pages; this
 * reads every route module's browser code (its imports, .server files left
 * out, with the modules of the routes it sits under and of root.tsx) and
 * fails on a message key in it that is neither in the catalogue nor in a scope
 * that code imports. It sees keys written out (`"wish.title"`) and the
 * prefixes of keys built in a template (`` `wish.status.${s}` ``).
 */
const root = path.resolve(import.meta.dirname, "../..");
const app = path.join(root, "app");
const scopedDir = path.join(app, "i18n/scoped");
const allKeys = Object.keys(catalogs["zh-CN"]);
const baseKeys = new Set(Object.keys(base));

function resolveImport(from: string, spec: string): string | null {
  let target: string;
  if (spec.startsWith("~/")) target = path.join(app, spec.slice(2));
  else if (spec.startsWith(".")) target = path.resolve(path.dirname(from), spec);
  else return null;
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`, `${target}/index.tsx`])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

const parsed = new Map<string, { imports: string[]; keys: Set<string> }>();
function parse(file: string) {
  let result = parsed.get(file);
  if (result) return result;
  const source = readFileSync(file, "utf8");
  const imports: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)) {
    const target = resolveImport(file, m[1]!);
    if (target && !target.includes(`${path.sep}i18n${path.sep}messages${path.sep}`)) imports.push(target);
  }
  const keys = new Set<string>();
  // A key as a string (or a message with parameters, `key|{…}`).
  for (const m of source.matchAll(/["'`]([a-zA-Z]\w*\.[\w.]+)["'`|]/g)) if (m[1]! in catalogs["zh-CN"]) keys.add(m[1]!);
  // A key built in a template: every key with that prefix.
  for (const m of source.matchAll(/`([a-zA-Z]\w*\.[\w.]*\.)\$\{/g)) for (const k of allKeys) if (k.startsWith(m[1]!)) keys.add(k);
  result = { imports, keys };
  parsed.set(file, result);
  return result;
}

/** The browser's modules reachable from `entry` (server-only modules are never bundled for it). */
function clientClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file) || /\.server\.tsx?$/.test(file)) continue;
    seen.add(file);
    stack.push(...parse(file).imports);
  }
  return seen;
}

/** The keys each scope module adds: those of the message files it imports. */
const scopeKeys = new Map<string, Set<string>>();
for (const name of readdirSync(scopedDir)) {
  const file = path.join(scopedDir, name);
  const keys = new Set<string>();
  for (const m of readFileSync(file, "utf8").matchAll(/from\s+["']\.\.\/messages\/zh-CN\/([\w-]+)["']/g)) {
    const messages = readFileSync(path.join(app, "i18n/messages/zh-CN", `${m[1]}.ts`), "utf8");
    for (const k of messages.matchAll(/^\s*"([^"]+)":/gm)) keys.add(k[1]!);
  }
  scopeKeys.set(file, keys);
}

const routesDir = path.join(app, "routes");
const routeFiles = readdirSync(routesDir).filter((f) => /\.tsx?$/.test(f));
/** The route modules a flat route sits under: `admin.audit` under `admin`; `desk_.roll` under none. */
function parents(file: string): string[] {
  const segments = file.replace(/\.tsx?$/, "").split(".");
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const prefix = segments.slice(0, i);
    if (prefix[prefix.length - 1]!.endsWith("_")) continue;
    const parent = routeFiles.find((f) => f.replace(/\.tsx?$/, "") === prefix.join("."));
    if (parent) out.push(path.join(routesDir, parent));
  }
  return out;
}

describe("page-scoped messages", () => {
  it("finds keys outside the catalogue that pages do use (the check sees something)", () => {
    const admin = clientClosure(path.join(routesDir, "admin.audit.tsx"));
    expect([...admin].some((f) => [...parse(f).keys].some((k) => !baseKeys.has(k)))).toBe(true);
  });

  it.each(routeFiles.filter((f) => f.endsWith(".tsx")))("%s imports the scope of every scoped message its browser code shows", (route) => {
    const files = new Set<string>();
    for (const entry of [path.join(app, "root.tsx"), ...parents(route), path.join(routesDir, route)])
      for (const f of clientClosure(entry)) files.add(f);
    const available = new Set(baseKeys);
    for (const f of files) for (const k of scopeKeys.get(f) ?? []) available.add(k);
    const missing: string[] = [];
    for (const f of files) for (const k of parse(f).keys) if (!available.has(k)) missing.push(`${path.relative(root, f)}: ${k}`);
    expect(missing).toEqual([]);
  });
});
