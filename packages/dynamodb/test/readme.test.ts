// The README does not drift: its quick start is examples/quick-start.ts verbatim and runs
// against the emulator; its table definitions are the ones the store creates.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TTL_ATTRIBUTE, tableDefinition } from '../src/index.js';
import { endpoint } from './support.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const jsonBlocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) =>
  JSON.parse(m[1] ?? ''),
);

describe('README', () => {
  test('the quick start is examples/quick-start.ts, verbatim', () => {
    const example = readFileSync(new URL('../examples/quick-start.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`## Quick start\n\n\`\`\`ts\n${example}\`\`\``);
  });

  test('the CreateTable input and the CloudFormation table are what the store creates', () => {
    const [createTable, cloudFormation] = jsonBlocks;
    expect(createTable).toEqual(tableDefinition('sessions'));
    const { TimeToLiveSpecification, ...properties } = cloudFormation.SessionsTable.Properties;
    expect(properties).toEqual(tableDefinition('sessions'));
    expect(TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });
});

describe.skipIf(!endpoint)('README quick start', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  test('runs against DynamoDB Local and prints what its comments say', async () => {
    vi.stubEnv('DYNAMODB_ENDPOINT', endpoint);
    const printed: unknown[] = [];
    vi.spyOn(console, 'log').mockImplementation((value: unknown) => {
      printed.push(value);
    });
    await import('../examples/quick-start.js');
    expect(printed).toEqual([1, { cart: ['apple'] }, true, true]);
  });
});
