import { get_encoding, type Tiktoken } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonSchema } from '../types/json-schema.js';
import type { ImagePart, Message } from '../types/message.js';
import { countChatPrompt, imageSize, imageTokens, renderToolDefinitions, type ToolSchema } from './chat-framing.js';

// tiktoken itself is the tokenizer here, so these tests check the framing alone.
const encoders: Record<string, Tiktoken> = { cl100k_base: get_encoding('cl100k_base'), o200k_base: get_encoding('o200k_base') };
afterAll(() => Object.values(encoders).forEach((e) => e.free()));
const counter = (encoding: string) => (text: string) => encoders[encoding]!.encode_ordinary(text).length;

function count(messages: Message[], tools: ToolSchema[] | undefined, encoding: string, model: string): number {
  return countChatPrompt(messages, tools, counter(encoding), model).tokens;
}

describe('countChatPrompt: the OpenAI cookbook example', () => {
  // OpenAI cookbook, "How to count tokens with tiktoken", section 6: the API's usage.prompt_tokens
  // for this conversation is 129 on gpt-3.5-turbo / gpt-4-0613 (cl100k_base) and 124 on gpt-4o /
  // gpt-4o-mini (o200k_base). The cookbook's four example messages are `system` messages with a
  // `name`; Kit's system messages have no name, so they are given as named `user` messages, which
  // costs the same because "system" and "user" are one token each in both encodings (checked below).
  const messages: Message[] = [
    { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
    { role: 'user', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
    { role: 'user', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
    {
      role: 'user',
      name: 'example_user',
      content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
    },
    { role: 'user', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
    { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
  ];

  it('role words are single tokens, so the substitution is neutral', () => {
    for (const encoding of ['cl100k_base', 'o200k_base']) {
      expect(counter(encoding)('system')).toBe(1);
      expect(counter(encoding)('user')).toBe(1);
    }
  });

  it('gives 129 with cl100k_base (gpt-4-0613) and 124 with o200k_base (gpt-4o)', () => {
    expect(count(messages, undefined, 'cl100k_base', 'gpt-4-0613')).toBe(129);
    expect(count(messages, undefined, 'o200k_base', 'gpt-4o')).toBe(124);
  });
});

describe('countChatPrompt: tool definitions', () => {
  // OpenAI cookbook, same notebook, section 7: with this tool and these two messages the API
  // reports 105 prompt tokens on gpt-3.5-turbo / gpt-4 and 101 on gpt-4o / gpt-4o-mini.
  const weatherTool: ToolSchema = {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
        unit: { type: 'string', description: 'The unit of temperature to return', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['location'],
    },
  };
  const weatherMessages: Message[] = [
    { role: 'system', content: 'You are a helpful assistant that can answer to questions about the weather.' },
    { role: 'user', content: "What's the weather like in San Francisco?" },
  ];

  it('matches the cookbook tool example: 105 on cl100k_base, 101 on o200k_base', () => {
    expect(count(weatherMessages, [weatherTool], 'cl100k_base', 'gpt-4')).toBe(105);
    expect(count(weatherMessages, [weatherTool], 'o200k_base', 'gpt-4o')).toBe(101);
  });

  // Known-good numbers from openai-chat-tokens (hmarr), tests/token-counts.test.ts, measured
  // against the API's usage.prompt_tokens on gpt-3.5-turbo (cl100k_base).
  const hello: Message[] = [{ role: 'user', content: 'hello' }];
  const emptyParams = { type: 'object', properties: {} };
  it.each<[string, Message[], ToolSchema[] | undefined, number]>([
    ['one user message', hello, undefined, 8],
    ['two words', [{ role: 'user', content: 'hello world' }], undefined, 9],
    ['system message', [{ role: 'system', content: 'hello' }], undefined, 8],
    ['system message with a colon', [{ role: 'system', content: 'hello:' }], undefined, 9],
    [
      'three messages',
      [
        { role: 'system', content: "# Important: you're the best robot" },
        { role: 'user', content: 'hello robot' },
        { role: 'assistant', content: 'hello world' },
      ],
      undefined,
      27,
    ],
    ['a tool without parameters', hello, [{ name: 'foo', parameters: emptyParams }], 31],
    ['a described tool', hello, [{ name: 'foo', description: 'Do a foo', parameters: emptyParams }], 36],
    [
      'a string parameter',
      hello,
      [{ name: 'bing_bong', description: 'Do a bing bong', parameters: { type: 'object', properties: { foo: { type: 'string' } } } }],
      49,
    ],
    [
      'a described number parameter',
      hello,
      [
        {
          name: 'bing_bong',
          description: 'Do a bing bong',
          parameters: {
            type: 'object',
            properties: { foo: { type: 'string' }, bar: { type: 'number', description: 'A number' } },
          },
        },
      ],
      57,
    ],
    [
      'a nested object with an enum',
      hello,
      [
        {
          name: 'bing_bong',
          description: 'Do a bing bong',
          parameters: {
            type: 'object',
            properties: {
              foo: {
                type: 'object',
                properties: { bar: { type: 'string', enum: ['a', 'b', 'c'] }, baz: { type: 'boolean' } },
              },
            },
          },
        },
      ],
      68,
    ],
    [
      'tools with a system message',
      [
        { role: 'system', content: 'Hello' },
        { role: 'user', content: 'Hi there' },
      ],
      [{ name: 'do_stuff', parameters: emptyParams }],
      35,
    ],
    [
      'tools with a system message ending in a colon',
      [
        { role: 'system', content: 'Hello:' },
        { role: 'user', content: 'Hi there' },
      ],
      [{ name: 'do_stuff', parameters: emptyParams }],
      35,
    ],
    [
      'tools with two system messages (only the first is padded)',
      [
        { role: 'system', content: 'Hello:' },
        { role: 'system', content: 'Hello' },
        { role: 'user', content: 'Hi there' },
      ],
      [{ name: 'do_stuff', parameters: emptyParams }],
      40,
    ],
    [
      'a recipe tool with arrays of objects (API-validated there)',
      hello,
      [
        {
          name: 'get_recipe',
          parameters: {
            type: 'object',
            required: ['ingredients', 'instructions', 'time_to_cook'],
            properties: {
              ingredients: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'unit', 'amount'],
                  properties: {
                    name: { type: 'string' },
                    unit: { enum: ['grams', 'ml', 'cups', 'pieces', 'teaspoons'], type: 'string' },
                    amount: { type: 'number' },
                  },
                },
              },
              instructions: {
                type: 'array',
                items: { type: 'string' },
                description: 'Steps to prepare the recipe (no numbering)',
              },
              time_to_cook: { type: 'number', description: 'Total time to prepare the recipe in minutes' },
            },
          },
        },
      ],
      106,
    ],
  ])('%s: %i tokens', (_name, messages, tools, expected) => {
    expect(count(messages, tools, 'cl100k_base', 'gpt-3.5-turbo')).toBe(expected);
  });

  it.each<[string, string, number]>([
    ['an empty result', '{}', 15],
    ['a JSON result', '{"foo": "bar", "baz": 1.5}', 28],
  ])('a tool result (%s) costs what a legacy function message did: %i', (_name, content, expected) => {
    // openai-chat-tokens' `function` role cases; "tool" and "function" are both one token.
    expect(counter('cl100k_base')('tool')).toBe(counter('cl100k_base')('function'));
    const messages: Message[] = [
      { role: 'user', content: 'hello world' },
      { role: 'tool', toolCallId: 'call_1', toolName: 'do_stuff', content },
    ];
    expect(count(messages, undefined, 'cl100k_base', 'gpt-3.5-turbo')).toBe(expected);
  });
});

describe('renderToolDefinitions', () => {
  it('renders the TypeScript namespace OpenAI uses, from a zod-derived schema', () => {
    const parameters = toJsonSchema(
      z.object({
        city: z.string().describe('City name'),
        unit: z.enum(['c', 'f']).optional(),
        days: z.number().int().nullable(),
        tags: z.array(z.union([z.string(), z.number()])),
        mode: z.literal('fast'),
        options: z.object({ verbose: z.boolean() }).optional(),
      }),
    );
    expect(renderToolDefinitions([{ name: 'forecast', description: 'Weather forecast', parameters }])).toBe(
      [
        'namespace functions {',
        '',
        '// Weather forecast',
        'type forecast = (_: {',
        '// City name',
        'city: string,',
        'unit?: "c" | "f",',
        'days: number | null,',
        'tags: (string | number)[],',
        'mode: "fast",',
        'options?: {',
        '  verbose: boolean,',
        '},',
        '}) => any;',
        '',
        '} // namespace functions',
      ].join('\n'),
    );
  });

  it('renders a tool without parameters as a nullary function', () => {
    expect(renderToolDefinitions([{ name: 'now', parameters: toJsonSchema(z.object({})) }])).toContain('type now = () => any;');
  });
});

/** A minimal PNG header (signature + IHDR) of the given size, as base64: enough to read its size. */
function pngHeader(width: number, height: number): string {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b.toString('base64');
}

function jpegHeader(width: number, height: number): string {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof0]).toString('base64');
}

