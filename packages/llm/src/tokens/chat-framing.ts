import type { JsonSchema } from '../types/json-schema.js';
import type { ImagePart, Message } from '../types/message.js';
import { openAIModelName } from './openai-encodings.js';

// What a chat request costs besides its text: per-message framing, tool definitions and images.
// Sources, so that a reader can tell published rules from measured ones:
// - Per message, name and reply priming: OpenAI's published formula, the cookbook's
//   `num_tokens_from_messages` ("How to count tokens with tiktoken"), checked there against the
//   API's `usage.prompt_tokens` for gpt-3.5-turbo, gpt-4, gpt-4o and gpt-4o-mini.
// - Tool definitions: not published. OpenAI renders them as a TypeScript namespace; the
//   rendering and the constants around it were measured against the API by the
//   `openai-chat-tokens` package (hmarr) and reproduce its API-verified numbers.
// - Tool calls and tool results: not published; counted like the legacy `function_call` and
//   `function` messages that openai-chat-tokens measured.
// - Images: OpenAI's published rule (images & vision guide, "Calculating costs").

/** Cookbook: every message is framed as `<|start|>{role/name}\n{content}<|end|>\n`. */
export const TOKENS_PER_MESSAGE = 3;
/** Cookbook: a `name` costs one token on top of its text. */
export const TOKENS_PER_NAME = 1;
/** Cookbook: every reply is primed with `<|start|>assistant<|message|>`. */
export const REPLY_PRIMING_TOKENS = 3;
/** Measured (openai-chat-tokens): the tool namespace's own framing. */
export const TOOL_DEFINITIONS_OVERHEAD = 9;
/** Measured: with a system message present the tool namespace reuses it, saving four tokens. */
export const SYSTEM_WITH_TOOLS_DISCOUNT = 4;
/** Measured: an assistant tool call's framing (legacy `function_call`). */
export const TOKENS_PER_TOOL_CALL = 3;
/** Measured: a tool result costs two tokens less than a plain message (legacy `function` role). */
export const TOOL_RESULT_ADJUSTMENT = -2;

/** A tool as the provider sees it: its arguments as JSON Schema. */
export interface ToolSchema {
  name: string;
  description?: string | undefined;
  parameters: JsonSchema;
}

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function typeName(type: string): string {
  return type === 'integer' ? 'number' : type;
}

/** One schema as a TypeScript type; `indent` is the indentation of nested object members. */
function formatType(schema: Schema, indent: number): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  if ('const' in schema) return literal(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) return union.map((s) => formatType(asSchema(s), indent)).join(' | ');
  const { type } = schema;
  if (Array.isArray(type)) return type.map((t) => typeName(String(t))).join(' | ');
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return typeName(type);
    case 'array': {
      if (schema.items === undefined || Array.isArray(schema.items)) return 'any[]';
      const item = formatType(asSchema(schema.items), indent);
      return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
    }
    case 'object': {
      const properties = asSchema(schema.properties);
      if (Object.keys(properties).length === 0) return 'object';
      return `{\n${formatProperties(schema, indent + 2)}\n}`;
    }
    default:
      return 'any';
  }
}

/** The members of an object type, one `// description` line above each that has one. */
function formatProperties(schema: Schema, indent: number): string {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as unknown[]) : []);
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(asSchema(schema.properties))) {
    const property = asSchema(value);
    if (typeof property.description === 'string') lines.push(`${pad}// ${property.description}`);
    lines.push(`${pad}${name}${required.has(name) ? '' : '?'}: ${formatType(property, indent)},`);
  }
  return lines.join('\n');
}

/**
 * Tool definitions rendered the way OpenAI feeds them to the model: a TypeScript namespace of
 * function types (format measured by openai-chat-tokens; unions, `const` and arrays of unions are
 * rendered as TypeScript would write them).
 */
export function renderToolDefinitions(tools: readonly ToolSchema[]): string {
  const lines = ['namespace functions {', ''];
  for (const tool of tools) {
    if (tool.description) lines.push(`// ${tool.description}`);
    if (Object.keys(asSchema(tool.parameters.properties)).length > 0) {
      lines.push(`type ${tool.name} = (_: {`, formatProperties(tool.parameters, 0), '}) => any;');
    } else {
      lines.push(`type ${tool.name} = () => any;`);
    }
    lines.push('');
  }
  lines.push('} // namespace functions');
  return lines.join('\n');
}

