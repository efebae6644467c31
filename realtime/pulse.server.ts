import type { OutboxMessage } from "./events";
import { HOME_ROOM } from "./events";
import { onPublish } from "./publish.server";
import { publishNumbered } from "./room-log.server";

/** The pulse is numbered in the home room like any room's news (ADR 0046); a failure waits for the next pulse. */
const sendNumbered = (message: OutboxMessage) => void publishNumbered(message).catch(() => {});

/**
 * The district's pulse (ADR 0028): the home page shows what is happening
 * everywhere (open proposals, votes, whistles, results), so it would have to
 * watch every room. Instead, whenever news that changes those lists is
 * published here, one `home:changed` goes to the `home` room, at most once
 * per `delayMs` however busy the district is: a burst of ballots or seconds
 * costs each open home page one reload, not one per ballot.
 *
 * It listens to what this node publishes; the pulse it sends travels to the
 * other nodes like any other news.
 */
export function startPulse(delayMs = 2_000, send: (message: OutboxMessage) => void = sendNumbered): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = onPublish((room, message) => {
    if (timer || !changesHome(room, message)) return;
    timer = setTimeout(() => {
      timer = null;
      send({ room: HOME_ROOM, event: "home:changed", args: [{ at: Date.now() }] });
    }, delayMs);
    timer.unref?.();
  });
  return () => {
    stop();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

/** News the home page's lists show: a hall's list, a proposal's state or seconds, a vote, a whistle's timeline. */
export function changesHome(room: string, message: OutboxMessage): boolean {
  switch (message.event) {
    case "hall:changed":
    case "proposal:changed":
    case "vote:changed":
      return true;
    case "whistle:changed":
      // Sent to the whistle's room and, as copies, to its proposal's and departments' rooms: count it once.
      return room.startsWith("whistle:");
    default:
      return false;
  }
}