describe('imageTokens: OpenAI published image rule', () => {
  const png = (w: number, h: number, detail?: ImagePart['detail']): ImagePart => ({
    type: 'image',
    data: pngHeader(w, h),
    mediaType: 'image/png',
    ...(detail ? { detail } : {}),
  });

  it('reads PNG, JPEG and GIF sizes from the data', () => {
    expect(imageSize(png(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSize({ type: 'image', data: jpegHeader(1920, 1080), mediaType: 'image/jpeg' })).toEqual({ width: 1920, height: 1080 });
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x20, 0x03, 0x58, 0x02]), Buffer.alloc(20)]);
    expect(imageSize({ type: 'image', data: gif.toString('base64'), mediaType: 'image/gif' })).toEqual({ width: 800, height: 600 });
    expect(imageSize({ type: 'image', url: `data:image/png;base64,${pngHeader(3, 4)}` })).toEqual({ width: 3, height: 4 });
  });

  it("gives the guide's worked examples exactly (gpt-4o: 85 + 170 per 512-px tile)", () => {
    // OpenAI images & vision guide, "Calculating costs": 1024×1024 high → 765, 2048×4096 high → 1105, low → 85.
    expect(imageTokens(png(1024, 1024, 'high'), 'gpt-4o')).toEqual({ tokens: 765, exact: true });
    expect(imageTokens(png(2048, 4096, 'high'), 'gpt-4o')).toEqual({ tokens: 1105, exact: true });
    expect(imageTokens(png(4096, 8192, 'low'), 'gpt-4o')).toEqual({ tokens: 85, exact: true });
    expect(imageTokens({ type: 'image', url: 'https://example.com/a.png', detail: 'low' }, 'gpt-4.1')).toEqual({ tokens: 85, exact: true });
  });

  it("uses each family's constants", () => {
    expect(imageTokens(png(100, 100, 'low'), 'gpt-4o-mini').tokens).toBe(2833);
    expect(imageTokens(png(1024, 1024, 'high'), 'openai:gpt-4o-mini').tokens).toBe(2833 + 4 * 5667);
  });

  it('marks an image of unknown size as an estimate, with a note', () => {
    const result = imageTokens({ type: 'image', url: 'https://example.com/cat.jpg' }, 'gpt-4o');
    expect(result.exact).toBe(false);
    expect(result.tokens).toBe(765);
    expect(result.note).toMatch(/size unknown/);
  });

  it('marks patch-billed models as estimates', () => {
    const result = imageTokens(png(1024, 1024), 'gpt-4.1-mini');
    expect(result.exact).toBe(false);
    expect(result.tokens).toBe(Math.ceil(1024 * 1.62));
  });

  it('makes the whole prompt an estimate when one image is, and says why', () => {
    const messages: Message[] = [
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', url: 'https://example.com/x.png' }] },
    ];
    const result = countChatPrompt(messages, undefined, counter('o200k_base'), 'gpt-4o');
    expect(result.exact).toBe(false);
    expect(result.notes.join()).toMatch(/size unknown/);
    expect(result.tokens).toBe(3 + 3 + 1 + counter('o200k_base')('What is this?') + 765);
  });
});
