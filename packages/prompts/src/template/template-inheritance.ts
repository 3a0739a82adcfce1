import { CyclicExtendsError, TemplateNotFoundError, TemplateSyntaxError } from '../errors/prompt-error.js';
import type { PromptTemplate, ResolvedPromptTemplate } from './prompt-template.js';

/** Finds a template by name for `extends`; may be async (files, a version store). */
export type TemplateLookup = (name: string) => PromptTemplate | undefined | Promise<PromptTemplate | undefined>;

const MAX_SECTION_DEPTH = 32;
const SECTION_REFERENCE = /\{\{>\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/**
 * Resolves a template's `extends` chain and its `{{> section}}` references into final text and
 * merged fields. The child wins over its parent: text, sections, defaults (merged key by key),
 * metadata (merged), validation (required and optional lists united; level overridden), RAG
 * configs, mode and undefined handling. Sections are pasted into the source before any
 * parameter is seen, so parameter values can never name a section.
 */
export async function resolvePromptTemplate(name: string, template: PromptTemplate, lookup: TemplateLookup): Promise<ResolvedPromptTemplate> {
  const chain: { name: string; template: PromptTemplate }[] = [{ name, template }];
  const seen = new Set([name]);
  let current = template;
  while (current.extends !== undefined) {
    const parentName = current.extends;
    if (seen.has(parentName)) throw new CyclicExtendsError([...chain.map((c) => c.name), parentName], { templateName: name });
    const parent = await lookup(parentName);
    if (parent === undefined) throw new TemplateNotFoundError(parentName, { kind: `parent (extended by "${chain[chain.length - 1]!.name}")` });
    seen.add(parentName);
    chain.push({ name: parentName, template: parent });
    current = parent;
  }

  const merged: Omit<ResolvedPromptTemplate, 'template' | 'lineage'> & { template: string | undefined } = {
    name,
    template: undefined,
    mode: 'mixed',
    defaults: {},
    validation: { required: [], optional: [], level: undefined },
    metadata: {},
    rag: [],
    undefinedBehavior: 'keep',
  };
  const sections: Record<string, string> = {};
  for (const { template: t } of [...chain].reverse()) {
    if (t.template !== undefined) merged.template = t.template;
    if (t.mode !== undefined) merged.mode = t.mode;
    if (t.undefinedBehavior !== undefined) merged.undefinedBehavior = t.undefinedBehavior;
    if (t.rag !== undefined) merged.rag = structuredClone(t.rag);
    Object.assign(merged.defaults, structuredClone(t.defaults ?? {}));
    Object.assign(merged.metadata, structuredClone(t.metadata ?? {}));
    Object.assign(sections, t.sections ?? {});
    if (t.validation !== undefined) {
      merged.validation.required = union(merged.validation.required, t.validation.required);
      merged.validation.optional = union(merged.validation.optional, t.validation.optional);
      if (t.validation.level !== undefined) merged.validation.level = t.validation.level;
    }
  }
  if (merged.template === undefined) {
    throw new TemplateSyntaxError('the template has no text: neither it nor any template it extends sets `template`', { templateName: name });
  }
  return { ...merged, template: expandSections(merged.template, sections, name), lineage: chain.map((c) => c.name) };
}

/** Replaces `{{> name}}` with the section's text, recursively; unknown or cyclic sections are errors. */
export function expandSections(text: string, sections: Readonly<Record<string, string>>, templateName: string, stack: string[] = []): string {
  if (stack.length > MAX_SECTION_DEPTH) {
    throw new TemplateSyntaxError(`sections nest deeper than ${MAX_SECTION_DEPTH}: ${stack.join(' -> ')}`, { templateName });
  }
  return text.replace(SECTION_REFERENCE, (_match, section: string, offset: number) => {
    if (stack.includes(section)) {
      throw new TemplateSyntaxError(`section "${section}" includes itself: ${[...stack, section].join(' -> ')}`, { templateName });
    }
    const body = sections[section];
    if (body === undefined) {
      throw new TemplateSyntaxError(`unknown section "${section}"`, { templateName, location: stack.length === 0 ? locationAt(text, offset) : undefined });
    }
    return expandSections(body, sections, templateName, [...stack, section]);
  });
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function locationAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
