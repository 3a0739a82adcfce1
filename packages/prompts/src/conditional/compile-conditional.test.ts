import { describe, expect, it } from 'vitest';
import { PromptError, TemplateSyntaxError } from '../errors/prompt-error.js';
import { CONDITIONAL_CACHE_LIMITS, compileConditional, renderConditional } from './compile-conditional.js';

describe('rule 1: placeholders', () => {
  it('takes names of letters, digits and _, padded or not', () => {
    expect(renderConditional('{{a_1}}|{{ B2 }}|{{\tc\t}}', { a_1: 'x', B2: 'y', c: 'z' })).toBe('x| y |\tz\t');
  });

  it('takes letters and digits of any script, as Python \\w does', () => {
    expect(renderConditional('{{café}} {{名前}}', { café: 'au lait', 名前: 'Ken' })).toBe('au lait Ken');
  });

  it('leaves {{user.name}}, {{user-name}} and {{ a | upper }} exactly as they are, whatever the params', () => {
    const template = 'Hi {{user.name}}, {{user-name}}, {{ a | upper }}, {{}} and {{ }}';
    expect(renderConditional(template, { user: 'U', name: 'N', a: 'A', 'user.name': 'X', 'user-name': 'Y' })).toBe(template);
  });

  it('finds the inner placeholder of {{{name}}}', () => {
    expect(renderConditional('{{{name}}}', { name: 'Ann' })).toBe('{Ann}');
  });
});

describe('rule 2: values outside sections', () => {
  it('replaces a present value and keeps the padding around it', () => {
    expect(renderConditional('Hello {{ name }}', { name: 'Alice' })).toBe('Hello  Alice ');
  });

  it('leaves a missing variable in place, its padding moved outside the braces', () => {
    expect(renderConditional('{{ var }}', {})).toBe(' {{var}} ');
    expect(renderConditional('[{{var}}]', {})).toBe('[{{var}}]');
    expect(renderConditional('[{{  var\n}}]', { var: undefined })).toBe('[  {{var}}\n]');
  });

  it('prints nothing for null in {{var}} and treats null as missing in {{ var }}', () => {
    expect(renderConditional('[{{var}}]', { var: null })).toBe('[]');
    expect(renderConditional('[{{ var }}]', { var: null })).toBe('[ {{var}} ]');
  });

  it('prints falsy values that are present', () => {
    expect(renderConditional('{{a}},{{b}},{{c}}', { a: 0, b: false, c: '' })).toBe('0,false,');
  });

  it('reads own properties only, never the prototype', () => {
    expect(renderConditional('{{constructor}} {{toString}} {{__proto__}}', {})).toBe('{{constructor}} {{toString}} {{__proto__}}');
    expect(renderConditional('{{constructor}}', { constructor: 'own' })).toBe('own');
  });
});

describe('rule 3: optional sections', () => {
  it.each([
    ['missing', {}],
    ['undefined', { x: undefined }],
    ['null', { x: null }],
    ['empty', { x: '' }],
    ['whitespace-only', { x: ' \n\t' }],
    ['zero', { x: 0 }],
    ['false', { x: false }],
    ['an empty array', { x: [] }],
    ['an empty object', { x: {} }],
  ])('removes a section whose only variable is %s', (_label, params) => {
    expect(renderConditional('a((, x is {{x}}))b', params)).toBe('ab');
  });

  it('keeps a section when one variable is filled, dropping its parentheses and emptying missing or null ones', () => {
    expect(renderConditional('a((: {{x}}/{{y}}/{{z}}))b', { x: 'X', z: null })).toBe('a: X//b');
  });

  it('prints present falsy values inside a section that another variable keeps', () => {
    expect(renderConditional('((<{{x}}|{{y}}|{{z}}>))', { x: 'X', y: 0, z: false })).toBe('<X|0|false>');
  });

  it('drops the padding of a missing variable inside a kept section (as DataKnobs does) and keeps it around a value', () => {
    expect(renderConditional('((a{{ x }}b{{ y }}c))', { y: 'Y' })).toBe('ab Y c');
  });

  it('counts the variables of nested sections when deciding about the outer one', () => {
    expect(renderConditional('[((outer ((inner {{x}}))))]', { x: 'X' })).toBe('[outer inner X]');
    expect(renderConditional('[((outer ((inner {{x}}))))]', {})).toBe('[]');
  });

  it('decides nested sections on their own variables once the outer one is kept', () => {
    expect(renderConditional('(({{a}}((+{{b}}))((+{{c}}))))', { a: 'A', c: 'C' })).toBe('A+C');
  });

  it('keeps a section with no variables, without its parentheses', () => {
    expect(renderConditional('I said ((hello)) to you', {})).toBe('I said hello to you');
    expect(renderConditional('x(( ((y)) ))z', {})).toBe('x y z');
  });
});

