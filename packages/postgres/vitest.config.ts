import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig({ test: { globalSetup: ['./test/global-setup.ts'] } });
