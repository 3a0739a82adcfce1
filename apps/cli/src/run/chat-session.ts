import { createInterface, type Interface } from 'node:readline';
import type { ConversationStore } from '@kit/conversations';
import type { FsmContext, FsmRuntime } from '@kit/fsm';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { printError } from '../print-error.js';
import type { Progress } from '../progress.js';
import type { Interrupt } from './interrupt.js';
import { stateLine, turnLines } from './turn-display.js';

/** Typed instead of a message: ends the session like end of input. */
export const QUIT_COMMAND = '/quit';

export interface ChatSessionOptions {
  runtime: FsmRuntime;
  store: ConversationStore;
  io: CliIo;
  output: Output;
  progress: Progress;
  interrupt: Interrupt;
  /** Continue this stored conversation instead of starting one. */
  resumeId?: string | undefined;
  /** The last line of a session: where the conversation is saved and how to continue it. */
  resumeHint: (conversationId: string) => string;
}

/**
 * An interactive chat with a machine: the opening (or, when resuming, the stored state), then
 * one turn per line of input, each reply streamed as it arrives with the state after it. Ends on
 * end of input, `/quit`, a terminal state, Ctrl-C or a failed turn, and says how to resume.
 * Returns the exit code. Every finished turn is in the store before its state is shown.
 */
export async function runChatSession(options: ChatSessionOptions): Promise<ExitCode> {
  const { runtime, output, progress, interrupt } = options;
  const c = output.colors;
  const speaker = `${runtime.machine.name}:`;
  let conversationId: string;
  let context: FsmContext;
  let state: string;

  try {
    if (options.resumeId !== undefined) {
      conversationId = options.resumeId;
      const snapshot = await progress.during('loading the conversation', () => runtime.getSnapshot(conversationId));
      context = snapshot.context;
      output.note(c.dim(`resuming conversation ${conversationId} (machine ${snapshot.machine}, turn ${snapshot.turn})`));
      const last = await lastReply(options.store, conversationId);
      if (last !== undefined) output.line(`${c.bold(c.green(speaker))} ${output.shown(last)}`);
      state = snapshot.state;
      output.line(stateLine({ state, previousState: state, transition: undefined, ended: isTerminal(runtime, state) }, c));
    } else {
      const started = await progress.during('waiting for the model', () => runtime.start());
      conversationId = started.conversationId;
      context = (await runtime.getSnapshot(conversationId)).context;
      output.note(c.dim(`conversation ${conversationId} (machine ${runtime.machine.name})`));
      output.line(`${c.bold(c.green(speaker))} ${output.shown(started.message)}`);
      state = started.state;
      output.line(stateLine({ state, previousState: state, transition: undefined, ended: isTerminal(runtime, state) }, c));
    }
  } catch (error) {
    progress.stop();
    if (interrupt.interrupted) {
      output.note('interrupted before the conversation started: nothing was saved');
      return EXIT_CODES.interrupted;
    }
    throw error;
  }

  const end = (code: ExitCode, why?: string): ExitCode => {
    if (why !== undefined) output.note(why);
    output.note(options.resumeHint(conversationId));
    return code;
  };
  const interrupted = (): ExitCode => end(EXIT_CODES.interrupted, 'interrupted: finished turns are saved, an unfinished one is not');
  // A machine that starts (or a conversation that was left) in a terminal state has nothing to continue.
  if (isTerminal(runtime, state)) return end(EXIT_CODES.ok, `the conversation is in ${state}, a terminal state`);

  const reader = openLineReader(options.io);
  interrupt.onInterrupt(() => reader.close());
  try {
    reader.prompt();
    for await (const raw of reader) {
      if (interrupt.interrupted) break;
      const text = raw.trim();
      if (text === '') {
        reader.prompt();
        continue;
      }
      if (text === QUIT_COMMAND) return end(EXIT_CODES.ok);
      // Without a terminal prompt the input is not on stdout: show it, so stdout reads as a conversation.
      if (!reader.interactive) output.line(`${c.bold(c.cyan('>'))} ${output.shown(raw)}`);
      try {
        const result = await streamTurn(options, conversationId, raw, speaker);
        for (const line of turnLines(result, context, c)) output.line(line);
        context = result.context;
        if (result.ended) return end(EXIT_CODES.ok, `the conversation reached ${result.state}, a terminal state`);
      } catch (error) {
        progress.stop();
        if (interrupt.interrupted) return interrupted();
        const report = await printError(output, options.io, error);
        return end(report.exitCode, 'this turn was not saved');
      }
      reader.prompt();
    }
  } finally {
    reader.close();
  }
  if (interrupt.interrupted) {
    // Ctrl-C at the prompt leaves the cursor after `> `.
    if (reader.interactive) output.line();
    return interrupted();
  }
  return end(EXIT_CODES.ok);
}

