import { readFileSync } from "node:fs";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { users } from "#db/schema";
import { seedDemoIfEmpty } from "#db/seed/demo";

/**
 * Bad input gets 400 or 404, never 500 (issue 12 §3). Every route in the
 * route manifest (app/routes, as flatRoutes reads it) is called, as visitors
 * and as people of several roles, with malformed ids in its path, malformed
 * query parameters, and malformed bodies for every intent its source names.
 * Any thrown error that is not a Response, and any answer of 500 or more,
 * fails the test with the request that caused it.
 */
type RouteModule = { loader?: (args: unknown) => unknown; action?: (args: unknown) => unknown };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}", { eager: true });

interface Route {
  file: string;
  /** The URL with `{id}` where the route takes a parameter. */
  pattern: string;
  param: string | null;
  module: RouteModule;
  intents: string[];
  fields: string[];
}

/** A flat-routes file name as a URL pattern: `proposals.$id_.comments.ts` → `/proposals/{id}/comments`. */
function toPattern(file: string): { pattern: string; param: string | null } {
  const name = path.basename(file).replace(/\.tsx?$/, "").replaceAll("[.]", "~dot~");
  let param: string | null = null;
  const segments = name
    .split(".")
    .map((s) => s.replaceAll("~dot~", "."))
    .filter((s) => s !== "_index")
    .map((s) => {
      const bare = s.replace(/_$/, "");
      if (bare === "$") {
        param = "*";
        return "{id}";
      }
      const m = /^\$(\w+)(.*)$/.exec(bare);
      if (!m) return bare;
      param = m[1]!;
      return `{id}${m[2]}`;
    })
    .filter((s) => s !== "" && !s.startsWith("_"));
  return { pattern: `/${segments.join("/")}`, param };
}

const source = (file: string) => readFileSync(path.resolve(__dirname, file), "utf8");
const unique = (xs: string[]) => [...new Set(xs)].sort();

const routes: Route[] = Object.entries(modules).map(([file, module]) => {
  const text = source(file);
  const intents = unique([...text.matchAll(/(?:case |intent === |intent: )"([a-z][\w-]*)"/g)].map((m) => m[1]!));
  const fields = unique(
    [...text.matchAll(/(?:name="(\w+)"|\.get(?:All)?\("(\w+)"\)|fields\.(\w+)|form\.(\w+)\b)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!),
  ).filter((f) => !["get", "getAll", "intent", "errors", "errorId", "id"].includes(f));
  return { file, ...toPattern(file), module, intents, fields };
});

const BAD_IDS = ["2147483648", "99999999999999999999", "abc", "-1", "0", "01", "1e3", "1.5", "０１", "1%00"];
const BAD_QUERY =
  "?after=2147483648&hall=2147483648&proposal=99999999999&unit=subdistrict:9999999999&edit=2147483648&district=2147483648" +
  "&redirectTo=%0d%0a%E3%80%80/evil.example&q=%E2%80%AE&limit=-5&month=9999-99&state=x&sort=x&category=x&status=x&service_code=x&page=-1";
/** Whatever a field is called, one of these values: ids too large, not a number, empty, a number in another script. */
const BAD_VALUES = ["2147483648", "abc", "", "0x1", "-1", "1e3"];

function contextFor(user: typeof users.$inferSelect | null): AppLoadContext {
  return {
    user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
    sessionId: user ? "walker-session" : null,
    locale: "zh-CN",
    largeText: false,
    secure: false,
    ip: "203.0.113.9",
  };
}

type Outcome = { status: number } | { crash: string };

async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    const result = await run();
    return { status: result instanceof Response ? result.status : 200 };
  } catch (error) {
    if (error instanceof Response) return { status: error.status };
    return { crash: (error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error)).slice(0, 100) };
  }
}

describe("every route answers malformed input with 4xx, never 500 (issue 12 §3)", () => {
  it("walks the route manifest with malformed ids, query parameters and bodies", { timeout: 600_000 }, async () => {
    await seedDemoIfEmpty(db());
    const people = await db()
      .select()
      .from(users)
      .where(inArray(users.username, ["wangxiulan", "lijuan", "sunlei", "maqiang", "wugang"]));
    expect(people).toHaveLength(5);
    const as: (typeof users.$inferSelect | null)[] = [null, ...people];
    expect(routes.length).toBeGreaterThan(30);

    const failures: string[] = [];
    let calls = 0;
    const record = (what: string, o: Outcome) => {
      calls++;
      if ("crash" in o) failures.push(`${what} → ${o.crash}`);
      else if (o.status >= 500) failures.push(`${what} → ${o.status}`);
    };

    for (const route of routes) {
      const ids = route.param ? ["1", ...BAD_IDS] : [""];
      for (const id of ids) {
        const url = `http://localhost${route.pattern.replace("{id}", id)}`;
        const params = route.param ? { [route.param]: decodeURIComponent(id.replace("%00", "\u0000")) } : {};
        if (route.module.loader) {
          for (const user of as) {
            for (const query of ["", BAD_QUERY]) {
              const request = new Request(url + query);
              record(`GET ${url}${query ? "?bad" : ""} as ${user?.username ?? "visitor"}`, await outcome(() => route.module.loader!({ request, params, context: contextFor(user) })));
            }
          }
        }
        if (route.module.action) {
          // Actions: the real id and the first malformed ones (every id shape already went through the loaders).
          if (route.param && !["1", "2147483648", "abc"].includes(id)) continue;
          for (const user of as) {
            for (const intent of [...route.intents, "", "no-such-intent"]) {
              for (const value of BAD_VALUES) {
                const body = new URLSearchParams({ intent });
                for (const f of route.fields) body.append(f, value);
                const request = new Request(url + BAD_QUERY, { method: "POST", body });
                record(`POST ${url} intent=${intent} fields=${JSON.stringify(value)} as ${user?.username ?? "visitor"}`, await outcome(() => route.module.action!({ request, params, context: contextFor(user) })));
              }
              // A NUL in every text field.
              const body = new URLSearchParams({ intent });
              for (const f of route.fields) body.append(f, "文字\u0000文字");
              const request = new Request(url, { method: "POST", body });
              record(`POST ${url} intent=${intent} NUL as ${user?.username ?? "visitor"}`, await outcome(() => route.module.action!({ request, params, context: contextFor(user) })));
            }
          }
        }
      }
    }
    console.warn(`route walk: ${routes.length} routes, ${calls} calls, ${failures.length} answered 5xx`);
    expect(failures).toEqual([]);
  });
});
