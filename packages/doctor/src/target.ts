/** Which store a `store` URL names, and the settings the URL carries. */
import { DoctorError } from './errors.js';

/** A parsed store URL. `table` is the table (or collection) when the URL names one. */
export type StoreTarget =
  | { kind: 'redis'; url: string }
  | { kind: 'mongodb'; url: string; table: string | undefined }
  | { kind: 'postgres'; url: string; table: string | undefined }
  | {
      kind: 'dynamodb';
      endpoint: string | undefined;
      region: string;
      table: string | undefined;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    }
  | { kind: 'sqlite'; file: string; table: string | undefined };

/** `?table=` (or `?collection=`), removed from the URL the driver gets. */
function takeTable(url: URL): string | undefined {
  const table = url.searchParams.get('table') ?? url.searchParams.get('collection') ?? undefined;
  url.searchParams.delete('table');
  url.searchParams.delete('collection');
  return table || undefined;
}

/**
 * Parse a store URL (see `DoctorOptions.store` for the forms). Throws a `BAD_OPTIONS`
 * {@link DoctorError} listing the accepted forms for anything else.
 *
 * @example
 * ```ts
 * parseStoreTarget('dynamodb://127.0.0.1:8000?table=sessions');
 * // { kind: 'dynamodb', endpoint: 'http://127.0.0.1:8000', region: 'us-east-1', table: 'sessions' }
 * ```
 */
export function parseStoreTarget(spec: string): StoreTarget {
  const value = spec.trim();
  if (value.startsWith('sqlite:')) {
    const [file = '', query = ''] = value.slice('sqlite:'.length).split('?');
    const table = new URLSearchParams(query).get('table') || undefined;
    if (file !== '') return { kind: 'sqlite', file, table };
  }
  if (/^rediss?:\/\//.test(value)) return { kind: 'redis', url: value };
  if (/^mongodb(\+srv)?:\/\//.test(value)) {
    const url = new URL(value);
    const table = takeTable(url);
    return { kind: 'mongodb', url: url.toString(), table };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    const url = new URL(value);
    const table = takeTable(url);
    return { kind: 'postgres', url: url.toString(), table };
  }
  if (value.startsWith('dynamodb://')) {
    const url = new URL(value);
    const region = url.searchParams.get('region') || process.env.AWS_REGION || 'us-east-1';
    // `dynamodb://aws`: AWS itself, its endpoint from the region; else a local endpoint.
    const endpoint = url.hostname === 'aws' ? undefined : `http://${url.host}`;
    // DynamoDB Local keeps tables per access key and region (unless -sharedDb): the URL may
    // carry the app's keys; else the SDK finds them as usual (environment, profile, role).
    const credentials = url.username
      ? {
          accessKeyId: decodeURIComponent(url.username),
          secretAccessKey: decodeURIComponent(url.password),
        }
      : undefined;
    const table = takeTable(url);
    if (url.host !== '') return { kind: 'dynamodb', endpoint, region, table, credentials };
  }
  throw new DoctorError(
    'BAD_OPTIONS',
    `store ${JSON.stringify(value)} is not understood. Use redis://host:port, ` +
      'mongodb://host:port/db, postgres://user@host:port/db, dynamodb://host:port?table=name ' +
      '(dynamodb://aws?region=… for AWS), or sqlite:<file>',
  );
}

/** The URL without its password, for messages. */
export function redact(spec: string): string {
  try {
    const url = new URL(spec);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return spec;
  }
}
