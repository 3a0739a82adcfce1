import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

// The layers, lowest first: each may import only the ones before it.
const layers = ['llm', 'prompts', 'conversations', 'fsm'] as const;

describe('package layering (llm <- prompts <- conversations <- fsm)', () => {
  // The boundary rule reads Nx's cached project graph; build it, so this test does not depend on
  // an earlier nx command having run (the rule silently skips itself without a graph).
  beforeAll(async () => {
    await createProjectGraphAsync({ exitOnError: false });
  }, 120_000);

  for (const [i, lower] of layers.entries()) {
    for (const upper of layers.slice(i + 1)) {
      it(`@kit/${lower} may not import @kit/${upper}`, async () => {
        const found = await problems(`packages/${lower}/src/probe.ts`, `import * as up from '@kit/${upper}';\nexport const x = up;\n`);
        expect(found.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
      });
    }
  }

  it('a higher layer may import a lower one', async () => {
    expect(await problems('packages/prompts/src/probe.ts', `import { wrapModel } from '@kit/llm';\nexport const w = wrapModel;\n`)).toEqual([]);
  });

  it("no package reaches into another's src/", async () => {
    const deep = await problems('packages/prompts/src/probe.ts', `import { wrapModel } from '@kit/llm/src/middleware/wrap-model.js';\nexport const w = wrapModel;\n`);
    expect(deep.join('\n')).toMatch(/no-restricted-imports/);
    const relative = await problems('packages/prompts/src/probe.ts', `import { wrapModel } from '../../llm/src/index.js';\nexport const w = wrapModel;\n`);
    expect(relative.join('\n')).toMatch(/no-restricted-imports|enforce-module-boundaries/);
  });
});
