// The kiosk's "this survey is closed" screen: once a minute, asks whether the survey is open
// again and, if so, reloads into it, so the tablet never needs a person to bring it back.
(() => {
  const { slug, base = "" } = document.getElementById("kiosk")?.dataset ?? {};
  if (!slug) return;
  setInterval(async () => {
    try {
      const reply = await fetch(`${base}/api/surveys/${encodeURIComponent(slug)}`, {
        cache: "no-store",
      });
      if (reply.ok && (await reply.json()).status === "open") window.location.reload();
    } catch {
      // offline: try again next minute
    }
  }, 60_000);
})();
