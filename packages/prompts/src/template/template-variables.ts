import { lazyDependency, require } from '../lazy-dependency.js';
import { BoundedLruCache } from '../conditional/bounded-lru-cache.js';
import { compileConditional } from '../conditional/index.js';
import type { TemplateMode } from './prompt-template.js';

interface NunjucksNode {
  typename: string;
  fields?: string[];
  value?: unknown;
  [field: string]: unknown;
}

const loadNunjucksParser = lazyDependency<{ parser: { parse(src: string): NunjucksNode } }>(() => require('nunjucks'));

/** nunjucks' globals, which a template may use without a parameter. */
const NUNJUCKS_GLOBALS = new Set(['range', 'cycler', 'joiner', 'loop', 'super', 'caller']);

/**
 * The top-level parameter names a template reads, in first-appearance order: conditional
 * placeholders and, in Jinja and mixed modes, the root names of nunjucks lookups. Names a
 * template binds itself (`{% for x %}`, `{% set y %}`, macro arguments) are left out. Used to
 * report which parameters a render used and which it lacked; it is not a security boundary.
 */
export function templateVariables(template: string, mode: TemplateMode): string[] {
  // Every render of a library prompt asks for this; parsing nunjucks each time doubled the work
  // the (cached) compile already did.
  const key = `${mode}\u0000${template}`;
  const cached = variablesCache.get(key);
  if (cached !== undefined) return [...cached];
  const names = readVariables(template, mode);
  variablesCache.set(key, names, template.length);
  return [...names];
}

const variablesCache = new BoundedLruCache<string, readonly string[]>({ maxEntries: 500, maxTotalSize: 4_000_000 });

function readVariables(template: string, mode: TemplateMode): string[] {
  const names = new Set<string>();
  if (mode !== 'jinja2') for (const name of compileConditional(template).variables) names.add(name);
  if (mode !== 'conditional') {
    let root: NunjucksNode;
    try {
      root = loadNunjucksParser().parser.parse(template);
    } catch {
      // Syntax errors are reported by rendering, with their position; here they just add nothing.
      return [...names];
    }
    const bound = new Set<string>();
    const read: string[] = [];
    walk(root, bound, read);
    for (const name of read) if (!bound.has(name) && !NUNJUCKS_GLOBALS.has(name)) names.add(name);
  }
  return [...names];
}

function walk(node: unknown, bound: Set<string>, read: string[]): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, bound, read);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as NunjucksNode;
  switch (n.typename) {
    case 'Symbol':
      if (typeof n.value === 'string') read.push(n.value);
      return;
    case 'Filter':
    case 'FilterAsync':
      walk(n['args'], bound, read); // the filter's name is a Symbol too, but not a parameter
      return;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll':
      collectBound(n['name'], bound);
      break;
    case 'Set':
      collectBound(n['targets'], bound);
      break;
    case 'Macro':
    case 'Caller':
      collectBound(n['name'], bound);
      collectBound(n['args'], bound);
      walk(n['body'], bound, read);
      return;
    case 'FromImport':
    case 'Import':
      collectBound(n['target'], bound);
      collectBound(n['names'], bound);
      return;
    default:
      break;
  }
  for (const field of n.fields ?? []) walk(n[field], bound, read);
}

function collectBound(node: unknown, bound: Set<string>): void {
  if (Array.isArray(node)) for (const child of node) collectBound(child, bound);
  else if (node !== null && typeof node === 'object') {
    const n = node as NunjucksNode;
    if (n.typename === 'Symbol' && typeof n.value === 'string') bound.add(n.value);
    else for (const field of n.fields ?? []) collectBound(n[field], bound);
  }
}
