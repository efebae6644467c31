import { Form, useSearchParams } from "@remix-run/react";
import { FieldErrors, FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";

export interface PaperElector {
  residentId: number;
  householdId: number;
  name: string;
  birthYear: number | null;
  isHead: boolean;
  address: string;
  hasAccount: boolean;
  voted: string | null;
}

/**
 * Staff record a paper or in-person ballot for someone on the roll (居民名册):
 * find them by name, address or phone, choose them (or, in a households'
 * vote, their household), the meeting and the choice. Works without scripts:
 * the search is a GET form back to the vote page.
 */
export function PaperBallot({
  voteId,
  electorate,
  method,
  optionCount,
  label,
  matches,
  reply,
}: {
  voteId: number;
  electorate: string;
  method: string;
  optionCount: number;
  label: (i: number) => string;
  matches: PaperElector[];
  reply?: { ok: boolean; intent: string; error?: string; field?: string };
}) {
  const { t, punct } = useI18n();
  const [params] = useSearchParams();
  const who = params.get("who") ?? "";
  const mine = reply?.intent === "paper" ? reply : undefined;
  const households = electorate === "households";
  return (
    <>
      <p className="muted">{t("vote.paperText")}</p>
      <Form method="get" action={`/votes/${voteId}`} className="form" role="search">
        <label className="field">
          <span className="field__label">{t("vote.paperFind")}</span>
          <span className="field__hint">{t("vote.paperFindHint")}</span>
          <input type="search" name="who" defaultValue={who} className="field__input" />
        </label>
        <button type="submit" className="button">
          {t("roll.search")}
        </button>
      </Form>
      {who && matches.length === 0 ? <p className="empty">{t("vote.paperNoMatch")}</p> : null}
      {matches.length > 0 ? (
        <Form method="post" className="form" action={`/votes/${voteId}?who=${encodeURIComponent(who)}`}>
          <input type="hidden" name="intent" value="paper" />
          <fieldset className="choices">
            <legend className="field__label">{households ? t("vote.paperWhichHousehold") : t("vote.paperWho")}</legend>
            {matches.map((m) => (
              <label key={m.residentId} className="check choice">
                <input type="radio" name="elector" value={`r:${m.residentId}`} required disabled={m.voted !== null} />
                <span>
                  <strong>{m.name}</strong>
                  {m.isHead ? punct.parens(t("roll.head")) : ""}
                  {m.birthYear ? ` · ${t("roll.born", { year: String(m.birthYear) })}` : ""} · {m.address}
                  {m.hasAccount ? "" : ` · ${t("roll.noAccount")}`}
                  {m.voted ? (
                    <span className="pill pill--ok">{t(m.voted === "paper" ? "vote.paperVotedPaper" : "vote.paperVotedOnline")}</span>
                  ) : null}
                </span>
              </label>
            ))}
          </fieldset>
          {mine && !mine.ok && mine.field === "elector" ? <FieldErrors errors={[mine.error!]} /> : null}
          <label className="field">
            <span className="field__label">{t("vote.meeting")}</span>
            <input name="meeting" className="field__input" required placeholder={t("vote.meetingPlaceholder")} />
          </label>
          <fieldset className="choices">
            <legend className="field__label">{t("vote.chooseOne")}</legend>
            {Array.from({ length: optionCount }, (_, i) => (
              <label key={i} className="check choice">
                <input type={method === "approval" ? "checkbox" : "radio"} name="choice" value={i} />
                <span>{label(i)}</span>
              </label>
            ))}
          </fieldset>
          {mine && !mine.ok && mine.field !== "elector" ? <FieldErrors errors={[mine.error!]} /> : null}
          <SubmitButton intent="paper" className="button">
            {t("vote.recordPaper")}
          </SubmitButton>
        </Form>
      ) : null}
      {mine?.ok ? <FormMessage tone="success" errors={["vote.paperRecorded"]} /> : null}
    </>
  );
}
