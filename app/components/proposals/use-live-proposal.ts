import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { ProposalState } from "#db/schema/halls";
import type { CommentPayload } from "#realtime/events";
import { mergeHead, upsertComment, withHeard, type DebateState, type LiveHead } from "~/modules/proposals/live";
import { useCatchUp, useRoom, useSocketEvent } from "~/realtime/hooks";
import type { ProposalPageData } from "./page-data";

/**
 * The proposal page's live state: the loaded data with what is heard in the
 * proposal's room folded in by the pure rules of `modules/proposals/live.ts`.
 */
export function useLiveProposal(data: ProposalPageData) {
  const revalidator = useRevalidator();
  const [debate, setDebate] = useState<DebateState>(() => data.debate);
  const [live, setLive] = useState<LiveHead>({ state: data.proposal.state as ProposalState, seconds: data.seconds, rev: data.rev });
  const [fresh, setFresh] = useState<number | null>(null);
  // New comments heard live, kept so that a reload racing the news cannot take one off the page again.
  const heard = useRef(new Map<number, CommentPayload>());
  useEffect(() => setDebate(withHeard(data.debate, heard.current.values())), [data.debate]);
  useEffect(
    () => setLive((l) => mergeHead(l, { state: data.proposal.state as ProposalState, seconds: data.seconds, rev: data.rev })),
    [data.proposal.state, data.seconds, data.rev],
  );

  useRoom(`proposal:${data.proposal.id}`);
  useSocketEvent("comment:upserted", (c) => {
    if (c.proposalId !== data.proposal.id) return;
    // A change to a comment of a thread not loaded yet: its old stance is unknown here, so ask for fresh totals.
    if (!c.isNew && !debate.comments.some((x) => x.id === c.id)) return revalidator.revalidate();
    if (c.isNew) heard.current.set(c.id, c);
    setDebate((d) => upsertComment(d, c));
    setFresh(c.id);
  });
  useSocketEvent("whistle:changed", (e) => e.proposalId === data.proposal.id && revalidator.revalidate());
  useSocketEvent("proposal:changed", (e) => {
    if (e.proposalId !== data.proposal.id) return;
    setLive((l) => mergeHead(l, { state: e.state as ProposalState, seconds: e.seconds, rev: e.rev }));
    if (e.reload) revalidator.revalidate();
  });
  useCatchUp(() => revalidator.revalidate());
  return { debate, setDebate, live, fresh };
}
