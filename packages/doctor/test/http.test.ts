// HTTP checks against real apps on loopback: each cookie problem is made to fail and its
// correct setup to pass.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { runDoctor } from '../src/index.js';
import { expressApp, honoApp, type RunningApp, rawApp } from './apps.js';
import { result } from './support.js';

const apps: RunningApp[] = [];
async function start(app: Promise<RunningApp>): Promise<string> {
  const running = await app;
  apps.push(running);
  return running.url;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
const statuses = (report: Awaited<ReturnType<typeof runDoctor>>) =>
  Object.fromEntries(report.results.map((r) => [r.id, r.status]));

describe('the Hono middleware (Secure __Host-sid by default)', () => {
  test('behind a TLS proxy at https://… every check passes', async () => {
    const url = await start(honoApp());
    const report = await runDoctor({ app: `${url}/start`, publicUrl: 'https://shop.test' });
    expect(statuses(report)).toEqual({
      'http.proxy': 'pass',
      'http.sets-cookie': 'pass',
      'http.cookie-attributes': 'pass',
      'http.cookie-returns': 'pass',
    });
    expect(result(report, 'http.cookie-attributes').message).toContain('__Host-sid');
  });

  test('a Secure cookie on a plain-HTTP site fails: browsers refuse it', async () => {
    const url = await start(honoApp());
    const report = await runDoctor({ app: `${url}/start`, publicUrl: 'http://shop.test' });
    expect(result(report, 'http.cookie-attributes')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('plain HTTP'),
      fix: expect.stringContaining('HTTPS'),
    });
    expect(result(report, 'http.cookie-returns').status).toBe('fail');
    expect(report.ok).toBe(false);
  });

  test('on http://127.0.0.1 a Secure cookie works (a secure context), with a warning', async () => {
    const url = await start(honoApp());
    const report = await runDoctor({ app: `${url}/start` });
    expect(result(report, 'http.cookie-attributes').status).toBe('warn');
    expect(result(report, 'http.cookie-returns').status).toBe('pass');
    expect(report.results.some((r) => r.id === 'http.proxy')).toBe(false);
  });

  test('a route that starts no session fails http.sets-cookie with a hint', async () => {
    const url = await start(honoApp());
    const report = await runDoctor({ app: `${url}/` });
    expect(result(report, 'http.sets-cookie')).toMatchObject({
      status: 'fail',
      message: 'GET / answered 200 and set no cookie',
      fix: expect.stringContaining('--method POST'),
    });
  });
});

describe('express-session with a Secure cookie behind a TLS proxy', () => {
  test('without trust proxy it sets no cookie: http.proxy fails', async () => {
    const url = await start(expressApp({ secure: true, trustProxy: false }));
    const report = await runDoctor({ app: `${url}/start`, publicUrl: 'https://shop.test' });
    expect(result(report, 'http.proxy')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining("app.set('trust proxy', 1)"),
    });
    expect(result(report, 'http.sets-cookie').status).toBe('fail');
  });

  test("secure: 'auto' without trust proxy sets it without Secure: a warning", async () => {
    const url = await start(expressApp({ secure: 'auto', trustProxy: false }));
    const report = await runDoctor({ app: `${url}/start`, publicUrl: 'https://shop.test' });
    expect(result(report, 'http.proxy').status).toBe('warn');
    expect(result(report, 'http.cookie-attributes').message).toContain('no Secure');
  });

  test('with trust proxy every check passes', async () => {
    const url = await start(expressApp({ secure: true, trustProxy: true }));
    const report = await runDoctor({ app: `${url}/start`, publicUrl: 'https://shop.test' });
    expect(statuses(report)).toEqual({
      'http.proxy': 'pass',
      'http.sets-cookie': 'pass',
      'http.cookie-attributes': 'pass',
      'http.cookie-returns': 'pass',
    });
  });
});

