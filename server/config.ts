// The only reader of process.env. Everything else receives a Config.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type DatabaseConfig =
  /** folderMustExist: DATABASE_URL named the file, so a missing folder is a mistake, not a first run. */
  | { client: "sqlite3"; filename: string; folderMustExist?: boolean }
  | { client: "pg"; connectionString: string };

export interface Config {
  env: "production" | "development" | "test";
  port: number;
  database: DatabaseConfig;
  dataDir: string;
  /** The default library's survey files; other libraries' are in its `libraries/<slug>` folder. */
  surveysDir: string;
  /** The consortium's standard surveys, which libraries adopt (default `<surveysDir>/standard`). */
  standardSurveysDir: string;
  sessionSecret: string;
  suppressBelow: number;
  /** Express `trust proxy`: false, a hop count, or a list of proxy addresses/subnets. */
  trustProxy: false | number | string[];
  loadDemo: boolean;
  /** Survey submissions accepted per minute from one address (0 = no limit). */
  submitRateLimit: number;
  /** Responses the server keeps parsed in memory for the staff pages, over all surveys (0 = none). */
  resultsCacheResponses: number;
  kiosk: KioskConfig;
  staff: StaffConfig;
}

export interface StaffConfig {
  /** Staff sessions end after this many minutes without a request. */
  sessionIdleMinutes: number;
  /** Session and CSRF cookies: "auto" marks them Secure when the request came over HTTPS. */
  cookieSecure: boolean | "auto";
  /** Failed staff logins allowed in 15 minutes, per account and per address. */
  loginLimitPerAccount: number;
  loginLimitPerAddress: number;
  /** Largest file the staff import page accepts, in megabytes. */
  uploadMaxMb: number;
  /**
   * The address patrons reach Open Door at (https://survey.library.org), for QR codes and flyers;
   * unset, the address the staff member is using is taken.
   */
  publicUrl?: string;
}

export interface KioskConfig {
  /** JSON file listing the initial kiosk locations, added once each when missing. */
  locationsFile: string;
  /** The exit PIN stored (hashed) when no PIN has been set yet. */
  initialPin?: string;
  /** Seconds the thank-you screen shows before the start screen returns. */
  resetSeconds: number;
  /** Seconds without a touch or key before "Are you still there?". */
  idleSeconds: number;
  /** Seconds the prompt waits before the partial answers are discarded. */
  idleGraceSeconds: number;
}

const envSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().optional(),
  SURVEYS_DIR: z.string().optional(),
  STANDARD_SURVEYS_DIR: z.string().optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  SUPPRESS_BELOW: z.coerce.number().int().min(1).max(1000).default(10),
  TRUST_PROXY: z.string().optional(),
  DEMO: z.enum(["0", "1"]).default("1"),
  SUBMIT_RATE_LIMIT: z.coerce.number().int().min(0).default(300),
  RESULTS_CACHE_RESPONSES: z.coerce.number().int().min(0).default(200_000),
  KIOSKS_FILE: z.string().optional(),
  KIOSK_PIN: z
    .string()
    .regex(/^\d{4,12}$/, "KIOSK_PIN must be 4 to 12 digits")
    .optional(),
  KIOSK_RESET_SECONDS: z.coerce.number().min(1).max(600).default(10),
  KIOSK_IDLE_SECONDS: z.coerce.number().min(5).max(3600).default(90),
  KIOSK_IDLE_GRACE_SECONDS: z.coerce.number().min(5).max(600).default(20),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10080).default(480),
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(10240).default(500),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: "PUBLIC_URL must be an http:// or https:// address" })
    .optional(),
});

/**
 * DEBUG (any value but empty or 0): errors that end the server or a command also print their stack.
 * Read on its own, since loading the rest of the configuration may be what failed.
 */
export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DEBUG) && env.DEBUG !== "0";
}

/** `postgres://` URLs go to PostgreSQL; a plain path, `sqlite:` or `file:` URL is a SQLite file. */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { client: "sqlite3", filename: path.join(dataDir, "opendoor.sqlite") };
  if (/^postgres(ql)?:\/\//.test(url)) return { client: "pg", connectionString: url };
  if (url === ":memory:") return { client: "sqlite3", filename: ":memory:" };
  if (url.startsWith("file:"))
    return { client: "sqlite3", filename: fileURLToPath(url), folderMustExist: true };
  const filename = url.replace(/^sqlite:(\/\/)?/, "");
  return { client: "sqlite3", filename: path.resolve(filename), folderMustExist: true };
}

/** Names Express (proxy-addr) accepts for groups of private addresses. */
const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const version = isIP(address);
  if (!version || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d+$/.test(prefix)) return Number(prefix) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(prefix) === 4; // a netmask such as 255.255.255.0
}

/**
 * `true` would believe any client's X-Forwarded-For, so every per-address limit could be walked
 * around by inventing addresses: only a hop count or the proxies' own addresses are accepted.
 */
export function parseTrustProxy(value: string | undefined): false | number | string[] {
  const text = value?.trim() ?? "";
  if (text === "" || text === "false" || text === "0") return false;
  if (text === "true") {
    throw new Error(
      "Invalid configuration:\n  TRUST_PROXY: `true` would let any client choose its own address. Set the number of proxies in front of Open Door (TRUST_PROXY=1 for one reverse proxy) or their addresses (TRUST_PROXY=10.0.0.5 or 10.0.0.0/24,loopback).",
    );
  }
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(",").map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !isProxyAddress(entry));
  if (wrong.length > 0) {
    throw new Error(
      `Invalid configuration:\n  TRUST_PROXY: "${wrong.join('", "')}" is not a hop count, an IP address, a subnet (10.0.0.0/8) or one of ${PROXY_NAMES.join(", ")}`,
    );
  }
  return entries;
}

/** Outside production a secret is generated once and kept in the data folder, so logins survive restarts. */
function localSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR ?? path.join(ROOT_DIR, "data"));
  const surveysDir = path.resolve(e.SURVEYS_DIR ?? path.join(ROOT_DIR, "surveys"));
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new Error("Invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    database: parseDatabaseUrl(e.DATABASE_URL, dataDir),
    dataDir,
    surveysDir,
    standardSurveysDir: path.resolve(e.STANDARD_SURVEYS_DIR ?? path.join(surveysDir, "standard")),
    sessionSecret: e.SESSION_SECRET ?? localSessionSecret(dataDir),
    suppressBelow: e.SUPPRESS_BELOW,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    loadDemo: e.DEMO === "1",
    submitRateLimit: e.SUBMIT_RATE_LIMIT,
    resultsCacheResponses: e.RESULTS_CACHE_RESPONSES,
    kiosk: {
      locationsFile: path.resolve(e.KIOSKS_FILE ?? path.join(ROOT_DIR, "db", "kiosks.json")),
      initialPin: e.KIOSK_PIN,
      resetSeconds: e.KIOSK_RESET_SECONDS,
      idleSeconds: e.KIOSK_IDLE_SECONDS,
      idleGraceSeconds: e.KIOSK_IDLE_GRACE_SECONDS,
    },
    staff: {
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      cookieSecure: e.COOKIE_SECURE === "auto" ? "auto" : e.COOKIE_SECURE === "true",
      loginLimitPerAccount: e.LOGIN_LIMIT_PER_ACCOUNT,
      loginLimitPerAddress: e.LOGIN_LIMIT_PER_ADDRESS,
      uploadMaxMb: e.UPLOAD_MAX_MB,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
    },
  };
}
