import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CliContext } from './cli-context.js';
import { registerConversationsListCommand } from './commands/conversations-list-command.js';
import { registerConversationsShowCommand } from './commands/conversations-show-command.js';
import { registerExperimentsReportCommand } from './commands/experiments-report-command.js';
import { registerGraphCommand } from './commands/graph-command.js';
import { registerPromptsRenderCommand } from './commands/prompts-render-command.js';
import { registerPromptsVersionsCommand } from './commands/prompts-versions-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerValidateCommand } from './commands/validate-command.js';
import { EXIT_CODES } from './exit-codes.js';

/** This package's version, from its package.json (one level above `src/` and `dist/`). */
export function cliVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

const OVERVIEW = `
Exit codes:
  0  ok
  1  a problem in the input (machine, template parameters, an id not in the store)
  2  usage: a bad flag or argument, a bad store spec, no model configured
  3  a run-time failure: the provider, the database
  130  kit run ended by Ctrl-C (after saving)

Environment:
  KIT_MODEL                 the model when --model is not given, e.g. anthropic:claude-sonnet-4-5
  OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OLLAMA_HOST, HF_TOKEN
                            provider credentials and endpoints (never printed)
  KIT_STORE                 the store when --store is not given (default sqlite:./kit.db)
  NO_COLOR                  no colors (colors are off anyway when output is not a terminal)
  KIT_DEBUG=1               stack traces with errors

Examples:
  $ kit validate support.yaml
  $ kit run support.yaml --model openai:gpt-4o-mini
  $ kit conversations show <id> --tree
  $ kit <command> --help
`;

/**
 * The `kit` command line: every command, its options and help. Errors go through `exitOverride`
 * to the caller (`runCli`), which prints them as `kit: <message>` and picks the exit code.
 */
export function createProgram(context: CliContext): Command {
  const { output } = context;
  const program = new Command('kit');
  // Settings first: subcommands copy them when they are created.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void context.io.stdout.write(text),
      writeErr: (text) => void context.io.stderr.write(text),
      outputError: (text, write) => write(output.errorColors.red(`kit: ${text.replace(/^error: /, '')}`)),
    })
    .showHelpAfterError('(add --help for usage and examples)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false });

  program
    .description('Kit on the command line: run, validate and draw state machines; render prompts; report experiments; inspect conversations.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addHelpText('after', OVERVIEW);

  registerRunCommand(program, context);
  registerValidateCommand(program, context);
  registerGraphCommand(program, context);

  const prompts = program.command('prompts').description('prompt templates: render from a file library, list stored versions');
  prompts.addHelpText('after', '\nExamples:\n  $ kit prompts render support --dir ./prompts --param product=Kit\n  $ kit prompts versions greeting --store sqlite:./kit.db\n');
  registerPromptsRenderCommand(prompts, context);
  registerPromptsVersionsCommand(prompts, context);

  const experiments = program.command('experiments').description('A/B experiments on prompt versions');
  experiments.addHelpText('after', '\nExamples:\n  $ kit experiments report greeting-warmth --store sqlite:./kit.db\n');
  registerExperimentsReportCommand(experiments, context);

  const conversations = program.command('conversations').description('stored conversations: list them, show one as a transcript or a tree');
  conversations.addHelpText('after', '\nExamples:\n  $ kit conversations list --store sqlite:./kit.db\n  $ kit conversations show <id> --tree\n');
  registerConversationsListCommand(conversations, context);
  registerConversationsShowCommand(conversations, context);

  return program;
}

/** commander's own exits: help and version are fine, anything else is a usage error. */
export function commanderExitCode(exitCode: number): number {
  return exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
}
