// The README's quick start, run as written (only the package import points at the source).
import { runReadmeExample } from '@sessions/test-services/readme';
import { describe, expect, inject, test, vi } from 'vitest';

const url = inject('redisUrl');

describe.skipIf(!url)('README', () => {
  test('the quick start runs and prints what its comments say', async () => {
    process.env.REDIS_URL = url;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await runReadmeExample({
        packageDir: new URL('..', import.meta.url),
        packageName: '@sessions/redis',
      });
      expect(code).toContain('new RedisStore');
      expect(log.mock.calls).toEqual([[{ cart: ['sku-1'] }, true], [1], [1]]);
    } finally {
      log.mockRestore();
    }
  });
});
