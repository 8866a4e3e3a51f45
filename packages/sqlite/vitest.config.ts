import { sessionsVitestConfig } from '@sessions/vitest-config';

// No server to start: the global setup only makes sure dist is fresh for the worker processes.
export default sessionsVitestConfig({ test: { globalSetup: ['./test/global-setup.ts'] } });
