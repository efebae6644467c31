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
  const room = `proposal:${data.proposal.id}`;
  const head = (d: ProposalPageData): LiveHead => ({ state: d.proposal.state as ProposalState, seconds: d.seconds, rev: d.rev });
  const [debate, setDebate] = useState<DebateState>(() => data.debate);
  const [live, setLive] = useState<LiveHead>(() => head(data));
  const [fresh, setFresh] = useState<number | null>(null);
  // Heard in this room after the data's number (another proposal's page, reached by a link, starts afresh).
  const heard = useRef<{ room: string; events: RoomEvent[] }>({ room, events: [] });
  // The debate as the handler last left it: several events of one catch-up arrive before a render.
  const shown = useRef(debate);
  shown.current = debate;
  useEffect(() => {
    const events = heard.current.room === room ? newerThan(heard.current.events, data.seq) : [];
    heard.current = { room, events };
    const next = foldHeard(data.debate, data.seq, events, applyToDebate);
    shown.current = next;
    setDebate(next);
    setLive(foldHeard(head(data), data.seq, events, applyToHead));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- new data is a new debate, head and number
  }, [room, data.debate, data.seq, data.proposal.state, data.seconds, data.rev]);

  useRoomFeeds(
    { [room]: data.seq },
    (from, event) => {
      if (from !== room) return;
      if (event.event === "whistle:changed") return revalidator.revalidate();
      if (event.event === "comment:upserted") {
        const c = event.args[0];
        // A change to a comment of a thread not loaded yet: its old stance is unknown here, so ask for fresh totals
        // (not kept to fold onto a reload: folded, it would add the comment to threads the page has not loaded).
        if (!c.isNew && !shown.current.comments.some((x) => x.id === c.id)) return revalidator.revalidate();
        setFresh(c.id);
      }
      heard.current = { room, events: newerThan([...heard.current.events, event], data.seq) };
      shown.current = applyToDebate(shown.current, event);
      setDebate((d) => applyToDebate(d, event));
      setLive((l) => applyToHead(l, event));
      if (event.event === "proposal:changed" && event.args[0].reload) revalidator.revalidate();
    },
    () => revalidator.revalidate(),
  );
  return { debate, setDebate, live, fresh };
}
