import { z } from 'zod';
import { jsonValueSchema, type JsonValue } from './json-value.js';
import { parseAgentInput } from './parse-agent-input.js';
import { lazySchema } from '../lazy-schema.js';

/** The background of an agent session as plain data. */
export interface BackgroundData {
  /** Why the session exists and what it is for; free text, `''` when unset. */
  visionAndMission: string;
  /** What the session aims to achieve; free text, `''` when unset. */
  goals: string;
  /** The TODO list, one item per line; the summarizer replaces it on state exit. */
  todoList: string;
  /** Any other fields, by name, as JSON values. */
  custom: Record<string, JsonValue>;
}

/** The background context as stored: vision and mission, goals, the to-do list, and custom JSON fields. */
export const backgroundDataSchema = z.object({
  /** Why the session exists and what it is for; free text, `''` when unset. */
  visionAndMission: z.string(),
  /** What the session aims to achieve; free text, `''` when unset. */
  goals: z.string(),
  /** The TODO list, one item per line; the summarizer replaces it on state exit. */
  todoList: z.string(),
  /** Any other fields, by name, as JSON values. */
  custom: z.record(z.string(), jsonValueSchema),
});

const patchSchema = lazySchema(() => backgroundDataSchema.partial().strict());
const customKeySchema = lazySchema(() => z.string().min(1, 'a custom field needs a name'));

/**
 * The slow-changing context of a session: vision and mission, goals, the TODO list (which the
 * summarizer refreshes on state exit) and any custom fields (JSON values).
 */
export class BackgroundContext {
  /** Why the session exists and what it is for; free text, `''` when unset. */
  visionAndMission: string;
  /** What the session aims to achieve; free text, `''` when unset. */
  goals: string;
  /** The TODO list, one item per line; the summarizer replaces it on state exit. */
  todoList: string;
  readonly #custom: Map<string, JsonValue>;

  /** Starts from stored data, not validated; a missing field is `''` (no custom fields). */
  constructor(data: Partial<BackgroundData> = {}) {
    this.visionAndMission = data.visionAndMission ?? '';
    this.goals = data.goals ?? '';
    this.todoList = data.todoList ?? '';
    this.#custom = new Map(Object.entries(data.custom ?? {}));
  }

  /** Sets any of the fields at once; `custom` replaces all custom fields. Validated. */
  update(patch: Partial<BackgroundData>): void {
    const parsed = parseAgentInput(patchSchema(), patch, 'background patch');
    if (parsed.visionAndMission !== undefined) this.visionAndMission = parsed.visionAndMission;
    if (parsed.goals !== undefined) this.goals = parsed.goals;
    if (parsed.todoList !== undefined) this.todoList = parsed.todoList;
    if (parsed.custom !== undefined) {
      this.#custom.clear();
      for (const [key, value] of Object.entries(parsed.custom)) this.#custom.set(key, value);
    }
  }

  /** Sets one custom field; the value must be plain JSON data. */
  setCustom(key: string, value: JsonValue): void {
    this.#custom.set(parseAgentInput(customKeySchema(), key, 'custom field name'), parseAgentInput(jsonValueSchema, value, `custom field "${key}"`));
  }

  /** The custom field `key`, or undefined. */
  getCustom(key: string): JsonValue | undefined {
    return this.#custom.get(key);
  }

  /** Removes the custom field `key`; false if there was none. */
  deleteCustom(key: string): boolean {
    return this.#custom.delete(key);
  }

  /** The custom fields, in the order they were first set (a copy). */
  get custom(): Record<string, JsonValue> {
    return structuredClone(Object.fromEntries(this.#custom));
  }

  /** The whole background as plain data (copies). */
  toJSON(): BackgroundData {
    return { visionAndMission: this.visionAndMission, goals: this.goals, todoList: this.todoList, custom: this.custom };
  }
}
