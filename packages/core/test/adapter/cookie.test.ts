// The cookie as stored data: toJSON, expiry from the record, and the checks on reads.
import { describe, expect, test } from 'vitest';
import { cookieFault, cookieJson, instantOf, withExpiry } from '../../src/adapter/index.js';

const at = Date.UTC(2031, 0, 2, 3, 4, 5, 678);

describe('cookieJson', () => {
  test('uses the cookie class toJSON (expires lives behind a getter)', () => {
    class Cookie {
      #expires = new Date(at);
      get expires() {
        return this.#expires;
      }
      toJSON() {
        return { expires: this.#expires, path: '/' };
      }
    }
    expect(cookieJson(new Cookie())).toEqual({ expires: new Date(at), path: '/' });
  });

  test('uses the plain object toJSON made as it is (no second copy)', () => {
    const made = { path: '/' };
    expect(cookieJson({ toJSON: () => made })).toBe(made);
  });

  test('copies a plain cookie, own string keys only', () => {
    const cookie = { path: '/', [Symbol('hidden')]: 1 };
    const json = cookieJson(cookie);
    expect(json).toEqual({ path: '/' });
    expect(json).not.toBe(cookie);
    expect(Object.getOwnPropertySymbols(json)).toEqual([]);
  });

  test('no cookie object: undefined', () => {
    expect(cookieJson(undefined)).toBeUndefined();
    expect(cookieJson('path=/')).toBeUndefined();
    expect(cookieJson({ toJSON: () => null })).toBeUndefined();
  });
});

test('instantOf reads Dates, ISO strings and numbers; anything else is undefined', () => {
  expect(instantOf(new Date(at))).toBe(at);
  expect(instantOf(new Date(at).toISOString())).toBe(at);
  expect(instantOf(at)).toBe(at);
  for (const bad of [new Date(Number.NaN), 'soon', Number.POSITIVE_INFINITY, null, {}, true]) {
    expect(instantOf(bad)).toBeUndefined();
  }
});

describe('withExpiry', () => {
  test('sets expires from the record, in the form it was stored', () => {
    const iso = new Date(at).toISOString();
    expect(withExpiry({ expires: '2020-01-01T00:00:00.000Z' }, at)).toEqual({ expires: iso });
    expect(withExpiry({ expires: new Date(0) }, at)).toEqual({ expires: new Date(at) });
    expect(withExpiry({ expires: 1 }, at)).toEqual({ expires: at });
  });

  test('sets the field in place; an expiry that already says expiresAt is left as stored', () => {
    const cookie = { expires: '2020-01-01T00:00:00.000Z' };
    expect(withExpiry(cookie, at)).toBe(cookie);
    expect(cookie.expires).toBe(new Date(at).toISOString());
    const second = Date.UTC(2031, 0, 2, 3, 4, 5); // a whole second: an HTTP date holds it
    const http = { expires: new Date(second).toUTCString() }; // same instant, another spelling
    expect(withExpiry(http, second).expires).toBe(new Date(second).toUTCString());
  });

  test('a cookie without expiry keeps none', () => {
    expect(withExpiry({ expires: null, path: '/' }, at)).toEqual({ expires: null, path: '/' });
    expect(withExpiry({ path: '/' }, at)).toEqual({ path: '/' });
  });
});

describe('cookieFault', () => {
  test('what express-session and @fastify/session write passes', () => {
    const express = {
      originalMaxAge: 1_800_000,
      partitioned: null,
      priority: null,
      expires: new Date(at).toISOString(),
      secure: true,
      httpOnly: true,
      domain: null,
      path: '/',
      sameSite: 'lax',
    };
    const fastify = {
      ...express,
      originalExpires: new Date(at).toISOString(),
      secure: 'auto',
      sameSite: 'Strict',
      domain: '.example.com',
      partitioned: undefined,
      priority: 'High',
    };
    expect(cookieFault(express)).toBeUndefined();
    expect(cookieFault(fastify)).toBeUndefined();
    expect(cookieFault({})).toBeUndefined();
  });

  test('anything a Cookie constructor or a cookie serializer would throw on is a fault', () => {
    const unconvertible = { valueOf: 1, toString: 1 };
    const faults: Array<[unknown, string]> = [
      ['a string', 'cookie is not an object'],
      [null, 'cookie is not an object'],
      [[], 'cookie is not an object'],
      [{ expires: unconvertible }, 'cookie.expires is not a valid value'],
      [{ expires: 'not a date' }, 'cookie.expires is not a valid value'],
      [{ originalExpires: {} }, 'cookie.originalExpires is not a valid value'],
      [{ originalMaxAge: unconvertible }, 'cookie.originalMaxAge is not a valid value'],
      [{ maxAge: '60000' }, 'cookie.maxAge is not a valid value'],
      [{ sameSite: 'sometimes' }, 'cookie.sameSite is not a valid value'],
      [{ priority: 'urgent' }, 'cookie.priority is not a valid value'],
      [{ secure: 'yes' }, 'cookie.secure is not a valid value'],
      [{ httpOnly: 1 }, 'cookie.httpOnly is not a valid value'],
      [{ path: '/; Domain=evil.example' }, 'cookie.path is not a valid value'],
      [{ domain: 'evil.example; Path=/' }, 'cookie.domain is not a valid value'],
      [{ somethingNew: { nested: true } }, 'cookie.somethingNew is not a valid value'],
    ];
    for (const [cookie, fault] of faults) expect(cookieFault(cookie)).toBe(fault);
  });

  test('a field no framework writes passes when it is a primitive', () => {
    expect(cookieFault({ somethingNew: 'x', count: 1, flag: false })).toBeUndefined();
  });
});
