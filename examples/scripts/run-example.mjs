// Runs one built example: `npm run example -w @kit/examples -- <name>` runs dist/<name>.js.
// Without a name (or with an unknown one) it lists the examples. Build first: `npx nx run @kit/examples:build`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sourceDir = fileURLToPath(new URL('../src/', import.meta.url));
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const examples = readdirSync(sourceDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const name = process.argv[2];
if (name === undefined || !examples.includes(name)) {
  if (name !== undefined) console.error(`No example named "${name}".`);
  console.error(`Usage: npm run example -w @kit/examples -- <name>\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
  process.exit(name === undefined ? 0 : 2);
}
const script = `${distDir}${name}.js`;
if (!existsSync(script)) {
  console.error(`${script} is not built yet: run \`npx nx run @kit/examples:build\` first.`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [script, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
