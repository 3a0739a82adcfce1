import type { FsmContext } from '../core/fsm-snapshot.js';

const TAG_CHARACTER = /[<>]/g;

/**
 * The context as compact JSON for a prompt, with every `<` and `>` written as a JSON unicode
 * escape (`\u003c`, `\u003e`). The JSON means the same to the model, but no value can close or
 * open the tags the prompt wraps it in (`</context>`, `<system>`). Keys starting with `_` belong
 * to the system and are left out.
 */
export function promptContextJson(context: FsmContext): string {
  let visible: FsmContext = context;
  for (const key in context) {
    if (key.startsWith('_') && Object.hasOwn(context, key)) {
      const copy: Record<string, unknown> = {};
      for (const name of Object.keys(context)) if (!name.startsWith('_')) copy[name] = context[name];
      visible = copy;
      break;
    }
  }
  return neutralizeTags(JSON.stringify(visible));
}

/** `text` with `<` and `>` as JSON unicode escapes; only for text that is (inside) a JSON string. */
export function neutralizeTags(text: string): string {
  if (!text.includes('<') && !text.includes('>')) return text;
  return text.replace(TAG_CHARACTER, (c) => (c === '<' ? '\\u003c' : '\\u003e'));
}
