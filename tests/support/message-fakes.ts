import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { signSmsRequest } from "~/modules/messages/channels.server";

/**
 * Real parts for the delivery tests and the benchmark: an SMTP server in the
 * test process (smtp-server), and an HTTP server that answers like a Chinese
 * cloud SMS API, told what to answer next.
 */

export interface ReceivedMail {
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

/** Decode RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=). */
function decodeWords(value: string): string {
  return value.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(data, "base64").toString("utf8")
      : Buffer.from(data.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable")
    return Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  return body;
}

/** Split a raw message into its headers, its plain-text and its HTML part. */
export function parseMail(raw: string, to: string[] = []): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  let text = "";
  let html = "";
  const boundary = /boundary="?([^";]+)"?/i.exec(headers["content-type"] ?? "")?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw.slice(0, split) + "\r\n\r\n" + body];
  for (const part of parts) {
    const at = part.indexOf("\r\n\r\n");
    const h = parseHeaders(part.slice(0, at).replace(/^\r\n/, ""));
    const content = decodeBody(h, part.slice(at + 4).replace(/\r\n$/, ""));
    if ((h["content-type"] ?? "").startsWith("text/plain")) text = content;
    if ((h["content-type"] ?? "").startsWith("text/html")) html = content;
  }
  return { to, raw, headers, subject: decodeWords(headers.subject ?? ""), text, html };
}

export interface FakeSmtp {
  url: string;
  received: ReceivedMail[];
  /** How many messages arrived (the benchmark does not keep them). */
  count: number;
  /** The next answers to DATA, in order: an SMTP code (421, 550 …) or "ok". */
  answers: (number | "ok")[];
  keep: boolean;
  close(): Promise<void>;
}

export async function startSmtp(options: { keep?: boolean } = {}): Promise<FakeSmtp> {
  const fake: FakeSmtp = {
    url: "",
    received: [],
    count: 0,
    answers: [],
    keep: options.keep ?? true,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    disableReverseLookup: true,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => {
        if (fake.keep) chunks.push(c);
      });
      stream.on("end", () => {
        const answer = fake.answers.shift() ?? "ok";
        if (answer !== "ok") {
          const error = new Error(`refused with ${answer}`) as Error & { responseCode: number };
          error.responseCode = answer;
          callback(error);
          return;
        }
        fake.count++;
        if (fake.keep)
          fake.received.push(parseMail(Buffer.concat(chunks).toString("utf8"), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  fake.url = `smtp://127.0.0.1:${port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

export type SmsAnswer = "ok" | "5xx" | "timeout" | "rate" | "http429" | "permanent" | "balance";

export interface SmsRequest {
  token: string;
  body: { PhoneNumbers: string; SignName: string; TemplateCode: string; TemplateParam: string; OutId: string };
  signatureValid: boolean;
  answered: SmsAnswer;
}

export interface FakeSms {
  endpoint: string;
  /** Every request, in order. */
  requests: SmsRequest[];
  /** Messages the provider actually sent: one per client token (it honours the token). */
  sent: Map<string, SmsRequest>;
  /** The next answers, in order; then `otherwise`. */
  answers: SmsAnswer[];
  otherwise: SmsAnswer;
  close(): Promise<void>;
}

export const SMS_SECRET = "test-secret-0123456789";

/** A local HTTP server answering like the cloud SMS API (codes as Alibaba Cloud's SendSms gives them). */
export async function startFakeSms(): Promise<FakeSms> {
  const fake: FakeSms = { endpoint: "", requests: [], sent: new Map(), answers: [], otherwise: "ok", close: async () => {} };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const server: Server = createServer(async (req, res) => {
    const raw = await read(req);
    const answered = fake.answers.shift() ?? fake.otherwise;
    const token = String(req.headers["x-acs-client-token"] ?? "");
    const signature = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization ?? ""))?.[1];
    const expected = signSmsRequest(SMS_SECRET, {
      method: "POST",
      path: new URL(req.url ?? "/", "http://x").pathname,
      date: String(req.headers["x-acs-date"] ?? ""),
      nonce: String(req.headers["x-acs-signature-nonce"] ?? ""),
      body: raw,
    });
    const request: SmsRequest = { token, body: JSON.parse(raw) as SmsRequest["body"], signatureValid: signature === expected, answered };
    fake.requests.push(request);
    const json = (status: number, body: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (!request.signatureValid) return json(400, { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched" });
    switch (answered) {
      case "timeout":
        return; // never answers; the client gives up
      case "5xx":
        return json(503, { Code: "isp.SYSTEM_ERROR", Message: "系统错误" });
      case "rate":
        return json(200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控Permits:1" });
      case "http429":
        return json(429, { Code: "Throttling.User", Message: "Request was denied due to user flow control." }, { "retry-after": "90" });
      case "permanent":
        return json(200, { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "非法手机号" });
      case "balance":
        return json(200, { Code: "isv.AMOUNT_NOT_ENOUGH", Message: "账户余额不足" });
      default: {
        // The provider honours the client token: a repeated token sends nothing and answers as before.
        const first = fake.sent.get(token);
        if (!first) fake.sent.set(token, request);
        return json(200, { Code: "OK", Message: "OK", BizId: `biz-${token}`, RequestId: token });
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  fake.endpoint = `http://127.0.0.1:${port}/sms/send`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
