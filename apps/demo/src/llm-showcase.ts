import { z } from 'zod';
import {
  CostLedger,
  cache,
  costLedger,
  defineTool,
  isCacheHit,
  log,
  rateLimit,
  responseMessage,
  retry,
  timeout,
  wrapModel,
  type LanguageModel,
  type LogEvent,
  type Message,
} from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';

const orderStatus = defineTool({
  name: 'order_status',
  description: 'Look up the shipping status of an order',
  parameters: z.object({ orderId: z.string().regex(/^A-\d+$/) }),
});

const triage = z.object({
  category: z.enum(['billing', 'shipping', 'technical', 'other']),
  urgency: z.enum(['low', 'normal', 'high']),
});

/** The script the offline model follows: one reply per call the showcase makes, in order. */
function supportDeskScript() {
  return scriptedModel(
    [
      { error: 'rate-limit' }, // the first attempt is throttled; `retry` tries again
      { text: 'Hello! I can help with orders, billing and technical questions.', latencyMs: 40 },
      { text: 'Refunds go back to the original payment method within 5 business days.', chunkSize: 6, latencyMs: 30 },
      { toolCalls: [{ name: 'order_status', arguments: { orderId: 'A-1042' } }], latencyMs: 30 },
      { text: 'Order A-1042 left our warehouse yesterday and should arrive on Thursday.', latencyMs: 30 },
      { object: { category: 'shipping', urgency: 'normal' }, latencyMs: 30 },
    ],
    { modelId: 'gpt-4o-mini', latencyMs: 20 },
  );
}

export interface ShowcaseResult {
  ledger: CostLedger;
  logEvents: LogEvent[];
  cacheHit: boolean;
  triage: z.infer<typeof triage>;
  transcript: Message[];
}

/**
 * A short tour of `@kit/llm`, offline: a scripted model standing in for gpt-4o-mini, wrapped in
 * the full middleware chain. Each step prints what it shows.
 */
export async function runLlmShowcase(print: (line: string) => void, model: LanguageModel = supportDeskScript()): Promise<ShowcaseResult> {
  const ledger = new CostLedger();
  const logEvents: LogEvent[] = [];
  const kit = wrapModel(model, [
    log({ logger: (event) => logEvents.push(event) }),
    cache(),
    costLedger(ledger),
    retry({ baseDelayMs: 50, maxAttempts: 3 }),
    timeout({ ms: 10_000 }),
    rateLimit({ requestsPerMinute: 600, tokensPerMinute: 200_000 }),
  ]);
  const user = { user: 'demo-user', conversation: 'support-1' };
  const transcript: Message[] = [{ role: 'system', content: 'You are the support desk of an online shop.' }];

  const say = async (text: string) => {
    transcript.push({ role: 'user', content: text });
    print(`user      > ${text}`);
    const reply = await kit.complete({ messages: transcript, metadata: user });
    transcript.push(responseMessage(reply));
    print(`assistant > ${reply.text}`);
    return reply;
  };

  print('1. complete, through log, cache, cost ledger, retry, timeout and rate limit');
  await say('Hi there');
  const retries = logEvents.filter((e) => e.event === 'retry');
  if (retries.length > 0) {
    print(`   (the first attempt was rate-limited; retry waited ${retries.map((e) => (e.event === 'retry' ? e.delayMs : 0)).join(', ')} ms and tried again)`);
  }

  print('2. stream: the reply arrives in parts');
  transcript.push({ role: 'user', content: 'How do refunds work?' });
  print('user      > How do refunds work?');
  let streamed = '';
  let parts = 0;
  for await (const part of kit.stream({ messages: transcript, metadata: user })) {
    if (part.type === 'text-delta') {
      streamed += part.text;
      parts++;
    }
  }
  transcript.push({ role: 'assistant', content: streamed });
  print(`assistant > ${streamed}   [${parts} text parts]`);

  print('3. tools: a zod-typed tool call, its result, and the answer');
  transcript.push({ role: 'user', content: 'Where is my order A-1042?' });
  print('user      > Where is my order A-1042?');
  const call = await kit.complete({ messages: transcript, tools: [orderStatus], metadata: user });
  transcript.push(responseMessage(call));
  for (const toolCall of call.toolCalls) {
    print(`tool call > ${toolCall.name}(${JSON.stringify(toolCall.arguments)})`);
    transcript.push({ role: 'tool', toolCallId: toolCall.id, toolName: toolCall.name, content: '{"status":"shipped","eta":"Thursday"}' });
  }
  const answer = await kit.complete({ messages: transcript, tools: [orderStatus], metadata: user });
  transcript.push(responseMessage(answer));
  print(`assistant > ${answer.text}`);

  print('4. structured output: the reply parsed and validated against a zod schema');
  const triaged = await kit.complete({
    messages: [{ role: 'user', content: 'Triage: "my parcel is late"' }],
    responseFormat: { type: 'json', schema: triage, name: 'triage' },
    metadata: { ...user, conversation: 'triage' },
  });
  print(`triage    > category=${triaged.object.category}, urgency=${triaged.object.urgency}`);

  print('5. cache: the same request again is answered without a model call');
  const again = await kit.complete({ messages: transcript.slice(0, 2), metadata: user });
  print(`assistant > ${again.text}   [cache ${isCacheHit(again) ? 'hit' : 'miss'}]`);

  const count = await kit.countTokens({ messages: transcript, tools: [orderStatus] });
  print(`6. tokens: the whole transcript is ${count.tokens} tokens for gpt-4o-mini (${count.encoding}, ${count.exact ? 'exact' : 'estimate'})`);

  return { ledger, logEvents, cacheHit: isCacheHit(again), triage: triaged.object, transcript };
}
