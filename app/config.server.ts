import { z } from "zod";

/**
 * Configuration, validated once at boot (architecture.md rule 10).
 * A bad value stops the process with one readable line per problem.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Unset: embedded PGlite under DATA_DIR. Set: postgres://… server. */
  DATABASE_URL: z
    .string()
    .url()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://")
    .optional(),
  DATA_DIR: z.string().default("./data"),
  /** Public base URL, used for the Secure cookie decision and absolute links. */
  BASE_URL: z.string().url().optional(),
  DEFAULT_LOCALE: z.enum(["zh-CN", "en"]).default("zh-CN"),
  TIME_ZONE: z.string().default("Asia/Shanghai"),
  /** Demo mode seeds the demo district on an empty database and lists demo logins. */
  DEMO: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Realtime fan-out between nodes: memory (one node), postgres (several nodes, one database) or redis (ADR 0047). */
  REALTIME_ADAPTER: z.enum(["memory", "postgres", "redis"]).optional(),
  /** The Redis server of REALTIME_ADAPTER=redis. */
  REDIS_URL: z
    .string()
    .url()
    .refine((v) => /^rediss?:\/\//.test(v), "must start with redis:// or rediss://")
    .optional(),
  /** Names of the Redis stream and channels (`<prefix>:socket.io`): deployments sharing one Redis keep apart. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits and _ . : - only").default("gongzhi"),
  LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
  /** How long a visitor's copy of a busy public page may be reused (ms; 0 turns the page cache off). */
  PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Email (ADR 0022): smtp://user:pass@host:587 or smtps://…:465. Unset: emails go to the log adapter. */
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("共治 Gongzhi <no-reply@gongzhi.localhost>"),
  /** SMS: `log` (demo and development) or `cloud` (a Chinese cloud SMS API, ADR 0022). */
  SMS_PROVIDER: z.enum(["log", "cloud"]).default("log"),
  SMS_ENDPOINT: z.string().url().optional(),
  SMS_ACCESS_KEY_ID: z.string().min(1).optional(),
  SMS_ACCESS_KEY_SECRET: z.string().min(8, "must be at least 8 characters").optional(),
  /** The approved signature, shown as 【…】 before every message. */
  SMS_SIGN_NAME: z.string().min(2).max(12).optional(),
  /** Approved template codes: a notice (${event} ${title}) and a verification code (${code}). */
  SMS_TEMPLATE_NOTICE: z.string().min(1).optional(),
  SMS_TEMPLATE_CODE: z.string().min(1).optional(),
  /** Key of the signed unsubscribe links (at least 32 characters). Unset: one made on first use and kept in the database. */
  MESSAGE_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Attempts before a delivery is dead-lettered. */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  /** The font of PDFs (service records): a CJK OpenType file or collection, and the font's PostScript name within a collection. */
  PDF_FONT: z.string().default("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
  PDF_FONT_NAME: z.string().default("NotoSansCJKsc-Regular"),
  /** Browser tests only: POST /__test/clock moves the server's clock forward (ADR 0025). Demo mode only. */
  TEST_CLOCK: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => v === "true" || v === "1"),
}).superRefine((c, ctx) => {
  if (c.REALTIME_ADAPTER === "postgres" && !c.DATABASE_URL)
    ctx.addIssue({ code: "custom", path: ["REALTIME_ADAPTER"], message: "postgres needs DATABASE_URL (the embedded database serves one node)" });
  if (c.REALTIME_ADAPTER === "redis" && !c.REDIS_URL) ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "required when REALTIME_ADAPTER=redis" });
  if (c.TEST_CLOCK && !(c.DEMO ?? !c.DATABASE_URL)) ctx.addIssue({ code: "custom", path: ["TEST_CLOCK"], message: "only allowed in demo mode (DEMO=true)" });
  if (c.SMS_PROVIDER !== "cloud") return;
  for (const key of ["SMS_ENDPOINT", "SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME", "SMS_TEMPLATE_NOTICE", "SMS_TEMPLATE_CODE"] as const) {
    if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when SMS_PROVIDER=cloud" });
  }
});

export type SmsConfig =
  | { provider: "log" }
  | {
      provider: "cloud";
      endpoint: string;
      accessKeyId: string;
      accessKeySecret: string;
      signName: string;
      noticeTemplate: string;
      codeTemplate: string;
    };

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  baseUrl: string | undefined;
  defaultLocale: "zh-CN" | "en";
  timeZone: string;
  demo: boolean;
  realtimeAdapter: "memory" | "postgres" | "redis";
  /** REALTIME_ADAPTER=redis: the server, and the prefix of its stream and channels. */
  redis: { url: string; prefix: string } | undefined;
  logLevel: "silent" | "error" | "info" | "debug";
  pageCacheMs: number;
  /** Unset: emails go to the log adapter. */
  smtpUrl: string | undefined;
  mailFrom: string;
  sms: SmsConfig;
  messageSecret: string | undefined;
  deliveryMaxAttempts: number;
  /** Browser tests may move the clock forward (ADR 0025). */
  testClock: boolean;
  /** The CJK font PDFs are set in (a file, and a PostScript name when the file is a collection). */
  pdfFont: { file: string; name: string };
};

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration — ${lines.join("; ")}`);
  }
  const c = result.data;
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.DATA_DIR,
    baseUrl: c.BASE_URL,
    defaultLocale: c.DEFAULT_LOCALE,
    timeZone: c.TIME_ZONE,
    // The embedded database is the demo by default; a real server is not, unless asked.
    demo: c.DEMO ?? !c.DATABASE_URL,
    realtimeAdapter: c.REALTIME_ADAPTER ?? (c.DATABASE_URL ? "postgres" : "memory"),
    redis: c.REALTIME_ADAPTER === "redis" ? { url: c.REDIS_URL!, prefix: c.REDIS_PREFIX } : undefined,
    logLevel: c.LOG_LEVEL,
    pageCacheMs: c.PAGE_CACHE_MS,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    sms:
      c.SMS_PROVIDER === "cloud"
        ? {
            provider: "cloud",
            endpoint: c.SMS_ENDPOINT!,
            accessKeyId: c.SMS_ACCESS_KEY_ID!,
            accessKeySecret: c.SMS_ACCESS_KEY_SECRET!,
            signName: c.SMS_SIGN_NAME!,
            noticeTemplate: c.SMS_TEMPLATE_NOTICE!,
            codeTemplate: c.SMS_TEMPLATE_CODE!,
          }
        : { provider: "log" },
    messageSecret: c.MESSAGE_SECRET,
    deliveryMaxAttempts: c.DELIVERY_MAX_ATTEMPTS,
    testClock: c.TEST_CLOCK,
    pdfFont: { file: c.PDF_FONT, name: c.PDF_FONT_NAME },
  };
}

const globalForConfig = globalThis as unknown as { __gongzhiConfig?: Config };

/** The process configuration, parsed on first use and cached. */
export function config(): Config {
  globalForConfig.__gongzhiConfig ??= parseConfig(process.env);
  return globalForConfig.__gongzhiConfig;
}

/** What the browser may see: a whitelist, never secrets. */
export function publicConfig() {
  const c = config();
  return { defaultLocale: c.defaultLocale, timeZone: c.timeZone, demo: c.demo };
}
