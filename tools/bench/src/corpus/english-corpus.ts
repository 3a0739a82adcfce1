import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/**
 * About `bytes` of real English text: the README files of the installed npm packages, in path
 * order, cut at a character boundary. Real documentation prose (with the inline code and markdown
 * real text has) is a harder and more honest subject than generated sentences from a small word
 * list, whose pieces all repeat. Texts holding special-token strings such as `<|endoftext|>` are
 * left out, because gpt-tokenizer's `encode` (the baseline) refuses them by default.
 */
export function englishCorpus(bytes: number): string {
  const require = createRequire(import.meta.url);
  // The workspace's node_modules: found from a package every install has.
  const modules = dirname(dirname(require.resolve('zod/package.json')));
  const files: string[] = [];
  collectReadmes(modules, files, 0);
  files.sort();
  let text = '';
  for (const file of files) {
    const body = readFileSync(file, 'utf8');
    if (body.includes('<|')) continue;
    text += body + '\n\n';
    if (Buffer.byteLength(text) >= bytes) break;
  }
  if (Buffer.byteLength(text) < bytes) throw new Error(`only ${Buffer.byteLength(text)} bytes of README text under ${modules}`);
  // Cut to `bytes` without splitting a character.
  return Buffer.from(text).subarray(0, bytes).toString('utf8').replace(/\uFFFD$/, '');
}

function collectReadmes(dir: string, out: string[], depth: number): void {
  if (depth > 4) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (/^readme\.md$/i.test(name)) out.push(path);
    else if (!name.startsWith('.') && name !== 'test' && statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      collectReadmes(path, out, depth + 1);
    }
  }
}
