import { z } from 'zod';

/** Anything built with zod 4 (classic or mini): it carries the `_zod` internals. */
export type ZodSchema<T = unknown> = z.ZodType<T>;

/** True for a zod 4 schema (classic or mini). */
export function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** Validates that a value is a zod 4 schema (tool parameters, response formats). */
export const zodSchemaSchema = z.custom<z.ZodType>(isZodSchema, {
  message: 'expected a zod 4 schema',
});

/** Provider-safe tool names: the strictest common rule (OpenAI, Anthropic, Google). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** A tool the model may call. `parameters` is a zod schema of the arguments object. */
export const toolDefinitionSchema = z.object({
  /** 1-64 of a-z, A-Z, 0-9, `_` and `-` ({@link TOOL_NAME_PATTERN}). */
  name: z.string().regex(TOOL_NAME_PATTERN, 'tool names are 1-64 of a-z, A-Z, 0-9, _ and -'),
  /** What the tool does, for the model. */
  description: z.string().optional(),
  /** A zod 4 schema of the arguments object. */
  parameters: zodSchemaSchema,
});

/**
 * A tool the model may call: its name, what it is for, and a zod schema of its arguments, which the
 * core turns into JSON Schema once and validates calls against.
 */
export interface ToolDefinition<Args = unknown> {
  /** The name the model calls it by: 1-64 of a-z, A-Z, 0-9, `_` and `-`, unique in a request. */
  name: string;
  /** What the tool does and when to use it; the model reads it to choose. */
  description?: string | undefined;
  /** A zod 4 schema of the arguments object; calls are validated and parsed with it. */
  parameters: z.ZodType<Args>;
}

/**
 * Whether the model may call tools: `auto` (it decides), `none`, `required` (at least one), or one
 * named tool.
 */
export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({
    /** Forces one named tool. */
    type: z.literal('tool'),
    /** The tool to call; must be one of the request's `tools`. */
    name: z.string().min(1),
  }),
]);

/** Whether and which tools the model must call (see `toolChoiceSchema`). */
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/** Defines a tool with its argument type inferred from the zod schema. */
export function defineTool<Args>(tool: ToolDefinition<Args>): ToolDefinition<Args> {
  return tool;
}
