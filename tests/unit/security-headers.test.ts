import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "~/lib/csp.server";
import { applySecurityHeaders } from "~/lib/http.server";
import { cutAtNonce, withNonce } from "~/lib/page-cache.server";
import { isSecureRequest } from "~/modules/identity/sessions.server";

/** Issue 12 §7: HSTS, the Secure flag and the policy (ADR 0017). */
function headersOf(options: { hsts?: boolean }) {
  const headers: Record<string, string> = {};
  applySecurityHeaders({ setHeader: (name: string, value: string) => ((headers[name] = value), undefined) } as never, options);
  return headers;
}

describe("security headers", () => {
  it("sends HSTS only when the public address is https", () => {
    expect(headersOf({ hsts: true })["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(headersOf({})["Strict-Transport-Security"]).toBeUndefined();
  });

  it("decides the cookie's Secure flag from BASE_URL or the protocol Express saw, never from the Host header", () => {
    expect(isSecureRequest(new URL("http://localhost:3000/"), "https://gongzhi.example")).toBe(true);
    expect(isSecureRequest(new URL("http://gongzhi.example/"), "http://intranet.example")).toBe(false);
    // No BASE_URL: a made-up Host no longer turns Secure on (which broke logins over plain http on a LAN) …
    expect(isSecureRequest(new URL("http://192.168.1.20:3000/"))).toBe(false);
    expect(isSecureRequest(new URL("http://evil.example/"))).toBe(false);
    // … and a request that arrived over https (directly, or through a trusted local proxy) is Secure.
    expect(isSecureRequest(new URL("https://gongzhi.example/"))).toBe(true);
  });

  it("a policy without unsafe scripts, a fresh nonce each time", () => {
    const a = newNonce();
    const b = newNonce();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[\w-]{22}$/);
    const csp = contentSecurityPolicy(a);
    expect(/script-src[^;]*/.exec(csp)?.[0]).toBe(`script-src 'self' 'nonce-${a}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it("the page cache re-nonces a stored page exactly where its nonce stood", () => {
    const page = Buffer.from(`<script nonce="OLD">a</script><p>nonce="OLD" in text is also a nonce mark</p><script nonce="OLD">b</script>`);
    const parts = cutAtNonce(page, "OLD");
    expect(parts).toHaveLength(4);
    expect(withNonce(parts, "NEW").toString()).toBe(`<script nonce="NEW">a</script><p>nonce="NEW" in text is also a nonce mark</p><script nonce="NEW">b</script>`);
    expect(withNonce(cutAtNonce(page, undefined), "NEW")).toBe(page);
  });
});
