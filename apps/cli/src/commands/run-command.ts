import type { Command } from 'commander';
import { storeOption, type CliContext } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import { examples } from '../help-text.js';
import { createModelFromName, resolveModelName } from '../model-spec.js';
import { openConversationStore } from '../open-conversation-store.js';
import { createProgress } from '../progress.js';
import { Interrupt } from '../run/interrupt.js';
import { shellQuote } from '../shell-quote.js';
import { openStore } from '../store-access.js';
import { parseStoreSpec, redactStoreSpec, storeSpecHasPassword } from '../store-spec.js';

interface RunOptions {
  model?: string;
  store: string;
  resume?: string;
}

/** `kit run <machine>`: an interactive chat with a declarative state machine, persisted turn by turn. */
export function registerRunCommand(program: Command, context: CliContext): void {
  program
    .command('run')
    .description('chat with a state machine in the terminal: replies stream as they arrive, the state is shown after each turn, every turn is saved')
    .argument('<machine>', 'the machine file (.json, .yaml or .yml)')
    .option('--model <provider:model>', 'the model, e.g. openai:gpt-4o-mini (default: $KIT_MODEL, else the first provider whose key is set)')
    .addOption(storeOption(context.io))
    .option('--resume <id>', 'continue a stored conversation from its stored state')
    .addHelpText(
      'after',
      examples([
        ['kit run support.yaml --model openai:gpt-4o-mini', 'type a message per line; /quit or Ctrl-D ends'],
        ['kit run support.yaml --store sqlite:./kit.db --resume 3f2c…', 'continue where you stopped'],
        ['printf "hi\\nmy printer is broken\\n" | kit run support.yaml', 'piped input works too'],
      ]) +
        '\nCtrl-C ends the session too (exit 130): finished turns are saved, and kit prints the\n' +
        'command that resumes the conversation.\n',
    )
    .action(async (file: string, options: RunOptions) => {
      context.exitCode = await runMachine(context, file, options);
    });
}

async function runMachine(context: CliContext, file: string, options: RunOptions) {
  const { io, output } = context;
  // Usage first (cheap, and the user's to fix), then the machine, then the provider and the store.
  const spec = parseStoreSpec(options.store);
  if (options.resume !== undefined && spec.kind === 'memory') throw usageError('--resume needs a store that outlives the process: use sqlite:<path> or a postgres:// URL');
  const modelName = await resolveModelName(options.model, io.env);
  const { createRuntime, loadMachineFile } = await import('@kit/fsm');
  const machine = await loadMachineFile(file);
  for (const ignored of machine.ignoredFields) output.warn(`${file}: ${ignored.path} is ignored: ${ignored.reason}`);
  const { retry, wrapModel } = await import('@kit/llm');
  const model = await createModelFromName(modelName);

  const interrupt = new Interrupt();
  // A second Ctrl-C does not wait for anything.
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT_CODES.interrupted);
    interrupt.trigger();
  };
  process.on('SIGINT', onSigint);

  const progress = await createProgress(io);
  try {
    const store = await openStore(spec, progress, openConversationStore);
    try {
      // Interrupt outermost: Ctrl-C also ends a retry's wait.
      const runtime = createRuntime({ machine, model: wrapModel(model, [interrupt.middleware(), retry({ maxAttempts: 3 })]), store });
      const { runChatSession } = await import('../run/chat-session.js');
      return await runChatSession({
        runtime,
        store,
        io,
        output,
        progress,
        interrupt,
        resumeId: options.resume,
        resumeHint: (id) => resumeHint(file, options.store, id, spec.kind === 'memory'),
      });
    } finally {
      progress.stop();
      await store.close();
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The session's last line: the command that continues the conversation (a store URL's password is never printed). */
function resumeHint(file: string, store: string, id: string, memory: boolean): string {
  if (memory) return 'not saved: a memory store is gone when kit exits; use --store sqlite:<path> to keep conversations';
  const hidden = storeSpecHasPassword(store) ? ' (put the password back in the store URL)' : '';
  return `saved. resume with: kit run ${shellQuote(file)} --store ${shellQuote(redactStoreSpec(store))} --resume ${shellQuote(id)}${hidden}`;
}
