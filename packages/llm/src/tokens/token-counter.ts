import type { Tiktoken } from 'tiktoken';
import type { TokenCount, TokenCountInput } from '../language-model.js';
import { toJsonSchema } from '../types/json-schema.js';
import { countChatPrompt, type ToolSchema } from './chat-framing.js';
import { encodingForModel, pieceSplitter, type OpenAIEncoding } from './openai-encodings.js';

export { encodingForModel, type OpenAIEncoding } from './openai-encodings.js';

/**
 * Pre-tokenizer pieces longer than this (in UTF-8 bytes) are not given to BPE whole. tiktoken's
 * BPE is quadratic in a piece's bytes (measured with tiktoken 1.0.22: 1 kB ≈ 1.5 ms, 3 kB ≈ 10 ms,
 * 100 kB ≈ 8-18 s), and text without whitespace, digits or case changes (`'a'.repeat(1e5)`, a long
 * run of punctuation, a DNA sequence) is one piece. Real prose, code and JSON have pieces of a few
 * bytes; even long CJK clauses stay well under 1 kB.
 */
export const MAX_EXACT_PIECE_BYTES = 1000;
/** Giant pieces are counted in chunks of about this many bytes: ≈0.03 ms each, so 100 kB ≈ 25 ms. */
const GIANT_PIECE_CHUNK_BYTES = 128;
/** Distinct short pieces whose counts are remembered (words, punctuation, whitespace runs). */
const PIECE_CACHE_LIMIT = 50_000;
/** Longer pieces rarely repeat; caching them would only cost memory. */
const CACHEABLE_PIECE_LENGTH = 48;

/** A loaded tokenizer: counts synchronously. Get one with {@link loadTokenizer}. */
export interface Tokenizer {
  /** The tiktoken encoding it counts with: `o200k_base` or `cl100k_base`. */
  readonly encoding: OpenAIEncoding;
  /** Tokens in a plain text, as `tiktoken`'s `encode_ordinary` counts them (special tokens are text). */
  countText(text: string): TokenCount;
  /** Tokens in a text or a chat prompt for `model`, OpenAI's chat framing included. */
  countInput(input: TokenCountInput, model: string): TokenCount;
}

/**
 * Counts with tiktoken, piece by piece: the text is split with tiktoken's own pre-tokenizer
 * regex (in JavaScript, where it is fast), each piece's count comes from a cache or from
 * `encode_ordinary`, and BPE never sees a giant piece whole. The sum equals tiktoken's count
 * because BPE runs on each piece independently. The cache is what makes this faster than one
 * `encode_ordinary` call over the whole text: most pieces of real text are repeats.
 */
class PieceCountingTokenizer implements Tokenizer {
  private readonly splitter: RegExp;
  private readonly cache = new Map<string, number>();
  /** Giant pieces met since the last reset; read by the public methods to mark estimates. */
  private giantPieces = 0;

  constructor(
    readonly encoding: OpenAIEncoding,
    private readonly bpe: Tiktoken,
  ) {
    this.splitter = pieceSplitter(encoding);
  }

  countText(text: string): TokenCount {
    this.giantPieces = 0;
    const tokens = this.count(text);
    return this.result(tokens, true, []);
  }

  countInput(input: TokenCountInput, model: string): TokenCount {
    if (typeof input === 'string') return this.countText(input);
    this.giantPieces = 0;
    const notes: string[] = [];
    const tools = input.tools?.map((tool): ToolSchema => {
      try {
        return { name: tool.name, description: tool.description, parameters: toJsonSchema(tool.parameters) };
      } catch {
        notes.push(`tool ${tool.name}: its schema cannot be expressed as JSON Schema, counted without parameters`);
        return { name: tool.name, description: tool.description, parameters: {} };
      }
    });
    const chat = countChatPrompt(input.messages, tools, (text) => this.count(text), model);
    return this.result(chat.tokens, chat.exact && notes.length === 0, [...chat.notes, ...notes]);
  }

  private result(tokens: number, exact: boolean, notes: string[]): TokenCount {
    if (this.giantPieces > 0) {
      exact = false;
      notes.unshift(
        `${this.giantPieces} unbroken run(s) over ${MAX_EXACT_PIECE_BYTES} bytes (no whitespace or other split point) ` +
          `counted in ~${GIANT_PIECE_CHUNK_BYTES}-byte chunks to bound tiktoken's super-linear BPE; the count may be off by about one token per chunk`,
      );
    }
    const count: TokenCount = { tokens, exact, encoding: this.encoding };
    if (notes.length > 0) count.note = notes.join('; ');
    return count;
  }

  /** The token count of `text`; counts giant pieces in `giantPieces`. Synchronous, so not reentrant. */
  private count(text: string): number {
    const splitter = this.splitter;
    splitter.lastIndex = 0;
    let tokens = 0;
    let match: RegExpExecArray | null;
    while ((match = splitter.exec(text)) !== null) {
      const piece = match[0];
      // The byte length is only computed for pieces that could be giant (a UTF-16 unit is at most
      // 3 UTF-8 bytes), so the check costs one comparison on ordinary text.
      if (piece.length * 3 > MAX_EXACT_PIECE_BYTES && Buffer.byteLength(piece) > MAX_EXACT_PIECE_BYTES) {
        tokens += this.countGiantPiece(piece);
      } else {
        tokens += this.countPiece(piece);
      }
    }
    return tokens;
  }

