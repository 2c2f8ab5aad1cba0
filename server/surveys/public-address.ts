// The address the public reaches a library's pages at (for links, flyers and QR codes), and
// whether it would reach them at all. With PUBLIC_URL unset, links are made from the address the
// staff member is using; when that is this computer (localhost) or a private network address,
// nobody outside can open them.
import { isIP } from "node:net";
import { isDefaultLibrary, type Library } from "../queries/libraries.ts";

/** Where a library's public pages are: the default library keeps the unprefixed URLs. */
export function libraryPath(library: Pick<Library, "id" | "slug">): string {
  return isDefaultLibrary(library) ? "" : `/l/${library.slug}`;
}

/**
 * The start of every public address of `library` (no trailing slash): PUBLIC_URL when set, else
 * the origin the staff member is using, then the library's path.
 */
export function publicBase(
  publicUrl: string | undefined,
  origin: string,
  library: Pick<Library, "id" | "slug">,
): string {
  return `${publicUrl ?? origin}${libraryPath(library)}`;
}

/** The host part of a Host header ("[::1]:3000" → "::1", "example.org:80" → "example.org"). */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(host);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  return (isIP(host) === 6 ? host : (host.split(":")[0] ?? "")).toLowerCase();
}

function isPrivateAddress(name: string): boolean {
  if (isIP(name) === 4) {
    const [a = 0, b = 0] = name.split(".").map(Number);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      a === 0
    );
  }
  if (isIP(name) === 6) {
    return name === "::1" || name === "::" || /^f[cd]/.test(name) || /^fe[89ab]/.test(name);
  }
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name.endsWith(".local") ||
    name.endsWith(".internal") ||
    name.endsWith(".lan") ||
    !name.includes(".")
  );
}

/**
 * The host the public could not reach, when links are made from it (PUBLIC_URL unset and the
 * request came to localhost, a private address or a bare machine name); null when they would work.
 */
export function unreachableHost(
  publicUrl: string | undefined,
  host: string | undefined,
): string | null {
  if (publicUrl || !host) return null;
  return isPrivateAddress(hostName(host)) ? hostName(host) : null;
}
