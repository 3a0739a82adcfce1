import { z } from 'zod';
import { PromptError } from '../errors/prompt-error.js';
import type { ConditionalDiagnostic, ConditionalNode, ConditionalText, ConditionalVariable } from './conditional-ast.js';
import { formatConditionalValue, isFilledConditionalValue } from './conditional-value.js';
import type { ParsedConditional } from './parse-conditional.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * Changes how single nodes are written while the section logic stays the engine's. Each hook
 * returns the text to write in place of the node; a hook left out keeps the default.
 */
export interface ConditionalRenderHooks {
  /**
   * A placeholder with a value. `value` is never `undefined`; it is `null` only for an unpadded
   * `{{name}}` outside sections (which prints as nothing). `inSection` is true inside a kept
   * `(( ))` section. Default: `padBefore + formatConditionalValue(value) + padAfter`.
   */
  value?(node: ConditionalVariable, value: unknown, inSection: boolean): string;
  /**
   * A placeholder whose value is absent or `undefined` (or `null` where `null` counts as missing:
   * inside sections, and padded outside them). Default: inside a section, the empty string;
   * outside, `padBefore + '{{name}}' + padAfter`, the placeholder kept with its padding moved out.
   */
  missing?(node: ConditionalVariable, inSection: boolean): string;
  /** Literal template text. Default: `node.text`. */
  text?(node: ConditionalText): string;
}

/** A conditional template parsed once, to render any number of times. */
export interface CompiledConditionalTemplate {
  /** The template text it was compiled from. */
  readonly source: string;
  /** The parsed template, top-level nodes in source order; together they cover the source exactly. */
  readonly nodes: readonly ConditionalNode[];
  /** Every placeholder name, in first-appearance order, each once. */
  readonly variables: readonly string[];
  /** Problems the lenient parser kept as text (unclosed `((`, stray `))`), in source order. */
  readonly diagnostics: readonly ConditionalDiagnostic[];
  /**
   * Renders with `params` (own properties only: `{{constructor}}` never reads the prototype).
   * Values are data: what a value prints is never scanned again. Throws a `PromptError`
   * (`invalid-argument`) when `params` is not an object or a hook is not a function.
   */
  render(params: Readonly<Record<string, unknown>>, hooks?: ConditionalRenderHooks): string;
}

const TEXT = 0;
const VARIABLE = 1;
const OPEN = 2;
const CLOSE = 3;

/**
 * One step of the flat program a template compiles to. A single class keeps every step the same
 * shape, so the render loop's property reads stay monomorphic.
 */
class Step {
  /** Index of the first variable occurrence inside this section (OPEN), among occurrences inside sections. */
  firstVariable = 0;
  /** One past the last such occurrence (OPEN). */
  endVariable = 0;
  /** The step after this section's CLOSE (OPEN): where a dropped section resumes. */
  resumeAt = 0;

  constructor(
    readonly kind: number,
    /** TEXT: the text. VARIABLE: the name. */
    readonly text: string,
    readonly textNode: ConditionalText | undefined,
    readonly variable: ConditionalVariable | undefined,
    /** VARIABLE: what a missing value writes outside sections. */
    readonly missingText: string,
    readonly padded: boolean,
  ) {}
}

const CLOSE_STEP = new Step(CLOSE, '', undefined, undefined, '', false);

const hooksSchema = lazySchema(() =>
  z.strictObject({
    value: z.custom<NonNullable<ConditionalRenderHooks['value']>>((v) => typeof v === 'function', 'must be a function').optional(),
    missing: z.custom<NonNullable<ConditionalRenderHooks['missing']>>((v) => typeof v === 'function', 'must be a function').optional(),
    text: z.custom<NonNullable<ConditionalRenderHooks['text']>>((v) => typeof v === 'function', 'must be a function').optional(),
  }),
);

/**
 * The compiled form: the nodes, flattened into steps so rendering is one loop with no recursion
 * (deep nesting cannot overflow the stack) and a dropped section is skipped with one jump.
 */
export class CompiledConditional implements CompiledConditionalTemplate {
  readonly source: string;
  readonly nodes: readonly ConditionalNode[];
  readonly variables: readonly string[];
  readonly diagnostics: readonly ConditionalDiagnostic[];
  readonly #steps: readonly Step[];
  /** The names of variable occurrences inside sections, in order: what decides which sections stay. */
  readonly #sectionVariableNames: readonly string[];

