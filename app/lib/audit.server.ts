import type { Tx } from "#db/client.server";
import { auditEvents } from "#db/schema";

export interface AuditEntry {
  actorId: number | null;
  action: string;
  subjectType: string;
  subjectId: string | number;
  data?: Record<string, unknown>;
}

/** Append one audit event inside the command's transaction. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({ ...entry, subjectId: String(entry.subjectId), data: entry.data ?? null });
}
