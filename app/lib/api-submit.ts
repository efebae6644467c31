import { useCallback, useRef, useState } from "react";

/** What the JSON write API answers (app/api/router.server.ts). */
export type ApiReply<T> = ({ ok: true } & T) | { ok: false; error: string; field?: string };

/**
 * Post a form to the JSON write API (ADR 0013) and keep its state: busy while
 * on its way, the reply when back. A lost connection is an error the person
 * can retry; the form's idempotency key makes the retry safe.
 */
export function useApiSubmit<T>() {
  const [state, setState] = useState<{ busy: boolean; reply: ApiReply<T> | null }>({ busy: false, reply: null });
  const busy = useRef(false);
  const submit = useCallback(async (url: string, form: HTMLFormElement): Promise<ApiReply<T>> => {
    if (busy.current) return { ok: false, error: "form.busy" };
    busy.current = true;
    setState({ busy: true, reply: null });
    let reply: ApiReply<T>;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
      });
      reply = res.headers.get("content-type")?.includes("application/json")
        ? ((await res.json()) as ApiReply<T>)
        : { ok: false, error: `error.${res.status === 401 || res.status === 403 || res.status === 404 ? res.status : 500}` };
    } catch {
      reply = { ok: false, error: "form.networkError" };
    }
    busy.current = false;
    setState({ busy: false, reply });
    return reply;
  }, []);
  return { ...state, submit };
}