/** Image tokens, and whether the rule could be applied exactly. */
export interface ImageTokens {
  tokens: number;
  exact: boolean;
  note?: string | undefined;
}

type ImageRule =
  | { kind: 'tiles'; base: number; perTile: number }
  | { kind: 'patches'; multiplier: number };

/**
 * OpenAI's published image costs (images & vision guide, "Calculating costs"), by model family,
 * longest prefix first. Tile models: `base` at low detail; at high detail the image is fitted in
 * 2048×2048, its short side scaled to 768, and each 512-px tile costs `perTile` more. Patch
 * models bill 32-px patches (at most 1536) times a multiplier; OpenAI's documented multipliers
 * and observed billing disagree for some of them, so their counts are never marked exact.
 */
const IMAGE_RULES: ReadonlyArray<readonly [prefix: string, rule: ImageRule]> = [
  ['gpt-4o-mini', { kind: 'tiles', base: 2833, perTile: 5667 }],
  ['gpt-4.1-mini', { kind: 'patches', multiplier: 1.62 }],
  ['gpt-4.1-nano', { kind: 'patches', multiplier: 2.46 }],
  ['gpt-5-mini', { kind: 'patches', multiplier: 1.62 }],
  ['gpt-5-nano', { kind: 'patches', multiplier: 2.46 }],
  ['o4-mini', { kind: 'patches', multiplier: 1.72 }],
  ['gpt-5', { kind: 'tiles', base: 70, perTile: 140 }],
  ['o1', { kind: 'tiles', base: 75, perTile: 150 }],
  ['o3', { kind: 'tiles', base: 75, perTile: 150 }],
];
/** GPT-4o, GPT-4.1, GPT-4.5, GPT-4 Turbo, and the fallback for other models. */
const DEFAULT_IMAGE_RULE: ImageRule = { kind: 'tiles', base: 85, perTile: 170 };

/** When the size is unknown (an image by URL): a typical 1024×1024 photo. */
const ASSUMED_SIZE = { width: 1024, height: 1024 } as const;

function imageRule(model: string): ImageRule {
  const name = openAIModelName(model);
  for (const [prefix, rule] of IMAGE_RULES) if (name.startsWith(prefix)) return rule;
  return DEFAULT_IMAGE_RULE;
}

function tileTokens(width: number, height: number, base: number, perTile: number): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shortSide = Math.min(1, 768 / Math.min(w, h));
  w *= shortSide;
  h *= shortSide;
  return base + perTile * Math.ceil(w / 512) * Math.ceil(h / 512);
}

function patchTokens(width: number, height: number, multiplier: number): number {
  const patches = Math.ceil(width / 32) * Math.ceil(height / 32);
  return Math.ceil(Math.min(patches, 1536) * multiplier);
}

/**
 * Tokens for one image part under OpenAI's published rule. Exact when the rule is the tile rule
 * and either the detail is `low` or the image's size can be read from its data (PNG, JPEG, GIF,
 * WebP); `auto` is costed as `high`, as OpenAI bills it for images larger than 512 px. Otherwise
 * an estimate with a note saying why.
 */
export function imageTokens(part: ImagePart, model: string): ImageTokens {
  const rule = imageRule(model);
  if (rule.kind === 'tiles' && part.detail === 'low') return { tokens: rule.base, exact: true };
  const size = imageSize(part);
  const { width, height } = size ?? ASSUMED_SIZE;
  if (rule.kind === 'patches') {
    return {
      tokens: patchTokens(width, height, rule.multiplier),
      exact: false,
      note: `image tokens for ${openAIModelName(model)} use OpenAI's patch rule, whose multipliers are not reliably documented${size ? '' : '; image size unknown, assumed 1024×1024'}`,
    };
  }
  const tokens = tileTokens(width, height, rule.base, rule.perTile);
  if (size !== undefined) return { tokens, exact: true };
  return { tokens, exact: false, note: 'image size unknown (not readable from its data), assumed 1024×1024 at high detail' };
}

// How much of a base64 image to decode when looking for its size: JPEG's frame header may come
// after EXIF data, which is usually well under this.
const SIZE_PROBE_BASE64_CHARS = 96 * 1024;

