import type * as StableStringify from 'safe-stable-stringify';
import { lazyDependency, require } from '../lazy-dependency.js';
import { compareText } from './compare-text.js';
import { diffLines, renderUnifiedDiff, type DiffLine } from './line-diff.js';
import type { PromptVersion } from './prompt-version.js';

// Loaded on first use, not at import (see lazy-dependency.ts).
const loadStringify = lazyDependency<typeof StableStringify.stringify>(() => require('safe-stable-stringify'));

/** What changed between two versions of a prompt. */
export interface VersionDiff {
  /** The prompt both versions belong to. */
  promptName: string;
  /** Whether the prompt is a system or a user template. */
  kind: 'system' | 'user';
  /** The version compared from (`MAJOR.MINOR.PATCH`): the diff's `-` side. */
  from: string;
  /** The version compared to (`MAJOR.MINOR.PATCH`): the diff's `+` side. */
  to: string;
  /** A line diff of the two templates' `template` text (empty text where a record has none). */
  lines: DiffLine[];
  /** `lines` in the unified format, labelled `name@version`; empty when the texts are equal. */
  unified: string;
  /** Top-level fields of the template record whose values differ (`template`, `defaults`, `sections`, …), sorted. */
  changedFields: string[];
}

/** Compares two versions' template records. */
export function buildVersionDiff(from: PromptVersion, to: PromptVersion): VersionDiff {
  const lines = diffLines(templateText(from), templateText(to));
  const fields = new Set([...Object.keys(from.template), ...Object.keys(to.template)]);
  // Key order is not meaningful (PostgreSQL's jsonb reorders keys): compare canonical forms.
  const stringify = loadStringify();
  const changedFields = [...fields].filter((field) => stringify(from.template[field]) !== stringify(to.template[field])).sort(compareText);
  return {
    promptName: from.promptName,
    kind: from.kind,
    from: from.version,
    to: to.version,
    lines,
    unified: renderUnifiedDiff(lines, { fromLabel: `${from.promptName}@${from.version}`, toLabel: `${to.promptName}@${to.version}` }),
    changedFields,
  };
}

function templateText(version: PromptVersion): string {
  const text = version.template['template'];
  return typeof text === 'string' ? text : '';
}
