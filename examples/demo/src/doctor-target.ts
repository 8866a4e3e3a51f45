/**
 * What `pnpm doctor` checks: the demo as `pnpm start` runs it, from the same variables
 * (`SESSION_STORE`, `PORT`, `HOST`), plus `PUBLIC_URL` when a TLS proxy is in front.
 */
import type { DoctorOptions } from '@sessions/doctor';
import { NAMESPACE, parseStoreChoice, type StoreChoice } from './store.js';

/** The store URL `sessions-doctor` understands for a parsed `SESSION_STORE`. */
export function doctorStoreUrl(choice: StoreChoice): string {
  switch (choice.kind) {
    case 'sqlite':
      return `sqlite:${choice.file}`;
    case 'dynamodb': {
      // The demo talks to DynamoDB Local with the keys `demo`/`demo` unless the environment has
      // real ones, and DynamoDB Local keeps tables per key: the doctor must use the same.
      const keys = process.env.AWS_ACCESS_KEY_ID ? '' : 'demo:demo@';
      const host = new URL(choice.endpoint).host;
      return `dynamodb://${keys}${host}?table=${choice.table}&region=${choice.region}`;
    }
    default:
      return choice.url;
  }
}

/** The doctor's options for the demo run from `env` in `cwd`. */
export function demoDoctorOptions(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): DoctorOptions {
  const base = `http://${env.HOST || 'localhost'}:${env.PORT || 3000}`;
  return {
    store: doctorStoreUrl(parseStoreChoice(env.SESSION_STORE, cwd)),
    namespace: NAMESPACE,
    // Adding to the cart is the demo's request that starts a session.
    app: `${base}/cart/add`,
    method: 'POST',
    body: 'sku=tea',
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
  };
}
