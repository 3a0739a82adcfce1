import { readFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { readKitPackages } from './kit-packages.js';
import { runCommand } from './run-command.js';
import {
  createTempProject,
  installedPackages,
  npmInstall,
  provideBetterSqlite3Binary,
  runNodeScript,
  workspaceVersion,
  type TempProject,
} from './temp-project.js';

// The packages as a user gets them: the packed tarballs installed with npm into fresh projects
// outside the workspace (so no workspace link or hoisted package can stand in for a missing file
// or dependency), then imported, typechecked and run there.
const packedPackages = inject('packedPackages');
const kitPackages = readKitPackages();
const conversationsManifest = kitPackages.find((pkg) => pkg.name === '@kit/conversations')!.manifest;
const tarballOf = (name: string) => packedPackages.find((packed) => packed.name === name)!.tarball;
const consumerDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'consumer');

/** Every optional peer of every package, at the range its package.json declares. */
const optionalPeers = new Map<string, string>();
for (const { manifest } of kitPackages) {
  for (const [peer, range] of Object.entries(manifest.peerDependencies)) optionalPeers.set(peer, range);
}

/** How each entry point that needs an optional peer is first used; `m` is the imported module. */
const peerUses: { entry: string; peer: string; use?: string }[] = [
  { entry: '@kit/llm/openai', peer: 'openai' },
  { entry: '@kit/llm/anthropic', peer: '@anthropic-ai/sdk' },
  { entry: '@kit/llm/ollama', peer: 'ollama' },
  { entry: '@kit/llm/huggingface', peer: '@huggingface/inference' },
  { entry: '@kit/llm/redis', peer: 'ioredis', use: "m.connectRedis('redis://127.0.0.1:9')" },
  { entry: '@kit/prompts/sqlite', peer: 'better-sqlite3', use: "m.SqlitePromptStore.open(':memory:')" },
  { entry: '@kit/prompts/postgres', peer: 'pg', use: "m.PostgresPromptStore.connect('postgres://127.0.0.1:9/none')" },
  { entry: '@kit/conversations/sqlite', peer: 'better-sqlite3', use: "m.SqliteConversationStore.open(':memory:')" },
  { entry: '@kit/conversations/postgres', peer: 'pg', use: "m.PostgresConversationStore.connect('postgres://127.0.0.1:9/none')" },
];

const lockfileSchema = z.looseObject({ packages: z.record(z.string(), z.looseObject({ resolved: z.string().optional() })) });

/** The TypeScript compiler installed in a project. */
const tsc = (project: TempProject) => join(project.dir, 'node_modules', 'typescript', 'bin', 'tsc');

/** A script that imports each specifier and prints, per specifier, its export names or the error. */
function importEachScript(specifiers: readonly string[]): string {
  return `const results = {};
for (const specifier of ${JSON.stringify(specifiers)}) {
  try {
    results[specifier] = { exports: Object.keys(await import(specifier)) };
  } catch (error) {
    results[specifier] = { error: String(error?.message ?? error), name: error?.name };
  }
}
console.log(JSON.stringify(results));
`;
}

const importResultsSchema = z.record(
  z.string(),
  z.union([z.object({ exports: z.array(z.string()) }), z.object({ error: z.string(), name: z.string().optional() })]),
);

describe('every package installed from its tarball, with every optional peer', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = await createTempProject('kit-consumer-all-');
    // better-sqlite3 at the version the workspace compiled (within the declared range), so that
    // its native module can be copied in rather than compiled again (see provideBetterSqlite3Binary).
    const peers = [...optionalPeers].map(([peer, range]) => (peer === 'better-sqlite3' ? `${peer}@${workspaceVersion(peer)}` : `${peer}@${range}`));
    // What a TypeScript user adds: the compiler, Node's types, and pg's types (the PostgreSQL
    // stores take a pg Pool, so their declarations name pg's types; pg ships none of its own).
    const typePackages = ['typescript@~5.9.3', '@types/node@^20.19.0', `@types/pg@${conversationsManifest.devDependencies['@types/pg']}`];
    await npmInstall(project, [...packedPackages.map((packed) => packed.tarball), ...peers, ...typePackages]);
    await provideBetterSqlite3Binary(project);
  });
  afterAll(() => project?.remove());

  it('installed each Kit package from its tarball, once', () => {
    const lockfile = lockfileSchema.parse(JSON.parse(readFileSync(join(project.dir, 'package-lock.json'), 'utf8')));
    for (const { name } of kitPackages) {
      expect(lockfile.packages[`node_modules/${name}`]?.resolved, name).toMatch(/^file:/);
    }
    const installed = installedPackages(project);
    for (const { name } of kitPackages) expect(installed.get(name), name).toHaveLength(1);
  });

  it('imports every entry point from plain Node ESM', async () => {
    const specifiers = kitPackages.flatMap((pkg) => pkg.entryPoints);
    const { stdout } = await runNodeScript(project, 'import-each.mjs', importEachScript(specifiers));
    const results = importResultsSchema.parse(JSON.parse(stdout));
    const failures = Object.entries(results).filter(([, result]) => 'error' in result);
    expect(failures).toEqual([]);
    for (const { name } of kitPackages) expect(results[name], name).toMatchObject({ exports: expect.arrayContaining([expect.any(String)]) });
  });

  it('typechecks a program using each main API, with moduleResolution nodenext and bundler, then runs it', async () => {
    for (const file of ['usage.ts', 'tsconfig.nodenext.json', 'tsconfig.bundler.json']) await copyFile(join(consumerDir, file), join(project.dir, file));
    await runCommand(process.execPath, [tsc(project), '-p', 'tsconfig.bundler.json'], { cwd: project.dir, timeoutMs: 300_000 });
    await runCommand(process.execPath, [tsc(project), '-p', 'tsconfig.nodenext.json'], { cwd: project.dir, timeoutMs: 300_000 });

    const { stdout } = await runCommand(process.execPath, [join('out', 'usage.js')], { cwd: project.dir, timeoutMs: 120_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      reply: 'Hello!',
      ledgerCalls: 1,
      isProviderError: true,
      prompt: 'Answer as a librarian.',
      resumedHistory: ['system: Answer as a librarian.', 'user: What is BM25?', 'assistant: BM25 ranks documents by term frequency.'],
      fsm: { state: 'done', name: 'Ada', message: 'Thanks, Ada!' },
    });
  });

  it('typechecks the declarations of every entry point', async () => {
    // skipLibCheck is off, so every declaration file an entry point reaches is checked. The DOM
    // library is on here only: the provider SDKs' own declarations use its fetch types.
    await copyFile(join(consumerDir, 'tsconfig.entry-types.json'), join(project.dir, 'tsconfig.entry-types.json'));
    await copyFile(join(consumerDir, 'tsconfig.nodenext.json'), join(project.dir, 'tsconfig.nodenext.json'));
    const entryPoints = kitPackages.flatMap((pkg) => pkg.entryPoints);
    const source = entryPoints.map((entry, index) => `import type * as entry${index} from '${entry}';\nexport type { entry${index} };\n`).join('');
    await writeFile(join(project.dir, 'entry-types.ts'), source);
    await runCommand(process.execPath, [tsc(project), '-p', 'tsconfig.entry-types.json'], { cwd: project.dir, timeoutMs: 300_000 });
  });
});

