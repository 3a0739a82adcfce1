import { createModel, modelFromEnvironment } from '@kit/llm';
import { demoSettingsFrom } from './demo-settings.js';
import { PERSONA_EXPERIMENT } from './persona-experiment.js';
import { runSupportDeskDemo } from './support-desk-demo.js';
import { heading } from './text-layout.js';

const started = performance.now();
const print = (line: string) => console.log(line);

try {
  const settings = demoSettingsFrom(process.env);
  print('Kit demo: a support desk built from @kit/llm, @kit/prompts, @kit/conversations and @kit/fsm');
  // A real provider when the environment names one (KIT_MODEL, or a provider's key); else offline.
  const modelName = modelFromEnvironment();
  const model = modelName === undefined ? undefined : await createModel(modelName);
  print(
    model === undefined
      ? 'Offline: no provider key set (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST or HF_TOKEN), so a scripted model stands in for gpt-4o-mini.'
      : `Running on ${modelName} (from the environment).`,
  );

  const result = await runSupportDeskDemo({ dataDir: settings.dataDir, model, sessions: settings.sessions, print });

  print(heading('Inspect the stored data'));
  print(`  npx kit conversations show ${result.showcase.conversationId} --tree --store sqlite:${result.conversationsPath}`);
  print(`  npx kit experiments report ${PERSONA_EXPERIMENT} --store sqlite:${result.promptsPath}`);
  print('');
  print(`Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
} catch (error) {
  // Provider errors carry their message without secrets; no stack trace for a demo user.
  console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env['KIT_DEBUG'] === '1') console.error(error);
  process.exitCode = 1;
}
