// Runs the audit-log recipe of docs/why-logged-out.md, and checks that the page shows exactly
// this code, so the two cannot drift apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditSessions } from './audit-example.js';
import { MINUTE, setup } from './helpers.js';

describe('the audit-log recipe', () => {
  it('logs creation, rotation, termination, revocation and telling misses, without tokens', async () => {
    const { manager, clock } = setup();
    const entries: AuditEntry[] = [];
    const stop = auditSessions(manager as never, (entry) => entries.push(entry));
    const session = manager.create({ data: {} });
    await manager.save(session);
    const ada = (await manager.regenerate(session, { userId: 'ada' }))!;
    const phone = manager.create({ data: {}, userId: 'ada' });
    await manager.save(phone);
    await manager.revoke('ada', phone.handle);
    await manager.load(phone.token);
    await manager.load(undefined);
    clock.advance(MINUTE);
    await manager.destroy(ada);
    stop();
    await manager.save(manager.create({ data: {} }));
    expect(entries.map((e) => [e.event, e.user, e.detail])).toEqual([
      ['session.created', undefined, undefined],
      ['session.rotated', 'ada', session.handle],
      ['session.created', 'ada', undefined],
      ['session.revoked', 'ada', 'one:1'],
      ['session.miss', undefined, 'revoked'],
      ['session.ended', 'ada', undefined],
    ]);
    const text = JSON.stringify(entries);
    for (const token of [session.token, ada.token, phone.token]) expect(text).not.toContain(token);
  });

  it('is the code docs/why-logged-out.md shows', () => {
    const page = readFileSync(
      new URL('../../../../docs/why-logged-out.md', import.meta.url),
      'utf8',
    );
    const example = readFileSync(new URL('./audit-example.ts', import.meta.url), 'utf8');
    const code = example.replace("from '../../src/index.js'", "from '@sessions/core'").trim();
    expect(page).toContain(code);
  });
});
