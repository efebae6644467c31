import { sql } from "drizzle-orm";
import { db, type Database, type Tx } from "#db/client.server";
import type { EventArgs, OutboxMessage, ServerEvent } from "#realtime/events";
import { publish } from "#realtime/publish.server";
import { sequence, sequenceApart } from "#realtime/room-log.server";

/** Messages a command wants to send; they leave only once its transaction has committed. */
export class Outbox {
  readonly messages: OutboxMessage[] = [];
  /** Work to start once the transaction has committed (e.g. a coalesced read of a room's state to send). */
  readonly afterCommit: (() => void)[] = [];
  emit<E extends ServerEvent>(room: string, event: E, ...args: EventArgs<E>): void {
    this.messages.push({ room, event, args } as OutboxMessage);
  }
  /** Run `fn` after the commit, never on a rollback. */
  onCommit(fn: () => void): void {
    this.afterCommit.push(fn);
  }
}

/**
 * Run one command: one transaction, then (only on commit) its realtime
 * messages, numbered in their rooms by the transaction itself. Every write in the product goes through here (architecture.md rule 2).
 */
export async function runCommand<T>(fn: (tx: Tx, outbox: Outbox) => Promise<T>): Promise<T> {
  const outbox = new Outbox();
  const result = await db().transaction(async (tx) => {
    const result = await fn(tx, outbox);
    // Numbered in the transaction, so a room's numbers follow its commits (ADR 0046).
    await sequence(tx, outbox.messages);
    return result;
  });
  for (const message of outbox.messages) publish(message);
  for (const fn of outbox.afterCommit) fn();
  return result;
}

/**
 * Run a command that is one statement: a call of a database function that
 * checks, locks and writes everything the command writes, its audit rows
 * included (ADR 0021 amendment, sign-ups). Sent on its own, outside BEGIN …
 * COMMIT, the database commits it as the statement ends, so a row lock it
 * takes is held for the database's own work, not across round trips to this
 * process. `fn` must send exactly that one statement; its messages leave once
 * it has returned, as runCommand's leave after the commit.
 */
export async function runStatement<T>(fn: (db: Database, outbox: Outbox) => Promise<T>): Promise<T> {
  const outbox = new Outbox();
  const result = await fn(db(), outbox);
  // The statement has committed: its news is numbered in a statement of its own (ADR 0046).
  await sequenceApart(outbox.messages);
  for (const message of outbox.messages) publish(message);
  for (const fn of outbox.afterCommit) fn();
  return result;
}

/**
 * Serialise the commands that carry the same idempotency key (a double click,
 * a retry after a timeout): the second waits for the first to commit, then
 * finds what it made. Held until the transaction ends.
 */
export async function lockIdempotencyKey(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** A refusal a person should read next to a field or as a page message: never a 500. */
export class CommandError extends Error {
  constructor(
    /** A translation key. */
    readonly messageKey: string,
    /** The form field it belongs to, if any. */
    readonly field?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(messageKey);
  }
}

/** The actor may not do this: a 403 page. */
export class ForbiddenError extends Error {
  constructor(readonly action: string) {
    super(`forbidden: ${action}`);
  }
}

/** The thing does not exist (or is hidden from this actor): a 404 page. */
export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`not found: ${what}`);
  }
}
