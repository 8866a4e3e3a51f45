/**
 * The demo's pages: server-rendered HTML, plain forms and links, no scripts. `html` escapes
 * every interpolated value, so user input (usernames, device names, user agents) is inert.
 */
import type { MissReason, SessionDescription } from '@sessions/core';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CATALOGUE, formatPrice, productOf } from './catalogue.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A cart: SKU to quantity. */
export type Cart = Record<string, number>;

/** The stylesheet of every page, inline (the CSP allows it by its hash). */
export const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
header { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid #ddd; padding-bottom: .5rem; }
header h1 { font-size: 1.2rem; margin: 0 auto 0 0; }
.note { background: #fff8dc; border: 1px solid #e8d9a0; padding: .5rem .75rem; font-size: .9rem; }
.error { background: #fde8e8; border: 1px solid #e0a0a0; padding: .5rem .75rem; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #eee; vertical-align: top; }
form { display: inline; }
.current { font-weight: bold; color: #06612a; }
small { color: #666; }
`;

/** The frame of every page: who is logged in, navigation, the demo warning. */
export function layout(title: string, user: string | undefined, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · sessions demo</title><style>${STYLE}</style></head>
<body>
<header>
  <h1>sessions demo shop</h1>
  <a href="/">Shop</a>
  <a href="/sessions">Active sessions</a>
  ${
    user === undefined
      ? html`<span id="who">Not logged in</span>`
      : html`<span id="who">Logged in as <strong>${user}</strong></span>
  <form method="post" action="/logout"><button>Log out</button></form>`
  }
</header>
<p class="note">This is a demo: any username logs you in, there is no password. Sessions live in
the store the server was started with.</p>
${body}
</body>
</html>`;
}

/** The login form; `error` explains a rejected username. */
export function loginForm(error?: string): Html {
  return html`<section id="login">
<h2>Log in</h2>
${error === undefined ? '' : html`<p class="error">${error}</p>`}
<form method="post" action="/login">
  <label>Username <input name="username" required maxlength="64" autocomplete="username"></label>
  <label>Device name <input name="device" maxlength="40" placeholder="e.g. Work laptop"></label>
  <button>Log in</button>
</form>
</section>`;
}

/** The shop: the catalogue with "add" buttons and the cart with "remove" buttons. */
export function shopPage(cart: Cart, loggedIn: boolean, error?: string): Html {
  const lines = Object.entries(cart).flatMap(([sku, quantity]) => {
    const product = productOf(sku);
    return product ? [{ product, quantity }] : [];
  });
  const total = lines.reduce((sum, { product, quantity }) => sum + product.price * quantity, 0);
  return html`${loggedIn ? '' : loginForm(error)}
<section id="catalogue">
<h2>Catalogue</h2>
<table>${CATALOGUE.map(
    (p) => html`<tr><td>${p.name}</td><td>${formatPrice(p.price)}</td><td>
<form method="post" action="/cart/add"><input type="hidden" name="sku" value="${p.sku}">
<button data-add="${p.sku}">Add to cart</button></form></td></tr>`,
  )}</table>
</section>
<section id="cart">
<h2>Cart</h2>
${
  lines.length === 0
    ? html`<p id="cart-empty">Your cart is empty.</p>`
    : html`<table>${lines.map(
        ({ product, quantity }) => html`<tr data-sku="${product.sku}"><td>${product.name}</td>
<td class="quantity">× ${quantity}</td><td>${formatPrice(product.price * quantity)}</td><td>
<form method="post" action="/cart/remove"><input type="hidden" name="sku" value="${product.sku}">
<button data-remove="${product.sku}">Remove one</button></form></td></tr>`,
      )}
<tr><th>Total</th><td></td><th id="total">${formatPrice(total)}</th><td></td></tr></table>`
}
</section>`;
}

/** What each miss reason means to the user whose session it ended. */
export const MISS_EXPLANATIONS: Record<MissReason, string> = {
  'no-cookie': 'this browser sent no session cookie',
  malformed: 'this browser sent a session cookie that was not one of ours',
  'not-found': 'it had ended (logged out, or expired and removed)',
  'expired-idle': 'it expired after a while without activity',
  'expired-absolute': 'it reached its maximum lifetime',
  revoked: 'it was revoked (from the sessions page, or "log out everywhere")',
  rotated: 'this browser used an old session ID, replaced at a login',
  'store-unavailable': 'the session store could not be reached',
};

/** The "active sessions" page: every device of the user, with revoke buttons. */
export function sessionsPage(
  sessions: SessionDescription[],
  lastMiss?: { reason: MissReason; at: number },
): Html {
  return html`<section id="sessions">
<h2>Active sessions</h2>
<p>Every browser or device logged in as you. Revoking one logs it out on its next request.</p>
${
  lastMiss === undefined
    ? ''
    : html`<p class="note" id="last-miss" data-reason="${lastMiss.reason}">Your previous session in this browser ended at ${when(lastMiss.at)}: ${MISS_EXPLANATIONS[lastMiss.reason]} (<code>${lastMiss.reason}</code>).</p>`
}
<table>
<tr><th>Device</th><th>Started</th><th>Last seen</th><th></th></tr>
${sessions.map(
  (s) => html`<tr class="session${s.current ? ' current' : ''}" data-handle="${s.handle}">
<td>${s.meta?.device ?? 'Unknown device'}${s.current ? html` <span class="current">(this device)</span>` : ''}
<br><small>${s.meta?.userAgent ?? ''}</small></td>
<td>${when(s.createdAt)}</td><td>${when(s.lastSeenAt)}</td>
<td><form method="post" action="/sessions/revoke"><input type="hidden" name="handle" value="${s.handle}">
<button>${s.current ? 'Log out' : 'Revoke'}</button></form></td></tr>`,
)}
</table>
<p>
<form method="post" action="/sessions/logout-others"><button id="logout-others">Log out everywhere else</button></form>
<form method="post" action="/sessions/logout-all"><button id="logout-all">Log out everywhere</button></form>
</p>
</section>`;
}

/** A page for an error the visitor can do something about. */
export function errorPage(title: string, message: string): Html {
  return layout(
    title,
    undefined,
    html`<h2>${title}</h2><p class="error">${message}</p><p><a href="/">Back to the shop</a></p>`,
  );
}

function when(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
