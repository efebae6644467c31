import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { NextFunction, Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { staticFolder } from "~/lib/http.server";

describe("staticFolder", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gz-static-"));
  writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
  mkdirSync(path.join(dir, "fonts"));
  const served: string[] = [];
  const middleware = staticFolder(dir, () => (req) => void served.push(req.path));
  const run = (p: string) => {
    let passed = false;
    middleware({ path: p } as Request, {} as Response, (() => (passed = true)) as NextFunction);
    return passed;
  };

  it("hands the folder's own entries to the file server", () => {
    expect(run("/favicon.svg")).toBe(false);
    expect(run("/fonts/a.woff2")).toBe(false);
    expect(served).toEqual(["/favicon.svg", "/fonts/a.woff2"]);
  });

  it("passes every other path on without looking on disk", () => {
    served.length = 0;
    expect(run("/proposals/1")).toBe(true);
    expect(run("/")).toBe(true);
    expect(run("/favicon.svg.bak")).toBe(true);
    expect(served).toEqual([]);
  });
});
