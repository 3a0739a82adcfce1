import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type * as Yaml from 'yaml';
import { require } from '../../lazy-require.js';
import { MachineDefinitionError } from '../errors/machine-definition-error.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { defineMachine } from './define-machine.js';
import type { Machine } from './machine.js';

// yaml loads with the first YAML definition, not at import: it is a large share of importing
// @kit/fsm (see lazy-require.ts).
let yaml: typeof Yaml | undefined;

/** The text formats a definition can be written in. */
export type MachineDefinitionFormat = 'json' | 'yaml';

/**
 * Parses a definition's text. JSON is tried first when `format` is not given (JSON is also
 * YAML, but JSON's errors say more). A syntax error is a {@link MachineDefinitionError} with one
 * problem at the root.
 */
export function parseMachineDefinition(text: string, options: { format?: MachineDefinitionFormat | undefined; source?: string | undefined } = {}): unknown {
  if (typeof text !== 'string') throw new FsmUsageError(`a machine definition's text must be a string, got ${typeof text}`);
  const format = options.format ?? (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
  try {
    // Aliases are bounded so a small hostile document cannot expand into a huge one.
    return format === 'json' ? JSON.parse(text) : (yaml ??= require('yaml') as typeof Yaml).parse(text, { maxAliasCount: 100 });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new MachineDefinitionError([{ path: '', message: `not valid ${format.toUpperCase()}: ${detail}` }], { source: options.source, cause });
  }
}

/**
 * Parses and defines a machine from JSON or YAML text.
 *
 * @example
 * const machine = loadMachine(await readFile('support.yaml', 'utf8'), { format: 'yaml' });
 */
export function loadMachine(text: string, options: { format?: MachineDefinitionFormat | undefined; source?: string | undefined } = {}): Machine {
  const definition = parseMachineDefinition(text, options);
  return defineMachine(definition, options.source === undefined ? {} : { source: options.source });
}

/** Reads a definition file (`.json`, `.yaml` or `.yml`) and defines its machine. */
export async function loadMachineFile(path: string): Promise<Machine> {
  if (typeof path !== 'string' || path === '') throw new FsmUsageError('loadMachineFile needs a file path');
  const extension = extname(path).toLowerCase();
  const format: MachineDefinitionFormat | undefined = extension === '.json' ? 'json' : extension === '.yaml' || extension === '.yml' ? 'yaml' : undefined;
  return loadMachine(await readFile(path, 'utf8'), { format, source: path });
}
