import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { ProposalState } from "#db/schema/halls";
import type { RoomEvent } from "#realtime/events";
import { applyToDebate, applyToHead, type DebateState, type LiveHead } from "~/modules/proposals/live";
import { foldHeard, newerThan } from "~/realtime/live-room";
import { useRoomFeeds } from "~/realtime/hooks";
import type { ProposalPageData } from "./page-data";

/**
 * The proposal page's live state: the loaded data with what is heard in the
 * proposal's room folded in by the pure rules of `modules/proposals/live.ts`.
 * Events carry the room's number (ADR 0046): what was heard after the data's
 * number is applied again onto every reload, so a reload that raced a new
 * comment, an edit, a hide or a second never takes it back.
 */
export function useLiveProposal(data: ProposalPageData) {
  const revalidator = useRevalidator();
  const head = (d: ProposalPageData): LiveHead => ({ state: d.proposal.state as ProposalState, seconds: d.seconds, rev: d.rev });
  const [debate, setDebate] = useState<DebateState>(() => data.debate);
  const [live, setLive] = useState<LiveHead>(() => head(data));
  const [fresh, setFresh] = useState<number | null>(null);
  const heard = useRef<RoomEvent[]>([]);
  useEffect(() => {
    heard.current = newerThan(heard.current, data.seq);
    setDebate(foldHeard(data.debate, data.seq, heard.current, applyToDebate));
    setLive(foldHeard(head(data), data.seq, heard.current, applyToHead));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- new data is a new debate, head and number
  }, [data.debate, data.seq, data.proposal.state, data.seconds, data.rev]);

  useRoomFeeds(
    { [`proposal:${data.proposal.id}`]: data.seq },
    (_room, event) => {
      if (event.event === "whistle:changed") return revalidator.revalidate();
      if (event.event === "comment:upserted") {
        const c = event.args[0];
        // A change to a comment of a thread not loaded yet: its old stance is unknown here, so ask for fresh totals.
        if (!c.isNew && !debate.comments.some((x) => x.id === c.id)) return revalidator.revalidate();
        setFresh(c.id);
      }
      heard.current = [...heard.current, event];
      setDebate((d) => applyToDebate(d, event));
      setLive((l) => applyToHead(l, event));
      if (event.event === "proposal:changed" && event.args[0].reload) revalidator.revalidate();
    },
    () => revalidator.revalidate(),
  );
  return { debate, setDebate, live, fresh };
}
