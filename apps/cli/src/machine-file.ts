import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { MachineDefinitionFormat } from '@kit/fsm';

/** The format a machine file's extension names; `undefined` lets the parser tell JSON from YAML. */
export function machineFormatOf(path: string): MachineDefinitionFormat | undefined {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

/** A machine file's text; a missing or unreadable file is a data error (see `reportError`). */
export function readMachineText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