describe('rule 4: parentheses', () => {
  it('pairs single parentheses inside a section, so they do not close it', () => {
    const template = 'User: {{user}}(( ({{role}} - {{department}})))';
    expect(renderConditional(template, { user: 'Mike' })).toBe('User: Mike');
    expect(renderConditional(template, { user: 'Jane', role: 'Manager' })).toBe('User: Jane (Manager - )');
  });

  it('keeps a ((  without its )) as text and still substitutes the variables around and after it', () => {
    expect(renderConditional('Hi {{name}} (( note {{x}} and {{ y }}', { name: 'Bob', x: 'X' })).toBe('Hi Bob (( note X and  {{y}} ');
  });

  it('keeps an unclosed (( as text while a later complete section still works', () => {
    expect(renderConditional('(( a ((b {{x}}))', { x: 'X' })).toBe('(( a b X');
    expect(renderConditional('(( a ((b {{x}}))', {})).toBe('(( a ');
  });

  it('keeps a stray )) outside any section as text', () => {
    expect(renderConditional('done)) ((and {{x}}))', { x: 'X' })).toBe('done)) and X');
  });

  it('lets a section close after a ) that matches no ( (DataKnobs would never close it)', () => {
    expect(renderConditional('((a) {{x}}))', { x: 'X' })).toBe('a) X');
  });

  it('does not retry an unclosed ((( one character later, as DataKnobs does: the whole is text', () => {
    const compiled = compileConditional('(((a))');
    expect(compiled.render({})).toBe('(((a))');
    expect(compiled.diagnostics).toHaveLength(1);
  });

  it('treats single parentheses outside sections as text', () => {
    expect(renderConditional('f(x) (see (a)) {{y}}', { y: 'Y' })).toBe('f(x) (see (a)) Y');
  });
});

describe('rule 5: the issue examples', () => {
  it('drops a clause without its variable', () => {
    expect(renderConditional('Hello {{name}}((, you are {{age}} years old))', { name: 'Bob' })).toBe('Hello Bob');
    expect(renderConditional('Hello {{name}}((, you are {{age}} years old))', { name: 'Bob', age: 42 })).toBe('Hello Bob, you are 42 years old');
  });

  it('handles nested sections with only the outer variable', () => {
    expect(renderConditional('Report((: {{title}} ((by {{author}} ))((on {{date}}))))', { title: 'Overview' })).toBe('Report: Overview ');
  });

  it('renders adjacent empty sections to the empty string', () => {
    expect(renderConditional('(({{a}}))(({{b}}))', {})).toBe('');
  });
});

describe('rule 6: values are data', () => {
  const hostile = ['{{x}}', '((y))', '{% if %}', '<|endoftext|>', '((', '))', '{{ name }}'];

  it.each(hostile)('prints %j verbatim outside sections, without scanning it again', (value) => {
    expect(renderConditional('[{{v}}]', { v: value, x: 'X', y: 'Y', name: 'N' })).toBe(`[${value}]`);
  });

  it.each(hostile)('prints %j verbatim inside a section, without scanning it again', (value) => {
    expect(renderConditional('((<{{v}}>))((.{{z}}))', { v: value, x: 'X', y: 'Y', name: 'N' })).toBe(`<${value}>`);
  });

  it('does not let a value close a section or open one', () => {
    expect(renderConditional('(({{a}} {{b}}))', { a: 'a))', b: '((b' })).toBe('a)) ((b');
  });

  it('prints numbers and booleans as JavaScript does, and other values as documented', () => {
    const params = {
      n: 1.5,
      t: true,
      big: 12n,
      list: ['a', 1],
      obj: { k: 'v', n: [1] },
      when: new Date(Date.UTC(2024, 4, 1, 9, 30)),
    };
    expect(renderConditional('{{n}} {{t}} {{big}} {{list}} {{obj}} {{when}}', params)).toBe(
      '1.5 true 12 ["a",1] {"k":"v","n":[1]} 2024-05-01T09:30:00.000Z',
    );
  });
});

describe('render hooks', () => {
  const template = 'A {{x}} ((B {{ y }} {{z}})) ((C {{w}}))';

  it('lets a caller write values, missing variables and text differently, with the section logic unchanged', () => {
    const seen: string[] = [];
    const out = compileConditional(template).render(
      { x: 'X', y: 'Y' },
      {
        value: (node, value, inSection) => `<${node.name}=${String(value)}${inSection ? ' in' : ''}>`,
        missing: (node, inSection) => `<${node.name}?${inSection ? ' in' : ''}>`,
        text: (node) => {
          seen.push(node.text);
          return node.text.toUpperCase();
        },
      },
    );
    expect(out).toBe('A <x=X> B <y=Y in> <z? in> ');
    expect(seen).toEqual(['A ', ' ', 'B ', ' ', ' ']);
  });

  it('passes null to the value hook for an unpadded {{x}} outside sections, and to missing for {{ x }}', () => {
    const hooks = { value: (_n: unknown, v: unknown) => `value:${String(v)}`, missing: () => 'missing' };
    expect(compileConditional('{{x}}|{{ x }}').render({ x: null }, hooks)).toBe('value:null|missing');
  });

  it('passes null inside a kept section to the missing hook', () => {
    const hooks = { value: (_n: unknown, v: unknown) => `value:${String(v)}`, missing: () => 'missing' };
    expect(compileConditional('(({{x}}|{{y}}))').render({ x: null, y: 'Y' }, hooks)).toBe('missing|value:Y');
  });

  it('keeps the defaults for hooks left out', () => {
    expect(compileConditional(template).render({ x: 'X', w: 'W' }, { text: (n) => n.text })).toBe('A X  C W');
  });

  it('rejects a hook that is not a function', () => {
    const bad = { value: 'nope' } as unknown as Parameters<ReturnType<typeof compileConditional>['render']>[1];
    expect(() => compileConditional(template).render({}, bad)).toThrow(/invalid render hooks: value: must be a function/);
  });
});

