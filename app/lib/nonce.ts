import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this response (ADR 0017). The server
 * entry provides it for the one render; `<Scripts>` and `<ScrollRestoration>`
 * put it on their inline scripts. In the browser there is none (browsers hide
 * a nonce from scripts anyway), and nothing there needs it.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
