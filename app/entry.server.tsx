/**
 * Server rendering to one string (ADR 0012).
 *
 * Our loaders return no deferred data, so streaming buys nothing while React's
 * streaming renderer costs several times the CPU of `renderToString` for the
 * same page (targets.md). Single Fetch hands the loader data to the browser
 * through `serverHandoffStream`, which `<RemixServer>` normally reads inside
 * a Suspense boundary that only a streaming render waits for. So: drain that
 * stream first, hand Remix the drained text through its own render cache, and
 * render once, synchronously. Every e2e test hydrates pages built this way; if
 * a Remix upgrade changed the mechanism, they would fail.
 */
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceContext } from "~/lib/nonce";
// Both languages at hand for every render (a browser loads only its own: entry.client.tsx).
import "~/i18n/catalogs.server";
import { logError } from "~/lib/log.server";

type Settled = Promise<void> & { result: { done: boolean; value: string } };

function settled(done: boolean, value: string): Settled {
  return Object.assign(Promise.resolve(), { result: { done, value } });
}

/** Read the whole handoff stream (the turbo-stream of the loader data) as text. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

export default async function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext, loadContext?: AppLoadContext) {
  const context = remixContext as EntryContext & {
    serverHandoffStream?: ReadableStream<Uint8Array>;
    renderMeta?: { streamCache?: Record<number, Settled> };
  };
  if (context.serverHandoffStream) {
    const text = await drain(context.serverHandoffStream);
    // Chunk 0 carries all the data, chunk 1 closes the client's stream controller.
    context.renderMeta = { ...context.renderMeta, streamCache: { 0: settled(false, text), 1: settled(true, "") } };
    // <RemixServer> asks for a reader of its own; the cache above answers before it reads.
    context.serverHandoffStream = new ReadableStream();
  }
  // The response's CSP nonce goes on Remix's inline scripts (root.tsx reads it; ADR 0017).
  const html = renderToString(
    <NonceContext.Provider value={loadContext?.cspNonce}>
      <RemixServer context={remixContext} url={request.url} nonce={loadContext?.cspNonce} />
    </NonceContext.Provider>,
  );
  headers.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { status, headers });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  logError(`${request.method} ${new URL(request.url).pathname} failed`, error);
}
