import { createModel, modelFromEnvironment } from '@kit/llm';
import { costTable } from './cost-table.js';
import { runLlmShowcase } from './llm-showcase.js';

const started = performance.now();
console.log('Kit demo: a tour of @kit/llm');
// A real provider when the environment names one (KIT_MODEL, or a provider's key); else offline.
const modelName = modelFromEnvironment();
const model = modelName === undefined ? undefined : await createModel(modelName);
console.log(
  model === undefined
    ? 'No provider key set: running offline on a scripted model that stands in for gpt-4o-mini.'
    : `Running on ${modelName} (from the environment).`,
);
console.log('');

const result = await runLlmShowcase((line) => console.log(line), model);
console.log('');
console.log('Usage and cost per call (prices from the built-in pricing table):');
console.log(costTable(result.ledger));
console.log('');
console.log(`Log events: ${result.logEvents.map((e) => e.event).join(', ')}`);
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