test('requests carry the public Host and Origin, as through a proxy that keeps them', async () => {
  let seen: Record<string, unknown> | undefined;
  const url = await start(
    rawApp((_cookie, headers) => {
      // The first request: the one that should start a session through the proxy.
      seen ??= { host: headers.host, origin: headers.origin, proto: headers['x-forwarded-proto'] };
      return [];
    }),
  );
  await runDoctor({ app: `${url}/start`, publicUrl: 'https://shop.test' });
  expect(seen).toEqual({ host: 'shop.test', origin: 'https://shop.test', proto: 'https' });
});

describe('cookies a browser refuses or never returns', () => {
  const https = 'https://shop.test';
  const sound = 'Path=/; Secure; HttpOnly; SameSite=Lax';

  test.each([
    ['over 4 KB', `sid=${'a'.repeat(4100)}; ${sound}`, 'over 4096 bytes'],
    ['SameSite=None without Secure', 'sid=x; Path=/; HttpOnly; SameSite=None', 'SameSite=None'],
    ['__Host- with a Domain', `__Host-sid=x; Domain=shop.test; ${sound}`, '__Host-'],
    [
      '__Host- on another path',
      '__Host-sid=x; Path=/app; Secure; HttpOnly; SameSite=Lax',
      '__Host-',
    ],
    ['a Domain of another site', `sid=x; Domain=other.test; ${sound}`, 'Domain=other.test'],
    [
      'a Path that excludes the route',
      'sid=x; Path=/admin; Secure; HttpOnly; SameSite=Lax',
      'Path=/admin',
    ],
  ])('%s fails', async (_, header, reason) => {
    const url = await start(rawApp(() => [header]));
    const report = await runDoctor({ app: `${url}/start`, publicUrl: https });
    expect(result(report, 'http.cookie-attributes')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(reason),
    });
    expect(result(report, 'http.cookie-returns').status).toBe('fail');
  });

  test('no HttpOnly and no SameSite warn', async () => {
    const url = await start(rawApp(() => ['sid=x; Path=/; Secure']));
    const attributes = result(
      await runDoctor({ app: `${url}/start`, publicUrl: https }),
      'http.cookie-attributes',
    );
    expect(attributes.status).toBe('warn');
    expect(attributes.fix).toBe('set HttpOnly, set SameSite=Lax');
  });

  test('an app that never recognises its cookie fails http.cookie-returns', async () => {
    // A new session on every request: what a store the app cannot read looks like.
    const url = await start(rawApp(() => [`sid=${randomBytes(8).toString('hex')}; ${sound}`]));
    const report = await runDoctor({ app: `${url}/start`, publicUrl: https });
    expect(result(report, 'http.cookie-attributes').status).toBe('pass');
    expect(result(report, 'http.cookie-returns')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('replaced by a new one'),
    });
  });

  test('an app that keeps its cookie passes http.cookie-returns', async () => {
    const url = await start(rawApp((cookie) => (cookie ? [] : [`sid=kept; ${sound}`])));
    const report = await runDoctor({ app: `${url}/start`, publicUrl: https });
    expect(result(report, 'http.cookie-returns').status).toBe('pass');
  });

  test('the session cookie is found by --cookie-name among several', async () => {
    const url = await start(rawApp(() => [`theme=dark; ${sound}`, `app_token=t; ${sound}`]));
    const named = await runDoctor({
      app: `${url}/start`,
      publicUrl: https,
      cookieName: 'app_token',
    });
    expect(result(named, 'http.sets-cookie').message).toContain('app_token');
    const missing = await runDoctor({ app: `${url}/start`, publicUrl: https, cookieName: 'sid' });
    expect(result(missing, 'http.sets-cookie').status).toBe('fail');
  });

  test('an app that is not there fails http.reachable', async () => {
    const url = await start(rawApp(() => []));
    await Promise.all(apps.splice(0).map((app) => app.close()));
    const report = await runDoctor({ app: `${url}/start`, timeout: 1000 });
    expect(report.results).toEqual([
      expect.objectContaining({ id: 'http.reachable', status: 'fail' }),
    ]);
  });
});
