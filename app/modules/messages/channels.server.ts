import { createHash, createHmac } from "node:crypto";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import type { DeliveryChannel } from "#db/schema/deliveries";
import type { SmsConfig } from "~/config.server";
import { smsSegments, type SendResult } from "./rules";
import { idempotencyKey, renderEmail, renderSms, type Outgoing } from "./templates.server";
import { serverNow } from "~/lib/clock.server";

/**
 * The channels a delivery leaves by (ADR 0022). Each adapter makes one
 * attempt and says how it went; the sender decides about retries.
 */
export interface ChannelAdapter {
  readonly name: string;
  send(d: Outgoing, ctx: SendContext): Promise<SendResult>;
  close?(): Promise<void>;
}
export interface SendContext {
  baseUrl: string;
  /** The signed unsubscribe link for this delivery (emails only). */
  unsubscribeUrl: string | null;
}
export type Channels = Record<DeliveryChannel, ChannelAdapter>;

/** What the log adapters "sent": the last 200, for the demo outbox page. In memory on purpose: it is a demo. */
export interface LoggedMessage {
  at: string;
  channel: DeliveryChannel;
  userId: number;
  to: string;
  subject: string;
  text: string;
  key: string;
}
// On globalThis: the server entry (which runs the sender) and the Remix build (which renders the page) are two bundles.
const holder = globalThis as unknown as { __gongzhiLoggedMessages?: LoggedMessage[] };
const logged: LoggedMessage[] = (holder.__gongzhiLoggedMessages ??= []);
export function loggedMessages(): readonly LoggedMessage[] {
  return logged;
}
function record(message: LoggedMessage) {
  logged.unshift(message);
  if (logged.length > 200) logged.length = 200;
}

/** Email to the log: the demo and development without an SMTP server. */
export function logEmail(): ChannelAdapter {
  return {
    name: "log",
    async send(d, ctx) {
      const email = renderEmail(d, { base: ctx.baseUrl, unsubscribe: ctx.unsubscribeUrl });
      record({
        at: serverNow().toISOString(),
        channel: "email",
        userId: d.userId,
        to: d.address,
        subject: email.subject,
        text: email.text,
        key: idempotencyKey(d),
      });
      return { ok: true, providerId: `log:${idempotencyKey(d)}` };
    },
  };
}

/** SMS to the log, with the signature and segment count a real provider would bill. */
export function logSms(signName = "共治"): ChannelAdapter {
  return {
    name: "log",
    async send(d) {
      const sms = renderSms(d, signName);
      record({
        at: serverNow().toISOString(),
        channel: "sms",
        userId: d.userId,
        to: d.address,
        subject: sms.template,
        text: sms.text,
        key: idempotencyKey(d),
      });
      return { ok: true, providerId: `log:${idempotencyKey(d)}`, segments: smsSegments(sms.text) };
    },
  };
}

/**
 * Email over SMTP with a pool of connections. SMTP has no idempotency key:
 * the Message-ID is the delivery's key, so a resend after a crash carries the
 * same one (many mail stores fold duplicates by it; nothing guarantees it).
 * A 5xx answer (no such mailbox, refused) is permanent; 4xx and connection
 * trouble are transient.
 */
