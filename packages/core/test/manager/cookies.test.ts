import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { createSessionManager, generateSessionToken, MemoryStore } from '../../src/index.js';
import { HOUR, setup } from './helpers.js';

describe('session cookie', () => {
  it('defaults to __Host-sid; Secure; HttpOnly; SameSite=Lax; Path=/; no Domain; expiring at the absolute deadline', () => {
    const { manager, clock } = setup({ absoluteTimeout: 8 * HOUR });
    const session = manager.create({ data: {} });
    const header = manager.serializeCookie(session);
    const parsed = parseSetCookie(header);
    expect(parsed).toMatchObject({
      name: '__Host-sid',
      value: session.token,
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 8 * 3600,
    });
    expect(parsed.domain).toBeUndefined();
    expect(parsed.expires?.getTime()).toBe(Math.floor((clock.now + 8 * HOUR) / 1000) * 1000);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Secure/);
  });

  it('Max-Age counts down to the absolute deadline, not from each request', () => {
    const { manager, clock } = setup({ absoluteTimeout: 8 * HOUR });
    const session = manager.create({ data: {} });
    clock.advance(3 * HOUR);
    expect(parseSetCookie(manager.serializeCookie(session)).maxAge).toBe(5 * 3600);
  });

  it('a non-persistent cookie has neither Max-Age nor Expires', () => {
    const { manager } = setup({ cookie: { persistent: false } });
    const header = manager.serializeCookie(manager.create({ data: {} }));
    expect(header).not.toMatch(/Max-Age|Expires/i);
    expect(header).toMatch(/HttpOnly/);
  });

  it('the clearing cookie has the same name and scope, an empty value and Max-Age=0', () => {
    const { manager } = setup({
      cookie: { name: '__Secure-app', path: '/app', domain: 'example.com' },
    });
    const parsed = parseSetCookie(manager.clearCookie());
    expect(parsed).toMatchObject({
      name: '__Secure-app',
      value: '',
      maxAge: 0,
      path: '/app',
      domain: 'example.com',
      secure: true,
      httpOnly: true,
    });
    expect(parsed.expires?.getTime()).toBe(0);
  });

  it('reads the token back from a Cookie header among other cookies', () => {
    const { manager } = setup();
    const token = generateSessionToken();
    expect(manager.readToken(`theme=dark; __Host-sid=${token}; lang=en`)).toBe(token);
    expect(manager.readToken(`__Host-sid=${token}`)).toBe(token);
  });

  it('does not accept a name that only becomes the prefix after decoding (__%48ost-)', () => {
    const { manager } = setup();
    const token = generateSessionToken();
    expect(manager.readToken(`__%48ost-sid=${token}`)).toBeUndefined();
    expect(manager.readToken(`__%48ost-sid=${token}; other=1`)).toBeUndefined();
    expect(manager.readToken(`__host-sid=${token}`)).toBeUndefined();
    // The real cookie still wins when a look-alike is sent first.
    expect(manager.readToken(`__%48ost-sid=${generateSessionToken()}; __Host-sid=${token}`)).toBe(
      token,
    );
  });

  it.each([
    ['no header', undefined],
    ['null', null],
    ['an empty header', ''],
    ['garbage', ';;;==;=; ;'],
    ['a name without a value', '__Host-sid'],
    ['an empty value', '__Host-sid='],
    ['a short value', '__Host-sid=abc'],
    // Decoded, this would be a well-formed token; the reader never decodes values.
    ['a percent-encoded token', `__Host-sid=%41${generateSessionToken().slice(1)}`],
    ['a broken escape', `__Host-sid=%E0%A4%A${'A'.repeat(34)}`],
    ['a quoted token', `__Host-sid="${generateSessionToken()}"`],
    ['a token with a trailing character', `__Host-sid=${generateSessionToken()}x`],
    ['only other cookies', 'a=1; b=2'],
  ])('a malformed cookie is a miss, not an error: %s', (_why, header) => {
    const { manager } = setup();
    expect(manager.readToken(header as string | undefined)).toBeUndefined();
  });

  it('a malformed cookie loads as no session, without an error', async () => {
    const { manager } = setup();
    await expect(manager.load(manager.readToken('__Host-sid=%%%'))).resolves.toBeUndefined();
  });

  it.each([
    ['a __Host- name without secure', { secure: false }],
    ['a __Host- name with another path', { path: '/app' }],
    ['a __Host- name with a domain', { domain: 'example.com' }],
    ['a lower-case __host- name without secure', { name: '__host-sid', secure: false }],
    ['a __Secure- name without secure', { name: '__Secure-sid', secure: false }],
    ['SameSite=None without secure', { name: 'sid', sameSite: 'none' as const, secure: false }],
    ['an invalid name', { name: 'a b' }],
    ['an invalid path', { name: 'sid', path: '/;x' }],
  ])('refuses at construction %s', (_why, cookie) => {
    expect(() => createSessionManager({ store: new MemoryStore(), cookie })).toThrow(TypeError);
  });

  it('allows a plain name without secure for local development', () => {
    const manager = createSessionManager({
      store: new MemoryStore(),
      cookie: { name: 'sid', secure: false },
    });
    const header = manager.serializeCookie(manager.create({ data: {} }));
    expect(header).toMatch(/^sid=/);
    expect(header).not.toMatch(/Secure/);
    expect(header).toMatch(/HttpOnly/);
  });
});
