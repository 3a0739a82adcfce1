import { describe, expect, it } from 'vitest';
import { extractKeyValues } from './extract-key-values.js';

describe('extractKeyValues', () => {
  it('reads Key: value lines, plain, in lists and emphasised', () => {
    const reply = [
      'Here is the record:',
      'Name: Ada Lovelace',
      '- Born: 1815',
      '* **Field:** Mathematics',
      '1. **Known for**: the first program',
      '_Status_: historical',
      'Meeting time: 10:30',
    ].join('\n');
    expect(extractKeyValues(reply)).toEqual([
      { key: 'Name', value: 'Ada Lovelace' },
      { key: 'Born', value: '1815' },
      { key: 'Field', value: 'Mathematics' },
      { key: 'Known for', value: 'the first program' },
      { key: 'Status', value: 'historical' },
      { key: 'Meeting time', value: '10:30' },
    ]);
  });

  it('skips empty values, URLs, headings, code-like keys and long sentences', () => {
    const reply = [
      'Ingredients:',
      'https://example.com/a:b',
      '## Note: heading',
      '"quoted": 1',
      'def f(x):',
      `${'This sentence is far too long to be any sort of key at all '.repeat(2)}: value`,
      ': no key',
    ].join('\n');
    expect(extractKeyValues(reply)).toEqual([]);
  });

  it('skips lines inside fenced code and handles CRLF', () => {
    const reply = 'Label: spam\r\n```yaml\r\nlabel: ham\r\n```\r\nScore: 0.9\r\n';
    expect(extractKeyValues(reply)).toEqual([
      { key: 'Label', value: 'spam' },
      { key: 'Score', value: '0.9' },
    ]);
  });

  it('keeps duplicates in order and template syntax in values', () => {
    expect(extractKeyValues('Tag: a\nTag: {{ b }} <|endoftext|>')).toEqual([
      { key: 'Tag', value: 'a' },
      { key: 'Tag', value: '{{ b }} <|endoftext|>' },
    ]);
  });

  it('stays linear on a megabyte of colons and of colon-free text', () => {
    expect(extractKeyValues(':'.repeat(1_000_000))).toEqual([]);
    expect(extractKeyValues('a'.repeat(1_000_000))).toEqual([]);
    expect(extractKeyValues(`Key:${':'.repeat(1_000_000)}`)).toHaveLength(1);
    expect(extractKeyValues('K: v\n'.repeat(200_000))).toHaveLength(200_000);
  });
});
