import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKitPackages, repoRoot } from './kit-packages.js';
import { runCommand, type CommandResult } from './run-command.js';

// `npm run docs` as CI runs it: TypeDoc over every package with the repository's typedoc.json,
// whose validation treats an undocumented export, a link to something not exported, or a public
// signature naming a type the reference does not show as an error. Written to a temporary folder.
// "Undocumented" is what typedoc.json's requiredToBeDocumented says: top-level exports of those
// kinds, and every call signature (functions, methods, function-valued properties). Plain
// properties, accessors and constructors are not required: most are fields of zod-inferred types
// (some 3,600), whose schemas carry the documentation.

/** TypeDoc's file name for a reflection name: `@kit/llm` -> `_kit_llm`. */
const pageSlug = (name: string) => name.replace(/[^a-z0-9]/gi, '_');

/** The text of an HTML page's `<h1>`, or undefined when it has none. */
const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

/** One entry of the site's navigation tree (assets/navigation.js). */
interface NavigationNode {
  text: string;
  path?: string;
  children?: NavigationNode[];
}

/** The navigation tree TypeDoc 0.28 writes: base64 of deflated JSON, in `window.navigationData`. */
function readNavigation(script: string): NavigationNode[] {
  const data = /window\.navigationData = "([A-Za-z0-9+/=]+)"/.exec(script)?.[1];
  if (data === undefined) throw new Error('assets/navigation.js holds no window.navigationData in the expected form');
  return JSON.parse(inflateSync(Buffer.from(data, 'base64')).toString('utf8')) as NavigationNode[];
}

describe('the API reference (typedoc.json)', () => {
  let out: string;
  let result: CommandResult;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kit-api-docs-'));
    const typedoc = join(repoRoot, 'node_modules', '.bin', 'typedoc');
    result = await runCommand(typedoc, ['--options', 'typedoc.json', '--out', out, '--logLevel', 'Warn'], {
      cwd: repoRoot,
      allowFailure: true,
      timeoutMs: 600_000,
    });
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('builds with no warning: every top-level export and every method or function-valued property documented (plain properties not required), every link resolved', () => {
    const warnings = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /\[(warning|error)\]/.test(line));
    expect(warnings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('has a page for every package and every entry point, headed with its name', async () => {
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const page = (file: string) => readFile(join(out, 'modules', file), 'utf8');
    for (const { name, manifest, entryPoints } of readKitPackages()) {
      const packagePage = `${pageSlug(name)}.html`;
      expect(existsSync(join(out, 'modules', packagePage)), packagePage).toBe(true);
      if (entryPoints.length === 1) {
        // One entry point: its exports are on the package's own page.
        expect(heading(await page(packagePage)), packagePage).toBe(`Module ${name} - v${manifest.version}`);
        continue;
      }
      for (const entryPoint of entryPoints) {
        // The main entry point is named by the `@module` tag of src/index.ts; subpaths by their path.
        const moduleName = entryPoint === name ? name : entryPoint.slice(name.length + 1);
        const file = `${pageSlug(name)}.${pageSlug(moduleName)}.html`;
        expect(existsSync(join(out, 'modules', file)), `${entryPoint}: ${file}`).toBe(true);
        expect(heading(await page(file)), file).toBe(`Module ${moduleName}`);
      }
    }
  });

  it('names every module page and navigation entry: no empty heading, title or link text, no "..html" file', async () => {
    const files = await readdir(join(out, 'modules'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => file.includes('..'))).toEqual([]);
    for (const file of files) {
      const html = await readFile(join(out, 'modules', file), 'utf8');
      expect(heading(html), file).toMatch(/^Module \S/);
      expect(/<title>([^<]*)<\/title>/.exec(html)?.[1], file).toMatch(/^\S/);
    }
    const unnamed: string[] = [];
    const visit = (nodes: NavigationNode[], trail: string) => {
      for (const node of nodes) {
        if (node.text.trim() === '' || node.path?.includes('..')) unnamed.push(`${trail} > "${node.text}" (${node.path ?? 'no page'})`);
        visit(node.children ?? [], `${trail} > ${node.text}`);
      }
    };
    const navigation = readNavigation(await readFile(join(out, 'assets', 'navigation.js'), 'utf8'));
    expect(navigation.length).toBeGreaterThan(0);
    visit(navigation, 'navigation');
    expect(unnamed).toEqual([]);
  });
});
