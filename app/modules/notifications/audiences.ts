/**
 * A notification's audience named by what it is, not by its members' ids
 * (ADR 0041, amended): stored in a fan-out row as JSON and read by the sender
 * when it expands the fan-out, so that queuing a notice to a district's
 * 100 000 voters costs the event one small row. The SQL of each kind is in
 * audiences.server.ts, one query per kind; this file is the shape only (the
 * database schema types the `delivery_fanouts.audience` column with it).
 */

/** The electorates of a vote (db/schema/votes.ts `Electorate`). */
export type AudienceElectorate = "members" | "residents" | "households";

export type AudiencePart =
  /**
   * The accounts of a vote's electorate, frozen when it opened
   * (`vote_electors`): the members themselves, or the accounts linked to the
   * roll entries (for households: to every entry of the household) of people
   * who have not moved out. `notVoted`: only electors with no ballot and no
   * participation yet (the reminder before closing).
   */
  | { kind: "voteElectorate"; voteId: number; electorate: AudienceElectorate; notVoted?: boolean }
  /** The people following a proposal (`follows`). */
  | { kind: "proposalFollowers"; proposalId: number }
  /** The people invited to a meeting (`meeting_invites`, written when it was scheduled). */
  | { kind: "meetingInvitees"; meetingId: number };

export type AudienceKind = AudiencePart["kind"];
export const audienceKinds: readonly AudienceKind[] = ["voteElectorate", "proposalFollowers", "meetingInvitees"];

/** Everyone in any of the parts (once), except the people listed (the one who acted, who knows already). */
export interface Audience {
  of: AudiencePart[];
  except?: number[];
}

const id = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

/**
 * The stored audience read back, checked: a row written by another version of
 * the program, or edited by hand, fails here with a message naming what is
 * wrong rather than expanding to the wrong people.
 */
export function parseAudience(value: unknown): Audience {
  const fail = (why: string): never => {
    throw new Error(`A stored fan-out audience is not valid: ${why} (${JSON.stringify(value)?.slice(0, 200)})`);
  };
  if (typeof value !== "object" || value === null) return fail("not an object");
  const { of, except } = value as { of?: unknown; except?: unknown };
  if (!Array.isArray(of) || of.length === 0) return fail("no parts");
  if (except !== undefined && !(Array.isArray(except) && except.every(id))) return fail("`except` must be a list of account ids");
  const parts = of.map((p: unknown): AudiencePart => {
    const part = (p ?? {}) as Record<string, unknown>;
    switch (part.kind) {
      case "voteElectorate":
        if (!id(part.voteId)) return fail("voteElectorate needs a voteId");
        if (part.electorate !== "members" && part.electorate !== "residents" && part.electorate !== "households")
          return fail("voteElectorate needs an electorate");
        if (part.notVoted !== undefined && typeof part.notVoted !== "boolean") return fail("notVoted must be true or false");
        return { kind: "voteElectorate", voteId: part.voteId, electorate: part.electorate, ...(part.notVoted ? { notVoted: true } : {}) };
      case "proposalFollowers":
        if (!id(part.proposalId)) return fail("proposalFollowers needs a proposalId");
        return { kind: "proposalFollowers", proposalId: part.proposalId };
      case "meetingInvitees":
        if (!id(part.meetingId)) return fail("meetingInvitees needs a meetingId");
        return { kind: "meetingInvitees", meetingId: part.meetingId };
      default:
        return fail(`unknown kind ${JSON.stringify(part.kind)} (known: ${audienceKinds.join(", ")})`);
    }
  });
  return except?.length ? { of: parts, except: except as number[] } : { of: parts };
}
