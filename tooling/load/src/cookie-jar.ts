/** A browser's cookie jar, reduced to what the apps send: name=value, kept or cleared. */

/**
 * Cookies by name. A `Set-Cookie` with an empty value, `Max-Age=0` or an `Expires` in the past
 * clears its cookie, as a browser does on logout.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * jar.take(['sid=abc; Path=/; HttpOnly']);
 * jar.header(); // 'sid=abc'
 * ```
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Apply a response's `Set-Cookie` headers; true when any was set. */
  take(setCookies: string[]): boolean {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const cleared =
        value === '' ||
        attributes.some((a) => {
          const [key = '', v = ''] = a.split('=').map((s) => s.trim().toLowerCase());
          return (
            (key === 'max-age' && Number(v) <= 0) ||
            (key === 'expires' && Date.parse(v) < Date.now())
          );
        });
      if (cleared) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return setCookies.length > 0;
  }

  /** The `Cookie` header to send (empty when the jar is). */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Forget every cookie. */
  clear(): void {
    this.#cookies.clear();
  }
}
