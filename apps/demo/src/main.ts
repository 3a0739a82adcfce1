import { costTable } from './cost-table.js';
import { runLlmShowcase } from './llm-showcase.js';

const PROVIDER_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST', 'HF_TOKEN'];

const started = performance.now();
const configured = PROVIDER_VARIABLES.filter((name) => process.env[name]);
console.log('Kit demo: a tour of @kit/llm');
if (configured.length > 0) {
  console.log(
    `${configured.join(', ')} set, but this build has no provider adapters yet (they are the next issue); running offline on the scripted model.`,
  );
} else {
  console.log('No provider key set: running offline on a scripted model that stands in for gpt-4o-mini.');
}
console.log('');

const result = await runLlmShowcase((line) => console.log(line));
console.log('');
console.log('Usage and cost per call (prices from the built-in pricing table):');
console.log(costTable(result.ledger));
console.log('');
console.log(`Log events: ${result.logEvents.map((e) => e.event).join(', ')}`);
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
