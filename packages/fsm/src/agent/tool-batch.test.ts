import { sleep } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgentTool, type AgentTool } from './agent-tool.js';
import { PersistentMemory } from './persistent-memory.js';
import { runToolBatch } from './tool-batch.js';

function batchOptions(tools: AgentTool[], defaultTimeoutMs = 1_000) {
  return { state: 'work', memory: new PersistentMemory(), available: new Map(tools.map((t) => [t.name, t])), defaultTimeoutMs };
}

const slow = (name: string, ms: number) =>
  defineAgentTool({
    name,
    parameters: z.object({ label: z.string() }),
    run: async ({ label }, { signal }) => {
      await sleep(ms, signal);
      return `${name}:${label}`;
    },
  });

describe('runToolBatch', () => {
  it('runs a batch in parallel and returns results in call order', async () => {
    // Concurrency is observed directly (both tools in flight at once), not by wall-clock time,
    // which a loaded CI machine makes unreliable.
    let inFlight = 0;
    let maxInFlight = 0;
    const tracked = (name: string) =>
      defineAgentTool({
        name,
        parameters: z.object({ label: z.string() }),
        run: async ({ label }, { signal }) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            await sleep(50, signal);
          } finally {
            inFlight--;
          }
          return `${name}:${label}`;
        },
      });
    const outcomes = await runToolBatch(
      [
        { id: 'a', name: 'second', arguments: { label: 'x' } },
        { id: 'b', name: 'first', arguments: { label: 'y' } },
      ],
      batchOptions([tracked('first'), tracked('second')]),
    );
    expect(outcomes.map((o) => [o.callId, o.status, o.content])).toEqual([
      ['a', 'ok', 'second:x'],
      ['b', 'ok', 'first:y'],
    ]);
    expect(maxInFlight).toBe(2);
  });

  it('gives error results for a tool that throws and one that runs past its time limit', async () => {
    let sawAbort = false;
    const failing = defineAgentTool({ name: 'failing', parameters: z.object({}), run: () => {
      throw new Error('disk full');
    } });
    const stuck = defineAgentTool({
      name: 'stuck',
      parameters: z.object({}),
      timeoutMs: 30,
      run: (_args, { signal }) =>
        new Promise(() => {
          // Never settles; only the timeout ends it.
          signal.addEventListener('abort', () => (sawAbort = true));
        }),
    });
    const outcomes = await runToolBatch(
      [
        { id: '1', name: 'failing', arguments: {} },
        { id: '2', name: 'stuck', arguments: {} },
      ],
      batchOptions([failing, stuck]),
    );
    expect(outcomes[0]).toMatchObject({ status: 'error', isError: true, content: 'Error: disk full', value: null });
    expect(outcomes[1]).toMatchObject({ status: 'timeout', isError: true, content: 'Error: stuck timed out after 30 ms' });
    expect(outcomes[1]!.durationMs).toBeGreaterThanOrEqual(25);
    expect(sawAbort).toBe(true);
  });

  it('validates arguments with zod and never runs an invalid call', async () => {
    let runs = 0;
    const book = defineAgentTool({
      name: 'book',
      parameters: z.object({ nights: z.number().int().positive() }),
      run: ({ nights }) => {
        runs++;
        return { booked: nights };
      },
    });
    const outcomes = await runToolBatch(
      [
        { id: '1', name: 'book', arguments: { nights: -2 } },
        { id: '2', name: 'book', arguments: { nights: 'three' } },
        { id: '3', name: 'book', arguments: { nights: 3 } },
      ],
      batchOptions([book]),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['invalid-arguments', 'invalid-arguments', 'ok']);
    expect(outcomes[0]!.content).toMatch(/^Error: invalid arguments for book: nights: .*nothing was run\.$/);
    expect(outcomes[2]).toMatchObject({ content: '{"booked":3}', value: { booked: 3 } });
    expect(runs).toBe(1);
  });

  it('refuses a tool that is not available and runs nothing', async () => {
    let ran = false;
    const lookup = defineAgentTool({ name: 'lookup', parameters: z.object({}), run: () => (ran = true) });
    // The batch offers only `lookup`; `delete_everything` exists elsewhere but not here.
    const outcomes = await runToolBatch([{ id: '1', name: 'delete_everything', arguments: {} }], batchOptions([lookup]));
    expect(outcomes[0]).toMatchObject({ status: 'refused', isError: true, value: null });
    expect(outcomes[0]!.content).toContain('"delete_everything" is not available in this state');
    expect(ran).toBe(false);
  });

  it('gives tools the memory and the state, and aborts them with the run', async () => {
    const remember = defineAgentTool({
      name: 'remember',
      parameters: z.object({ text: z.string() }),
      kind: 'sync',
      run: ({ text }, { memory, state }) => memory.workingMemory.set(0, `${state}: ${text}`),
    });
    const options = batchOptions([remember, slow('slow', 5_000)]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    const outcomes = await runToolBatch(
      [
        { id: '1', name: 'remember', arguments: { text: 'hi' } },
        { id: '2', name: 'slow', arguments: { label: 'z' } },
      ],
      { ...options, signal: controller.signal },
    );
    expect(options.memory.workingMemory.get(0)).toBe('work: hi');
    expect(outcomes[0]).toMatchObject({ status: 'ok', content: '(no output)' });
    expect(outcomes[1]).toMatchObject({ status: 'error', isError: true });
  });
});
