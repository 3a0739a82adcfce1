/**
 * Makes a value safe to place between the tags of a prompt: `&`, `<` and `>` become entities, so
 * a value can neither close the tag it sits in nor open a new one (nor spell a tokenizer special
 * token such as `<|endoftext|>`). `&` is escaped too, so the escaping cannot be forged.
 */
export function escapePromptText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `escapePromptText` for an attribute value inside double quotes: also escapes `"`. */
export function escapePromptAttribute(value: string): string {
  return escapePromptText(value).replace(/"/g, '&quot;');
}

/** A value as prompt text: strings as they are, anything else as JSON (undefined as empty). */
export function promptValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle or a BigInt: JSON cannot say it, so show what String can.
    return String(value);
  }
}
