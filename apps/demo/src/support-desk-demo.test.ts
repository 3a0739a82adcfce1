import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENING_USER_MESSAGE } from '@kit/fsm';
import { scriptedModel } from '@kit/llm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedSupportAgent } from './scripted-support-agent.js';
import { PROVIDER_SESSIONS, runSupportDeskDemo } from './support-desk-demo.js';

describe('the demo on a provider', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-demo-provider-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every step on the provider model, only a few simulated sessions, and says so', async () => {
    // Stands in for a real provider: one model answering every kind of request the demo makes.
    const agent = scriptedSupportAgent(OPENING_USER_MESSAGE);
    const provider = scriptedModel(
      [
        (request) => {
          if (request.tools !== undefined && request.tools.length > 0) return 'Nothing to note.'; // the ticket agent, calling no tool
          const fromMachine = typeof request.messages[0]?.content === 'string' && request.messages[0].content.includes('The conversation is in the state');
          return fromMachine ? agent(request) : 'Here it is again, in other words.';
        },
      ],
      { provider: 'openai', modelId: 'gpt-4o-mini', loop: true },
    );
    const lines: string[] = [];
    const result = await runSupportDeskDemo({ dataDir: dir, model: provider, print: (line) => lines.push(line) });
    const text = lines.join('\n');

    expect(result.batch.sessions).toBe(PROVIDER_SESSIONS);
    expect(text).toContain(`${PROVIDER_SESSIONS} SIMULATED customers on the real provider`);
    expect(text).toContain('Here it is again, in other words.');
    expect(text).toContain('Not filed: the guard found no summary or action in memory.');
    expect(text).toContain('Prices of openai:gpt-4o-mini from the built-in pricing table.');
    expect(text).toMatch(/^1\s+conversation · text\s+openai:gpt-4o-mini\s/m);
    expect(result.models.ledger.entries().every((entry) => entry.provider === 'openai')).toBe(true);
    expect(result.showcase.resumedState).toBe('closed');
  });
});
