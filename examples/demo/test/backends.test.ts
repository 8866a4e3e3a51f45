// SESSION_STORE switches the backend: the demo's login, cart and revoke over real HTTP on
// Redis, MongoDB (FerretDB unless MONGODB_URL) and DynamoDB Local.
import { randomUUID } from 'node:crypto';
import { detectMongoServer } from '@sessions/test-services/ferretdb';
import { describe, expect, inject, test } from 'vitest';
import { type ServeDemoOptions, serveDemo } from '../src/serve.js';
import { otherSessionHandle, overHttp, Visitor } from './visitor.js';

async function exercise(
  store: string,
  expectedDescription: RegExp,
  extra: Partial<ServeDemoOptions> = {},
): Promise<void> {
  const demo = await serveDemo({ store, port: 0, hostname: '127.0.0.1', ...extra });
  try {
    expect(demo.storeDescription).toMatch(expectedDescription);
    const send = overHttp(demo.url);
    const user = `u-${randomUUID().slice(0, 8)}`;
    const laptop = new Visitor(send, 'Laptop', demo.url);
    const phone = new Visitor(send, 'Phone', demo.url);
    expect((await laptop.post('/login', { username: user, device: 'Laptop' })).status).toBe(303);
    await laptop.post('/cart/add', { sku: 'tea' });
    await phone.post('/login', { username: user, device: 'Phone' });
    expect((await phone.get('/')).body).toContain(`Logged in as <strong>${user}</strong>`);

    const sessions = (await laptop.get('/sessions')).body;
    expect(sessions.match(/<tr class="session/g)).toHaveLength(2);
    await laptop.post('/sessions/revoke', { handle: String(otherSessionHandle(sessions)) });
    expect((await phone.get('/')).body).toContain('Not logged in');
    const home = (await laptop.get('/')).body;
    expect(home).toContain(`Logged in as <strong>${user}</strong>`);
    expect(home).toMatch(/data-sku="tea"[\s\S]*× 1/);
  } finally {
    await demo.close();
  }
}

const redisUrl = inject('redisUrl');
describe.skipIf(!redisUrl)('SESSION_STORE=redis://…', () => {
  test('log in, cart, revoke', () => exercise(String(redisUrl), /^Redis at 127\.0\.0\.1:\d+$/));
});

const mongoUrl = inject('mongoUrl');
describe.skipIf(!mongoUrl)('SESSION_STORE=mongodb://…', () => {
  test('log in, cart, revoke', async () => {
    // FerretDB 1.x has no TTL indexes: the demo is told so, as a user of it would be.
    const { expiryMode } = await detectMongoServer(String(mongoUrl));
    await exercise(String(mongoUrl), /^MongoDB at /, { tuning: { mongoExpiryMode: expiryMode } });
  });
});

const dynamodbEndpoint = inject('dynamodbEndpoint');
describe.skipIf(!dynamodbEndpoint)('SESSION_STORE=dynamodb://…', () => {
  test('log in, cart, revoke', () => {
    const host = new URL(String(dynamodbEndpoint)).host;
    const table = `demo-${randomUUID().slice(0, 8)}`;
    return exercise(`dynamodb://${host}?table=${table}`, new RegExp(`table ${table}$`));
  });
});
