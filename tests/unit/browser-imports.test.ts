import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * Components and the modules' shared code run in the browser too. A value
 * imported from a table file (`#db/schema/halls`, `#db/schema`) brings
 * drizzle's table builders into the page's JavaScript, about 10 KB with gzip
 * (the proposal page carried it until the words a column may hold moved to
 * `db/schema/values.ts`). Types are erased, so `import type` is fine. Routes
 * are left out: Remix removes their loaders and actions, and the table
 * imports those use, from the browser's build.
 */
const app = path.resolve(import.meta.dirname, "../../app");

function browserFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "routes" && dir === app ? [] : browserFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.server\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The named values (not types) a source imports from table files. */
function tableValueImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*["']#db\/schema(\/[\w-]+)?["']/g)) {
    if (m[1] || m[3] === "/values") continue;
    const values = m[2]!.split(",").map((s) => s.trim()).filter((s) => s && !s.startsWith("type "));
    if (values.length) found.push(`${values.join(", ")} from #db/schema${m[3] ?? ""}`);
  }
  for (const m of source.matchAll(/import\s+\*\s+as\s+\w+\s+from\s*["']#db\/schema(\/[\w-]+)?["']/g)) if (m[1] !== "/values") found.push(`* from #db/schema${m[1] ?? ""}`);
  return found;
}

describe("browser code imports no table from db/schema", () => {
  it("finds table imports, and lets types and db/schema/values through", () => {
    expect(tableValueImports(`import { reportReasons } from "#db/schema/halls";`)).toEqual(["reportReasons from #db/schema/halls"]);
    expect(tableValueImports(`import { units, type Unit } from "#db/schema";`)).toEqual(["units from #db/schema"]);
    expect(tableValueImports(`import * as schema from "#db/schema";`)).toEqual(["* from #db/schema"]);
    expect(tableValueImports(`import type { Unit } from "#db/schema";\nimport { reportReasons, type ReportReason } from "#db/schema/values";`)).toEqual([]);
    expect(tableValueImports(`import { systemReasons, type SystemReason } from "#db/schema/halls";`)).toEqual(["systemReasons from #db/schema/halls"]);
  });

  it("in every component and every module's shared code", () => {
    const offenders = browserFiles(app).flatMap((file) => tableValueImports(readFileSync(file, "utf8")).map((i) => `${path.relative(app, file)}: ${i}`));
    expect(offenders).toEqual([]);
  });
});
