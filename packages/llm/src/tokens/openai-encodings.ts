/** The OpenAI tokenizers Kit counts exactly (with `tiktoken`). */
export type OpenAIEncoding = 'o200k_base' | 'cl100k_base';

export const OPENAI_ENCODINGS: readonly OpenAIEncoding[] = ['o200k_base', 'cl100k_base'];

/**
 * Model id prefixes and their tokenizer, from OpenAI's model pages and tiktoken's own
 * `model.py` table. Sorted longest first below, so `gpt-4o-mini` finds `gpt-4o` (o200k) before
 * `gpt-4` (cl100k).
 */
const FAMILIES: ReadonlyArray<readonly [prefix: string, encoding: OpenAIEncoding]> = [
  ['gpt-4o', 'o200k_base'],
  ['chatgpt-4o', 'o200k_base'],
  ['gpt-4.1', 'o200k_base'],
  ['gpt-4.5', 'o200k_base'],
  ['gpt-5', 'o200k_base'],
  ['o1', 'o200k_base'],
  ['o3', 'o200k_base'],
  ['o4', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5', 'cl100k_base'],
  ['gpt-35', 'cl100k_base'], // Azure's spelling of gpt-3.5
  ['text-embedding-3', 'cl100k_base'],
  ['text-embedding-ada-002', 'cl100k_base'],
];
const MODEL_PREFIXES = [...FAMILIES].sort((a, b) => b[0].length - a[0].length);

/**
 * What may follow a prefix and still be the same family: the end, a snapshot or variant
 * (`-mini`, `-2024-08-06`), a minor version (`gpt-5.1`) or a tag (`:latest`, `@2024`). So `o1`
 * does not claim some other vendor's `o1x`, and `gpt-4` does not claim a hypothetical `gpt-40`.
 */
function boundaryAt(id: string, index: number): boolean {
  if (index === id.length) return true;
  const c = id.charCodeAt(index);
  return c === 45 /* - */ || c === 46 /* . */ || c === 58 /* : */ || c === 64; /* @ */
}

function encodingOfSegment(segment: string): OpenAIEncoding | undefined {
  for (const [prefix, encoding] of MODEL_PREFIXES) {
    if (segment.startsWith(prefix) && boundaryAt(segment, prefix.length)) return encoding;
  }
  return undefined;
}

// Model ids repeat on every call (countTokens runs per request), so the answer is memoised;
// bounded so that a caller generating ids cannot grow it without limit.
const memo = new Map<string, OpenAIEncoding | null>();
const MEMO_LIMIT = 1024;

/**
 * The tokenizer OpenAI uses for a model, or `undefined` for non-OpenAI models.
 *
 * Accepts routing prefixes (`openai:gpt-4o-mini`, `openai/gpt-4o`,
 * `openrouter:openai/gpt-4o`) and fine-tune ids (`ft:gpt-4o-mini-2024-07-18:org::id`): the
 * first `:`- or `/`-separated segment that names an OpenAI family decides.
 */
export function encodingForModel(model: string): OpenAIEncoding | undefined {
  const cached = memo.get(model);
  if (cached !== undefined) return cached ?? undefined;
  let found: OpenAIEncoding | undefined;
  for (const segment of model.toLowerCase().split(/[:/]/)) {
    found = encodingOfSegment(segment);
    if (found !== undefined) break;
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(model, found ?? null);
  return found;
}

/** The part of a model id after any routing prefix, lower-cased: `openai/GPT-4o` → `gpt-4o`. */
export function openAIModelName(model: string): string {
  const lower = model.toLowerCase();
  for (const segment of lower.split(/[:/]/)) if (encodingOfSegment(segment) !== undefined) return segment;
  return lower;
}

// The pre-tokenizer patterns below are tiktoken's own (`tiktoken_ext/openai_public.py`, and the
// strings compiled into the tiktoken 1.0.22 WASM), rewritten for JavaScript:
// - Rust's `\s` is Unicode White_Space; JavaScript's `\s` also matches U+FEFF and misses U+0085,
//   so `\p{White_Space}` is spelled out.
// - Node 20 has no inline `(?i:...)`, so the contraction suffixes spell out both cases, including
//   U+017F (long s), which case-folds to `s` in Rust's regex as it does in JS `/iu`.
// Splitting text with them gives exactly tiktoken's pieces; BPE then runs per piece, so the sum
// of per-piece counts is tiktoken's count. Tests check this against tiktoken on varied text.
const WS = String.raw`\p{White_Space}`;
const CONTRACTION = String.raw`'(?:[sS\u017F]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])`;
const UPPER = String.raw`[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`;
const LOWER = String.raw`[\p{Ll}\p{Lm}\p{Lo}\p{M}]`;

const PATTERNS: Record<OpenAIEncoding, string> = {
  o200k_base: [
    String.raw`[^\r\n\p{L}\p{N}]?${UPPER}*${LOWER}+(?:${CONTRACTION})?`,
    String.raw`[^\r\n\p{L}\p{N}]?${UPPER}+${LOWER}*(?:${CONTRACTION})?`,
    String.raw`\p{N}{1,3}`,
    String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n/]*`,
    String.raw`${WS}*[\r\n]+`,
    String.raw`${WS}+(?!\P{White_Space})`,
    String.raw`${WS}+`,
  ].join('|'),
  cl100k_base: [
    CONTRACTION,
    String.raw`[^\r\n\p{L}\p{N}]?\p{L}+`,
    String.raw`\p{N}{1,3}`,
    String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n]*`,
    String.raw`${WS}*[\r\n]+`,
    String.raw`${WS}+(?!\P{White_Space})`,
    String.raw`${WS}+`,
  ].join('|'),
};

/**
 * A fresh global regex that splits text into the pieces tiktoken's BPE sees for `encoding`.
 * Fresh because a `g` regex carries `lastIndex`; callers keep one per tokenizer.
 */
export function pieceSplitter(encoding: OpenAIEncoding): RegExp {
  return new RegExp(PATTERNS[encoding], 'gu');
}
