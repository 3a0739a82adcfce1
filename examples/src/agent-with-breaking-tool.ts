/**
 * A code-first agent with a breaking tool that pauses and resumes: @kit/fsm.
 *
 * An agent handles a refund. Refunds over $100 need a manager, so the model calls the breaking
 * tool `ask_manager`: the batch finishes, working memory (with the checkpoint) is saved to a JSON
 * file, and the run stops with `ExecutionBreak`. Later (here: a new agent, as another process
 * would make) the memory is loaded from the file and `resume` continues with the manager's answer.
 *
 * Run: npm run example -w @kit/examples -- agent-with-breaking-tool
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionBreak, PersistentMemory, defineAgent, defineAgentTool, fileMemoryPersistence, type StateMachineAgent, type ToolRunResult } from '@kit/fsm';
import { createModel, modelFromEnvironment, type LanguageModel } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { z } from 'zod';

const refundArgs = z.object({ orderId: z.string(), amount: z.number().positive() });
const askManager = defineAgentTool({
  name: 'ask_manager',
  description: 'Ask a manager to approve a refund over $100. The run pauses until the manager answers.',
  parameters: refundArgs.extend({ reason: z.string() }),
  kind: 'breaking',
  run: ({ orderId, amount }) => `Approval for a $${amount} refund on ${orderId} requested.`,
});
const issueRefund = defineAgentTool({
  name: 'issue_refund',
  description: 'Issue a refund. Over $100 only after a manager approved it.',
  parameters: refundArgs,
  kind: 'async',
  run: async ({ orderId, amount }) => `Refunded $${amount} on ${orderId}.`,
});

const modelName = modelFromEnvironment();
const model =
  modelName === undefined
    ? scriptedModel(
        [
          {
            toolCalls: [
              { name: 'set_memory', arguments: { bucket: 0, content: 'A-1002: $180 refund, jacket arrived torn.' } },
              { name: 'ask_manager', arguments: { orderId: 'A-1002', amount: 180, reason: 'arrived torn' } },
            ],
          },
          { toolCalls: [{ name: 'issue_refund', arguments: { orderId: 'A-1002', amount: 180 } }] },
          'The manager approved it: $180 is refunded on order A-1002.',
        ],
        { modelId: 'gpt-4o-mini' },
      )
    : await createModel(modelName);

const dir = await mkdtemp(join(tmpdir(), 'kit-agent-'));
const memoryFile = join(dir, 'refund-session.json');

/** The agent; the same definition in both "processes", the second one starting from saved memory. */
function refundAgent(llm: LanguageModel, memory?: PersistentMemory): StateMachineAgent {
  return defineAgent({ model: llm, memory, persistence: fileMemoryPersistence(memoryFile), summarizer: false })
    .state('review', {
      tools: [askManager, issueRefund],
      onEnter: (input, context) =>
        context.runWithTools({
          systemPrompt: 'You handle refund requests. Note the case in working memory bucket 0. Refunds over $100 need ask_manager first; after approval, call issue_refund.',
          userMessage: String(input),
        }),
    })
    .state('done')
    .transition('review', 'done')
    .build();
}

try {
  const agent = refundAgent(model);
  try {
    await agent.executeState('review', 'The customer asks for a $180 refund on order A-1002: the jacket arrived torn.');
    console.log('finished without pausing');
  } catch (error) {
    if (!(error instanceof ExecutionBreak)) throw error;
    console.log(`paused in "${error.state}" on ${error.breakingTools.join(', ')}; memory saved to ${memoryFile}`);
    for (const result of error.results) console.log(`  ${result.toolName} -> ${result.status}: ${result.content}`);
  }

  // Later, another process: load the memory and resume with the manager's answer.
  const saved = await PersistentMemory.loadFromFile(memoryFile);
  console.log(`loaded: state ${saved.currentState}, checkpoint ${saved.checkpoint === undefined ? 'none' : 'present'}, bucket 0 "${saved.workingMemory.get(0)}"`);
  const resumed = refundAgent(model, saved);
  const run = (await resumed.resume('Manager: approved.')) as ToolRunResult;
  for (const call of run.toolCalls) console.log(`  ${call.toolName} -> ${call.status}: ${call.content}`);
  console.log(`resumed and finished: ${run.text}`);
  await resumed.transitionTo('done');
  console.log(`state: ${resumed.currentState}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
