import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "#db/client.server";
import { StatePill } from "~/components/proposal-state";
import { useI18n } from "~/i18n/react";
import { search } from "~/modules/search/queries.server";
import { queryText } from "~/modules/search/bigrams";
import { pageTitle } from "~/lib/meta";

export const meta: MetaFunction = (args) => pageTitle(args, "search.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const tsquery = queryText(q);
  return { q, results: tsquery ? await search(db(), tsquery) : null };
}

/** Show a short piece of text around the first place the query appears. */
function excerpt(text: string, q: string, size = 80) {
  const at = q ? text.indexOf(q.trim().slice(0, 2)) : -1;
  const start = Math.max(0, at - 20);
  return (start > 0 ? "…" : "") + text.slice(start, start + size) + (text.length > start + size ? "…" : "");
}

export default function SearchPage() {
  const { t, date, locale } = useI18n();
  const { q, results } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <h1>{t("search.title")}</h1>
      <Form method="get" role="search" className="search-form">
        <label htmlFor="q" className="sr-only">
          {t("search.label")}
        </label>
        <input id="q" name="q" type="search" defaultValue={q} className="field__input" placeholder={t("search.placeholder")} />
        <button type="submit" className="button button--primary">
          {t("search.submit")}
        </button>
      </Form>
      {results ? (
        results.proposals.length + results.comments.length + results.whistles.length === 0 ? (
          <p className="empty">{t("search.none", { q })}</p>
        ) : (
          <>
            <h2>{t("search.proposals", { count: results.proposals.length })}</h2>
            <ul className="list" data-testid="search-proposals">
              {results.proposals.map((p) => (
                <li key={p.id} className="list-item">
                  <Link to={`/proposals/${p.id}`} className="list-item__title">
                    {p.title}
                  </Link>{" "}
                  <StatePill state={p.state} />
                  <p className="muted">{excerpt(p.body, q)}</p>
                </li>
              ))}
            </ul>
            {results.whistles.length > 0 ? (
              <>
                <h2>{t("search.whistles", { count: results.whistles.length })}</h2>
                <ul className="list" data-testid="search-whistles">
                  {results.whistles.map((w) => (
                    <li key={w.id} className="list-item">
                      <Link to={`/whistles/${w.id}`} className="list-item__title">
                        {w.title}
                      </Link>{" "}
                      <span className="pill pill--accent">{t(`whistle.state.${w.state}`)}</span>
                      <p className="muted">
                        {w.subdistrict}
                        {" · "}
                        {locale === "en" ? w.categoryEn : w.categoryZh}
                        {" · "}
                        {date(w.createdAt, "date")}
                      </p>
                      <p className="muted">{excerpt(w.description, q)}</p>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h2>{t("search.comments", { count: results.comments.length })}</h2>
            <ul className="list">
              {results.comments.map((c) => (
                <li key={c.id} className="list-item">
                  <p>{excerpt(c.body, q)}</p>
                  <Link to={`/proposals/${c.proposalId}#comment-${c.id}`}>{c.title}</Link> <span className="muted">{date(c.createdAt, "date")}</span>
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </div>
  );
}
