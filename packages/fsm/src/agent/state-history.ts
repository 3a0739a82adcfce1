import { z } from 'zod';
import { jsonValueSchema, toJsonValue, type JsonValue } from './json-value.js';

/** One execution of a state: what went in, what came out, and (after exit) its summary. */
export interface StateHistoryEntry {
  /** The state executed. */
  state: string;
  /** The input the state was entered with, as JSON data. */
  input: JsonValue;
  /** What the state's `onEnter` returned, as JSON data. */
  output: JsonValue;
  /** ISO 8601. */
  at: string;
  /** The summarizer's observe-orient-decide-act summary, set when the state is left. */
  summary?: string | undefined;
}

/** The shape of a stored {@link StateHistoryEntry}, checked when memory is loaded. */
export const stateHistoryEntrySchema = z.object({
  /** The state executed. */
  state: z.string().min(1),
  /** The input the state was entered with, as JSON data. */
  input: jsonValueSchema,
  /** What the state's `onEnter` returned, as JSON data. */
  output: jsonValueSchema,
  /** ISO 8601. */
  at: z.string(),
  /** The summarizer's observe-orient-decide-act summary, set when the state is left. */
  summary: z.string().optional(),
});

/** The ordered record of state executions of a session. */
export class StateHistory {
  readonly #entries: StateHistoryEntry[];

  /** Starts from stored entries, oldest first (copied, not validated); empty by default. */
  constructor(entries: readonly StateHistoryEntry[] = []) {
    this.#entries = entries.map((e) => ({ ...e }));
  }

  /** Records an execution; input and output are kept as plain JSON data. */
  add(entry: { state: string; input: unknown; output: unknown }): StateHistoryEntry {
    const stored: StateHistoryEntry = {
      state: entry.state,
      input: toJsonValue(entry.input),
      output: toJsonValue(entry.output),
      at: new Date().toISOString(),
    };
    this.#entries.push(stored);
    return { ...stored };
  }

  /** The last `n` entries, oldest first (copies). */
  recent(n: number): StateHistoryEntry[] {
    if (n <= 0) return [];
    return this.#entries.slice(-n).map((e) => ({ ...e }));
  }

  /** The most recent entry of `state`, if any (a copy). */
  lastOf(state: string): StateHistoryEntry | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]!;
      if (entry.state === state) return { ...entry };
    }
    return undefined;
  }

  /** Sets the summary of the most recent entry of `state`; false when the state has none. */
  setLastSummary(state: string, summary: string): boolean {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]!;
      if (entry.state === state) {
        entry.summary = summary;
        return true;
      }
    }
    return false;
  }

  /** How many executions are recorded. */
  get length(): number {
    return this.#entries.length;
  }

  /** Every entry, oldest first, as copies. */
  toJSON(): StateHistoryEntry[] {
    return this.#entries.map((e) => structuredClone(e));
  }
}
