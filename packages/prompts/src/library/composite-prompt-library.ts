import type { PromptTemplate } from '../template/prompt-template.js';
import type { MessageSequence, PromptKind, PromptLibrary } from './prompt-library.js';

/**
 * Several libraries as one: the first library that holds a name wins (put overrides first).
 * `listPrompts` is the sorted union.
 */
export class CompositePromptLibrary implements PromptLibrary {
  readonly #libraries: readonly PromptLibrary[];

  /** Builds one library over `libraries`, earlier ones winning; the list is copied, the libraries are not. */
  constructor(libraries: readonly PromptLibrary[]) {
    this.#libraries = [...libraries];
  }

  /** The system template `name` from the first library that has it. */
  getSystemPrompt(name: string): Promise<PromptTemplate | undefined> {
    return this.#first((library) => library.getSystemPrompt(name));
  }

  /** The user template `name` at `index` from the first library that has it. */
  getUserPrompt(name: string, index = 0): Promise<PromptTemplate | undefined> {
    return this.#first((library) => library.getUserPrompt(name, index));
  }

  /** The message sequence `name` from the first library that has it. */
  getMessageSequence(name: string): Promise<MessageSequence | undefined> {
    return this.#first((library) => library.getMessageSequence(name));
  }

  /** The names of one kind in any of the libraries, sorted, without duplicates. */
  async listPrompts(kind: PromptKind): Promise<string[]> {
    const lists = await Promise.all(this.#libraries.map((library) => library.listPrompts(kind)));
    return [...new Set(lists.flat())].sort();
  }

  async #first<T>(get: (library: PromptLibrary) => Promise<T | undefined>): Promise<T | undefined> {
    for (const library of this.#libraries) {
      const found = await get(library);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}
