// The kiosk set-up page: what this device still holds in its outbox, and what staff can do about it.
// Refused responses are listed by when and why, never by their answers.
(() => {
  const section = document.getElementById("kiosk-setup-outbox");
  if (!section || !window.OpenDoorOutbox) return;
  const $ = (id) => document.getElementById(id);
  const message = $("outbox-message");

  function render({ pending, rejected }) {
    section.hidden = pending === 0 && rejected === 0 && !message.textContent;
    $("outbox-waiting").textContent = String(pending);
    $("outbox-rejected").textContent = String(rejected);
    $("outbox-send").hidden = pending === 0;
    $("outbox-retry").hidden = rejected === 0;
    $("outbox-discard").hidden = rejected === 0;
    const list = $("outbox-rejected-list");
    list.replaceChildren(
      ...outbox.rejected().map((entry) => {
        const item = document.createElement("li");
        const reasons = (entry.details || []).map((d) => `${d.question}: ${d.message}`).join("; ");
        item.textContent = `${entry.rejectedAt?.slice(0, 16).replace("T", " ")} · HTTP ${entry.status} · ${entry.error}${reasons ? ` (${reasons})` : ""}`;
        return item;
      }),
    );
  }

  const outbox = window.OpenDoorOutbox.create({
    scope: section.dataset.base, // this library's responses; other libraries' are sent, not shown
    retryMaxMs: 10000,
    onChange: render,
    onResult(_id, result) {
      if (result !== "sent" || outbox.counts().pending > 0) return;
      message.textContent = message.dataset.sent;
      render(outbox.counts());
    },
  });

  $("outbox-send").addEventListener("click", () => outbox.flush());
  $("outbox-retry").addEventListener("click", () => outbox.retryRejected());
  $("outbox-discard").addEventListener("click", () => outbox.discardRejected());
  outbox.start();
})();
