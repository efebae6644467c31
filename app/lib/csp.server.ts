import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * Content-Security-Policy with a nonce per response (issue 12 §7, ADR 0017).
 * Scripts run only from this origin or inline with this response's nonce (the
 * loader data and Remix's module loader that `<Scripts>` writes); no
 * `unsafe-inline` and no `unsafe-eval` for scripts. Styles may be inline
 * (`style` attributes), images may be `data:` and `blob:` (a photo's preview
 * before upload). Nothing may frame the site, and forms post only to it.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** 128 random bits, base64url: a fresh one for every response. */
export function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Gives each response its nonce (`res.locals.cspNonce`, passed to the render
 * through the load context) and the policy header that names it. Off in
 * development, where Vite's own inline scripts carry no nonce.
 */
export function cspMiddleware(enabled: boolean) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = newNonce();
    res.locals.cspNonce = nonce;
    if (enabled) res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    next();
  };
}
