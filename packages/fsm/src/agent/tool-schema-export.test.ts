import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgentTool } from './agent-tool.js';
import { exportToolSchemas, toAnthropicTool, toGoogleFunctionDeclaration, toOpenAITool } from './tool-schema-export.js';

const book = defineAgentTool({
  name: 'book_room',
  description: 'Book a hotel room',
  parameters: z.object({
    hotel: z.string(),
    nights: z.number().int().min(1),
    // A property whose name is a JSON Schema keyword: it is a name, and must survive.
    additionalProperties: z.boolean().optional(),
    guest: z.strictObject({ name: z.string(), kind: z.literal('adult') }),
    tags: z.record(z.string(), z.string()).optional(),
    note: z.string().nullable(),
    extras: z.array(z.object({ item: z.string() })).optional(),
  }),
  run: () => 'ok',
});

describe('tool schema export', () => {
  it('writes OpenAI tools', () => {
    const tool = toOpenAITool(book);
    expect(tool).toMatchObject({ type: 'function', function: { name: 'book_room', description: 'Book a hotel room' } });
    expect(tool.function.parameters).toMatchObject({ type: 'object', required: ['hotel', 'nights', 'guest', 'note'] });
    expect(tool.function.parameters).not.toHaveProperty('$schema');
    expect((tool.function.parameters as any).properties.guest.additionalProperties).toBe(false);
    expect(Object.keys(tool)).toEqual(['type', 'function']);
  });

  it('writes Anthropic tools', () => {
    const tool = toAnthropicTool(book);
    expect(Object.keys(tool)).toEqual(['name', 'description', 'input_schema']);
    expect(tool.input_schema).toMatchObject({ type: 'object', properties: { hotel: { type: 'string' } } });
  });

  it('writes Google function declarations in the OpenAPI subset', () => {
    const declaration = toGoogleFunctionDeclaration(book);
    expect(Object.keys(declaration)).toEqual(['name', 'description', 'parameters']);
    const text = JSON.stringify(declaration.parameters);
    expect(text).not.toContain('"$schema"');
    // The only "additionalProperties" left is the property of that name.
    expect(text.match(/"additionalProperties":/g)).toEqual(['"additionalProperties":']);
    expect(text).toContain('"additionalProperties":{"type":"boolean"}');
    expect(text).not.toContain('"propertyNames"');
    expect(text).not.toContain('"const"');
    expect(text).not.toContain('"null"');
    const parameters = declaration.parameters as { properties: Record<string, any>; required: string[] };
    expect(parameters.properties['additionalProperties']).toEqual({ type: 'boolean' });
    expect(parameters.properties['guest'].properties.kind).toEqual({ type: 'string', enum: ['adult'] });
    expect(parameters.properties['extras'].items).toEqual({ type: 'object', properties: { item: { type: 'string' } }, required: ['item'] });
    expect(parameters.properties['tags']).toEqual({ type: 'object' });
    expect(parameters.properties['note']).toEqual({ type: 'string', nullable: true });
    expect(parameters.required).toEqual(['hotel', 'nights', 'guest', 'note']);
    // The OpenAI form of the same tool still has what Google's leaves out.
    expect(JSON.stringify(toOpenAITool(book).function.parameters)).toContain('"additionalProperties":false');
  });

  it('exports a list in any of the three formats, with an empty description when none is given', () => {
    const bare = { name: 'ping', parameters: z.object({}) };
    expect(exportToolSchemas([book, bare], 'openai').map((t) => t.function.name)).toEqual(['book_room', 'ping']);
    expect(exportToolSchemas([bare], 'anthropic')[0]!.description).toBe('');
    expect(exportToolSchemas([bare], 'google')).toEqual([{ name: 'ping', description: '', parameters: { type: 'object', properties: {} } }]);
  });
});
