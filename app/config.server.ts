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
  /** Realtime fan-out between nodes: memory (one node) or postgres (several nodes, one database). */
  REALTIME_ADAPTER: z.enum(["memory", "postgres"]).optional(),
  LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
  /** How long a visitor's copy of a busy public page may be reused (ms; 0 turns the page cache off). */
  PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
});

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
  realtimeAdapter: "memory" | "postgres";
  logLevel: "silent" | "error" | "info" | "debug";
  pageCacheMs: number;
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
    logLevel: c.LOG_LEVEL,
    pageCacheMs: c.PAGE_CACHE_MS,
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
