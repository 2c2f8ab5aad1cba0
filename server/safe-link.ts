// Links staff type (rubric evidence): only an http(s) address or a path on this site. Checked when
// a link is stored and again when one is shown, so a link stored before this check never becomes
// a live href.

/**
 * Whether `link` may be an href: `https://…`/`http://…` with a host, or a path starting with a
 * single "/". Refused: other schemes (javascript:, data:), "//host" and "/\host" (browsers read
 * both as another site), and any whitespace, control character or backslash (browsers drop tabs
 * and newlines inside an address, so "/\t/host" would become "//host").
 */
export function isSafeLink(link: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (link === "" || /[\s\u0000-\u001f\u007f\\]/.test(link)) return false;
  if (link.startsWith("/")) return !link.startsWith("//");
  if (!/^https?:\/\//i.test(link)) return false;
  try {
    const url = new URL(link);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}
