import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell-quote.js';

describe('shellQuote', () => {
  it('leaves safe words alone and single-quotes the rest', () => {
    expect(shellQuote('sqlite:./kit.db')).toBe('sqlite:./kit.db');
    expect(shellQuote('my machine.yaml')).toBe("'my machine.yaml'");
    expect(shellQuote("it's $HOME")).toBe("'it'\\''s $HOME'");
  });
});
