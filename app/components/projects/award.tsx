import { useI18n } from "~/i18n/react";
import { useCountdown } from "~/components/votes/use-casting";
import type { IntentReply } from "~/lib/intents";
import type { ProjectPageData } from "./page-data";
import { useCriterionName, useYuan } from "./project-parts";
import { ReasonForm } from "./small-form";

type Bid = ProjectPageData["opening"][number];

/** A score in hundredths as people read it: 85.00. */
export const points = (hundredths: number | null) => (hundredths === null ? "—" : (hundredths / 100).toFixed(2));

/** The bid status in words. */
export function BidStatus({ status }: { status: string }) {
  const { t } = useI18n();
  const tone = status === "disqualified" ? "bad" : status === "withdrawn" ? "info" : "ok";
  return <span className={`pill pill--${tone}`}>{t(`project.bidStatus.${status as "valid"}`)}</span>;
}

/** 开标: who bid and at what price (public from the opening); scores once the award is final. */
export function Opening({ bids, showScores }: { bids: Bid[]; showScores: boolean }) {
  const { t } = useI18n();
  const yuan = useYuan();
  if (bids.length === 0) return null;
  return (
    <section className="section" aria-labelledby="opening-title">
      <h2 id="opening-title">{t("project.opening")}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="opening-title">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("project.bid.organization")}</th>
              <th scope="col">{t("project.bid.price")}</th>
              <th scope="col">{t("project.bid.status")}</th>
              {showScores ? <th scope="col">{t("project.bid.score")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {bids.map((b) => (
              <tr key={b.id}>
                <td>{b.organization}</td>
                <td>{b.price === null ? "—" : yuan(b.price)}</td>
                <td>
                  <BidStatus status={b.status} />
                  {b.disqualifiedReason ? <p className="muted">{b.disqualifiedReason}</p> : null}
                </td>
                {showScores ? <td>{points(b.score)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The award: the winner, the price, the public rationale, and the notice period's countdown. */
export function AwardCard({ data }: { data: ProjectPageData }) {
  const { t, date } = useI18n();
  const yuan = useYuan();
  const { award, project } = data;
  const countdown = useCountdown(project.noticeEndsAt ?? data.now, data.now);
  if (!award) return null;
  return (
    <section className="section card" aria-labelledby="award-title" data-testid="award">
      <h2 id="award-title">{t("project.award.title")}</h2>
      <dl className="facts">
        <dt>{t("project.award.winner")}</dt>
        <dd>{award.organization}</dd>
        <dt>{t("project.bid.price")}</dt>
        <dd>{award.price === null ? "—" : yuan(award.price)}</dd>
        {project.awardedAt ? (
          <>
            <dt>{t("project.award.at")}</dt>
            <dd>{date(project.awardedAt)}</dd>
          </>
        ) : null}
      </dl>
      <h3>{t("project.award.rationale")}</h3>
      <p className="pre-line">{award.rationale}</p>
      {project.status === "awarded" && project.noticeEndsAt ? (
        <p>
          {t("project.notice.until", { at: date(project.noticeEndsAt) })}{" "}
          {!countdown.done ? <span className="countdown">{t("project.notice.left", { left: countdown.text })}</span> : null}
        </p>
      ) : null}
      {project.finalAt ? <p className="notice notice--success">{t("project.award.final", { at: date(project.finalAt) })}</p> : null}
    </section>
  );
}

/** 质疑: the objections and staff's public answers (who objected is not shown). */
export function Objections({ objections, answering, result }: { objections: ProjectPageData["objections"]; answering?: boolean; result?: IntentReply }) {
  const { t, date } = useI18n();
  if (objections.length === 0) return null;
  return (
    <section className="section" aria-labelledby="objections-title">
      <h2 id="objections-title">{t("project.objections")}</h2>
      <ul className="list" data-testid="objections">
        {objections.map((o) => (
          <li key={o.id} className="list-item">
            <p className="muted">{t("project.objections.raisedAt", { at: date(o.raisedAt) })}</p>
            <p className="pre-line">{o.text}</p>
            {o.answer ? (
              <>
                <span className={`pill pill--${o.upheld ? "warn" : "info"}`}>{o.upheld ? t("project.objections.upheld") : t("project.objections.notUpheld")}</span>
                <p className="pre-line">
                  {t("project.questions.a")} {o.answer}
                </p>
              </>
            ) : (
              <p className="muted">{t("project.objections.waiting")}</p>
            )}
            {answering && !o.answer ? (
              <ReasonForm intent="answerObjection" field="answer" label={t("project.objections.answerLabel")} submit={t("project.objections.answerSubmit")} result={result} hidden={{ objectionId: o.id }} idKey="objectionId">
                <fieldset className="field">
                  <legend className="field__label">{t("project.objections.decision")}</legend>
                  <label className="check">
                    <input type="radio" name="upheld" value="no" defaultChecked />
                    <span>{t("project.objections.decideNo")}</span>
                  </label>
                  <label className="check">
                    <input type="radio" name="upheld" value="yes" />
                    <span>{t("project.objections.decideYes")}</span>
                  </label>
                </fieldset>
              </ReasonForm>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** An admin of a bidding organisation objects during the notice period. */
export function ObjectForm({ orgs, result }: { orgs: { id: number; name: string }[]; result?: IntentReply }) {
  const { t } = useI18n();
  const done = result?.intent === "object" && result.ok;
  return (
    <section className="section card" aria-labelledby="object-title">
      <h2 id="object-title">{t("project.object.title")}</h2>
      <p className="muted">{t("project.object.intro")}</p>
      {done ? <p className="notice notice--success">{t("project.object.done")}</p> : null}
      <ReasonForm intent="object" field="text" label={t("project.object.text")} submit={t("project.object.submit")} result={result}>
        {orgs.length === 1 ? (
          <input type="hidden" name="organizationId" value={orgs[0]!.id} />
        ) : (
          <div className="field">
            <label htmlFor="object-org" className="field__label">
              {t("project.ask.as")}
            </label>
            <select id="object-org" name="organizationId" className="field__input">
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </ReasonForm>
    </section>
  );
}

/** Every bid's contents (no team, no people) and every evaluator's scores: public once the award is final. */
export function PublicBids({ data }: { data: ProjectPageData }) {
  const { t, date } = useI18n();
  const yuan = useYuan();
  const name = useCriterionName();
  const opened = data.opening.filter((b) => b.contents);
  if (opened.length === 0) return null;
  return (
    <section className="section" aria-labelledby="bids-public-title">
      <h2 id="bids-public-title">{t("project.public.title")}</h2>
      <p className="muted">{t("project.public.intro")}</p>
      {opened.map((b) => (
        <article key={b.id} className="card" aria-labelledby={`bid-${b.id}`}>
          <h3 id={`bid-${b.id}`}>
            {b.organization} · {b.price === null ? "—" : yuan(b.price)} · {t("project.bid.scoreValue", { score: points(b.score) })}
          </h3>
          <h4>{t("project.bid.plan")}</h4>
          <p className="pre-line">{b.contents!.plan}</p>
          {b.contents!.experience ? (
            <>
              <h4>{t("project.bid.experience")}</h4>
              <p className="pre-line">{b.contents!.experience}</p>
            </>
          ) : null}
          <h4>{t("project.bid.milestones")}</h4>
          <ol className="plain-list">
            {b.contents!.milestones.map((m, i) => (
              <li key={i}>
                {m.title} · {date(`${m.due}T12:00:00Z`, "date")} · {t("project.weightValue", { weight: m.share })}
              </li>
            ))}
          </ol>
        </article>
      ))}
      <h3>{t("project.public.sheets")}</h3>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("project.public.sheets")}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("project.public.evaluator")}</th>
              <th scope="col">{t("project.bid.organization")}</th>
              {data.project.criteria.map((c) => (
                <th key={c.id} scope="col">
                  {name(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.sheets.flatMap((s) =>
              opened.map((b) => (
                <tr key={`${s.number}-${b.id}`}>
                  <td>{t("project.public.evaluatorName", { n: s.number, role: t(`project.evaluatorRole.${s.role}`) })}</td>
                  <td>{b.organization}</td>
                  {s.conflicts.includes(b.id) ? (
                    <td colSpan={data.project.criteria.length}>{t("project.public.recused")}</td>
                  ) : (
                    data.project.criteria.map((c) => <td key={c.id}>{s.scores.find((x) => x.bidId === b.id && x.criterion === c.id)?.score ?? "—"}</td>)
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
