import { describe, expect, it } from 'vitest';
import { staticImportClosure } from './packages-size.js';

describe('staticImportClosure', () => {
  const files: Record<string, string> = {
    'dist/bundle/index.js': [
      'import { t as KitError } from "./kit-error-D5.js";',
      'import {',
      '  a,',
      '  b',
      '} from "./create-language-model-DV.js";',
      'import { z } from "zod";',
      'export { x } from "./response-BP.js";',
      'const provider = () => import("./openai.js");',
      '// import { y } from "./in-a-comment.js" stays out: the line does not start with import',
    ].join('\n'),
    'dist/bundle/kit-error-D5.js': 'export class KitError extends Error {}',
    'dist/bundle/create-language-model-DV.js': 'import { t } from "./kit-error-D5.js";\nimport "./side-effect.js";',
    'dist/bundle/response-BP.js': 'export const x = 1;',
    'dist/bundle/side-effect.js': '',
    'dist/bundle/openai.js': 'import OpenAI from "openai";',
  };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`read ${path}`);
    return text;
  };

  it('follows static imports and re-exports of chunks, transitively, and leaves import() and packages out', () => {
    expect(staticImportClosure('./dist/bundle/index.js', read)).toEqual([
      'dist/bundle/create-language-model-DV.js',
      'dist/bundle/index.js',
      'dist/bundle/kit-error-D5.js',
      'dist/bundle/response-BP.js',
      'dist/bundle/side-effect.js',
    ]);
  });
});