function imageBytes(part: ImagePart): Uint8Array | undefined {
  let base64 = part.data;
  if (base64 === undefined && part.url?.startsWith('data:')) {
    const comma = part.url.indexOf(',');
    if (comma > 0 && part.url.slice(0, comma).endsWith(';base64')) base64 = part.url.slice(comma + 1);
  }
  if (base64 === undefined) return undefined;
  const probe = base64.slice(0, SIZE_PROBE_BASE64_CHARS);
  return Buffer.from(probe.slice(0, probe.length - (probe.length % 4)), 'base64');
}

/** Width and height from a PNG, GIF, WebP or JPEG header, when the part carries its data. */
export function imageSize(part: ImagePart): { width: number; height: number } | undefined {
  const b = imageBytes(part);
  if (b === undefined || b.length < 24) return undefined;
  const u16be = (i: number) => (b[i]! << 8) | b[i + 1]!;
  const u16le = (i: number) => b[i]! | (b[i + 1]! << 8);
  const u24le = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
  const u32be = (i: number) => ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
  const ascii = (i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));
  let size: { width: number; height: number } | undefined;
  if (b[0] === 0x89 && ascii(1, 3) === 'PNG') size = { width: u32be(16), height: u32be(20) };
  else if (ascii(0, 4) === 'GIF8') size = { width: u16le(6), height: u16le(8) };
  else if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP' && b.length >= 30) {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8 ') size = { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
    else if (chunk === 'VP8L') {
      const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
      size = { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    } else if (chunk === 'VP8X') size = { width: u24le(24) + 1, height: u24le(27) + 1 };
  } else if (b[0] === 0xff && b[1] === 0xd8) {
    // JPEG: walk the segments to the first start-of-frame marker (C0–CF except C4, C8, CC).
    let i = 2;
    while (i + 9 < b.length && b[i] === 0xff) {
      const marker = b[i + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        size = { width: u16be(i + 7), height: u16be(i + 5) };
        break;
      }
      i += 2 + u16be(i + 2);
    }
  }
  return size !== undefined && size.width > 0 && size.height > 0 ? size : undefined;
}

/** A chat prompt's count: the sum, whether every part was exact, and why not. */
export interface ChatPromptCount {
  tokens: number;
  exact: boolean;
  notes: string[];
}

/**
 * Counts a chat prompt as OpenAI frames it. `countText` is the tokenizer (exact for OpenAI
 * models); everything else is the framing described at the top of this file. Reasoning parts are
 * left out: OpenAI's chat API does not take them back.
 */
export function countChatPrompt(
  messages: readonly Message[],
  tools: readonly ToolSchema[] | undefined,
  countText: (text: string) => number,
  model: string,
): ChatPromptCount {
  const hasTools = tools !== undefined && tools.length > 0;
  const notes: string[] = [];
  let exact = true;
  let tokens = REPLY_PRIMING_TOKENS;
  let paddedSystem = false;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE + countText(message.role);
    switch (message.role) {
      case 'system': {
        // Measured: with tools present, the first system message gains a trailing newline.
        const pad: boolean = hasTools && !paddedSystem;
        if (pad) paddedSystem = true;
        tokens += countText(pad ? `${message.content}\n` : message.content);
        break;
      }
      case 'user': {
        if (message.name !== undefined) tokens += countText(message.name) + TOKENS_PER_NAME;
        if (typeof message.content === 'string') {
          tokens += countText(message.content);
          break;
        }
        for (const part of message.content) {
          if (part.type === 'text') {
            tokens += countText(part.text);
            continue;
          }
          const image = imageTokens(part, model);
          tokens += image.tokens;
          if (!image.exact) {
            exact = false;
            if (image.note !== undefined && !notes.includes(image.note)) notes.push(image.note);
          }
        }
        break;
      }
      case 'assistant':
        tokens += countText(message.content);
        for (const call of message.toolCalls ?? []) {
          tokens += TOKENS_PER_TOOL_CALL + countText(call.name) + countText(JSON.stringify(call.arguments));
        }
        break;
      case 'tool':
        tokens += TOOL_RESULT_ADJUSTMENT + countText(message.content);
        if (message.toolName !== undefined) tokens += countText(message.toolName) + TOKENS_PER_NAME;
        break;
    }
  }
  if (hasTools) {
    tokens += countText(renderToolDefinitions(tools)) + TOOL_DEFINITIONS_OVERHEAD;
    if (messages.some((m) => m.role === 'system')) tokens -= SYSTEM_WITH_TOOLS_DISCOUNT;
  }
  return { tokens, exact, notes };
}
