import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { RollHistory } from "~/components/roll/history";
import { punctuation } from "~/i18n/i18n";
import { I18nProvider } from "~/i18n/react";

/**
 * Full-width punctuation lives in the Chinese catalogue only (issue 13 §4): a
 * page that writes `{t("x")}：{value}` shows "：" to English readers too.
 * Pages take it from `punct` (useI18n) or put it in a message instead.
 */

// CJK punctuation (、。「」【】…) and the full-width forms of ASCII punctuation (：（），；！？＋…); not letters or digits, nor the
// ideographic space, which indents a community under its subdistrict in a few select lists.
const FULL_WIDTH = /[\u3001-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]/u;


const root = join(import.meta.dirname, "../..");

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return path.endsWith(join("app", "i18n")) ? [] : tsxFiles(path);
    return d.name.endsWith(".tsx") ? [path] : [];
  });
}

/** Text a file shows: JSX text and string or template literals (not comments, not regular expressions). */
function fullWidthText(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isJsxText(node) ||
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (FULL_WIDTH.test(node.text))
        found.push(`line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.text.trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("full-width punctuation only in the Chinese catalogue", () => {
  const files = tsxFiles(join(root, "app")).map((path) => ({ file: relative(root, path).split("\\").join("/"), path }));

  it("appears in no page or component outside app/i18n", () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.map(({ file, path }) => ({ file, text: fullWidthText(path) }));
    expect(offenders.filter((o) => o.text.length > 0)).toEqual([]);
  });

  it("is full-width in Chinese and ASCII with its spaces in English", () => {
    const zh = punctuation("zh-CN");
    const en = punctuation("en");
    expect([zh.colon, zh.comma, zh.join(["甲", "乙"]), zh.parens("户主")]).toEqual(["：", "，", "甲、乙", "（户主）"]);
    expect([en.colon, en.comma, en.join(["A", "B"]), en.parens("head")]).toEqual([": ", ", ", "A, B", " (head)"]);
  });

  it("a migrated component says 'field: before' in English and '字段：之前' in Chinese", () => {
    const history = [
      {
        id: 1,
        action: "roll:editResident",
        subjectType: "resident",
        subjectName: "王芳",
        data: { changes: { address: ["1-101", "1-102"] } },
        at: "2026-11-26T08:00:00Z",
        actorName: "李",
      },
    ];
    const render = (locale: "zh-CN" | "en") =>
      renderToStaticMarkup(
        createElement(I18nProvider, { locale, timeZone: "Asia/Shanghai", children: createElement(RollHistory, { history }) }),
      );
    const en = render("en");
    expect(en).toMatch(/address: 1-101 →/);
    expect(en).not.toMatch(FULL_WIDTH);
    expect(render("zh-CN")).toMatch(/地址：1-101 →/);
  });
});
