import { StructuredOutputError } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { analysisReplySchema, singlePassReplySchema } from './fsm-reply-schema.js';

// The core checks simple reply schemas such as these by hand and leaves the rest to zod
// (@kit/llm's structured-output fast path). Whatever path a reply takes, the result must be
// zod's: the same value for a valid reply, a StructuredOutputError with zod's issues otherwise.
const replies = [
  '{"transition":{"target_state":"s01","context_update":{"field_0":"value 0","hurry":true}},"message":"Thanks.","reasoning":"given"}',
  '{"transition":{"target_state":null,"context_update":null},"message":"Hm?","reasoning":null}',
  '{"transition":null,"message":"Hi"}',
  '{"message":"Hi","extra":{"ignored":1}}',
  '{"transition":{},"reasoning":"nothing to do"}',
  '{"transition":{"context_update":{"a":{"deep":[1,{"x":null}]},"b":null,"2":"two","__proto__":{"polluted":true}}},"message":"m"}',
  '{"transition":{"target_state":"' + 's'.repeat(501) + '"},"message":"m"}',
  '{"transition":{"target_state":["s01"]},"message":"m"}',
  '{"transition":{"context_update":["a"]},"message":"m"}',
  '{"transition":"s01","message":"m"}',
  '{"transition":null,"message":null}',
  '{"transition":null,"reasoning":3}',
  '{"transition":null}',
  '[]',
  '"s01"',
];

async function viaModel(schema: z.ZodType, text: string): Promise<{ ok: true; value: unknown } | { ok: false; issues: unknown }> {
  const model = scriptedModel([text]);
  try {
    const response = await model.complete({ messages: [{ role: 'user', content: 'go' }], responseFormat: { type: 'json', schema, name: 'fsm_reply' } });
    return { ok: true, value: response.object };
  } catch (error) {
    if (!(error instanceof StructuredOutputError)) throw error;
    return { ok: false, issues: error.issues };
  }
}

describe('the state machine reply schemas through the model core', () => {
  for (const [name, schema] of [
    ['single-pass', singlePassReplySchema],
    ['analysis', analysisReplySchema],
  ] as const) {
    it(`give zod's verdict on every reply (${name})`, async () => {
      for (const reply of replies) {
        const expected = schema.safeParse(JSON.parse(reply));
        const got = await viaModel(schema, reply);
        if (expected.success) {
          expect(got, reply).toEqual({ ok: true, value: expected.data });
          expect(JSON.stringify((got as { value: unknown }).value), reply).toBe(JSON.stringify(expected.data));
        } else {
          expect(got, reply).toEqual({ ok: false, issues: expected.error.issues });
        }
      }
    });
  }
});
