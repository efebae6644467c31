import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { useI18n } from "~/i18n/react";
import { useApiSubmit, type ApiReply } from "~/lib/api-submit";
import { firstError, type IntentReply } from "~/lib/intents";
import type { VotePageData, VoteReply } from "./page-data";
import { castEncrypted, keepReceipt } from "./secret-ballot";

/**
 * Casting from the page: with scripts through the JSON API (ADR 0013), a
 * secret ballot encrypted here first with its proofs (ADR 0016); without
 * them the form posts to the route's action. One reply for the page either way.
 */
export function useCasting(data: VotePageData, actionResult: IntentReply | undefined) {
  const revalidator = useRevalidator();
  const api = useApiSubmit<{ receipt: string | null; changed: boolean }>();
  const secretApi = useRun<{ receipt: string | null }>();
  const [sentChoices, setSentChoices] = useState<number[]>([]);
  const { vote } = data;
  const apiReply = secretApi.reply ?? api.reply;
  const fromAction: VoteReply | undefined = actionResult && {
    ok: actionResult.ok,
    intent: actionResult.intent,
    ...(actionResult.data as Partial<VoteReply> | undefined),
    error: firstError(actionResult)?.message,
    field: firstError(actionResult)?.field,
  };
  const reply: VoteReply | undefined =
    apiReply && fromAction?.intent !== "paper" && fromAction?.intent !== "cancel"
      ? apiReply.ok
        ? {
            ok: true,
            intent: "cast",
            receipt: apiReply.receipt,
            changed: api.reply?.ok ? api.reply.changed : undefined,
            choices: sentChoices,
          }
        : { ok: false, intent: "cast", error: apiReply.error, field: apiReply.field }
      : fromAction;
  async function cast(form: HTMLFormElement) {
    setSentChoices(new FormData(form).getAll("choice").map(Number));
    const done =
      vote.secret && data.electionKey
        ? await secretApi.run(() =>
            castEncrypted(
              vote.id,
              data.electionKey!,
              { method: vote.method, optionCount: vote.options.length, maxChoices: vote.maxChoices },
              form,
            ),
          )
        : await api.submit(`/api/votes/${vote.id}/ballots`, form);
    if (done.ok && "receipt" in done && done.receipt) keepReceipt(vote.id, done.receipt);
    // Accepted or refused, the page may be out of date (a housemate voted, the vote closed): reload its data.
    if (done.ok || done.error !== "form.networkError") revalidator.revalidate();
  }
  return { reply, cast, busy: api.busy || secretApi.busy };
}

/** Busy and reply state around an async call that answers like the JSON API. */
function useRun<T>() {
  const [state, setState] = useState<{ busy: boolean; reply: ApiReply<T> | null }>({ busy: false, reply: null });
  return {
    ...state,
    run: async (fn: () => Promise<ApiReply<T>>) => {
      setState({ busy: true, reply: null });
      const reply = await fn().catch((): ApiReply<T> => ({ ok: false, error: "form.networkError" }));
      setState({ busy: false, reply });
      return reply;
    },
  };
}

/** "3 小时 12 分" until the time, ticking every 15 s; `done` once it has passed (by the server's clock offset). */
export function useCountdown(until: string | Date, serverTime: string) {
  const { t } = useI18n();
  // Measured again on each load: the server's clock is the one that closes the vote.
  const offset = useMemo(() => new Date(serverTime).getTime() - Date.now(), [serverTime]);
  const [now, setNow] = useState(() => new Date(serverTime).getTime());
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [offset]);
  const left = new Date(until).getTime() - now;
  const minutes = Math.max(0, Math.ceil(left / 60_000));
  const text =
    minutes >= 1440
      ? t("time.daysHours", { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) })
      : minutes >= 60
        ? t("time.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 })
        : left > 60_000
          ? t("time.minutes", { m: minutes })
          : t("time.seconds", { s: Math.max(0, Math.ceil(left / 1000)) });
  return { done: left <= 0, text };
}
