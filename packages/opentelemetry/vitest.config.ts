import { sessionsVitestConfig } from '@sessions/vitest-config';

// No server to start: the real backend here is SQLite, a file in a temporary folder.
export default sessionsVitestConfig();