/** One turn: the reply streamed to stdout as it arrives, a spinner until the first piece. */
async function streamTurn(options: ChatSessionOptions, conversationId: string, text: string, speaker: string) {
  const { runtime, output, progress } = options;
  const c = output.colors;
  let started = false;
  const begin = (): void => {
    if (started) return;
    started = true;
    progress.stop();
    output.write(`${c.bold(c.green(speaker))} `);
  };
  progress.start('waiting for the model');
  try {
    for await (const event of runtime.converseStream(conversationId, text)) {
      if (event.type === 'text-delta') {
        begin();
        output.write(output.shown(event.text));
      } else if (event.type === 'turn-end') {
        begin();
        output.line();
        return event.result;
      } else {
        // Another process wrote the conversation first: what streamed was not stored, and the
        // runtime runs the turn again from the fresh state.
        if (started) output.line();
        output.line(c.yellow('(the conversation changed elsewhere: this reply was dropped and is written again)'));
        started = false;
        progress.start('waiting for the model');
      }
    }
  } catch (error) {
    // End the half-written reply's line before the error is printed.
    if (started) output.line();
    throw error;
  }
  throw new Error('the reply stream ended without a result');
}

function isTerminal(runtime: FsmRuntime, state: string): boolean {
  return runtime.machine.states.get(state)?.terminal ?? false;
}

/** The text of the stored reply the conversation stopped at, to show when resuming. */
async function lastReply(store: ConversationStore, conversationId: string): Promise<string | undefined> {
  const stored = await store.load(conversationId);
  const active = stored?.nodes.find((node) => node.id === stored.activeNodeId);
  return active?.message.role === 'assistant' && typeof active.message.content === 'string' ? active.message.content : undefined;
}

interface LineReader extends AsyncIterable<string> {
  /** Stdin and stdout are a terminal: a `> ` prompt and line editing. */
  readonly interactive: boolean;
  /** Shows `> ` on a terminal; nothing when input is piped. */
  prompt(): void;
  close(): void;
}

/**
 * Lines of stdin through readline. When stdin and stdout are both a terminal, a `> ` prompt and
 * line editing; otherwise plain lines (stdout may be a file: no prompt or escape codes in it).
 */
function openLineReader(io: CliIo): LineReader {
  const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const rl: Interface = createInterface({
    input: io.stdin,
    ...(terminal ? { output: io.stdout as NodeJS.WritableStream, terminal: true, prompt: '> ' } : { terminal: false }),
    historySize: terminal ? 100 : 0,
  });
  // Ctrl-C on a terminal reaches readline, not the process: pass it on as the signal.
  rl.on('SIGINT', () => process.emit('SIGINT'));
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  const lines = rl[Symbol.asyncIterator]();
  return {
    interactive: terminal,
    prompt: () => {
      if (terminal && !closed) rl.prompt();
    },
    close: () => {
      if (!closed) rl.close();
    },
    [Symbol.asyncIterator]: () => lines,
  };
}
