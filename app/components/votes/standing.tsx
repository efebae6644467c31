import { useI18n } from "~/i18n/react";

export interface MyBallot {
  castAt: string | Date | null;
  castByName: string | null;
  channel: "online" | "paper";
  meeting: string | null;
  household: boolean;
}

/**
 * What the voter is told about a ballot already cast for them: by whom of
 * their household and when, or that they voted themselves and when (issue 11,
 * part 4). A secret ballot records neither who nor when.
 */
export function VoterStanding({ ballot, byOther, secret }: { ballot: MyBallot; byOther: boolean; secret: boolean }) {
  const { t, date } = useI18n();
  const at = ballot.castAt ? date(ballot.castAt) : "";
  const meeting = ballot.meeting ?? "";
  const text = secret
    ? ballot.household
      ? t("voteStanding.householdVotedSecret")
      : t("vote.youVoted")
    : byOther
      ? ballot.channel === "paper"
        ? t("voteStanding.householdVotedPaperAt", { name: ballot.castByName ?? "", time: at, meeting })
        : t("voteStanding.householdVotedAt", { name: ballot.castByName ?? "", time: at })
      : ballot.channel === "paper"
        ? t("voteStanding.youVotedPaperAt", { time: at, meeting })
        : t("voteStanding.youVotedAt", { time: at });
  return (
    <p className="notice notice--success" data-testid="voter-standing">
      {text}
    </p>
  );
}

/** The confirmation right after casting: what was recorded (open ballots), or that it was changed. */
export function CastConfirmation({
  choices,
  changed,
  label,
}: {
  choices: number[] | null;
  changed: boolean;
  label: (i: number) => string;
}) {
  const { t } = useI18n();
  if (!choices) return null;
  const names = choices.map(label).join(t("voteResult.listSeparator"));
  return (
    <p className="notice notice--success" role="status" data-testid="cast-confirmation">
      {choices.length === 0
        ? t("voteStanding.recordedEmpty")
        : changed
          ? t("voteStanding.changed", { choices: names })
          : t("voteStanding.recorded", { choices: names })}
    </p>
  );
}
