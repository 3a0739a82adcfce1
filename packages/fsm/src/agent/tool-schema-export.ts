import { toJsonSchema, type JsonSchema } from '@kit/llm';
import type { z } from 'zod';

/** Anything with a name, a description and a zod schema of its arguments: an `AgentTool` or a `ToolDefinition`. */
export interface ExportableTool {
  /** The name the model calls the tool by. */
  name: string;
  /** What the tool does; exported as `''` when left out. */
  description?: string | undefined;
  /** A zod schema of the arguments; exported as JSON Schema. */
  parameters: z.ZodType;
}

/** OpenAI's Chat Completions tool format. */
export interface OpenAIToolSchema {
  /** Always `function`. */
  type: 'function';
  /** The function the model may call. */
  function: {
    /** The tool's name. */
    name: string;
    /** The tool's description; `''` when it has none. */
    description: string;
    /** JSON Schema of the arguments. */
    parameters: JsonSchema;
  };
}

/** Anthropic's Messages API tool format. */
export interface AnthropicToolSchema {
  /** The tool's name. */
  name: string;
  /** The tool's description; `''` when it has none. */
  description: string;
  /** JSON Schema of the arguments. */
  input_schema: JsonSchema;
}

/** A Google (Gemini) function declaration. */
export interface GoogleFunctionDeclaration {
  /** The tool's name. */
  name: string;
  /** The tool's description; `''` when it has none. */
  description: string;
  /** JSON Schema of the arguments, cut down to the OpenAPI subset Gemini reads. */
  parameters: JsonSchema;
}

/** The formats `exportToolSchemas` writes. */
export type ToolSchemaFormat = 'openai' | 'anthropic' | 'google';

/** A tool in OpenAI's format: `{ type: 'function', function: { name, description, parameters } }`. */
export function toOpenAITool(tool: ExportableTool): OpenAIToolSchema {
  return { type: 'function', function: { name: tool.name, description: tool.description ?? '', parameters: toJsonSchema(tool.parameters) } };
}

/** A tool in Anthropic's format: `{ name, description, input_schema }`. */
export function toAnthropicTool(tool: ExportableTool): AnthropicToolSchema {
  return { name: tool.name, description: tool.description ?? '', input_schema: toJsonSchema(tool.parameters) };
}

/**
 * A tool as a Google function declaration: `{ name, description, parameters }`, where parameters
 * keep to the OpenAPI subset Gemini reads: `$schema`, `$id`, `$comment`, `additionalProperties`
 * and `propertyNames` dropped; `const` written as a one-value `enum`; a type list with `"null"`
 * written as one type and `nullable: true` (or `anyOf` when several types remain).
 */
export function toGoogleFunctionDeclaration(tool: ExportableTool): GoogleFunctionDeclaration {
  return { name: tool.name, description: tool.description ?? '', parameters: toOpenApiSubset(toJsonSchema(tool.parameters)) as JsonSchema };
}

/** Every tool in one provider's format. */
export function exportToolSchemas(tools: readonly ExportableTool[], format: 'openai'): OpenAIToolSchema[];
export function exportToolSchemas(tools: readonly ExportableTool[], format: 'anthropic'): AnthropicToolSchema[];
export function exportToolSchemas(tools: readonly ExportableTool[], format: 'google'): GoogleFunctionDeclaration[];
export function exportToolSchemas(
  tools: readonly ExportableTool[],
  format: ToolSchemaFormat,
): OpenAIToolSchema[] | AnthropicToolSchema[] | GoogleFunctionDeclaration[] {
  switch (format) {
    case 'openai':
      return tools.map(toOpenAITool);
    case 'anthropic':
      return tools.map(toAnthropicTool);
    case 'google':
      return tools.map(toGoogleFunctionDeclaration);
  }
}

const DROPPED_KEYWORDS = new Set(['$schema', '$id', '$comment', 'additionalProperties', 'propertyNames']);
/** Keywords whose value is data (literal values or names), copied as it is. */
const DATA_KEYWORDS = new Set(['enum', 'default', 'examples', 'required']);
/** Keywords whose value maps names to schemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

function toOpenApiSubset(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApiSubset);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (DATA_KEYWORDS.has(key)) {
      out[key] = value;
      continue;
    }
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      if (types.length < value.length) out['nullable'] = true;
      if (types.length === 1) out['type'] = types[0];
      else out['anyOf'] = types.map((type: unknown) => ({ type }));
      continue;
    }
    if (key === 'const') {
      if (!('enum' in schema)) out['enum'] = [value];
      continue;
    }
    if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toOpenApiSubset(sub)]));
      continue;
    }
    out[key] = toOpenApiSubset(value);
  }
  return out;
}
