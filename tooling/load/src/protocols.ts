/**
 * How a client drives each app: its login, update, read and logout requests, and how to tell
 * from a response whose session it was served with.
 */
import type { RequestSpec } from './http-client.js';

/** What a response says about the session that served it. */
export interface SessionView {
  /** The logged-in user; null when the response was anonymous; absent when it does not say. */
  user?: string | null;
  /** The counter (the demo: tea in the cart); undefined when the response does not show it. */
  count: number | undefined;
}

/** One app's requests, from a client's side. */
export interface Protocol {
  login(user: string): RequestSpec;
  /** Adds one to the session's counter. */
  update: RequestSpec;
  /** Shows the user and the counter. */
  read: RequestSpec;
  logout: RequestSpec;
  /** Read a response body; undefined when it says nothing about the session (a redirect). */
  view(body: string): SessionView | undefined;
}

/**
 * The adapters' recipe apps (Express, Fastify): `{ user, cart }` from `GET /` and `POST /cart`;
 * the counter is the number of items in the cart (emptied by each logout).
 */
export const recipeProtocol: Protocol = {
  login: (user) => ({ method: 'POST', path: '/login', form: { user } }),
  update: { method: 'POST', path: '/cart', form: { sku: 'tea' } },
  read: { method: 'GET', path: '/' },
  logout: { method: 'POST', path: '/logout' },
  view(body) {
    if (!body.startsWith('{')) return undefined;
    // `POST /cart` answers the cart only: its user is checked by the read that follows.
    const parsed = JSON.parse(body) as { user?: string | null; cart?: string[] };
    return { user: parsed.user, count: parsed.cart?.length };
  },
};

const DEMO_USER = /Logged in as <strong>([^<]*)<\/strong>/;
const DEMO_TEA = /data-sku="tea">[\s\S]*?× (\d+)/;

/** The demo shop: the counter is the tea in the cart, the user is in the page's header. */
export const demoProtocol: Protocol = {
  login: (username) => ({ method: 'POST', path: '/login', form: { username } }),
  update: { method: 'POST', path: '/cart/add', form: { sku: 'tea' } },
  read: { method: 'GET', path: '/' },
  logout: { method: 'POST', path: '/logout' },
  view(body) {
    if (!body.includes('<html')) return undefined;
    const tea = DEMO_TEA.exec(body)?.[1];
    return { user: DEMO_USER.exec(body)?.[1] ?? null, count: tea === undefined ? 0 : Number(tea) };
  },
};
