import { compileConditional, formatConditionalValue, type CompiledConditionalTemplate, type ConditionalNode } from '../conditional/index.js';
import { TemplateSyntaxError, type SourceLocation } from '../errors/prompt-error.js';
import { renderJinja, type JinjaRenderOptions } from './jinja-render.js';

/** The context variable that carries the conditional pass's values into nunjucks. */
const VALUES = '__kitConditionalValues';

/**
 * Mixed mode: the conditional pass decides which `(( ))` sections stay and fills each `{{name}}`
 * that has a parameter (padding kept, as in conditional mode), then nunjucks renders the result.
 * A placeholder with no parameter outside sections goes to nunjucks as written, since it may be
 * a loop or `set` variable. The conditional pass does not paste values into the
 * text nunjucks compiles: it writes a reference to a context slot, so a value holding `{{ }}` or
 * `{% %}` is printed as it is, never rendered.
 */
export function renderMixed(source: string, params: Readonly<Record<string, unknown>>, options: JinjaRenderOptions = {}): string {
  const compiled = compileConditional(source);
  // The check depends on the compiled template only: walk its AST once, not on every render.
  let problem = sectionProblems.get(compiled);
  if (problem === undefined) {
    problem = findJinjaInsideSections(compiled.nodes, false) ?? null;
    sectionProblems.set(compiled, problem);
  }
  if (problem !== null) {
    throw new TemplateSyntaxError(
      'Jinja blocks and filters are not allowed inside a (( )) section in mixed mode; move them outside the section or use mode "jinja2"',
      { templateName: options.templateName, location: problem },
    );
  }
  const values: string[] = [];
  const slot = (text: string): string => {
    values.push(text);
    return `{{ ${VALUES}[${values.length - 1}] }}`;
  };
  const nunjucksSource = compiled.render(params, {
    value: (node, value) => (value === null ? '' : `${node.padBefore}${slot(formatConditionalValue(value))}${node.padAfter}`),
    // A name with no parameter may be a loop or `set` variable: hand it to nunjucks unchanged,
    // which prints its value, or keeps `{{name}}` (or throws) when it has none either.
    missing: (node, inSection) => (inSection ? '' : node.raw),
  });
  return renderJinja(nunjucksSource, { ...params, [VALUES]: values }, options);
}

/** Jinja blocks or filters inside a `(( ))` section: the section's keep-or-drop rule cannot see them. */
const JINJA_IN_TEXT = /\{%|\{\{[^}]*\|/;

/** Where the first Jinja block or filter inside a section starts, or null; per compiled template. */
const sectionProblems = new WeakMap<CompiledConditionalTemplate, SourceLocation | null>();

function findJinjaInsideSections(nodes: readonly ConditionalNode[], inSection: boolean): SourceLocation | undefined {
  for (const node of nodes) {
    if (node.type === 'section') {
      const found = findJinjaInsideSections(node.children, true);
      if (found !== undefined) return found;
    } else if (inSection && node.type === 'text') {
      const match = JINJA_IN_TEXT.exec(node.text);
      if (match !== null) return offsetLocation(node.location, node.text, match.index);
    }
  }
  return undefined;
}

function offsetLocation(start: SourceLocation, text: string, index: number): SourceLocation {
  let { line, column } = start;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}