describe('@kit/llm installed alone', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = await createTempProject('kit-consumer-llm-');
    await npmInstall(project, [tarballOf('@kit/llm')]);
  });
  afterAll(() => project?.remove());

  it('pulls in no other Kit package, no provider SDK and no database driver', () => {
    const installed = installedPackages(project);
    const unwanted = [...kitPackages.map((pkg) => pkg.name).filter((name) => name !== '@kit/llm'), ...optionalPeers.keys()];
    expect(unwanted.filter((name) => installed.has(name))).toEqual([]);
    expect(installed.has('@kit/llm')).toBe(true);
  });

  it('imports its core and test models', async () => {
    const { stdout } = await runNodeScript(project, 'import-core.mjs', importEachScript(['@kit/llm', '@kit/llm/testing']));
    const results = importResultsSchema.parse(JSON.parse(stdout));
    expect(Object.values(results).filter((result) => 'error' in result)).toEqual([]);
  });

  it('names the SDK to install when a model is asked for by name', async () => {
    const script = `import { createModel } from '@kit/llm';
const errors = {};
for (const model of ['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5', 'ollama:llama3.2', 'huggingface:meta-llama/Llama-3.1-8B-Instruct']) {
  errors[model] = await createModel(model, { apiKey: 'k' }).then(() => 'created', (error) => error.message);
}
console.log(JSON.stringify(errors));
`;
    const { stdout } = await runNodeScript(project, 'create-model.mjs', script);
    expect(JSON.parse(stdout)).toEqual({
      'openai:gpt-4o-mini': '@kit/llm/openai needs openai: npm i openai',
      'anthropic:claude-haiku-4-5': '@kit/llm/anthropic needs @anthropic-ai/sdk: npm i @anthropic-ai/sdk',
      'ollama:llama3.2': '@kit/llm/ollama needs ollama: npm i ollama',
      'huggingface:meta-llama/Llama-3.1-8B-Instruct': '@kit/llm/huggingface needs @huggingface/inference: npm i @huggingface/inference',
    });
  });
});

describe('every Kit package installed without optional peers', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = await createTempProject('kit-consumer-no-peers-');
    await npmInstall(project, packedPackages.map((packed) => packed.tarball));
  });
  afterAll(() => project?.remove());

  it('installs no optional peer', () => {
    const installed = installedPackages(project);
    expect([...optionalPeers.keys()].filter((peer) => installed.has(peer))).toEqual([]);
  });

  it('covers every entry point that has an optional peer', () => {
    const covered = new Set(peerUses.map((use) => use.entry));
    const entriesWithPeers = kitPackages.flatMap((pkg) => pkg.entryPoints.filter((entry) => entry !== pkg.name && entry !== `${pkg.name}/testing`));
    expect(entriesWithPeers.filter((entry) => !covered.has(entry))).toEqual([]);
  });

  it.each(peerUses)('$entry fails with an error naming $peer and how to install it', async ({ entry, peer, use }) => {
    // Imported, then (where importing alone needs nothing) used the first way a user would.
    const script = `let message;
try {
  const m = await import(${JSON.stringify(entry)});
  ${use === undefined ? "message = 'imported';" : `await ${use}; message = 'used';`}
} catch (error) {
  message = String(error?.message ?? error);
}
console.log(JSON.stringify(message));
`;
    const { stdout } = await runNodeScript(project, 'peer-use.mjs', script);
    expect(JSON.parse(stdout)).toBe(`${entry} needs ${peer}: npm i ${peer}`);
  });
});
