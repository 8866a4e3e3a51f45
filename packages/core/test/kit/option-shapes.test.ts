// The shapes and ranges of the shared options at their edges: a codec missing any part is
// refused before it could fail on the first session, and an integer option's bounds are
// inclusive. (The common refusals are in options.test.ts.)
import { describe, expect, test } from 'vitest';
import {
  choiceOption,
  integerOption,
  MAX_TIMER_MS,
  oneOfOptions,
  resolveStoreOptions,
} from '../../src/kit/options.js';

const spec = { source: '@sessions/test' };
const encode = (data: unknown) => JSON.stringify(data);
const decode = (text: string) => JSON.parse(text) as unknown;

describe('option shapes', () => {
  test('a codec needs a name, encode() and decode(): one missing is a TypeError naming codec', () => {
    const broken: unknown[] = [
      null,
      'json',
      () => undefined,
      { encode, decode },
      { name: 7, encode, decode },
      { name: 'json', decode },
      { name: 'json', encode: 'yes', decode },
      { name: 'json', encode },
      { name: 'json', encode, decode: {} },
    ];
    for (const codec of broken) {
      expect(() => resolveStoreOptions({ codec } as never, spec, false), String(codec)).toThrow(
        /^\[@sessions\/test\] codec must have a name, encode\(\) and decode\(\)$/,
      );
    }
    const codec = { name: 'json', encode, decode };
    expect(resolveStoreOptions({ codec } as never, spec, false).codec).toBe(codec);
  });

  test("an integer option's bounds are inclusive; one past either is refused", () => {
    const range = { source: spec.source, min: 1, max: MAX_TIMER_MS };
    expect(integerOption(1, 5, 'wait', range)).toBe(1);
    expect(integerOption(MAX_TIMER_MS, 5, 'wait', range)).toBe(MAX_TIMER_MS);
    expect(integerOption(undefined, 5, 'wait', range)).toBe(5);
    for (const value of [0, MAX_TIMER_MS + 1, '5', 2.5]) {
      expect(() => integerOption(value, 5, 'wait', range)).toThrow(
        new TypeError(
          `[@sessions/test] wait must be an integer from 1 to ${MAX_TIMER_MS}, got ${String(value)}`,
        ),
      );
    }
    expect(
      resolveStoreOptions({ operationTimeout: MAX_TIMER_MS }, spec, false).operationTimeout,
    ).toBe(MAX_TIMER_MS);
  });

  test('a choice option takes its fallback or one of its choices, and names them all otherwise', () => {
    const modes = ['NORMAL', 'FULL'] as const;
    expect(choiceOption(undefined, 'NORMAL', 'mode', modes, spec.source)).toBe('NORMAL');
    expect(choiceOption('FULL', 'NORMAL', 'mode', modes, spec.source)).toBe('FULL');
    expect(choiceOption(false, true, 'create', [true, false], spec.source)).toBe(false);
    for (const value of ['full', 'OFF', 0, 'true']) {
      expect(() => choiceOption(value, 'NORMAL', 'mode', modes, spec.source)).toThrow(
        new TypeError(`[@sessions/test] mode must be one of 'NORMAL', 'FULL', got ${value}`),
      );
    }
    expect(() => choiceOption('yes', true, 'create', [true, false], spec.source)).toThrow(
      new TypeError('[@sessions/test] create must be one of true, false, got yes'),
    );
  });

  test('one of several options: exactly one when required, at most one otherwise', () => {
    const names = ['client', 'url', 'nodes'] as const;
    expect(oneOfOptions({ url: 'x' }, names, spec.source)).toBe('url');
    expect(oneOfOptions({ client: 0 }, names, spec.source)).toBe('client');
    expect(oneOfOptions({}, names, spec.source, false)).toBeUndefined();
    expect(() => oneOfOptions({}, names, spec.source)).toThrow(
      new TypeError('[@sessions/test] give exactly one of client, url or nodes (got none)'),
    );
    expect(() => oneOfOptions({ client: 1, nodes: [] }, names, spec.source)).toThrow(
      new TypeError(
        '[@sessions/test] give exactly one of client, url or nodes (got client and nodes)',
      ),
    );
    expect(() =>
      oneOfOptions({ client: 1, url: '' }, ['client', 'url'], spec.source, false),
    ).toThrow(
      new TypeError('[@sessions/test] give at most one of client or url (got client and url)'),
    );
  });
});