  constructor(source: string, parsed: ParsedConditional) {
    this.source = source;
    this.nodes = parsed.nodes;
    this.variables = parsed.variables;
    this.diagnostics = parsed.diagnostics;
    const { steps, sectionVariableNames } = flatten(parsed.nodes);
    this.#steps = steps;
    this.#sectionVariableNames = sectionVariableNames;
  }

  render(params: Readonly<Record<string, unknown>>, hooks?: ConditionalRenderHooks): string {
    // The same predicate as a zod record check, without copying every key on every render.
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new PromptError('invalid-argument', `params must be an object of name to value, got ${params === null ? 'null' : Array.isArray(params) ? 'an array' : typeof params}`);
    }
    let valueHook: ConditionalRenderHooks['value'];
    let missingHook: ConditionalRenderHooks['missing'];
    let textHook: ConditionalRenderHooks['text'];
    if (hooks !== undefined) {
      const checked = hooksSchema().safeParse(hooks);
      if (!checked.success) {
        const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || 'hooks'}: ${issue.message}`).join('; ');
        throw new PromptError('invalid-argument', `invalid render hooks: ${issues}`);
      }
      ({ value: valueHook, missing: missingHook, text: textHook } = hooks);
    }

    // filledBefore[k]: how many of the first k in-section occurrences have a filled value. A
    // section whose occurrences [first, end) add none is dropped whole.
    const names = this.#sectionVariableNames;
    const filledBefore = new Uint32Array(names.length + 1);
    for (let k = 0; k < names.length; k++) {
      filledBefore[k + 1] = filledBefore[k]! + (isFilledConditionalValue(ownValue(params, names[k]!)) ? 1 : 0);
    }

    const steps = this.#steps;
    const out: string[] = [];
    let depth = 0;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      switch (step.kind) {
        case TEXT:
          out.push(textHook === undefined ? step.text : textHook(step.textNode!));
          break;
        case VARIABLE: {
          const value = ownValue(params, step.text);
          if (value === undefined || (value === null && (depth > 0 || step.padded))) {
            if (missingHook !== undefined) out.push(missingHook(step.variable!, depth > 0));
            else if (depth === 0) out.push(step.missingText);
          } else if (valueHook !== undefined) {
            out.push(valueHook(step.variable!, value, depth > 0));
          } else {
            const text = typeof value === 'string' ? value : formatConditionalValue(value);
            out.push(step.padded ? step.variable!.padBefore + text + step.variable!.padAfter : text);
          }
          break;
        }
        case OPEN:
          if (step.endVariable > step.firstVariable && filledBefore[step.endVariable] === filledBefore[step.firstVariable]) {
            i = step.resumeAt - 1;
          } else {
            depth++;
          }
          break;
        default: // CLOSE
          depth--;
          break;
      }
    }
    return out.join('');
  }
}

function ownValue(params: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

/** Flattens the nodes into steps, iteratively (no recursion, whatever the nesting depth). */
function flatten(nodes: readonly ConditionalNode[]): { steps: Step[]; sectionVariableNames: string[] } {
  const steps: Step[] = [];
  const sectionVariableNames: string[] = [];
  const stack: { nodes: readonly ConditionalNode[]; next: number; open: Step | undefined }[] = [{ nodes, next: 0, open: undefined }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const node = top.nodes[top.next++];
    if (node === undefined) {
      stack.pop();
      if (top.open !== undefined) {
        steps.push(CLOSE_STEP);
        top.open.endVariable = sectionVariableNames.length;
        top.open.resumeAt = steps.length;
      }
      continue;
    }
    switch (node.type) {
      case 'text':
        steps.push(new Step(TEXT, node.text, node, undefined, '', false));
        break;
      case 'variable': {
        if (stack.length > 1) sectionVariableNames.push(node.name);
        const padded = node.padBefore !== '' || node.padAfter !== '';
        steps.push(new Step(VARIABLE, node.name, undefined, node, `${node.padBefore}{{${node.name}}}${node.padAfter}`, padded));
        break;
      }
      case 'section': {
        const open = new Step(OPEN, '', undefined, undefined, '', false);
        open.firstVariable = sectionVariableNames.length;
        steps.push(open);
        stack.push({ nodes: node.children, next: 0, open });
        break;
      }
    }
  }
  return { steps, sectionVariableNames };
}
