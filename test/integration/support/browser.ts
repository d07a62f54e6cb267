/**
 * A minimal browser for the verifier tests: follows redirects one hop at a time (so tests can see
 * and tamper with each), keeps cookies per origin and path as a browser would, and records every
 * response. Secure cookies are kept on http too, as browsers do for localhost.
 */

export interface Visit {
  url: string;
  status: number;
  location?: string;
  setCookies: string[];
  body: string;
  headers: Headers;
}

interface StoredCookie {
  value: string;
  path: string;
}

export class TestBrowser {
  /** Every response, in order. */
  readonly visits: Visit[] = [];
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  /** Sets a cookie for an origin, e.g. the Slack stand-in's session. */
  setCookie(origin: string, name: string, value: string, path = '/'): void {
    const cookies = this.jar.get(origin) ?? new Map<string, StoredCookie>();
    cookies.set(name, { value, path });
    this.jar.set(origin, cookies);
  }

  /** The cookie a request to `url` would carry, if any. */
  cookie(url: string, name: string): string | undefined {
    const { origin, pathname } = new URL(url);
    const stored = this.jar.get(origin)?.get(name);
    return stored && pathMatches(pathname, stored.path) ? stored.value : undefined;
  }

  /** One GET, no redirect followed. */
  async get(url: string): Promise<Visit> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.origin) ?? new Map<string, StoredCookie>()).entries()]
      .filter(([, cookie]) => pathMatches(target.pathname, cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    const response = await fetch(url, {
      redirect: 'manual',
      headers: cookies.length > 0 ? { cookie: cookies.join('; ') } : {},
    });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) this.store(target.origin, header);
    const location = response.headers.get('location');
    const visit: Visit = {
      url,
      status: response.status,
      ...(location ? { location: new URL(location, url).toString() } : {}),
      setCookies,
      body: await response.text(),
      headers: response.headers,
    };
    this.visits.push(visit);
    return visit;
  }

  /**
   * Follows redirects from `url` until a page answers, or until `stopBefore` says the next URL
   * should not be opened (it is then returned as `pending`, for a test to inspect or alter).
   */
  async open(url: string, stopBefore?: (next: URL) => boolean): Promise<Visit & { pending?: string }> {
    let next = url;
    for (let hop = 0; hop < 10; hop += 1) {
      const visit = await this.get(next);
      if (!visit.location || visit.status < 300 || visit.status >= 400) return visit;
      if (stopBefore?.(new URL(visit.location))) return { ...visit, pending: visit.location };
      next = visit.location;
    }
    throw new Error(`too many redirects from ${url}`);
  }

  private store(origin: string, header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const index = pair.indexOf('=');
    if (index <= 0) return;
    const name = pair.slice(0, index);
    const value = pair.slice(index + 1);
    let path = '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', raw = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = raw;
      if (key.toLowerCase() === 'max-age' && Number(raw) <= 0) expired = true;
    }
    const cookies = this.jar.get(origin) ?? new Map<string, StoredCookie>();
    if (expired) cookies.delete(name);
    else cookies.set(name, { value, path });
    this.jar.set(origin, cookies);
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return (
    requestPath === cookiePath ||
    requestPath.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`)
  );
}
