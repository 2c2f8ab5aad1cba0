// public/js/outbox.js, run as the browser runs it (a classic script), with an in-memory
// Storage, a scripted fetch and hand-driven timers. The real-browser path is in test/browser.
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";

const SOURCE = readFileSync(path.join(ROOT_DIR, "public", "js", "outbox.js"), "utf8");
const URL_ = "/api/surveys/community-needs/responses";

interface Entry {
  id: string;
  url: string;
  body: { id: string };
  status?: number;
  error?: string;
  details?: unknown[];
}

interface Outbox {
  add(url: string, body: object): Promise<void>;
  readonly durable: boolean;
  flush(): Promise<void>;
  start(): Promise<void>;
  counts(): { pending: number; rejected: number };
  pending(): Entry[];
  rejected(): Entry[];
  retryRejected(): Promise<void>;
  discardRejected(): void;
}

interface OutboxModule {
  create(options: object): Outbox;
  newId(): string;
  PENDING_KEY: string;
}

function loadModule(): OutboxModule {
  const context = vm.createContext({ crypto: globalThis.crypto });
  vm.runInContext(SOURCE, context, { filename: "outbox.js" });
  return (context as { OpenDoorOutbox: OutboxModule }).OpenDoorOutbox;
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

type Reply = number | { status: number; body?: object; retryAfter?: string } | "offline";

/** An outbox whose server answers with `replies` in turn, and whose timers run when told to. */
function harness(
  replies: Reply[],
  options: { storage?: MemoryStorage; retryMaxMs?: number; scope?: string } = {},
) {
  const storage = options.storage ?? new MemoryStorage();
  const sent: { id: string; storedWhenSent: boolean }[] = [];
  /** The address each attempt went to, in order. */
  const urls: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const results: [string, string][] = [];
  const changes: { pending: number; rejected: number }[] = [];
  const module = loadModule();
  const outbox = module.create({
    storage,
    locks: null,
    random: () => 1, // no jitter: the full exponential delay
    retryMaxMs: options.retryMaxMs,
    scope: options.scope,
    setTimeout: (fn: () => void, ms: number) => timers.push({ fn, ms }),
    clearTimeout: () => {},
    onResult: (id: string, result: string) => results.push([id, result]),
    onChange: (counts: { pending: number; rejected: number }) => changes.push({ ...counts }),
    fetch: async (url: string, init: { body: string }) => {
      const { id } = JSON.parse(init.body);
      urls.push(url);
      sent.push({ id, storedWhenSent: (storage.getItem(module.PENDING_KEY) ?? "").includes(id) });
      const reply = replies.shift() ?? "offline";
      if (reply === "offline") throw new TypeError("Failed to fetch");
      const { status, body, retryAfter } = typeof reply === "number" ? { status: reply } : reply;
      return {
        status,
        headers: { get: (name: string) => (name === "Retry-After" ? (retryAfter ?? null) : null) },
        json: async () => body ?? {},
      };
    },
  });
  /** Runs the most recently scheduled retry and waits for it to finish. */
  const runTimer = async () => {
    const timer = timers.pop();
    if (!timer) throw new Error("no retry was scheduled");
    timer.fn();
    await outbox.flush();
  };
  return { outbox, module, storage, sent, urls, timers, results, changes, runTimer };
}

const body = (id: string) => ({ id, language: "en", channel: "kiosk", data: { q: 1 } });

describe("the outbox", () => {
  it("writes a response to storage before it sends it, and removes it on 201", async () => {
    const h = harness([201]);
    await h.outbox.add(URL_, body("a"));
    expect(h.outbox.durable).toBe(true);
    expect(h.sent).toEqual([{ id: "a", storedWhenSent: true }]);
    expect(h.outbox.counts()).toEqual({ pending: 0, rejected: 0 });
    expect(h.storage.items.size).toBe(0);
    expect(h.results).toEqual([["a", "sent"]]);
  });

  it("counts a 200 (already stored) as delivered", async () => {
    const h = harness([200]);
    await h.outbox.add(URL_, body("a"));
    expect(h.outbox.counts().pending).toBe(0);
    expect(h.timers).toHaveLength(0);
  });

  it("keeps the response and retries with growing delays while offline, on 5xx, 408 and 429", async () => {
    const h = harness(["offline", 503, 408, { status: 429, retryAfter: "30" }, 201]);
    await h.outbox.add(URL_, body("a"));
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      expect(h.outbox.counts().pending).toBe(1);
      delays.push(h.timers.at(-1)?.ms ?? -1);
      await h.runTimer();
    }
    // 2 s, 4 s, 8 s, then the server's Retry-After (30 s) beats 16 s.
    expect(delays).toEqual([2000, 4000, 8000, 30000]);
    expect(h.outbox.counts().pending).toBe(0);
    expect(h.sent).toHaveLength(5);
    expect(h.results.map(([, r]) => r)).toEqual([
      "retrying",
      "retrying",
      "retrying",
      "retrying",
      "sent",
    ]);
  });

  it("never waits longer than retryMaxMs between attempts", async () => {
    const h = harness(Array(8).fill("offline"), { retryMaxMs: 5000 });
    await h.outbox.add(URL_, body("a"));
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      delays.push(h.timers.at(-1)?.ms ?? -1);
      await h.runTimer();
    }
    expect(delays).toEqual([2000, 4000, 5000, 5000, 5000, 5000]);
  });

  for (const status of [400, 403, 404, 409, 410, 413, 415]) {
    it(`moves a response refused with ${status} aside, stops retrying it, and sends the next`, async () => {
      const refusal = {
        status,
        body: { error: "Some answers are invalid", details: [{ question: "q", message: "bad" }] },
      };
      const h = harness([refusal, 201]);
      h.outbox.add(URL_, body("refused"));
      await h.outbox.add(URL_, body("fine"));
      expect(h.outbox.pending()).toEqual([]);
      const [rejected] = h.outbox.rejected();
      expect(rejected).toMatchObject({
        id: "refused",
        status,
        error: "Some answers are invalid",
        details: [{ question: "q", message: "bad" }],
      });
      expect(h.timers).toHaveLength(0);
      expect(h.results).toEqual([
        ["refused", "rejected"],
        ["fine", "sent"],
      ]);
      expect(h.changes.at(-1)).toEqual({ pending: 0, rejected: 1 });
    });
  }

  it("sends what an earlier page left behind (a reload or a browser restart)", async () => {
    const storage = new MemoryStorage();
    const before = harness(["offline"], { storage });
    await before.outbox.add(URL_, body("left-behind"));
    expect(before.outbox.counts().pending).toBe(1);

    const after = harness([201], { storage });
    await after.outbox.start();
    expect(after.sent.map((s) => s.id)).toEqual(["left-behind"]);
    expect(storage.items.size).toBe(0);
  });

  it("puts a response the server fails on (5xx) behind the others", async () => {
    const h = harness([500, 201, 201]);
    h.outbox.add(URL_, body("troubled"));
    await h.outbox.add(URL_, body("fine"));
    expect(h.outbox.pending().map((e) => e.id)).toEqual(["fine", "troubled"]);
    await h.runTimer();
    expect(h.sent.map((s) => s.id)).toEqual(["troubled", "fine", "troubled"]);
    expect(h.outbox.counts().pending).toBe(0);
  });

  it("sends a response once when it is flushed twice at the same time", async () => {
    const h = harness([201]);
    h.outbox.add(URL_, body("a"));
    await Promise.all([h.outbox.flush(), h.outbox.flush(), h.outbox.flush()]);
    expect(h.sent.map((s) => s.id)).toEqual(["a"]);
  });

  it("replaces, not duplicates, a response added again with the same id", async () => {
    const h = harness(["offline"]);
    h.outbox.add(URL_, body("a"));
    await h.outbox.add(URL_, body("a"));
    expect(h.outbox.pending()).toHaveLength(1);
  });

  it("lets staff retry or delete refused responses", async () => {
    const h = harness([410, 410, 201, 201]);
    h.outbox.add(URL_, body("a"));
    await h.outbox.add(URL_, body("b"));
    expect(h.outbox.counts()).toEqual({ pending: 0, rejected: 2 });
    await h.outbox.retryRejected();
    expect(h.outbox.counts()).toEqual({ pending: 0, rejected: 0 });
    expect(h.sent.map((s) => s.id)).toEqual(["a", "b", "a", "b"]);

    const g = harness([400]);
    await g.outbox.add(URL_, body("c"));
    g.outbox.discardRejected();
    expect(g.outbox.counts()).toEqual({ pending: 0, rejected: 0 });
    expect(g.storage.items.size).toBe(0);
  });

  it("still sends when the browser refuses storage, and says the copy is not durable", async () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    const h = harness([201], { storage });
    await h.outbox.add(URL_, body("a"));
    expect(h.outbox.durable).toBe(false);
    expect(h.sent.map((s) => s.id)).toEqual(["a"]);
    expect(h.outbox.counts().pending).toBe(0);
  });

  it("makes version 4 UUIDs, which the server requires", () => {
    const { newId } = loadModule();
    const ids = new Set(Array.from({ length: 100 }, () => newId()));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

// A tablet moving between the libraries of a consortium (issue 23): one outbox on the device, each
// response delivered to the library it was answered for, each library's pages managing their own.
describe("the outbox on a tablet shared by libraries", () => {
  const BRANCH_URL = "/l/branch/api/surveys/community-needs/responses";

  it("sends each waiting response to its own library's address, whichever library's page sends", async () => {
    const storage = new MemoryStorage();
    const answeredOnBranch = harness(["offline"], { storage, scope: "/l/branch" });
    await answeredOnBranch.outbox.add(BRANCH_URL, body("b"));
    const answeredOnDefault = harness(["offline"], { storage, scope: "" });
    await answeredOnDefault.outbox.add(URL_, body("a"));
    // Back online on a page of the default library: both go out, each to its own library.
    const later = harness([201, 201], { storage, scope: "" });
    await later.outbox.start();
    expect(later.sent.map((s, i) => [s.id, later.urls[i]]).sort()).toEqual([
      ["a", URL_],
      ["b", BRANCH_URL],
    ]);
    expect(storage.items.size).toBe(0);
  });

  it("counts, lists, retries and discards only the page's own library's responses", async () => {
    const storage = new MemoryStorage();
    const entry = (id: string, url: string) => ({ id, url, body: body(id), queuedAt: "" });
    const refused = (id: string, url: string) => ({ ...entry(id, url), status: 400, error: "" });
    storage.setItem(
      "opendoor.outbox.pending",
      JSON.stringify([entry("b-waiting", BRANCH_URL), entry("a-waiting", URL_)]),
    );
    storage.setItem(
      "opendoor.outbox.rejected",
      JSON.stringify([refused("b-refused", BRANCH_URL), refused("a-refused", URL_)]),
    );
    const branch = harness([], { storage, scope: "/l/branch" });
    const home = harness([], { storage, scope: "" });

    expect(branch.outbox.counts()).toEqual({ pending: 1, rejected: 1 });
    expect(home.outbox.counts()).toEqual({ pending: 1, rejected: 1 });
    expect(home.outbox.rejected().map((e) => e.id)).toEqual(["a-refused"]);
    expect(branch.outbox.pending().map((e) => e.id)).toEqual(["b-waiting"]);
    // Without a scope (as before libraries), everything on the device.
    expect(harness([], { storage }).outbox.counts()).toEqual({ pending: 2, rejected: 2 });

    home.outbox.discardRejected();
    expect(branch.outbox.rejected().map((e) => e.id)).toEqual(["b-refused"]);
    expect(home.outbox.counts().rejected).toBe(0);

    const retried = harness([201, 201, 201], { storage, scope: "/l/branch" });
    await retried.outbox.retryRejected();
    const delivered = retried.sent.map((s, i) => [s.id, retried.urls[i]]);
    expect(delivered.sort()).toEqual(
      [
        ["a-waiting", URL_],
        ["b-refused", BRANCH_URL],
        ["b-waiting", BRANCH_URL],
      ].sort(),
    );
    expect(harness([], { storage }).outbox.counts()).toEqual({ pending: 0, rejected: 0 });
  });
});
