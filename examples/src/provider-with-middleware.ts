/**
 * One provider with middleware: @kit/llm on its own.
 *
 * Takes the model the environment names (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST, HF_TOKEN
 * or KIT_MODEL), or else a scripted model standing in for gpt-4o-mini, and wraps it in log, cache,
 * cost ledger, retry and timeout middleware. Then: a completion (offline, its first attempt is
 * rate-limited and retried), a stream, structured output checked against a zod schema, the first
 * request again (answered by the cache), and the ledger's totals.
 *
 * Run: npm run example -w @kit/examples -- provider-with-middleware
 */
import { CostLedger, cache, costLedger, createModel, isCacheHit, log, modelFromEnvironment, retry, timeout, wrapModel, type LogEvent } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { z } from 'zod';

const modelName = modelFromEnvironment();
const base =
  modelName === undefined
    ? scriptedModel(
        [
          { error: 'rate-limit' },
          'Kit is a TypeScript toolkit for LLM applications that must behave predictably.',
          { text: 'Retries wait longer after each failure, with random jitter.', chunkSize: 8 },
          { object: { language: 'TypeScript', packages: 4 } },
        ],
        { modelId: 'gpt-4o-mini' },
      )
    : await createModel(modelName);
console.log(modelName === undefined ? 'model: offline, a scripted model standing in for gpt-4o-mini' : `model: ${modelName}, from the environment`);

const ledger = new CostLedger();
const events: LogEvent[] = [];
// The outermost layer first: log once per call, answer from the cache before spending anything,
// record what was billed, retry failed attempts, and time each attempt.
const model = wrapModel(base, [log({ logger: (event) => events.push(event) }), cache(), costLedger(ledger), retry({ baseDelayMs: 20 }), timeout({ ms: 30_000 })]);
const metadata = { example: 'provider-with-middleware' };

const question = { messages: [{ role: 'user' as const, content: 'What is Kit, in one sentence?' }], metadata };
const first = await model.complete(question);
console.log(`complete: ${first.text}`);
const retries = events.filter((event) => event.event === 'retry').length;
console.log(`retry: ${retries} failed attempt(s) retried`);

let streamed = '';
let parts = 0;
for await (const part of model.stream({ messages: [{ role: 'user', content: 'How do retries wait, in one sentence?' }], metadata })) {
  if (part.type === 'text-delta') {
    streamed += part.text;
    parts++;
  }
}
console.log(`stream: ${parts} text parts: ${streamed}`);

const facts = z.object({ language: z.string(), packages: z.number().int() });
const structured = await model.complete({
  messages: [{ role: 'user', content: 'Which language is Kit written in, and how many packages does it have? Answer as JSON.' }],
  responseFormat: { type: 'json', schema: facts, name: 'kit_facts' },
  metadata,
});
console.log(`structured: language=${structured.object.language}, packages=${structured.object.packages}`);

const again = await model.complete(question);
console.log(`cache: the first question again is a ${isCacheHit(again) ? 'hit' : 'miss'}: ${again.text}`);

const totals = ledger.totals();
console.log(`ledger: ${totals.calls} billed calls, ${totals.usage.inputTokens} input and ${totals.usage.outputTokens} output tokens, $${totals.usd.toFixed(6)}`);
console.log(`log: ${events.map((event) => event.event).join(', ')}`);
