import { hasForbiddenCharacters, parseId } from "./input";

/**
 * A request's form, read once for every route: a body that is not a form
 * (or a broken multipart body) and any text field holding a character no
 * field accepts (NUL, other controls, direction overrides) are a 400 here,
 * before a command or the database sees them (ADR 0017). Nobody types a NUL,
 * so a plain 400 page is the honest answer.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest();
  }
  return checkForm(form);
}

/** The same check for a form read another way (a multipart form with photos): 400 on a forbidden character. */
export function checkForm(form: FormData): FormData {
  for (const [name, value] of form) {
    if (hasForbiddenCharacters(name) || (typeof value === "string" && hasForbiddenCharacters(value))) throw badRequest();
  }
  return form;
}

/** A route parameter that must be an id, or 404. */
export function requireId(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw new Response("Not Found", { status: 404 });
  return id;
}

/** An optional id in the query string: absent or empty is undefined; anything else must be an id, or 400. */
export function queryId(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  const id = parseId(raw);
  if (id === null) throw badRequest();
  return id;
}

/** A form field that must be an id, or 400. */
export function formId(form: FormData | Record<string, unknown>, name: string): number {
  const raw = form instanceof FormData ? form.get(name) : form[name];
  const id = parseId(raw);
  if (id === null) throw badRequest();
  return id;
}

/** Whether a URL (path and query, as sent) is free of forbidden characters, raw or %-encoded. */
export function isCleanUrl(url: string): boolean {
  return !hasForbiddenCharacters(url) && !ENCODED_FORBIDDEN.test(url);
}
/** The forbidden characters %-encoded in UTF-8: C0 controls but tab/LF/CR, DEL, C1 controls, direction overrides and isolates. */
const ENCODED_FORBIDDEN = /%(0[0-8bce]|1[0-9a-f]|7f|c2%[89][0-9a-f]|e2%80%a[a-e]|e2%81%a[6-9])/i;

export function badRequest(): Response {
  return new Response("Bad Request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
