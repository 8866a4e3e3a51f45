// A driver that is not installed is a MISSING_DRIVER error naming the package to install.
import { expect, test } from 'vitest';
import { DoctorError } from '../src/index.js';
import { load } from '../src/load.js';

test('a module that is not installed is MISSING_DRIVER, naming it', async () => {
  const missing = 'sessions-doctor-no-such-driver';
  const error = await load(missing, () => import(missing)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DoctorError);
  expect(error).toMatchObject({
    code: 'MISSING_DRIVER',
    source: '@sessions/doctor',
    message: `[@sessions/doctor] ${missing} is not installed: npm install ${missing}`,
  });
});

test('any other import failure is rethrown as it is', async () => {
  const broken = new SyntaxError('broken module');
  await expect(load('x', () => Promise.reject(broken))).rejects.toBe(broken);
});
