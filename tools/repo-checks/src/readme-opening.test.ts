import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What every package README opens with, before a reader scrolls: how to install it, a link to
// the API reference that works on GitHub and in a checkout (the generated site is not committed,
// so the link goes to docs/README.md, which says how to build it) with the build command, and a
// runnable example in its first section (readme-examples.test.ts runs it).
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const docsReadme = join(repo, 'docs', 'README.md');
const packages = (await readdir(join(repo, 'packages'))).filter((name) => existsSync(join(repo, 'packages', name, 'README.md'))).sort();

/** The Markdown split before each `## ` heading outside code fences: the introduction, then each section. */
function splitSections(markdown: string): string[] {
  const sections: string[][] = [[]];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (!fenced && line.startsWith('## ')) sections.push([]);
    sections[sections.length - 1]!.push(line);
  }
  return sections.map((lines) => lines.join('\n'));
}

/** The targets of the inline Markdown links in `markdown` that point into the repository (no URL, no bare `#anchor`), without their `#fragment`. */
function localLinkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.replace(/#.*$/, ''));
}

it('finds the package READMEs', () => {
  expect(packages).toEqual(expect.arrayContaining(['conversations', 'fsm', 'llm', 'prompts']));
});

describe('splitSections', () => {
  it('splits at headings outside code fences only', () => {
    expect(splitSections('# t\nintro\n```md\n## not a heading\n```\n## One\na\n## Two\nb')).toEqual([
      '# t\nintro\n```md\n## not a heading\n```',
      '## One\na',
      '## Two\nb',
    ]);
  });
});

describe('localLinkTargets', () => {
  it('keeps relative paths without fragments, drops URLs and anchors', () => {
    expect(localLinkTargets('[a](../../docs/README.md) [b](CHANGELOG.md#0.1.0) [c](https://x.dev) [d](#usage) [e](mailto:a@b.c)')).toEqual([
      '../../docs/README.md',
      'CHANGELOG.md',
    ]);
  });
});

for (const folder of packages) {
  const dir = join(repo, 'packages', folder);
  const { name } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string };
  const readme = await readFile(join(dir, 'README.md'), 'utf8');
  const [intro = '', firstSection = ''] = splitSections(readme);

  describe(`packages/${folder}/README.md opens with`, () => {
    it(`the install command (npm i ${name}) before any example`, () => {
      const install = new RegExp(String.raw`\`\`\`sh\n(?:(?!\`\`\`)[^\n]*\n)*?npm (?:i|install) ${name}(?:\s|$)`, 'm').exec(intro);
      expect(install, 'a ```sh block with the install command, before the first ## heading').not.toBeNull();
      expect(readme.indexOf('```ts')).toBeGreaterThan(install!.index);
    });

    it('a link to the API reference that resolves in the repository, and the command that builds it', () => {
      const targets = localLinkTargets(intro).map((target) => resolve(dir, target));
      expect(targets, 'a link to docs/README.md').toContain(docsReadme);
      for (const target of targets) expect(existsSync(target), target).toBe(true);
      expect(intro).toContain('`npm run docs`');
    });

    it('a runnable example in its first section', () => {
      // ```ts no-run blocks are not run, so they do not count.
      expect(firstSection).toMatch(/^## /);
      expect(firstSection).toMatch(/```ts\n/);
    });
  });
}
