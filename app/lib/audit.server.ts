import type { Tx } from "#db/client.server";
import { auditEvents } from "#db/schema";
import type { AuditAction, AuditSubject } from "./audit";

export interface AuditEntry {
  actorId: number | null;
  action: AuditAction;
  subjectType: AuditSubject;
  subjectId: string | number;
  data?: Record<string, unknown>;
}

/** Append one audit event inside the command's transaction. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({ ...entry, subjectId: String(entry.subjectId), data: entry.data ?? null });
}
