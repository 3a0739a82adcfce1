import type { LanguageModel } from '@kit/llm';
import { tryExtractJson } from '@kit/prompts';

/** What a transition condition sees: the user's input of this step and the model's reply. */
export interface FlowTurn {
  /** The input given to this step; empty for a state that runs without input. */
  input: string;
  /** The text of the model's reply, as the model returned it (before `afterResponse` middleware). */
  reply: string;
  /** The name of the state the turn ran in. */
  state: string;
}

/** Which text a {@link FlowCondition} tests: the model's reply (the default) or the user's input. */
export interface FlowConditionTarget {
  /** `reply` (default) or `input`. */
  on?: 'reply' | 'input' | undefined;
}

/** A transition's test. Text tests look at the reply unless `on: 'input'`. */
export type FlowCondition =
  /** Any of the words or phrases, on word boundaries, case-insensitive. */
  | (FlowConditionTarget & {
      /** A word or phrase, or several (any one matches); whitespace in a phrase matches any run of it. */
      keyword: string | readonly string[];
    })
  | (FlowConditionTarget & {
      /** The pattern; a string is compiled with `flags`, a `RegExp` is used with its own flags. */
      regex: RegExp | string;
      /** Flags for a string `regex` (e.g. `'i'`); ignored for a `RegExp`. */
      flags?: string | undefined;
    })
  /** A field of the first JSON value in the text: `exists`, or `equals` a value (deep equality for JSON). */
  | (FlowConditionTarget & {
      /** The test on the first JSON value found in the text; no JSON counts as a missing field. */
      json: {
        /** Dot-separated keys from the top of the JSON value (`'order.items.0.id'`; array indexes as numbers). */
        path: string;
        /** Holds when the field's value, compared as `JSON.stringify` text, is this one. */
        equals?: unknown;
        /** True (default): the field must be present; false: holds when the field is missing. */
        exists?: boolean | undefined;
      };
    })
  /** The flow's classifier put the text in this label (the classifier is built once per flow). */
  | (FlowConditionTarget & {
      /** One of the classifier's `labels`, spelled exactly as there. */
      classifiedAs: string;
    })
  | {
      /** Any test of the turn, in code. */
      custom: (turn: FlowTurn) => boolean | Promise<boolean>;
    };

/** An LLM classifier: one prompt, a fixed label set, one model call per `classifiedAs` condition tested. */
export interface FlowClassifier {
  /** The model asked to pick a label, at temperature 0. */
  model: LanguageModel;
  /** The labels it may answer; its answer is matched case-insensitively, exactly first, then by containment. */
  labels: readonly string[];
  /** What the labels mean, given to the model. */
  instructions?: string | undefined;
}

/** Compiles a condition once into a test function. */
export function compileCondition(condition: FlowCondition, classify: (text: string) => Promise<string | undefined>): (turn: FlowTurn) => Promise<boolean> {
  if ('custom' in condition) return async (turn) => condition.custom(turn);
  const pick = (turn: FlowTurn): string => (condition.on === 'input' ? turn.input : turn.reply);
  if ('keyword' in condition) {
    const words = typeof condition.keyword === 'string' ? [condition.keyword] : condition.keyword;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
    return async (turn) => pattern.test(pick(turn));
  }
  if ('regex' in condition) {
    const pattern = typeof condition.regex === 'string' ? new RegExp(condition.regex, condition.flags) : condition.regex;
    return async (turn) => {
      pattern.lastIndex = 0;
      return pattern.test(pick(turn));
    };
  }
  if ('json' in condition) {
    const segments = condition.json.path.split('.');
    const { equals, exists } = condition.json;
    return async (turn) => {
      let value: unknown = tryExtractJson(pick(turn));
      for (const segment of segments) {
        if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return exists === false;
        value = (value as Record<string, unknown>)[segment];
      }
      if (equals !== undefined) return JSON.stringify(value) === JSON.stringify(equals);
      return exists !== false;
    };
  }
  return async (turn) => (await classify(pick(turn))) === condition.classifiedAs;
}

/** Builds the classifier's prompt once; returns a function that asks the model and parses one label. */
export function buildClassifier(classifier: FlowClassifier): (text: string) => Promise<string | undefined> {
  const labels = [...classifier.labels];
  const system = [
    'Classify the text into exactly one of these labels and answer with the label only:',
    ...labels.map((l) => `- ${l}`),
    ...(classifier.instructions ? ['', classifier.instructions] : []),
  ].join('\n');
  return async (text) => {
    const reply = await classifier.model.complete({
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: text },
      ],
      temperature: 0,
    });
    const answer = reply.text.trim().toLowerCase();
    // Exact label first, then a label the answer contains (models add punctuation or a sentence).
    return labels.find((l) => l.toLowerCase() === answer) ?? labels.find((l) => answer.includes(l.toLowerCase()));
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}
