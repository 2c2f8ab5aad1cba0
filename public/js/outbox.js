// The outbox: completed responses are written to this device's storage *before* they are sent,
// and leave it only when the server has acknowledged them. Shared by the public link and the kiosk.
//
// Sending rules (the server stores a response id once, so resending is always safe):
// - 201 (stored) or 200 (already stored): removed from the outbox.
// - no answer (offline, server down, timeout), 5xx, 408 or 429: kept, tried again with exponential
//   backoff (2 s, 4 s, 8 s … up to retryMaxMs, with jitter; a Retry-After header is honoured), and
//   at once when the browser comes back online or the page becomes visible.
// - any other 4xx (400 invalid, 403, 404 unknown survey, 409, 410 closed, 413 too large, 415): the
//   server will never accept it, so it is moved aside to the "rejected" list and not retried, so a
//   kiosk never loops forever. Staff can see, retry or delete those on the kiosk set-up page.
//
// Each entry keeps the address it was answered for (/api/… or /l/<library>/api/…), so a tablet that
// moves between the libraries of a consortium still delivers every response to its own library:
// every page sends everything waiting, and a page with a `scope` counts, lists, retries and
// discards only its own library's entries.
((root) => {
  const PENDING_KEY = "opendoor.outbox.pending";
  const REJECTED_KEY = "opendoor.outbox.rejected";
  const LOCK_NAME = "opendoor-outbox";
  const SEND_TIMEOUT_MS = 30000;

  /** A version 4 UUID; crypto.randomUUID needs HTTPS, getRandomValues does not (branch networks). */
  function newId() {
    const bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  const isStored = (status) => status === 200 || status === 201;
  /** 4xx means "this request will never work", except 408 (timeout) and 429 (slow down). */
  const isPermanent = (status) => status >= 400 && status < 500 && status !== 408 && status !== 429;

  /** Retry-After is either seconds or an HTTP date. */
  function retryAfterMs(value, now) {
    if (!value) return 0;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isFinite(date) ? Math.max(0, date - now) : 0;
  }

  function defaultStorage() {
    try {
      return root.localStorage;
    } catch {
      return undefined; // storage blocked by the browser's settings
    }
  }

  /**
   * options: storage, fetch, setTimeout, clearTimeout, now, random, locks (all default to the
   * browser's), retryBaseMs (2000), retryMaxMs (60000), onChange({pending, rejected}),
   * onResult(id, "sent" | "retrying" | "rejected"), scope ("" or "/l/<library>": the library
   * whose entries counts, pending, rejected, retryRejected and discardRejected see; all if unset).
   */
  function create(options = {}) {
    const storage = options.storage || defaultStorage();
    const send = options.fetch || ((...args) => root.fetch(...args));
    const setTimer = options.setTimeout || ((fn, ms) => root.setTimeout(fn, ms));
    const clearTimer = options.clearTimeout || ((id) => root.clearTimeout(id));
    const now = options.now || (() => Date.now());
    const random = options.random || Math.random;
    const locks = "locks" in options ? options.locks : root.navigator?.locks;
    const retryMaxMs = options.retryMaxMs ?? 60000;
    const retryBaseMs = Math.min(options.retryBaseMs ?? 2000, retryMaxMs);
    const onChange = options.onChange || (() => {});
    const onResult = options.onResult || (() => {});
    const scope = options.scope;
    const inScope = (entry) =>
      typeof scope !== "string" ||
      (typeof entry.url === "string" && entry.url.startsWith(`${scope}/api/`));

    /** Used only when the browser refuses storage: better to send than to lose the answers. */
    const volatile = { [PENDING_KEY]: [], [REJECTED_KEY]: [] };
    let durable = true;
    let failures = 0;
    let timer = null;
    let running = null;
    let again = false;

    function read(key) {
      try {
        const list = JSON.parse(storage.getItem(key) || "[]");
        return Array.isArray(list) ? list.concat(volatile[key]) : volatile[key].slice();
      } catch {
        return volatile[key].slice();
      }
    }

    function write(key, list) {
      try {
        if (list.length) storage.setItem(key, JSON.stringify(list));
        else storage.removeItem(key);
        volatile[key] = [];
        return true;
      } catch {
        volatile[key] = list;
        return false;
      }
    }

    function counts() {
      return {
        pending: read(PENDING_KEY).filter(inScope).length,
        rejected: read(REJECTED_KEY).filter(inScope).length,
      };
    }

    function changed() {
      onChange(counts());
    }

    function update(key, change) {
      write(key, change(read(key)));
    }

    /** Keeps the response on this device, then tries to send it (the promise settles after that try). */
    function add(url, body) {
      const entry = { id: body.id, url, body, queuedAt: new Date(now()).toISOString() };
      const pending = read(PENDING_KEY).filter((e) => e.id !== entry.id);
      pending.push(entry);
      durable = write(PENDING_KEY, pending);
      changed();
      return flush();
    }

    async function attempt(entry) {
      let response;
      try {
        response = await send(entry.url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(entry.body),
          credentials: "same-origin",
          cache: "no-store",
          signal: root.AbortSignal?.timeout ? root.AbortSignal.timeout(SEND_TIMEOUT_MS) : undefined,
        });
      } catch {
        return { kind: "retry", status: 0 };
      }
      const status = response.status;
      if (isStored(status)) return { kind: "sent", status };
      if (isPermanent(status)) {
        let error = "";
        let details = [];
        try {
          const json = await response.json();
          error = String(json.error || "");
          details = Array.isArray(json.details) ? json.details : [];
        } catch {
          // not JSON: the status says enough
        }
        return { kind: "rejected", status, error, details };
      }
      return {
        kind: "retry",
        status,
        waitMs: retryAfterMs(response.headers?.get?.("Retry-After"), now()),
      };
    }

    function backoffMs() {
      const exponential = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, failures - 1));
      return exponential / 2 + (random() * exponential) / 2;
    }

    function schedule(waitMs) {
      clearTimer(timer);
      timer = setTimer(
        () => {
          timer = null;
          flush();
        },
        Math.max(backoffMs(), waitMs || 0),
      );
    }

    /** Sends entries in order until none is left ("done") or the server cannot take one ("waiting"). */
    async function pass() {
      const tried = new Set();
      for (;;) {
        const entry = read(PENDING_KEY).find((e) => !tried.has(e.id));
        if (!entry) return "done";
        tried.add(entry.id);
        const outcome = await attempt(entry);
        if (outcome.kind === "sent") {
          failures = 0;
          update(PENDING_KEY, (list) => list.filter((e) => e.id !== entry.id));
          changed();
          onResult(entry.id, "sent");
          continue;
        }
        if (outcome.kind === "rejected") {
          update(REJECTED_KEY, (list) =>
            list
              .filter((e) => e.id !== entry.id)
              .concat({
                ...entry,
                status: outcome.status,
                error: outcome.error,
                details: outcome.details,
                rejectedAt: new Date(now()).toISOString(),
              }),
          );
          update(PENDING_KEY, (list) => list.filter((e) => e.id !== entry.id));
          changed();
          onResult(entry.id, "rejected");
          continue;
        }
        // Unreachable or unwell: wait. A response the server chokes on (5xx) goes to the back of
        // the queue so it cannot hold up the others forever.
        failures += 1;
        if (outcome.status >= 500) {
          update(PENDING_KEY, (list) =>
            list.filter((e) => e.id !== entry.id).concat(list.filter((e) => e.id === entry.id)),
          );
        }
        onResult(entry.id, "retrying");
        schedule(outcome.waitMs);
        return "waiting";
      }
    }

    /**
     * Sends what is waiting. Tabs take turns (Web Locks) so two pages do not send the same entry.
     * A call during a pass is folded into it; if that pass ended with everything sent, one more pass
     * picks up what arrived at its very end (after a failure the scheduled retry does that).
     */
    function flush() {
      if (running) {
        again = true;
        return running;
      }
      clearTimer(timer);
      timer = null;
      const run = () => pass();
      running = (locks ? locks.request(LOCK_NAME, run) : run())
        .catch(() => {
          schedule(0);
          return "waiting";
        })
        .then((result) => {
          running = null;
          const followUp = again && result === "done";
          again = false;
          return followUp ? flush() : undefined;
        });
      return running;
    }

    function retryRejected() {
      const rejected = read(REJECTED_KEY).filter(inScope);
      update(PENDING_KEY, (list) =>
        list.concat(
          rejected
            .filter((r) => !list.some((e) => e.id === r.id))
            .map(({ id, url, body, queuedAt }) => ({ id, url, body, queuedAt })),
        ),
      );
      update(REJECTED_KEY, (list) => list.filter((e) => !inScope(e)));
      changed();
      return flush();
    }

    function discardRejected() {
      update(REJECTED_KEY, (list) => list.filter((e) => !inScope(e)));
      changed();
    }

    return {
      add,
      flush,
      /** False when the browser refused storage: responses are then only kept while the page is open. */
      get durable() {
        return durable;
      },
      counts,
      pending: () => read(PENDING_KEY).filter(inScope),
      rejected: () => read(REJECTED_KEY).filter(inScope),
      retryRejected,
      discardRejected,
      /** Starts sending and keeps at it: online again, page visible again, another tab's changes. */
      start() {
        root.addEventListener?.("online", () => flush());
        root.document?.addEventListener?.("visibilitychange", () => {
          if (root.document.visibilityState === "visible") flush();
        });
        root.addEventListener?.("storage", (event) => {
          if (event.key === PENDING_KEY || event.key === REJECTED_KEY) changed();
        });
        changed();
        return flush();
      },
    };
  }

  root.OpenDoorOutbox = { create, newId, isPermanent, PENDING_KEY, REJECTED_KEY };
})(typeof window === "undefined" ? globalThis : window);
