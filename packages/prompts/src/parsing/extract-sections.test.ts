import { describe, expect, it } from 'vitest';
import { extractSections, findSection } from './extract-sections.js';
import { InvalidParserArgumentError } from './invalid-parser-argument-error.js';

describe('extractSections', () => {
  it('splits a reply at ATX headings, with the text before the first one', () => {
    const reply = [
      'Here is my analysis.',
      '',
      '# Summary',
      'It works.',
      '',
      '## Details ##',
      '- point one',
      '- point two',
      '',
      '###### Deepest #####   ',
      'tiny',
    ].join('\n');
    expect(extractSections(reply)).toEqual([
      { heading: '', level: 0, content: 'Here is my analysis.' },
      { heading: 'Summary', level: 1, content: 'It works.' },
      { heading: 'Details', level: 2, content: '- point one\n- point two' },
      { heading: 'Deepest', level: 6, content: 'tiny' },
    ]);
  });

  it('keeps a `#` that belongs to the heading and headings with no text', () => {
    expect(extractSections('# C#\ntext\n##\nempty heading\n### ###\nalso empty')).toEqual([
      { heading: 'C#', level: 1, content: 'text' },
      { heading: '', level: 2, content: 'empty heading' },
      { heading: '', level: 3, content: 'also empty' },
    ]);
  });

  it('does not read hashtags, seven #s, indented code or # lines in fenced code as headings', () => {
    const reply = '# Script\n#hashtag\n####### seven\n    # indented code\n```bash\n# a comment\necho hi\n```';
    expect(extractSections(reply)).toEqual([
      { heading: 'Script', level: 1, content: '#hashtag\n####### seven\n    # indented code\n```bash\n# a comment\necho hi\n```' },
    ]);
  });

  it('reads setext headings under a paragraph, and --- elsewhere as a break', () => {
    const reply = ['Intro text.', '', 'Main Title', 'spanning two lines', '==========', 'Body.', '', '---', '', 'Sub', '---', 'More.'].join('\n');
    expect(extractSections(reply)).toEqual([
      { heading: '', level: 0, content: 'Intro text.' },
      { heading: 'Main Title spanning two lines', level: 1, content: 'Body.\n\n---' },
      { heading: 'Sub', level: 2, content: 'More.' },
    ]);
  });

  it('does not turn a list item above --- into a heading', () => {
    expect(extractSections('- item\n---\nafter')).toEqual([{ heading: '', level: 0, content: '- item\n---\nafter' }]);
  });

  it('handles CRLF line endings', () => {
    expect(extractSections('pre\r\n## A\r\nline 1\r\nline 2\r\n## B\r\n')).toEqual([
      { heading: '', level: 0, content: 'pre' },
      { heading: 'A', level: 2, content: 'line 1\nline 2' },
      { heading: 'B', level: 2, content: '' },
    ]);
  });

  it('returns the whole text as one section when there is no heading, and nothing for blank text', () => {
    expect(extractSections('  just text  \n')).toEqual([{ heading: '', level: 0, content: 'just text' }]);
    expect(extractSections(' \n\n')).toEqual([]);
  });

  it('keeps template syntax and special tokens as text', () => {
    expect(extractSections('# {{title}} <|endoftext|>\n{% raw %}((x))')).toEqual([
      { heading: '{{title}} <|endoftext|>', level: 1, content: '{% raw %}((x))' },
    ]);
  });

  it('stays linear on a megabyte of hashes, heading lines and long headings', () => {
    expect(extractSections('#'.repeat(1_000_000))).toEqual([{ heading: '', level: 0, content: '#'.repeat(1_000_000) }]);
    expect(extractSections('# \n'.repeat(330_000))).toHaveLength(330_000);
    const longHeading = extractSections(`# ${'a '.repeat(250_000)}#`);
    expect(longHeading[0]?.heading.length).toBe(499_999);
    expect(extractSections(`# ${' #'.repeat(500_000)}x`)).toHaveLength(1);
    expect(extractSections(`${'para\n'.repeat(200_000)}===`)).toHaveLength(1);
  });
});

describe('findSection', () => {
  it('finds a section by heading, ignoring case and spacing', () => {
    const reply = '## Answer\n42\n## Reasoning  Steps\n1. think';
    expect(findSection(reply, 'answer')?.content).toBe('42');
    expect(findSection(reply, '  reasoning steps ')?.content).toBe('1. think');
    expect(findSection(reply, 'missing')).toBeUndefined();
  });

  it('finds the text before the first heading with an empty heading', () => {
    expect(findSection('preface\n# A\nx', '')?.content).toBe('preface');
  });

  it('returns the first of two sections with the same heading', () => {
    expect(findSection('# Note\nfirst\n# NOTE\nsecond', 'note')?.content).toBe('first');
  });

  it('rejects a heading that is not a string', () => {
    expect(() => findSection('# A', 1 as never)).toThrow(InvalidParserArgumentError);
  });
});
