import { createHash } from "node:crypto";

/**
 * Errors as the server log may hold them (issue 12 §7, ADR 0017). A failed
 * query's error from drizzle carries its parameters (`params: …`: a password
 * hash, a comment, a ballot); the log gets the statement's name instead: its
 * verb, its first table and a short hash of its text (the same statement
 * always has the same name), with PostgreSQL's error code and constraint.
 * Quoted values in the database's message are blanked, and the `detail`
 * (which repeats the offending values) is left out.
 */
export function safeError(error: unknown): string {
  const query = queryOf(error);
  if (query !== null) return `Failed query ${statementName(query)}: ${databaseReason((error as { cause?: unknown }).cause)}`;
  if (error instanceof Error) {
    const cause = error.cause !== undefined && queryOf(error.cause) !== null ? ` (caused by ${safeError(error.cause)})` : "";
    // A stack's first line repeats the message; drizzle-style messages are cut before their parameters.
    const stack = (error.stack ?? `${error.name}: ${error.message}`).replace(/\nparams: [^\n]*/g, "");
    return `${stack}${cause}`;
  }
  return String(error);
}

/** Log an error without parameters or values. */
export function logError(where: string, error: unknown): void {
  console.error(`${where}: ${safeError(error)}`);
}

/** `select:comments#3fa2b1c0`: what a statement does and to which table, and which statement it is. */
export function statementName(text: string): string {
  const verb = /^\s*(select|insert|update|delete|with|begin|commit|rollback)\b/i.exec(text)?.[1]?.toLowerCase() ?? "sql";
  const table = /\b(?:from|into|update)\s+"?([a-z_][a-z0-9_]*)"?/i.exec(text)?.[1] ?? "?";
  return `${verb}:${table}#${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

function queryOf(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const query = (error as { query?: unknown }).query;
  return typeof query === "string" && "params" in error ? query : null;
}

function databaseReason(cause: unknown): string {
  if (!cause || typeof cause !== "object") return "unknown cause";
  const c = cause as { code?: unknown; message?: unknown; constraint?: unknown; constraint_name?: unknown; table?: unknown; table_name?: unknown; column?: unknown; column_name?: unknown };
  const parts = [
    typeof c.code === "string" ? `code ${c.code}` : null,
    typeof c.message === "string" ? c.message.replace(/"[^"]*"|'[^']*'|\([^)]*\)=\([^)]*\)/g, "…") : null,
    typeof (c.constraint ?? c.constraint_name) === "string" ? `constraint ${String(c.constraint ?? c.constraint_name)}` : null,
    typeof (c.table ?? c.table_name) === "string" ? `table ${String(c.table ?? c.table_name)}` : null,
    typeof (c.column ?? c.column_name) === "string" ? `column ${String(c.column ?? c.column_name)}` : null,
  ];
  return parts.filter(Boolean).join(", ");
}
