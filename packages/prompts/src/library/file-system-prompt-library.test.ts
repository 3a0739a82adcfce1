import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LibraryParseError } from '../errors/prompt-error.js';
import { FileSystemPromptLibrary } from './file-system-prompt-library.js';

let root: string;
const write = async (path: string, text: string): Promise<void> => {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
};
const openError = (): Promise<LibraryParseError> => FileSystemPromptLibrary.open(root).then(
  () => {
    throw new Error('expected the library to fail to open');
  },
  (e: LibraryParseError) => e,
);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kit-prompts-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FileSystemPromptLibrary', () => {
  it('reads system, user and messages folders in YAML and JSON, subfolders as name paths', async () => {
    await write('system/assistant.yaml', 'template: |\n  You help with {{product}}.\ndefaults:\n  product: Kit\n');
    await write('system/support/greeting.yml', 'Hello from support');
    await write('user/ask.json', JSON.stringify([{ template: 'Q1 {{q}}' }, 'Q2 {{q}}']));
    await write('messages/chat.yaml', 'messages:\n  - role: system\n    prompt: assistant\n  - role: user\n    template: "{{q}}"\n');
    await write('system/README.md', 'not a prompt');
    const library = await FileSystemPromptLibrary.open(root);
    expect(await library.listPrompts('system')).toEqual(['assistant', 'support/greeting']);
    expect(await library.getSystemPrompt('assistant')).toEqual({ template: 'You help with {{product}}.\n', defaults: { product: 'Kit' } });
    expect((await library.getSystemPrompt('support/greeting'))?.template).toBe('Hello from support');
    expect((await library.getUserPrompt('ask', 1))?.template).toBe('Q2 {{q}}');
    expect((await library.getMessageSequence('chat'))?.messages[0]).toEqual({ role: 'system', prompt: 'assistant' });
  });

  it('treats a missing kind folder as empty', async () => {
    await write('system/a.yaml', 'A');
    const library = await FileSystemPromptLibrary.open(root);
    expect(await library.listPrompts('user')).toEqual([]);
  });

  it('names the file, line and column of malformed YAML', async () => {
    await write('system/ok.yaml', 'fine');
    await write('system/broken.yaml', 'template: hello\ndefaults:\n  a: [1, 2\n');
    const error = await openError();
    expect(error).toBeInstanceOf(LibraryParseError);
    expect(error.location?.file).toBe(join('system', 'broken.yaml'));
    expect(error.location?.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toContain('broken.yaml');
  });

  it('names the line of a value that fails validation', async () => {
    await write('user/bad.yaml', 'template: hi\nvalidation:\n  required: [ok]\n  level: loud\n');
    const error = await openError();
    expect(error.message).toMatch(/invalid user[/\\]bad\.yaml at validation\.level/);
    expect(error.location).toMatchObject({ line: 4, column: 10 });
  });

  it('rejects two files defining one name', async () => {
    await write('system/a.yaml', 'A');
    await write('system/a.json', '"A"');
    await expect(openError()).resolves.toMatchObject({ message: expect.stringContaining('two files define the system prompt "a"') });
  });

  it('reloads on change when watching, and keeps the last good version when a change does not parse', async () => {
    await write('system/a.yaml', 'first');
    let reloads = 0;
    const errors: LibraryParseError[] = [];
    const library = await FileSystemPromptLibrary.open(root, {
      watch: true,
      debounceMs: 20,
      onReload: () => reloads++,
      onError: (e) => errors.push(e),
    });
    try {
      await write('system/a.yaml', 'second');
      await vi.waitFor(async () => expect((await library.getSystemPrompt('a'))?.template).toBe('second'), { timeout: 5_000 });
      expect(reloads).toBeGreaterThan(0);

      await write('system/a.yaml', 'template: [unclosed');
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 5_000 });
      expect(errors[0]).toBeInstanceOf(LibraryParseError);
      expect(errors[0]!.location?.file).toBe(join('system', 'a.yaml'));
      expect((await library.getSystemPrompt('a'))?.template).toBe('second');
    } finally {
      library.close();
    }
  });
});
