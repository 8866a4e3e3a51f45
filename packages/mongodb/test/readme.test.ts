// The README's quick start, run as written (only the package import points at the source).
import { runReadmeExample } from '@sessions/test-services/readme';
import { describe, expect, test, vi } from 'vitest';
import { mongoUrl, serverInfo } from './support.js';

describe.skipIf(!mongoUrl)('README', () => {
  test('the quick start runs and prints what its comments say', async () => {
    process.env.MONGODB_URL = `${mongoUrl}`;
    process.env.SESSIONS_EXPIRY_MODE = serverInfo?.expiryMode;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await runReadmeExample({
        packageDir: new URL('..', import.meta.url),
        packageName: '@sessions/mongodb',
      });
      expect(code).toContain('new MongoDBStore');
      expect(log.mock.calls).toEqual([[{ cart: ['sku-1'] }, true], [1], [1]]);
    } finally {
      log.mockRestore();
    }
  });
});
