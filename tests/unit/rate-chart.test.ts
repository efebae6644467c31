import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RateChart, type TrendPoint } from "~/components/rate-chart";
import { Ranking } from "~/components/whistles/ranking";
import { I18nProvider } from "~/i18n/react";
import { rankBand } from "~/modules/whistles/rules";

const point = (month: string, r: number | null): TrendPoint => ({ month, responseRate: r, resolutionRate: r === null ? null : 0.5, satisfactionRate: null, dispatched: r === null ? 0 : 4, signedInTime: r === null ? 0 : Math.round(r * 4), due: 2, resolved: 1, rated: 0, satisfied: 0 });

function render(locale: "zh-CN" | "en", element: ReturnType<typeof createElement>) {
  return renderToStaticMarkup(createElement(I18nProvider, { locale, timeZone: "Asia/Shanghai", children: element }));
}
const chart = (locale: "zh-CN" | "en", points: TrendPoint[]) => render(locale, createElement(RateChart, { points }));

describe("the month-over-month chart", () => {
  const points = [point("2026-06", 0.5), point("2026-07", null), point("2026-08", 0.75), point("2026-09", 1), point("2026-10", null), point("2026-11", 0.25)];
  it("is one image with a spoken summary, and a table of every value with raw counts shown beneath it", () => {
    const html = chart("zh-CN", points);
    expect(html).toMatch(/<div class="trend__plot" role="img" aria-label="近六个月三率走势。2026-06：响应率 50%/);
    expect(html).toContain("满意率 无数据");
    // The numbers are under the picture, not behind a click.
    expect(html).toContain("<table");
    expect(html).not.toContain("<details");
    expect(html).toContain("(3/4)");
    expect(chart("en", points)).toContain('aria-label="The three rates over six months. 2026-06: Response 50%, Resolution 50%, Satisfaction no data; 2026-07: Response no data');
  });

  it("breaks a line where a month has no value, and says so under the month", () => {
    const html = chart("zh-CN", points);
    // The response line: Jun alone, Aug–Sep, Nov alone → three runs, two of them single points.
    const responsePaths = html.match(/<g stroke="var\(--info\)" data-series="responseRate">[\s\S]*?<\/g>/)![0].match(/<path d="M[^"]*"/g)!;
    expect(responsePaths).toHaveLength(3);
    expect(html).toMatch(/<li data-month="2026-07">7月<small class="trend__nodata">无数据<\/small><\/li>/);
    expect(html).toMatch(/<li data-month="2026-08">8月<\/li>/);
  });

  it("stands every point over its month's label: the same column centre for the markers, the lines and the labels", () => {
    const html = chart("zh-CN", points);
    // Six months in six equal columns (the labels' grid); month i's centre is (i + ½) / 6 of the width.
    expect(html).toContain("grid-template-columns:repeat(6, minmax(0, 1fr))");
    const centre = (i: number) => ((i + 0.5) / 6) * 100;
    const marks = [...html.matchAll(/class="trend__mark trend__mark--circle" data-month="([\d-]+)" style="left:([\d.]+)%/g)];
    expect(marks.map((m) => [m[1], Number(m[2])])).toEqual([
      ["2026-06", centre(0)],
      ["2026-08", centre(2)],
      ["2026-09", centre(3)],
      ["2026-11", centre(5)],
    ]);
    // The lines' x in a viewBox six columns of 100 wide: the same fractions.
    expect(html).toContain('viewBox="0 0 600 100"');
    expect(html).toContain('d="M250,25.0L350,0.0"');
    // A line is never the accent red (for primary actions only).
    expect(html).not.toContain("var(--red)");
  });
});

describe("the ranking's bars", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ departmentId: i + 1, name: `部门${i + 1}`, score: 0.9 - i * 0.05 }));
  const bands = (html: string) => [...html.matchAll(/data-band="(\w+)"/g)].map((m) => m[1]);

  it("marks the top and the bottom of the list, never one unit both, and the rest neither", () => {
    expect(Array.from({ length: 12 }, (_, i) => rankBand(i, 12))).toEqual([...Array(5).fill("top"), "middle", "middle", ...Array(5).fill("bottom")]);
    expect(Array.from({ length: 4 }, (_, i) => rankBand(i, 4))).toEqual(["top", "top", "bottom", "bottom"]);
    expect(Array.from({ length: 7 }, (_, i) => rankBand(i, 7))).toEqual(["top", "top", "top", "middle", "bottom", "bottom", "bottom"]);
    expect(rankBand(0, 1)).toBe("middle");
  });

  it("says the band in words beside the name, not by colour alone", () => {
    const html = render("zh-CN", createElement(Ranking, { ranked: rows(4) }));
    expect(bands(html)).toEqual(["top", "top", "bottom", "bottom"]);
    expect(html.match(/✓ 前 2 名/g)).toHaveLength(3); // the legend and the two best
    expect(html.match(/! 后 2 名/g)).toHaveLength(3);
    expect(render("en", createElement(Ranking, { ranked: rows(4) }))).toContain("! bottom 2");
    // One unit alone is neither top nor bottom: no legend, no word.
    const one = render("zh-CN", createElement(Ranking, { ranked: rows(1) }));
    expect(bands(one)).toEqual(["middle"]);
    expect(one).not.toContain("前");
  });
});
