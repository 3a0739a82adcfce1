import { formatIssues, type ToolCall } from '@kit/llm';
import type { AgentTool } from './agent-tool.js';
import { toJsonValue } from './json-value.js';
import type { PersistentMemory } from './persistent-memory.js';
import { promptValueText } from './prompt-text-escape.js';
import type { ToolCallOutcome } from './tool-call-outcome.js';

/** What a batch of tool calls runs against. */
export interface ToolBatchOptions {
  /** The state the calls run in; each tool gets it as `context.state`. */
  state: string;
  /** The session's memory; each tool gets it as `context.memory`. */
  memory: PersistentMemory;
  /** The tools in scope in `state`, by name: a call to any other name is refused. */
  available: ReadonlyMap<string, AgentTool>;
  /** Time limit of a tool that sets none, in ms. */
  defaultTimeoutMs: number;
  /** Aborting it aborts every tool still running. */
  signal?: AbortSignal | undefined;
}

class ToolTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/**
 * Runs one batch of tool calls at once (`Promise.allSettled`) and returns their outcomes in the
 * order of the calls. A call to a tool outside `available` is refused and a call whose arguments
 * fail the tool's schema is rejected, both without running anything; a tool that throws or runs
 * past its time limit gives an error outcome. Nothing here throws for a tool's sake.
 */
export async function runToolBatch(calls: readonly ToolCall[], options: ToolBatchOptions): Promise<ToolCallOutcome[]> {
  const settled = await Promise.allSettled(calls.map((call) => runToolCall(call, options)));
  return settled.map((result, i) => {
    if (result.status === 'fulfilled') return result.value;
    // runToolCall catches everything; this keeps the contract if that ever changes.
    const call = calls[i]!;
    return failure(call, 'error', `Error: ${errorMessage(result.reason)}`, false, 0);
  });
}

async function runToolCall(call: ToolCall, options: ToolBatchOptions): Promise<ToolCallOutcome> {
  const tool = options.available.get(call.name);
  if (tool === undefined) {
    return failure(call, 'refused', `Error: the tool ${JSON.stringify(call.name)} is not available in this state; nothing was run.`, false, 0);
  }
  const breaking = tool.kind === 'breaking';
  const parsed = tool.parameters.safeParse(call.arguments);
  if (!parsed.success) {
    return failure(call, 'invalid-arguments', `Error: invalid arguments for ${tool.name}: ${formatIssues(parsed.error.issues)}; nothing was run.`, breaking, 0);
  }

  const timeoutMs = tool.timeoutMs ?? options.defaultTimeoutMs;
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new ToolTimeout(timeoutMs)), timeoutMs);
  const started = performance.now();
  try {
    const context = { memory: options.memory, state: options.state, signal: controller.signal, callId: call.id };
    const value = await untilAborted(
      Promise.resolve().then(() => tool.run(parsed.data, context)),
      controller.signal,
    );
    return {
      callId: call.id,
      toolName: call.name,
      arguments: call.arguments,
      status: 'ok',
      content: value === undefined ? '(no output)' : promptValueText(value),
      isError: false,
      value: toJsonValue(value),
      breaking,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    const durationMs = performance.now() - started;
    if (error instanceof ToolTimeout) return failure(call, 'timeout', `Error: ${tool.name} ${error.message}`, breaking, durationMs);
    return failure(call, 'error', `Error: ${errorMessage(error)}`, breaking, durationMs);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onParentAbort);
  }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts (even if `work` ignores it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as unknown);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function failure(call: ToolCall, status: ToolCallOutcome['status'], content: string, breaking: boolean, durationMs: number): ToolCallOutcome {
  return { callId: call.id, toolName: call.name, arguments: call.arguments, status, content, isError: true, value: null, breaking, durationMs };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
