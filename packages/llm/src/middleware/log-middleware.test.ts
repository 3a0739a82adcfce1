import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { scriptedModel } from '../testing/scripted-model.js';
import { log, type LogEvent } from './log-middleware.js';
import { retry } from './retry-middleware.js';
import { wrapModel } from './wrap-model.js';

const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';

describe('log', () => {
  it('emits start, retry and finish events for one call, with one call id', async () => {
    const events: LogEvent[] = [];
    const model = wrapModel(scriptedModel([{ error: 'server' }, 'done'], { modelId: 'gpt-4o-mini' }), [
      log({ logger: (e) => events.push(e), env: {} }),
      retry({ baseDelayMs: 1 }),
    ]);
    await model.complete({ messages: [{ role: 'user', content: 'hi' }], metadata: { conversation: 'c1' } });
    expect(events.map((e) => e.event)).toEqual(['start', 'retry', 'finish']);
    expect(new Set(events.map((e) => e.callId)).size).toBe(1);
    expect(events[0]).toMatchObject({ provider: 'scripted', model: 'gpt-4o-mini', stream: false, messages: 1, metadata: { conversation: 'c1' } });
    expect(events[2]).toMatchObject({ finishReason: 'stop', usage: { outputTokens: 1 } });
    expect(events[0]).not.toHaveProperty('content');
  });

  it('redacts API keys and Authorization values wherever they appear', async () => {
    const events: LogEvent[] = [];
    const failing = scriptedModel([
      { error: new ProviderError({ kind: 'auth', status: 401, message: `Incorrect API key provided: ${KEY}. Authorization: Bearer abcdefghijklmnop` }) },
    ]);
    const model = wrapModel(failing, [log({ logger: (e) => events.push(e), includeContent: true, env: { MY_SERVICE_TOKEN: 'plain-looking-secret-value' } })]);
    await model
      .complete({ messages: [{ role: 'user', content: `my key is ${KEY} and plain-looking-secret-value` }] })
      .catch(() => undefined);
    const text = JSON.stringify(events);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('plain-looking-secret-value');
    expect(text).toContain('[REDACTED]');
    const error = events.find((e) => e.event === 'error');
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('routes events by level to a console-style logger', async () => {
    const seen: string[] = [];
    const logger = {
      info: (e: LogEvent) => seen.push(`info:${e.event}`),
      warn: (e: LogEvent) => seen.push(`warn:${e.event}`),
      error: (e: LogEvent) => seen.push(`error:${e.event}`),
    };
    const model = wrapModel(scriptedModel([{ error: 'server' }, { error: 'auth' }]), [log({ logger, env: {} }), retry({ baseDelayMs: 1 })]);
    await model.complete({ messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    expect(seen).toEqual(['info:start', 'warn:retry', 'error:error']);
  });

  it('logs a stream once it finishes, with its usage', async () => {
    const events: LogEvent[] = [];
    const model = wrapModel(scriptedModel(['streamed text']), [log({ logger: (e) => events.push(e), env: {} })]);
    for await (const _ of model.stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(events.map((e) => e.event)).toEqual(['start', 'finish']);
    expect(events[1]).toMatchObject({ finishReason: 'stop', usage: { outputTokens: 4 } });
  });
});
