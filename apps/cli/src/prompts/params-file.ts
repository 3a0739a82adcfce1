import { readFile } from 'node:fs/promises';

/**
 * Template parameters from a JSON or YAML file holding one object. A file that does not parse,
 * or holds something other than an object, is a `LibraryParseError` with the line and column.
 */
export async function readParamsFile(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8');
  const [{ parseLibraryDocument }, { z }] = await Promise.all([import('@kit/prompts'), import('zod')]);
  return parseLibraryDocument(text, path, z.record(z.string(), z.unknown()));
}
