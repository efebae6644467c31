import { Form } from "@remix-run/react";
import { useState } from "react";
import { FormMessage, SubmitButton } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import type { IntentReply } from "~/lib/intents";
import type { ProjectPageData } from "./page-data";
import { ReasonForm, refusedFor, TextBox } from "./small-form";

type Question = ProjectPageData["questions"][number] & { answer: string | null };

/** 答疑: the questions and their public answers, never who asked; staff answer beside each. */
export function QuestionList({ questions, answering, result }: { questions: Question[]; answering?: boolean; result?: IntentReply }) {
  const { t, date } = useI18n();
  return (
    <section className="section" aria-labelledby="questions-title">
      <h2 id="questions-title">{t("project.questions")}</h2>
      <p className="muted">{t("project.questions.intro")}</p>
      {questions.length === 0 ? (
        <p className="empty">{t("project.questions.none")}</p>
      ) : (
        <ul className="list" data-testid="questions">
          {questions.map((q) => (
            <li key={q.id} className="list-item">
              <p className="list-item__title">
                {t("project.questions.q")} {q.question}
              </p>
              {"mine" in q && q.mine ? <span className="pill pill--info">{t("project.questions.mine")}</span> : null}
              {q.answer ? (
                <p className="pre-line">
                  {t("project.questions.a")} {q.answer}
                </p>
              ) : (
                <p className="muted">{t("project.questions.waiting")}</p>
              )}
              {"askedAt" in q ? <p className="muted">{t("project.questions.askedAt", { at: date(q.askedAt) })}</p> : null}
              {answering ? (
                <details open={Boolean(refusedFor(result, "answer", { name: "questionId", value: q.id }))}>
                  <summary>{q.answer ? t("project.questions.correct") : t("project.questions.answer")}</summary>
                  <ReasonForm intent="answer" field="answer" label={t("project.questions.answerLabel")} submit={t("project.questions.answerSubmit")} result={result} hidden={{ questionId: q.id }} idKey="questionId" />
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Ask a question for one's organisation; the answer is public, the asker is not. */
export function AskForm({ orgs, result }: { orgs: { id: number; name: string }[]; result?: IntentReply }) {
  const { t } = useI18n();
  const mine = refusedFor(result, "ask");
  const [key] = useState(() => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`));
  const asked = result?.intent === "ask" && result.ok;
  return (
    <section className="section card" aria-labelledby="ask-title">
      <h2 id="ask-title">{t("project.ask.title")}</h2>
      {asked ? <FormMessage tone="success" errors={["project.ask.done"]} /> : null}
      <Form method="post" className="form" key={asked ? "asked" : "asking"}>
        {mine && mine.field !== "question" ? <FormMessage errors={[mine.message]} /> : null}
        <input type="hidden" name="clientKey" value={asked ? `${key}-${Date.now()}` : key} />
        {orgs.length === 1 ? (
          <input type="hidden" name="organizationId" value={orgs[0]!.id} />
        ) : (
          <div className="field">
            <label htmlFor="ask-org" className="field__label">
              {t("project.ask.as")}
            </label>
            <select id="ask-org" name="organizationId" className="field__input">
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <TextBox id="ask-question" name="question" label={t("project.ask.question")} hint={t("project.ask.hint")} error={mine?.field === "question" ? mine.message : undefined} maxLength={1000} />
        <SubmitButton intent="ask" className="button button--primary">
          {t("project.ask.submit")}
        </SubmitButton>
      </Form>
    </section>
  );
}