export function smtpEmail(options: { url: string; from: string; maxConnections?: number }): ChannelAdapter {
  const url = new URL(options.url);
  // Loaded when email is configured, not at every start-up (restart time, issue 14 §9).
  const transport = import("nodemailer").then(({ default: nodemailer }) =>
    nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 16,
      maxMessages: Infinity,
      host: url.hostname,
      port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
      secure: url.protocol === "smtps:",
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // A local test server has no certificate worth checking; any other host must have one.
      tls: { rejectUnauthorized: !["127.0.0.1", "localhost"].includes(url.hostname) },
    } satisfies SMTPPool.Options),
  );
  return {
    name: "smtp",
    async send(d, ctx) {
      const email = renderEmail(d, { base: ctx.baseUrl, unsubscribe: ctx.unsubscribeUrl });
      const key = idempotencyKey(d);
      try {
        const info = await (
          await transport
        ).sendMail({
          from: options.from,
          to: d.address,
          subject: email.subject,
          text: email.text,
          html: email.html,
          // Base64 rather than quoted-printable for Chinese text: 40 % less CPU per email (docs/benchmarks.md).
          textEncoding: "base64",
          messageId: `<${key}@${new URL(ctx.baseUrl).hostname}>`,
          headers: {
            "X-Gongzhi-Delivery": key,
            ...(ctx.unsubscribeUrl
              ? { "List-Unsubscribe": `<${ctx.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
              : {}),
          },
        });
        return { ok: true, providerId: info.messageId };
      } catch (error) {
        const e = error as { responseCode?: number; message?: string };
        const message = `SMTP ${e.responseCode ?? ""} ${e.message ?? String(error)}`.trim().slice(0, 500);
        if (e.responseCode && e.responseCode >= 500) return { ok: false, failure: "permanent", error: message };
        if (e.responseCode === 421) return { ok: false, failure: "rate_limited", error: message };
        return { ok: false, failure: "transient", error: message };
      }
    },
    close: async () => (await transport).close(),
  };
}

/** Answers of the cloud SMS API (shaped like Alibaba Cloud's SendSms) and what each means for a retry. */
const RATE_LIMITED = new Set(["isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling.User", "Throttling"]);
const PERMANENT = new Set([
  "isv.MOBILE_NUMBER_ILLEGAL",
  "isv.MOBILE_COUNT_OVER_LIMIT",
  "isv.SMS_TEMPLATE_ILLEGAL",
  "isv.SMS_SIGNATURE_ILLEGAL",
  "isv.TEMPLATE_MISSING_PARAMETERS",
  "isv.TEMPLATE_PARAMS_ILLEGAL",
  "isv.PARAM_LENGTH_LIMIT",
  "isv.INVALID_PARAMETERS",
  "isv.BLACK_KEY_CONTROL_LIMIT",
]);
// Everything else (isp.SYSTEM_ERROR, isv.AMOUNT_NOT_ENOUGH, a bad key, an unknown code) is retried:
// a top-up or a corrected key fixes those, and the dead-letter list catches what never recovers.

/** Signs a request the way the cloud SMS APIs do: HMAC-SHA256 over the method, path, date, nonce and body hash. */
export function signSmsRequest(secret: string, parts: { method: string; path: string; date: string; nonce: string; body: string }): string {
  const bodyHash = createHash("sha256").update(parts.body).digest("hex");
  const canonical = [parts.method, parts.path, parts.date, parts.nonce, bodyHash].join("\n");
  return createHmac("sha256", secret).update(canonical).digest("hex");
}

/**
 * The cloud SMS adapter: POST {PhoneNumbers, SignName, TemplateCode,
 * TemplateParam, OutId} as JSON, signed with the access key, answered by
 * {Code, Message, BizId, RequestId}. The delivery's key travels as OutId and
 * as the `x-acs-client-token` header: a provider that honours the token sends
 * once however often we ask (ADR 0022 says which do).
 */
export function cloudSms(
  cfg: Extract<SmsConfig, { provider: "cloud" }>,
  options: { timeoutMs?: number; now?: () => Date } = {},
): ChannelAdapter {
  const endpoint = new URL(cfg.endpoint);
  return {
    name: "cloud",
    async send(d) {
      const sms = renderSms(d, cfg.signName);
      const key = idempotencyKey(d);
      const body = JSON.stringify({
        PhoneNumbers: d.address,
        SignName: cfg.signName,
        TemplateCode: sms.template === "code" ? cfg.codeTemplate : cfg.noticeTemplate,
        TemplateParam: JSON.stringify(sms.params),
        OutId: key,
      });
      const date = (options.now?.() ?? serverNow()).toISOString();
      const signature = signSmsRequest(cfg.accessKeySecret, { method: "POST", path: endpoint.pathname, date, nonce: key, body });
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-acs-date": date,
            "x-acs-signature-nonce": key,
            "x-acs-client-token": key,
            authorization: `HMAC-SHA256 Credential=${cfg.accessKeyId},Signature=${signature}`,
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        return { ok: false, failure: "transient", error: timedOut ? "timeout" : `network: ${(error as Error).message}` };
      }
      const retryAfter = Number(response.headers.get("retry-after"));
      const answer = (await response.json().catch(() => null)) as { Code?: string; Message?: string; BizId?: string } | null;
      const error = `HTTP ${response.status} ${answer?.Code ?? ""} ${answer?.Message ?? ""}`.trim().slice(0, 500);
      if (response.status === 429 || (answer?.Code && RATE_LIMITED.has(answer.Code)))
        return {
          ok: false,
          failure: "rate_limited",
          error,
          retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
        };
      if (response.status >= 500 || !answer) return { ok: false, failure: "transient", error };
      if (answer.Code === "OK") return { ok: true, providerId: answer.BizId ?? key, segments: smsSegments(sms.text) };
      if (answer.Code && PERMANENT.has(answer.Code)) return { ok: false, failure: "permanent", error };
      return { ok: false, failure: "transient", error };
    },
  };
}
