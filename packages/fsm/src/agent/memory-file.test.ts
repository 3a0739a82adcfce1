import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentError } from './agent-error.js';
import { fileMemoryPersistence } from './memory-persistence.js';
import { PersistentMemory } from './persistent-memory.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kit-fsm-memory-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memory files', () => {
  it('round-trips memory through a JSON file and leaves no temporary file', async () => {
    const memory = new PersistentMemory();
    memory.workingMemory.set(4, 'kept on disk');
    memory.background.update({ todoList: '- a\n- b', custom: { tags: ['x', 'y'] } });
    memory.history.add({ state: 'draft', input: 'topic', output: { words: 120 } });
    memory.currentState = 'draft';
    const path = join(dir, 'memory.json');

    await memory.saveToFile(path);
    const loaded = await PersistentMemory.loadFromFile(path);
    expect(loaded.toJSON()).toEqual(memory.toJSON());
    expect(await readdir(dir)).toEqual(['memory.json']);

    // A second save replaces the file whole.
    loaded.workingMemory.clear();
    await loaded.saveToFile(path);
    expect((await PersistentMemory.loadFromFile(path)).workingMemory.isEmpty()).toBe(true);
  });

  it('reports a missing file as memory-not-found and a corrupt one as memory-corrupt', async () => {
    await expect(PersistentMemory.loadFromFile(join(dir, 'none.json'))).rejects.toMatchObject({ reason: 'memory-not-found' });

    const notJson = join(dir, 'broken.json');
    await writeFile(notJson, '{"format": "kit.fsm.memory", "vers');
    await expect(PersistentMemory.loadFromFile(notJson)).rejects.toThrow(/not valid JSON/);

    const wrongShape = join(dir, 'wrong.json');
    await writeFile(wrongShape, JSON.stringify({ format: 'kit.fsm.memory', version: 1, workingMemory: [] }));
    const error = await PersistentMemory.loadFromFile(wrongShape).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).reason).toBe('memory-corrupt');
    expect((error as AgentError).message).toContain('workingMemory');
  });

  it('fileMemoryPersistence loads null before the first save', async () => {
    const persistence = fileMemoryPersistence(join(dir, 'session.json'));
    expect(await persistence.load()).toBeNull();
    const memory = new PersistentMemory();
    memory.workingMemory.set(0, 'saved');
    await persistence.save(memory);
    expect((await persistence.load())?.workingMemory.get(0)).toBe('saved');
  });
});
