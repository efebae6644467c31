import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RateChart, type TrendPoint } from "~/components/rate-chart";
import { I18nProvider } from "~/i18n/react";

const point = (month: string, r: number | null): TrendPoint => ({ month, responseRate: r, resolutionRate: r === null ? null : 0.5, satisfactionRate: null, dispatched: r === null ? 0 : 4, signedInTime: r === null ? 0 : Math.round(r * 4), due: 2, resolved: 1, rated: 0, satisfied: 0 });

function render(locale: "zh-CN" | "en", points: TrendPoint[]) {
  return renderToStaticMarkup(createElement(I18nProvider, { locale, timeZone: "Asia/Shanghai", children: createElement(RateChart, { points }) }));
}

describe("the month-over-month chart", () => {
  const points = [point("2026-06", 0.5), point("2026-07", null), point("2026-08", 0.75), point("2026-09", 1), point("2026-10", null), point("2026-11", 0.25)];
  it("is one image with a spoken summary, and a table of every value with raw counts", () => {
    const html = render("zh-CN", points);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="近六个月三率走势。2026-06：响应率 50%/);
    expect(html).toContain("满意率 无数据");
    expect(html).toContain("<table");
    expect(html).toContain("(3/4)");
    expect(render("en", points)).toContain('aria-label="The three rates over six months. 2026-06: Response 50%, Resolution 50%, Satisfaction no data; 2026-07: Response no data');
  });
  it("breaks a line where a month has no value", () => {
    const html = render("zh-CN", points);
    // The response line: Jun alone, Aug–Sep, Nov alone → three runs, two of them single points.
    const responsePaths = html.match(/<g stroke="var\(--info\)"[\s\S]*?<\/g>/)![0].match(/<path d="M[^"]*"[^>]*fill="none"/g)!;
    expect(responsePaths).toHaveLength(3);
  });
});
