import { describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/index.js';
import { MINUTE, setup } from './helpers.js';

describe('tokens are hashed at rest', () => {
  it('scanning the memory backend after every operation finds no token anywhere', async () => {
    const { manager, clock, dump } = setup<{ marker: string; n?: number }>();
    const tokens: string[] = [];
    const scan = (marker: string) => {
      const raw = dump();
      // The scan sees the stored sessions (else "no token found" would prove nothing)...
      expect(raw).toContain(marker);
      // ...and none of the tokens ever handed out.
      for (const token of tokens) expect(raw).not.toContain(token);
    };
    const a = manager.create({
      data: { marker: 'first-marker' },
      userId: 'u1',
      meta: { device: 'x' },
    });
    tokens.push(a.token);
    await manager.save(a);
    scan('first-marker');
    expect(dump()).toContain(hashSessionToken(a.token));
    const b = (await manager.regenerate(a, { userId: 'u1' }))!;
    tokens.push(b.token);
    scan('first-marker');
    await manager.update(b.token, (d) => ({ ...d, n: 1 }));
    clock.advance(2 * MINUTE);
    await manager.save((await manager.load(b.token))!);
    scan('first-marker');
    const c = manager.create({ data: { marker: 'second-marker' }, userId: 'u1' });
    tokens.push(c.token);
    await manager.save(c);
    await manager.destroyAllForUser('u1', { except: c });
    scan('second-marker');
  });

  it('with hashTokens: false the token is the key (the documented trade-off)', async () => {
    const { manager, dump } = setup({ hashTokens: false });
    const session = manager.create({ data: {} });
    await manager.save(session);
    expect(dump()).toContain(session.token);
  });
});
