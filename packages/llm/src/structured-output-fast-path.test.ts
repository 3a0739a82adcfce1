import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastParserFor, USE_ZOD } from './structured-output-fast-path.js';

// The shape of a state machine's structured reply (as @kit/fsm asks for it), and other simple ones.
const transition = z
  .object({
    target_state: z.string().max(500).nullish(),
    context_update: z.record(z.string(), z.unknown()).nullish(),
  })
  .nullish();
const schemas: Record<string, z.ZodType> = {
  fsmSinglePass: z.object({ transition, message: z.string(), reasoning: z.string().nullish() }),
  fsmAnalysis: z.object({ transition, reasoning: z.string().nullish() }),
  scalars: z.object({
    name: z.string().min(2).max(5),
    age: z.number(),
    ok: z.boolean(),
    tags: z.array(z.string()),
    note: z.string().optional(),
    parent: z.string().nullable(),
  }),
  nested: z.object({ items: z.array(z.object({ id: z.number(), meta: z.record(z.string(), z.number()).optional() })) }),
  any: z.object({ data: z.any(), more: z.unknown().optional() }),
};

// Replies as a model writes them (JSON text), valid and not, for every schema above.
const replies = [
  '{"transition":{"target_state":"s01","context_update":{"field_0":"value 0"}},"message":"Thanks.","reasoning":"given"}',
  '{"transition":{"target_state":null,"context_update":null},"message":"Hm?","reasoning":null}',
  '{"transition":null,"message":"Hi"}',
  '{"message":"Hi"}',
  '{"transition":{},"message":"Hi"}',
  '{"transition":{"target_state":"s02"},"message":"Hi","extra":1,"reasoning":"r"}',
  '{"transition":{"context_update":{"a":{"deep":[1,2,{"x":null}]},"b":null,"c":3,"1":"one","__proto__":{"polluted":true}}},"message":"m"}',
  '{"transition":{"context_update":{"__proto__":5,"ok":true}},"message":"m"}',
  '{"__proto__":{"message":"from proto"},"transition":null}',
  '{"transition":{"target_state":"' + 'x'.repeat(500) + '"},"message":"m"}',
  '{"transition":{"target_state":"' + 'x'.repeat(501) + '"},"message":"m"}',
  '{"transition":{"target_state":5},"message":"m"}',
  '{"transition":{"context_update":["a"]},"message":"m"}',
  '{"transition":{"context_update":"a=1"},"message":"m"}',
  '{"transition":[],"message":"m"}',
  '{"transition":"s01","message":"m"}',
  '{"transition":null,"message":null}',
  '{"transition":null,"message":7}',
  '{"transition":null,"reasoning":["a"]}',
  '{"transition":null,"reasoning":"r"}',
  '{}',
  '[]',
  '"text"',
  '42',
  'null',
  '{"name":"ada","age":36,"ok":true,"tags":["a","b"],"parent":null}',
  '{"name":"ada","age":36,"ok":true,"tags":[],"note":"n","parent":"p","x":1}',
  '{"name":"a","age":36,"ok":true,"tags":[],"parent":null}',
  '{"name":"adalovelace","age":36,"ok":true,"tags":[],"parent":null}',
  '{"name":"ada","age":"36","ok":true,"tags":[],"parent":null}',
  '{"name":"ada","age":36,"ok":"yes","tags":[],"parent":null}',
  '{"name":"ada","age":36,"ok":true,"tags":[1],"parent":null}',
  '{"name":"ada","age":36,"ok":true,"tags":"a","parent":null}',
  '{"name":"ada","age":36,"ok":true,"tags":[]}',
  '{"name":"ada","age":36,"ok":true,"tags":[],"note":null,"parent":null}',
  '{"name":"ada","age":1e400,"ok":true,"tags":[],"parent":null}',
  '{"items":[{"id":1},{"id":2,"meta":{"a":1,"b":2}}]}',
  '{"items":[{"id":1,"meta":{"a":"1"}}]}',
  '{"items":[{"id":"1"}]}',
  '{"items":{}}',
  '{"data":{"anything":[1,"2",null]},"more":false}',
  '{"data":null}',
  '{"more":1}',
];

describe('the structured-output fast path', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`agrees with zod on every reply for the ${name} schema`, () => {
      const parse = fastParserFor(schema);
      expect(parse).toBeDefined();
      let accepted = 0;
      for (const reply of replies) {
        const value: unknown = JSON.parse(reply);
        const fast = parse!(value);
        const zod = schema.safeParse(value);
        if (fast === USE_ZOD) {
          // Declined: zod decides. Everything zod rejects must be declined.
          continue;
        }
        accepted++;
        expect(zod.success, reply).toBe(true);
        expect(fast, reply).toStrictEqual(zod.data);
        // Same keys in the same order, and no prototype set from the reply.
        expect(JSON.stringify(fast), reply).toBe(JSON.stringify(zod.data));
        expect(Object.getPrototypeOf(fast), reply).toBe(Object.getPrototypeOf(zod.data));
      }
      expect(accepted).toBeGreaterThan(0);
    });
  }

  it('accepts every reply zod accepts for the state-machine schemas (no needless fallback)', () => {
    for (const name of ['fsmSinglePass', 'fsmAnalysis']) {
      const schema = schemas[name]!;
      for (const reply of replies) {
        const value: unknown = JSON.parse(reply);
        if (schema.safeParse(value).success) expect(fastParserFor(schema)!(value), `${name}: ${reply}`).not.toBe(USE_ZOD);
      }
    }
  });

  it('leaves an own __proto__ key out of a record, as zod does, without touching the prototype', () => {
    const value: unknown = JSON.parse('{"transition":{"context_update":{"__proto__":{"polluted":true},"a":1}},"message":"m"}');
    const parsed = fastParserFor(schemas.fsmSinglePass!)!(value) as { transition: { context_update: Record<string, unknown> } };
    expect(Object.keys(parsed.transition.context_update)).toEqual(['a']);
    expect(Object.getPrototypeOf(parsed.transition.context_update)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('compiles no checker for schemas with rules it does not cover, so zod handles them', () => {
    const uncovered: z.ZodType[] = [
      z.object({ a: z.string() }).strict(),
      z.looseObject({ a: z.string() }),
      z.object({ a: z.string() }).refine((v) => v.a !== 'x'),
      z.object({ a: z.string().default('d') }),
      z.object({ a: z.string().transform((s) => s.length) }),
      z.object({ a: z.email() }),
      z.object({ a: z.string().regex(/^a/) }),
      z.object({ a: z.string().trim() }),
      z.object({ a: z.number().int() }),
      z.object({ a: z.number().min(0) }),
      z.object({ a: z.coerce.string() }),
      z.object({ a: z.array(z.string()).min(1) }),
      z.object({ a: z.enum(['x', 'y']) }),
      z.object({ a: z.union([z.string(), z.number()]) }),
      z.object({ a: z.record(z.enum(['x']), z.string()) }),
      z.object({ a: z.record(z.string().min(2), z.string()) }),
      z.object({ a: z.date() }),
    ];
    for (const schema of uncovered) expect(fastParserFor(schema)).toBeUndefined();
  });

  it('compiles a schema once', () => {
    const schema = z.object({ a: z.string() });
    expect(fastParserFor(schema)).toBe(fastParserFor(schema));
  });
});
