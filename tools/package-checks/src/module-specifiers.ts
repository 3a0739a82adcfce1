import { builtinModules } from 'node:module';
import ts from 'typescript';

/** The modules a file names, parsed (comments and strings are not imports). */
export interface ModuleReferences {
  /** `import ... from`, `export ... from` and `import 'x'` at the top level: loaded with the file. */
  static: string[];
  /** Everything else: `import('x')` calls (loaded when run) and, in declaration files, `import('x').T` types. */
  other: string[];
}

/** The module specifiers of a JavaScript or declaration file. */
export function moduleReferences(source: string, fileName: string): ModuleReferences {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false);
  const statics: string[] = [];
  for (const statement of file.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      statics.push(statement.moduleSpecifier.text);
    }
  }
  const all = ts.preProcessFile(source, true, true).importedFiles.map((reference) => reference.fileName);
  const remaining = [...statics];
  const other: string[] = [];
  for (const specifier of all) {
    const index = remaining.indexOf(specifier);
    if (index >= 0) remaining.splice(index, 1);
    else other.push(specifier);
  }
  return { static: statics, other };
}

/** True for a relative or absolute path, as opposed to a package name. */
export function isRelative(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/');
}

/** True for `node:fs`, `fs`, `fs/promises` and the like. */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier) || builtinModules.includes(specifier.split('/')[0]!);
}

/** The npm package a bare specifier names: `zod/v4` is `zod`, `@kit/llm/testing` is `@kit/llm`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
