import { describe, expect, it } from 'vitest';
import { converseLines, scriptedDeskModel, sessionOutcome, supportDeskRuntime } from './support-desk.js';
import { loadSupportDeskMachine } from './support-desk-machine.js';

describe('sessionOutcome', () => {
  it('counts a success only for an ended session that resolved without escalating', () => {
    expect(sessionOutcome(['greeting', 'identify', 'diagnose', 'resolve', 'closed'], true).resolvedWithoutEscalation).toBe(true);
    expect(sessionOutcome(['greeting', 'identify', 'diagnose', 'escalate', 'closed'], true).resolvedWithoutEscalation).toBe(false);
    expect(sessionOutcome(['greeting', 'identify', 'diagnose', 'resolve'], false)).toMatchObject({ finalState: 'resolve', resolvedWithoutEscalation: false });
  });
});

describe('a support-desk runtime on the scripted model', () => {
  it('speaks with the given persona and stops sending lines once the machine ends', async () => {
    const model = scriptedDeskModel({ recordRequests: true });
    const runtime = supportDeskRuntime({ machine: await loadSupportDeskMachine(), persona: 'a test persona', model });
    const { conversationId } = await runtime.start();
    const lines = ["My headlamp hasn't arrived.", 'A-1005', 'I want to talk to a real person', 'ok', 'never sent'];
    const { states, ended } = await converseLines(runtime, conversationId, lines);
    expect(states).toEqual(['greeting', 'identify', 'diagnose', 'escalate', 'closed']);
    expect(ended).toBe(true);
    const sentTexts = model.requests.map((r) => JSON.stringify(r.messages));
    expect(sentTexts.some((text) => text.includes('never sent'))).toBe(false);
    expect(String(model.requests[0]!.messages[0]!.content)).toContain('You are a test persona.');
  });

  it('fails its first call with a rate limit when asked to', async () => {
    const model = scriptedDeskModel({ failFirst: true });
    await expect(model.complete({ messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ kind: 'rate-limit' });
  });
});
