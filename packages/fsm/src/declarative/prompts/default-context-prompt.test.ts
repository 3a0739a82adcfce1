import { compileConditional } from '@kit/prompts';
import { describe, expect, it } from 'vitest';
import { renderDefaultContextPrompt } from './default-context-prompt.js';
import { DEFAULT_CONTEXT_TEMPLATE } from './default-prompt-templates.js';

describe('renderDefaultContextPrompt', () => {
  it('writes exactly what the default context template renders', () => {
    const template = compileConditional(DEFAULT_CONTEXT_TEMPLATE);
    const contexts = ['{}', '{"name":"Ada"}', '', '  ', '{"a":"{{missing_context_keys}}"}', '{"b":"((x))"}', '{"c":"line\\nbreak"}'];
    const missing = ['', ' ', '\n\t', 'email', 'email, phone', '{{context}}', ' padded '];
    for (const context of contexts) {
      for (const keys of missing) {
        expect(renderDefaultContextPrompt(context, keys), `${JSON.stringify(context)} / ${JSON.stringify(keys)}`).toBe(
          template.render({ context, missing_context_keys: keys }),
        );
      }
    }
  });
});