  private countPiece(piece: string): number {
    let tokens = this.cache.get(piece);
    if (tokens === undefined) {
      tokens = this.bpe.encode_ordinary(piece).length;
      if (piece.length <= CACHEABLE_PIECE_LENGTH) {
        // Evict the oldest entry (Maps iterate in insertion order): O(1), keeps memory bounded.
        if (this.cache.size >= PIECE_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(piece, tokens);
      }
    }
    return tokens;
  }

  private countGiantPiece(piece: string): number {
    this.giantPieces++;
    // Chunk length in UTF-16 units, scaled by the piece's bytes per unit so every chunk is about
    // GIANT_PIECE_CHUNK_BYTES whatever the script (ASCII 1, CJK 3, emoji 2 bytes per unit).
    const step = Math.max(8, Math.floor((GIANT_PIECE_CHUNK_BYTES * piece.length) / Buffer.byteLength(piece)));
    let tokens = 0;
    for (let start = 0; start < piece.length; ) {
      let end = Math.min(piece.length, start + step);
      const last = piece.charCodeAt(end - 1);
      if (end < piece.length && last >= 0xd800 && last <= 0xdbff) end++; // never split a surrogate pair
      tokens += this.countPiece(piece.slice(start, end)); // cached: 'a'.repeat(1e5) is one chunk repeated
      start = end;
    }
    return tokens;
  }
}

type TiktokenModule = typeof import('tiktoken');

let tiktokenModule: Promise<TiktokenModule> | undefined;
const tokenizers = new Map<OpenAIEncoding, Promise<Tokenizer>>();

// tiktoken is loaded on first use, not at import: its WASM compiles in ~40 ms and each encoder
// table takes 100-400 ms to build, which `import('@kit/llm')` must not pay.
function loadTiktoken(): Promise<TiktokenModule> {
  tiktokenModule ??= import('tiktoken').catch((error: unknown) => {
    tiktokenModule = undefined; // let a later call retry
    throw error;
  });
  return tiktokenModule;
}

/**
 * The tokenizer for an OpenAI encoding, created once and shared; the first call loads tiktoken.
 * Await it at startup to take the load off the first request, or to count synchronously after.
 */
export function loadTokenizer(encoding: OpenAIEncoding): Promise<Tokenizer> {
  let tokenizer = tokenizers.get(encoding);
  if (tokenizer === undefined) {
    tokenizer = loadTiktoken().then(
      (tiktoken) => new PieceCountingTokenizer(encoding, tiktoken.get_encoding(encoding)),
    );
    tokenizer.catch(() => tokenizers.delete(encoding));
    tokenizers.set(encoding, tokenizer);
  }
  return tokenizer;
}

/** The encoding used to estimate non-OpenAI models: the newest and largest OpenAI vocabulary. */
const ESTIMATE_ENCODING: OpenAIEncoding = 'o200k_base';

// Why o200k_base for other families rather than characters / 4: other vendors' tokenizers are
// also BPE over similar pre-tokenization (Llama 3 and Mistral's Tekken are tiktoken-style), so a
// real BPE count follows code, CJK and whitespace the way theirs do, where a character ratio is
// off by 2-4× on CJK and code. It is still an estimate: vocabularies differ.
function asEstimate(count: TokenCount, model: string): TokenCount {
  const why = `${model} is not an OpenAI model; estimated with OpenAI's ${ESTIMATE_ENCODING}`;
  return {
    tokens: count.tokens,
    exact: false,
    encoding: 'estimate',
    note: count.note === undefined ? why : `${why}; ${count.note}`,
  };
}

/**
 * Tokens in a text or chat prompt for `model`. For OpenAI models the count is tiktoken's, with
 * OpenAI's chat framing and tool definitions (see chat-framing.ts), and `exact: true` unless a
 * giant unbroken run was counted in chunks or an image's cost could not be determined (then
 * `note` says why). Other models get an o200k_base count marked `exact: false`, `encoding:
 * 'estimate'`. Special-token strings in the text (`<|endoftext|>`) are counted as plain text.
 */
export async function countTokens(input: TokenCountInput, options: { model: string }): Promise<TokenCount> {
  const { model } = options;
  const encoding = encodingForModel(model);
  const tokenizer = await loadTokenizer(encoding ?? ESTIMATE_ENCODING);
  const count = tokenizer.countInput(input, model);
  return encoding === undefined ? asEstimate(count, model) : count;
}

/**
 * Tokens in a plain text, with no chat framing. `encoding` wins over `model`; with neither, the
 * text is counted with o200k_base. A non-OpenAI `model` gives an o200k_base estimate, as in
 * {@link countTokens}.
 */
export async function countTextTokens(
  text: string,
  options: { model?: string | undefined; encoding?: OpenAIEncoding | undefined } = {},
): Promise<TokenCount> {
  const { model, encoding } = options;
  const resolved = encoding ?? (model === undefined ? ESTIMATE_ENCODING : encodingForModel(model));
  const tokenizer = await loadTokenizer(resolved ?? ESTIMATE_ENCODING);
  const count = tokenizer.countText(text);
  return resolved === undefined && model !== undefined ? asEstimate(count, model) : count;
}
