// A staff member's browser for the benches that time pages and downloads over HTTP: cookies kept
// between requests, no redirects followed, and a login through the form as a person would (the
// form's CSRF token and cookie, then the session cookie).

/** Requests `url` (a path on `base`) with the browser's cookies; keeps the cookies it is given. */
export type BrowserRequest = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * Logs in at `base` and returns the logged-in browser's request function. `headers` go with every
 * request (a browser's Accept-Encoding, say); a failed login throws.
 */
export async function staffBrowser(
  base: string,
  login: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<BrowserRequest> {
  const cookies = new Map<string, string>();
  const request: BrowserRequest = async (url, init = {}) => {
    const res = await fetch(base + url, {
      ...init,
      redirect: "manual",
      headers: {
        ...headers,
        ...(init.headers ?? {}),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair?.indexOf("=") ?? -1;
      if (pair && at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  const loginPage = await (await request("/staff/login")).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage)?.[1] ?? "";
  const res = await request("/staff/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...login, _csrf: csrf }).toString(),
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return request;
}
