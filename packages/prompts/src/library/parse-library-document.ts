import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { LibraryParseError } from '../errors/prompt-error.js';
import { lazyDependency, require } from '../lazy-dependency.js';

const loadYaml = lazyDependency<typeof Yaml>(() => require('yaml'));

/**
 * Parses a YAML or JSON library file (JSON is parsed as YAML 1.2, so both get line numbers) and
 * validates it with `schema` (or the schema `schema(data)` picks). Any failure is a `LibraryParseError` naming the file, and the line
 * and column of the offending value where it can be found.
 */
export function parseLibraryDocument<S extends z.ZodType>(text: string, file: string, schema: S | ((data: unknown) => S)): z.output<S> {
  const { LineCounter, parseDocument, isNode } = loadYaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxError = document.errors[0];
  if (syntaxError !== undefined) {
    const position = lineCounter.linePos(syntaxError.pos[0]);
    throw new LibraryParseError(`cannot parse ${file}: ${syntaxError.message.split('\n')[0]}`, {
      location: { file, line: position.line, column: position.col },
    });
  }
  const data: unknown = document.toJS();
  // A schema chosen by the data's shape keeps issue paths true to the file (no union noise).
  const result = (typeof schema === 'function' ? schema(data) : schema).safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // The deepest node along the issue's path that exists carries the position.
  let location = { file, line: 1, column: 1 };
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const position = lineCounter.linePos(node.range[0]);
      location = { file, line: position.line, column: position.col };
      break;
    }
  }
  const where = path.length === 0 ? '' : ` at ${path.join('.')}`;
  throw new LibraryParseError(`invalid ${file}${where}: ${issue.message}`, { location });
}
