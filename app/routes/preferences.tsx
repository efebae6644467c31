import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { TEXT_SIZE_COOKIE, preferenceCookie } from "~/lib/context.server";
import { isLocale, LOCALE_COOKIE } from "~/i18n/i18n";
import { setPreferences } from "~/modules/identity/commands.server";
import { safeRedirect } from "~/modules/identity/schemas";
import { readForm } from "~/lib/input.server";

/** The language and text-size switches: remembered in a cookie, and on the account when signed in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form.get("locale");
  const textSize = form.get("textSize");
  const headers = new Headers();
  const prefs: { locale?: "zh-CN" | "en"; largeText?: boolean } = {};
  if (isLocale(locale)) {
    headers.append("Set-Cookie", preferenceCookie(LOCALE_COOKIE, locale, context.secure));
    prefs.locale = locale;
  }
  if (textSize === "large" || textSize === "normal") {
    headers.append("Set-Cookie", preferenceCookie(TEXT_SIZE_COOKIE, textSize, context.secure));
    prefs.largeText = textSize === "large";
  }
  if (context.user && Object.keys(prefs).length > 0) await setPreferences(context.user.id, prefs);
  return redirect(safeRedirect(String(form.get("redirectTo") ?? "/")), { headers });
}

export function loader() {
  return redirect("/");
}
