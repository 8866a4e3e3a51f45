/**
 * The CLI's logic, apart from the process (src/cli.ts), so tests run it in-process: parse the
 * arguments, run the doctor, print, and return the exit code (0: nothing failed, 1: a check
 * failed, 2: a usage error).
 */
import { parseArgs } from 'node:util';
import { DoctorError } from './errors.js';
import { formatReport } from './report.js';
import { runDoctor } from './run-doctor.js';
import type { DoctorOptions } from './types.js';

/** Where the CLI writes. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** `sessions-doctor --help`. */
export const USAGE = `Usage: sessions-doctor [--store URL] [--app URL] [options]

  --store URL         redis://…, mongodb://…, postgres://…, dynamodb://host:port?table=…, sqlite:<file>
  --namespace NAME    the store's namespace (default: sessions)
  --app URL           a route of the running app that starts a session
  --public-url URL    where users reach the app, when a TLS proxy is in front (https://…)
  --method METHOD     the request that starts a session (default GET, POST with --data)
  --data FORM         a form body for that request (sku=tea)
  --cookie-name NAME  the session cookie, when the app sets several
  --timeout MS        bound of each operation (default 5000)
  --json              print the results as JSON (for CI)
`;

const OPTIONS = {
  store: { type: 'string' },
  namespace: { type: 'string' },
  app: { type: 'string' },
  'public-url': { type: 'string' },
  method: { type: 'string' },
  data: { type: 'string' },
  'cookie-name': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The doctor's options from parsed flags. */
function toOptions(values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']) {
  const options: DoctorOptions = {};
  if (values.store) options.store = values.store;
  if (values.namespace) options.namespace = values.namespace;
  if (values.app) options.app = values.app;
  if (values['public-url']) options.publicUrl = values['public-url'];
  if (values.method) options.method = values.method.toUpperCase();
  if (values.data !== undefined) options.body = values.data;
  if (values['cookie-name']) options.cookieName = values['cookie-name'];
  if (values.timeout !== undefined) {
    const timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout < 1) {
      throw new DoctorError('BAD_OPTIONS', `--timeout must be a positive integer of ms`);
    }
    options.timeout = timeout;
  }
  return options;
}

/**
 * Run the CLI on `args` (without node and the script).
 *
 * @example
 * ```ts
 * const code = await runCli(['--store', 'sqlite:sessions.db', '--json'], {
 *   out: (text) => process.stdout.write(text),
 *   err: (text) => process.stderr.write(text),
 * });
 * ```
 */
export async function runCli(args: string[], io: CliOutput): Promise<number> {
  try {
    const { values } = parseArgs({ args, options: OPTIONS, strict: true });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const report = await runDoctor(toOptions(values));
    io.out(`${values.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    const usage = error instanceof DoctorError ? error.code === 'BAD_OPTIONS' : isParseError(error);
    if (!usage && !(error instanceof DoctorError)) throw error;
    io.err(`${(error as Error).message}\n${usage ? `\n${USAGE}` : ''}`);
    return 2;
  }
}

/** node:util's parseArgs errors (an unknown flag, a missing value). */
function isParseError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}
