import type { DeliveryChannel } from "#db/schema/deliveries";
// Both catalogues: the sender runs in the server entry's bundle, which renders no pages and registers none otherwise.
import "~/i18n/catalogs.server";
import { translate, type Locale, type MessageKey, type Params } from "~/i18n/i18n";
import { categoryOf, clip } from "./rules";

/** A claimed delivery, as the channels need it. */
export interface Outgoing {
  id: number;
  round: number;
  userId: number;
  channel: DeliveryChannel;
  address: string;
  kind: string;
  params: Record<string, unknown>;
  link: string | null;
  locale: Locale;
}

/** Sent with every attempt of a delivery: the same after a crash, new when an administrator retries a dead letter. */
export function idempotencyKey(d: Pick<Outgoing, "id" | "round">): string {
  return `gz-${d.id}-${d.round}`;
}

export const VERIFY_KIND = "messages.verifyCode";
export const DIGEST_KIND = "messages.digest";

interface DigestItem {
  kind: string;
  params: Params;
  link: string | null;
}

const t = (locale: Locale, key: string, params?: Params) => translate(locale, key as MessageKey, params);
const asParams = (p: Record<string, unknown>): Params =>
  Object.fromEntries(Object.entries(p).filter(([, v]) => typeof v === "string" || typeof v === "number")) as Params;

/** The one line a notification says, in the recipient's language. */
export function notificationText(locale: Locale, kind: string, params: Record<string, unknown>): string {
  return t(locale, kind, asParams(params));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const absolute = (base: string, link: string | null) => new URL(link ?? "/notifications", base).toString();

export interface Email {
  subject: string;
  text: string;
  html: string;
}

/** An email in both forms (plain text and HTML), with the unsubscribe and settings links every email carries. */
export function renderEmail(d: Outgoing, urls: { base: string; unsubscribe: string | null }): Email {
  const { locale } = d;
  const settings = absolute(urls.base, "/settings/messages");
  let subject: string;
  let lines: { text: string; link: string | null }[];
  if (d.kind === VERIFY_KIND) {
    subject = t(locale, "messages.verify.subject");
    lines = [{ text: t(locale, "messages.verify.text", { code: String(d.params.code ?? "") }), link: null }];
  } else if (d.kind === DIGEST_KIND) {
    const items = (d.params.items as DigestItem[] | undefined) ?? [];
    subject = t(locale, "messages.digest.subject", { count: items.length });
    lines = items.map((i) => ({ text: notificationText(locale, i.kind, i.params), link: absolute(urls.base, i.link) }));
  } else {
    const text = notificationText(locale, d.kind, d.params);
    subject = `${t(locale, "messages.email.subjectPrefix")}${clip(text, 60)}`;
    lines = [{ text, link: absolute(urls.base, d.link) }];
  }
  const category = categoryOf(d.kind);
  const why =
    d.kind === VERIFY_KIND
      ? t(locale, "messages.email.whyVerify")
      : category
        ? t(locale, "messages.email.why", { category: t(locale, `messages.category.${category}`) })
        : t(locale, "messages.email.whyDigest");
  const footer = [why, t(locale, "messages.email.manage", { url: settings })];
  if (urls.unsubscribe) footer.push(t(locale, "messages.email.unsubscribe", { url: urls.unsubscribe }));
  const intro = d.kind === DIGEST_KIND ? t(locale, "messages.digest.intro", { count: lines.length }) : null;
  const text = [
    t(locale, "messages.email.greeting"),
    "",
    ...(intro ? [intro, ""] : []),
    ...lines.flatMap((l) => [l.text, ...(l.link ? [`${t(locale, "messages.email.open")}: ${l.link}`] : []), ""]),
    "—",
    ...footer,
  ].join("\n");
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f4ef;font:18px/1.6 'PingFang SC','Noto Sans CJK SC',sans-serif;color:#1d1d1b">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:24px">
<p>${escapeHtml(t(locale, "messages.email.greeting"))}</p>
${intro ? `<p>${escapeHtml(intro)}</p>` : ""}
${lines
  .map(
    (l) =>
      `<p style="margin:16px 0">${escapeHtml(l.text)}${
        l.link
          ? `<br><a href="${escapeHtml(l.link)}" style="display:inline-block;margin-top:8px;padding:10px 18px;background:#b3261e;color:#fff;border-radius:8px;text-decoration:none">${escapeHtml(t(locale, "messages.email.open"))}</a>`
          : ""
      }</p>`,
  )
  .join("\n")}
<hr style="border:0;border-top:1px solid #ddd;margin:24px 0">
<p style="font-size:14px;color:#555">${escapeHtml(why)}<br>
<a href="${escapeHtml(settings)}">${escapeHtml(t(locale, "messages.email.manageLink"))}</a>${
    urls.unsubscribe ? ` · <a href="${escapeHtml(urls.unsubscribe)}">${escapeHtml(t(locale, "messages.email.unsubscribeLink"))}</a>` : ""
  }</p>
</div></body></html>`;
  return { subject, text, html };
}

/**
 * An SMS as the cloud providers take it: an approved template and its
 * variables (each clipped to 20 characters), and the text it will read as
 * (for the log adapter and the segment count).
 */
export function renderSms(d: Outgoing, signName: string): { template: "notice" | "code"; params: Record<string, string>; text: string } {
  const { locale } = d;
  if (d.kind === VERIFY_KIND) {
    const params = { code: String(d.params.code ?? "") };
    return { template: "code", params, text: `【${signName}】${t(locale, "messages.sms.code", params)}` };
  }
  const category = categoryOf(d.kind);
  const event = d.kind === DIGEST_KIND ? t(locale, "messages.sms.digest") : t(locale, `messages.category.${category ?? "account"}`);
  const p = d.params;
  const subject = d.kind === DIGEST_KIND ? t(locale, "messages.digest.subject", { count: ((p.items as unknown[]) ?? []).length }) : notificationText(locale, d.kind, p);
  const params = { event: clip(event, 20), title: clip(String(p.title ?? p.question ?? subject), 20) };
  return { template: "notice", params, text: `【${signName}】${t(locale, "messages.sms.notice", params)}` };
}
