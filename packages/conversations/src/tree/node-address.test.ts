import { describe, expect, it } from 'vitest';
import { ConversationTreeError } from './conversation-tree-error.js';
import { formatNodeAddress, parseNodeAddress } from './node-address.js';

describe('node addresses', () => {
  it('parses the root, a child and a deep address into sibling positions', () => {
    expect(parseNodeAddress('')).toEqual([]);
    expect(parseNodeAddress('0')).toEqual([0]);
    expect(parseNodeAddress('1.0.12')).toEqual([1, 0, 12]);
  });

  it('formats positions back to the same address', () => {
    for (const address of ['', '0', '3', '0.1', '10.0.7.2']) expect(formatNodeAddress(parseNodeAddress(address))).toBe(address);
  });

  it.each(['0.a', 'a', '01', '0.', '.0', '0..1', '-1', '1e3', ' 0', '0 ', '1.5.', '+1', '0x1', '99999999999999999999'])(
    'refuses %j with a typed invalid-address error',
    (address) => {
      let caught: unknown;
      try {
        parseNodeAddress(address);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConversationTreeError);
      expect((caught as ConversationTreeError).reason).toBe('invalid-address');
      expect((caught as ConversationTreeError).code).toBe('conversation-tree-invalid-address');
      expect((caught as Error).message).toContain(JSON.stringify(address).slice(1, -1));
    },
  );
});