describe('diagnostics', () => {
  const template = 'line one\n  ok ((kept {{x}}))\n  bad )) here\n((never closed {{y}}\nend';

  it('lists unclosed (( and stray )) with line and column, and renders them as text', () => {
    const compiled = compileConditional(template);
    expect(compiled.diagnostics).toEqual([
      { message: "'))' closes no '((' section", location: { line: 3, column: 7 } },
      { message: "'((' has no matching '))'", location: { line: 4, column: 1 } },
    ]);
    expect(compiled.render({ x: 'X', y: 'Y' })).toBe('line one\n  ok kept X\n  bad )) here\n((never closed Y\nend');
  });

  it('throws the first problem as a TemplateSyntaxError with its location in strict mode', () => {
    let caught: unknown;
    try {
      compileConditional(template, { strict: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateSyntaxError);
    expect((caught as TemplateSyntaxError).location).toEqual({ line: 3, column: 7 });
    expect((caught as TemplateSyntaxError).message).toContain('line 3, column 7');
  });

  it('does not report parentheses that single parentheses explain', () => {
    expect(compileConditional('(see (a)) f(g(x))', { strict: true }).diagnostics).toEqual([]);
  });
});

describe('the compiled-template cache', () => {
  it('returns the same compiled object for the same text', () => {
    const text = `cache hit {{a}} ${Math.random()}`;
    expect(compileConditional(text)).toBe(compileConditional(text));
  });

  it('bypasses the cache with cache: false, neither reading nor filling it', () => {
    const text = `cache bypass {{a}} ${Math.random()}`;
    const fresh = compileConditional(text, { cache: false });
    expect(compileConditional(text, { cache: false })).not.toBe(fresh);
    const cached = compileConditional(text);
    expect(cached).not.toBe(fresh);
    expect(compileConditional(text)).toBe(cached);
  });

  it('evicts the least recently used template past the entry bound', () => {
    const first = compileConditional('evict by count {{a}} 0');
    for (let i = 1; i <= CONDITIONAL_CACHE_LIMITS.maxEntries; i++) compileConditional(`evict by count {{a}} ${i}`);
    expect(compileConditional('evict by count {{a}} 0')).not.toBe(first);
  });

  it('evicts past the total source-length bound, and never keeps a template larger than it', () => {
    const big = (tag: string) => `${tag} {{a}} `.padEnd(CONDITIONAL_CACHE_LIMITS.maxTotalSize / 2 - 10, '.');
    const one = compileConditional(big('one'));
    compileConditional(big('two'));
    compileConditional(big('three'));
    expect(compileConditional(big('one'))).not.toBe(one);
    const huge = 'x'.repeat(CONDITIONAL_CACHE_LIMITS.maxTotalSize + 1);
    expect(compileConditional(huge)).not.toBe(compileConditional(huge));
  });
});

describe('large templates', () => {
  it('renders a 100 KB template correctly', () => {
    const block = 'Item {{name}} ((costs {{price}} ((on sale {{sale}}))))((, ships {{ship}})). (note) ';
    const repeats = Math.ceil(100_000 / block.length);
    const template = block.repeat(repeats);
    expect(template.length).toBeGreaterThanOrEqual(100_000);
    const out = renderConditional(template, { name: 'pen', price: '2 €' });
    expect(out).toBe('Item pen costs 2 € . (note) '.repeat(repeats));
  });

  it('renders and compiles deeply nested sections without recursion', () => {
    const depth = 20_000;
    const template = `${'(('.repeat(depth)}{{x}}${'))'.repeat(depth)}`;
    expect(renderConditional(template, { x: 'deep' })).toBe('deep');
    expect(renderConditional(template, {})).toBe('');
    expect(renderConditional('(('.repeat(depth), {})).toBe('(('.repeat(depth));
  });
});

describe('argument checks', () => {
  it.each([null, 'text', 3, ['a']])('rejects params %j with a PromptError', (params) => {
    expect(() => renderConditional('{{a}}', params as never)).toThrow(PromptError);
    expect(() => renderConditional('{{a}}', params as never)).toThrow(/params must be an object/);
  });

  it('rejects a template that is not a string', () => {
    expect(() => compileConditional(42 as never)).toThrow(/must be a string, got number/);
  });

  it('rejects unknown or mistyped options', () => {
    expect(() => compileConditional('x', { strcit: true } as never)).toThrow(/invalid compileConditional options/);
    expect(() => compileConditional('x', { cache: 'no' } as never)).toThrow(/cache/);
  });
});
