import type { MeetingLive } from "#realtime/events";
import { useI18n } from "~/i18n/react";
import { formatCountdown, quorumOf, remainingSeconds } from "~/modules/meetings/rules";
import { useServerNow } from "./use-meeting-live";

type Speaker = NonNullable<MeetingLive["speaker"]>;

/** The speaker's time left, from the instant the server stored and its clock: the same on every screen. */
export function Countdown({ speaker, offset, serverNow, large = false }: { speaker: Speaker; offset: number | null; serverNow: string; large?: boolean }) {
  const { t } = useI18n();
  const now = useServerNow(offset, serverNow);
  const left = remainingSeconds({ startedAt: Date.parse(speaker.startedAt), allottedSeconds: speaker.allottedSeconds }, now);
  const tone = left <= 0 ? "mtg-clock--over" : left <= 30 ? "mtg-clock--soon" : "";
  return (
    <div className={`mtg-clock ${large ? "mtg-clock--large" : ""} ${tone}`} role="timer" aria-label={t("meeting.floor.speaking")} data-remaining={left}>
      <span className="mtg-clock__figure">{formatCountdown(left)}</span>
      {left <= 0 ? <span className="mtg-clock__note">{t("meeting.floor.timeUp")}</span> : null}
    </div>
  );
}

export function StanceTag({ stance }: { stance: "for" | "against" }) {
  const { t } = useI18n();
  return <span className={`stance-tag stance-tag--${stance === "for" ? "support" : "oppose"}`}>{t(`meeting.stance.${stance}`)}</span>;
}

/** Who has the floor, with the countdown, a warning and an extension shown. */
export function Floor({ live, offset, large = false }: { live: MeetingLive; offset: number | null; large?: boolean }) {
  const { t } = useI18n();
  const s = live.speaker;
  return (
    <section className={`card mtg-floor ${large ? "mtg-floor--large" : ""}`} aria-labelledby="floor-title" aria-live="polite">
      <h2 id="floor-title">{t("meeting.floor.title")}</h2>
      {s ? (
        <>
          <p className="mtg-floor__who">
            <strong>{s.name}</strong> <StanceTag stance={s.stance} /> {s.extended ? <span className="pill pill--info">{t("meeting.floor.extended")}</span> : null}
          </p>
          <Countdown speaker={s} offset={offset} serverNow={live.serverNow} large={large} />
          {s.warnedAt ? <p className="notice notice--warn">{t("meeting.floor.warned")}</p> : null}
        </>
      ) : (
        <p className="muted">{t("meeting.floor.nobody")}</p>
      )}
    </section>
  );
}

/** The waiting hands in the order the rules will call them. */
export function Queue({ live, me }: { live: MeetingLive; me?: number | null }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="queue-title">
      <h2 id="queue-title">{t("meeting.queue.title")}</h2>
      {live.queue.length === 0 ? (
        <p className="muted">{t("meeting.queue.empty")}</p>
      ) : (
        <ol className="mtg-queue" data-testid="queue">
          {live.queue.map((h) => (
            <li key={h.handId} data-stance={h.stance}>
              <span className="mtg-queue__name">
                {h.name}
                {h.userId === me ? t("meeting.queue.you") : null}
              </span>{" "}
              <StanceTag stance={h.stance} /> {h.spoken > 0 ? <span className="muted">{t("meeting.queue.spokenTimes", { n: h.spoken })}</span> : null}
            </li>
          ))}
        </ol>
      )}
      {live.order.length > live.queue.length ? <p className="muted">{t("meeting.queue.more", { n: live.order.length - live.queue.length })}</p> : null}
    </section>
  );
}

/** Signed in against the quorum: a bar with the quorum's mark. */
export function QuorumMeter({ present, quorum }: { present: number; quorum: number }) {
  const { t } = useI18n();
  const q = quorumOf(present, quorum);
  const scale = Math.max(quorum, present, 1) * 1.25;
  return (
    <div className="mtg-quorum" data-testid="quorum">
      <p className="mtg-quorum__text">
        {t("meeting.quorum.meter", { present, quorum })} ·{" "}
        {q.met ? <span className="pill pill--ok">{t("meeting.quorum.met")}</span> : <span className="pill pill--warn">{t("meeting.quorum.missing", { n: q.missing })}</span>}
      </p>
      <div className="turnout" role="meter" aria-valuemin={0} aria-valuemax={quorum} aria-valuenow={present} aria-label={t("meeting.quorum.meter", { present, quorum })}>
        <span className="turnout__fill" style={{ width: `${Math.min(100, (present / scale) * 100)}%` }} />
        <span className="turnout__quorum" style={{ left: `${(quorum / scale) * 100}%` }} />
      </div>
    </div>
  );
}

/** The item under discussion. */
export function CurrentItem({ live }: { live: MeetingLive }) {
  const { t } = useI18n();
  if (!live.item) return <p className="muted">{t("meeting.item.none")}</p>;
  return (
    <div className="mtg-item">
      <p className="muted">
        {t("meeting.item.current")} · {t("meeting.item.of", { n: live.item.position, count: live.item.count })}
      </p>
      <h2 className="mtg-item__title">{live.item.title}</h2>
    </div>
  );
}
