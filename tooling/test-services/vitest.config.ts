import { sessionsVitestConfig } from '@sessions/vitest-config';

export default sessionsVitestConfig();
