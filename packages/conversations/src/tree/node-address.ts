import { ConversationTreeError } from './conversation-tree-error.js';

const SEGMENT = /^(0|[1-9]\d*)$/;

/**
 * Parses a DataKnobs-style address into sibling positions: `""` is the root (no steps), `"0"` its
 * first child, `"1.0"` the first child of the root's second child. Only canonical decimal segments
 * are accepted (`"01"`, `"0."`, `"0.a"` and `"-1"` are `invalid-address` errors), so every node has
 * exactly one spelling.
 */
export function parseNodeAddress(address: string): number[] {
  if (typeof address !== 'string') throw new ConversationTreeError('invalid-address', `an address is a string, got ${typeof address}`);
  if (address === '') return [];
  const steps: number[] = [];
  for (const segment of address.split('.')) {
    const position = Number(segment);
    if (!SEGMENT.test(segment) || !Number.isSafeInteger(position)) {
      throw new ConversationTreeError(
        'invalid-address',
        `"${address}" is not a node address: expected "" or dot-separated sibling positions such as "0.1.2" (bad segment "${segment}")`,
      );
    }
    steps.push(position);
  }
  return steps;
}

/** The address for a list of sibling positions, root first: the inverse of `parseNodeAddress`. */
export function formatNodeAddress(steps: readonly number[]): string {
  return steps.join('.');
}
