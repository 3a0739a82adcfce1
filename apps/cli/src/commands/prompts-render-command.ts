import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { PromptBuilder, PromptKind, PromptLibrary } from '@kit/prompts';
import type { CliContext } from '../cli-context.js';
import { dataError, usageError } from '../cli-error.js';
import { examples } from '../help-text.js';
import { collect, keyValuesToRecord } from '../key-value.js';
import { readParamsFile } from '../prompts/params-file.js';

interface RenderOptions {
  dir: string;
  kind?: PromptKind;
  index?: string;
  param: string[];
  paramsFile?: string;
  json?: boolean;
}

/** What `kit prompts render --json` prints. */
export interface RenderJson {
  name: string;
  kind: PromptKind;
  /** The rendered text (system and user prompts). */
  content?: string | undefined;
  /** The rendered messages (message sequences). */
  messages?: Array<{ role: string; content: string }> | undefined;
  parametersUsed: string[];
  parametersMissing: string[];
  warnings: string[];
}

const KINDS: readonly PromptKind[] = ['system', 'user', 'messages'];

/** `kit prompts render <name>`: a prompt of a file library, filled with parameters. */
export function registerPromptsRenderCommand(prompts: Command, context: CliContext): void {
  prompts
    .command('render')
    .description('render a prompt of a file library (system/, user/, messages/ folders of YAML or JSON) with parameters')
    .argument('<name>', 'the prompt name, e.g. support or support/greeting')
    .requiredOption('--dir <library>', 'the library folder')
    .addOption(new Option('--kind <kind>', 'which kind of prompt (needed only when the name exists in several)').choices(KINDS))
    .option('--index <n>', 'which variant of a user prompt (default 0)')
    .option('--param <key=value>', 'a parameter; repeatable; a value that parses as JSON is JSON, else text', collect, [])
    .option('--params-file <file>', 'parameters from a JSON or YAML object (--param wins)')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      examples([
        ['kit prompts render support --dir ./prompts --param product=Kit'],
        ['kit prompts render ask --dir ./prompts --kind user --param \'tags=["a","b"]\'', 'JSON values'],
        ['kit prompts render onboarding --dir ./prompts --params-file params.yaml --json', 'a message sequence'],
      ]),
    )
    .action(async (name: string, options: RenderOptions) => {
      const result = await render(name, options);
      for (const warning of result.warnings) context.output.warn(warning);
      if (options.json === true) return context.output.json(result);
      printRendered(context, result);
    });
}

async function render(name: string, options: RenderOptions): Promise<RenderJson> {
  const index = options.index === undefined ? 0 : Number(options.index);
  if (!Number.isInteger(index) || index < 0) throw usageError(`--index must be a whole number from 0, got "${options.index}"`);
  if (!existsSync(options.dir)) throw dataError(`no prompt library at ${options.dir}: the folder does not exist`);
  // Flags win over the file: the file holds defaults, a flag is this run's choice.
  const params = { ...(options.paramsFile === undefined ? {} : await readParamsFile(options.paramsFile)), ...keyValuesToRecord(options.param, '--param') };

  const { FileSystemPromptLibrary, PromptBuilder } = await import('@kit/prompts');
  const library = await FileSystemPromptLibrary.open(options.dir);
  const kind = options.kind ?? (await kindOf(library, name, options.dir));
  const builder = new PromptBuilder({ library });
  // Missing required parameters fail the command (exit 1, naming them); the CLI has no
  // retrieval adapters, so RAG configs are skipped with a warning.
  const build = { level: 'error' as const, skipRag: true };
  const warnings = await ragWarnings(builder, kind, name, index, library);
  if (kind === 'messages') {
    const rendered = await builder.renderMessages(name, params, build);
    return {
      name,
      kind,
      messages: rendered.messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) })),
      parametersUsed: unique(rendered.prompts.flatMap((p) => p.parametersUsed)),
      parametersMissing: unique(rendered.prompts.flatMap((p) => p.parametersMissing)),
      warnings: [...warnings, ...rendered.warnings],
    };
  }
  const rendered = kind === 'system' ? await builder.renderSystemPrompt(name, params, build) : await builder.renderUserPrompt(name, params, { ...build, index });
  // Optional parameters without a value are not worth a warning: their (( )) sections drop by design.
  return { name, kind, content: rendered.content, parametersUsed: rendered.parametersUsed, parametersMissing: rendered.parametersMissing, warnings: [...warnings, ...rendered.warnings] };
}

/** The kind holding `name`; a name in none is a data error, in several a usage error. */
async function kindOf(library: PromptLibrary, name: string, dir: string): Promise<PromptKind> {
  const names = await Promise.all(KINDS.map(async (kind) => [kind, await library.listPrompts(kind)] as const));
  const holding = names.filter(([, list]) => list.includes(name)).map(([kind]) => kind);
  if (holding.length === 1) return holding[0]!;
  if (holding.length > 1) throw usageError(`"${name}" is a ${holding.join(' and a ')} prompt in ${dir}: pass --kind ${holding.join('|')}`);
  const known = names.map(([kind, list]) => `${kind}: ${list.length === 0 ? '(none)' : list.join(', ')}`).join('; ');
  throw dataError(`no prompt named "${name}" in ${dir} (${known})`);
}

async function ragWarnings(builder: PromptBuilder, kind: PromptKind, name: string, index: number, library: PromptLibrary): Promise<string[]> {
  if (kind === 'messages') {
    const sequence = await library.getMessageSequence(name);
    const named = (sequence?.messages ?? []).flatMap((m) => (m.prompt === undefined ? [] : [[m.role === 'system' ? 'system' : 'user', m.prompt, m.index ?? 0] as const]));
    const nested = await Promise.all(named.map(([k, n, i]) => ragWarnings(builder, k, n, i, library)));
    return nested.flat();
  }
  const resolved = await builder.resolve(kind, name, index);
  return resolved.rag.length === 0 ? [] : [`${kind} prompt "${name}" has RAG configs; kit prompts render does not run retrieval, so their placeholders stay empty`];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function printRendered({ output }: CliContext, result: RenderJson): void {
  if (result.content !== undefined) {
    output.line(output.shown(result.content));
    return;
  }
  const c = output.colors;
  (result.messages ?? []).forEach((message, i) => {
    if (i > 0) output.line();
    output.line(c.bold(c.cyan(`[${message.role}]`)));
    output.line(output.shown(message.content));
  });
}
