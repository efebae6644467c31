import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { uploadsDir } from "~/lib/uploads.server";

const types: Record<string, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp", pdf: "application/pdf" };

/** Serve a stored photo or evidence PDF. Names are random UUIDs; anything else is a 404, never a path outside the folder. */
export async function loader({ params }: LoaderFunctionArgs) {
  const name = params.file ?? "";
  const match = /^[0-9a-f-]{36}\.(jpg|png|webp|pdf)$/.exec(name);
  if (!match) throw new Response("Not Found", { status: 404 });
  try {
    const bytes = await readFile(path.join(uploadsDir(), name));
    const headers: Record<string, string> = { "Content-Type": types[match[1]!]!, "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff" };
    // A document is downloaded, never shown in the site's origin.
    if (match[1] === "pdf") Object.assign(headers, { "Content-Disposition": 'attachment; filename="evidence.pdf"', "Content-Security-Policy": "sandbox" });
    return new Response(bytes, { headers });
  } catch {
    throw new Response("Not Found", { status: 404 });
  }
}
