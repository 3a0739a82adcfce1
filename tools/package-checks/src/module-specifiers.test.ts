import { describe, expect, it } from 'vitest';
import { isNodeBuiltin, isRelative, moduleReferences, packageNameOf } from './module-specifiers.js';

describe('moduleReferences', () => {
  it('tells imports loaded with the file from dynamic ones, and ignores comments and strings', () => {
    const source = [
      "/** e.g. `await import('better-sqlite3')` or import { x } from 'in-a-comment' */",
      "import { a } from './a.js';",
      'import {',
      '  b,',
      '  c,',
      "} from 'zod';",
      'export * from "./b.js";',
      "import 'side-effect';",
      "const text = 'import(\"in-a-string\")';",
      "const sdk = await import('openai');",
    ].join('\n');
    expect(moduleReferences(source, 'x.js')).toEqual({ static: ['./a.js', 'zod', './b.js', 'side-effect'], other: ['openai'] });
  });

  it('counts import types of declaration files as references', () => {
    const source = "import type { Pool } from 'pg';\nexport declare const sdk: typeof import('openai');\nexport {};\n";
    expect(moduleReferences(source, 'x.d.ts')).toEqual({ static: ['pg'], other: ['openai'] });
  });
});

describe('specifier kinds', () => {
  it('names the package of a bare specifier', () => {
    expect(packageNameOf('zod')).toBe('zod');
    expect(packageNameOf('zod/v4/core')).toBe('zod');
    expect(packageNameOf('@kit/llm')).toBe('@kit/llm');
    expect(packageNameOf('@kit/llm/testing')).toBe('@kit/llm');
  });

  it('knows Node built-ins and relative paths', () => {
    expect(isNodeBuiltin('node:fs')).toBe(true);
    expect(isNodeBuiltin('fs/promises')).toBe(true);
    expect(isNodeBuiltin('zod')).toBe(false);
    expect(isRelative('./a.js')).toBe(true);
    expect(isRelative('../a.js')).toBe(true);
    expect(isRelative('@kit/llm')).toBe(false);
  });
});
