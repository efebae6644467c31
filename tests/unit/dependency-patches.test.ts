import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Router from "@remix-run/router";
import { describe, expect, it } from "vitest";

/*
 * scripts/patches (ADR 0045): `npm ci` applies them (postinstall). The server
 * loads React Router's CommonJS build; these check that the installed copy is
 * the patched one and that it still matches as the unpatched router does.
 */
const require = createRequire(import.meta.url);
const routerFile = require.resolve("@remix-run/router");
const router = require("@remix-run/router") as typeof Router;

describe("React Router's route matching, patched to compile and rank once", () => {
  it("is the patched build that the server loads", () => {
    expect(routerFile).toMatch(/router\.cjs\.js$/);
    const source = readFileSync(routerFile, "utf8");
    expect(source).toContain("const rankedBranchesCache = new WeakMap();");
    expect(source).toContain("const compiledPaths = new Map();");
  });

  const routes = [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "proposal", path: "proposals/:id" },
        { id: "comments", path: "proposals/:id/comments" },
        { id: "new", path: "proposals/new" },
        { id: "halls", path: "halls", children: [{ id: "hall", path: ":hallId" }] },
        { id: "splat", path: "*" },
      ],
    },
  ];
  const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => `${m.route.id}${JSON.stringify(m.params)}`);

  it("answers the same, by rank, however often one tree is matched", () => {
    for (let round = 0; round < 3; round++) {
      expect(ids("/")).toEqual(["root{}", "home{}"]);
      expect(ids("/proposals/new")).toEqual(["root{}", "new{}"]); // a static segment outranks :id
      expect(ids("/proposals/7")).toEqual(['root{"id":"7"}', 'proposal{"id":"7"}']);
      expect(ids("/proposals/7/comments")).toEqual(['root{"id":"7"}', 'comments{"id":"7"}']);
      expect(ids("/halls/3")).toEqual(['root{"hallId":"3"}', 'halls{"hallId":"3"}', 'hall{"hallId":"3"}']);
      expect(ids("/elsewhere/x")).toEqual(['root{"*":"elsewhere/x"}', 'splat{"*":"elsewhere/x"}']);
    }
  });

  it("keeps patterns apart by case sensitivity and by whether they match to the end", () => {
    expect(router.matchPath({ path: "/a/:x" }, "/A/1")?.params).toEqual({ x: "1" });
    expect(router.matchPath({ path: "/a/:x", caseSensitive: true }, "/A/1")).toBeNull();
    expect(router.matchPath({ path: "/a/:x", end: false }, "/a/1/more")?.pathname).toBe("/a/1");
    expect(router.matchPath({ path: "/a/:x" }, "/a/1/more")).toBeNull();
  });

  it("sees a new tree as new (a tree is never changed in place on the server)", () => {
    const other = [{ id: "only", path: "proposals/:id" }];
    expect(router.matchRoutes(other, "/proposals/1")?.map((m) => m.route.id)).toEqual(["only"]);
    expect(ids("/proposals/1")).toEqual(['root{"id":"1"}', 'proposal{"id":"1"}']);
  });
});
