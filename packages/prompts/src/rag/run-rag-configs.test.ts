import { describe, expect, it } from 'vitest';
import { PromptError, RagError } from '../errors/prompt-error.js';
import { KeywordAdapter } from './keyword-adapter.js';
import { RagAbortedError } from './rag-aborted-error.js';
import type { RagConfigInput } from './rag-config.js';
import { MemoryRagResultCache } from './rag-result-cache.js';
import type { ResourceAdapter, ResourceSearchOptions } from './resource-adapter.js';
import type { ResourceItem } from './resource-item.js';
import { runRagConfigs, type RagTemplateRenderer } from './run-rag-configs.js';

/** A stand-in for the template engine: replaces `{{name}}` with the value, in one pass, so values are never rendered. */
function standInRenderer(): RagTemplateRenderer & { templates: string[] } {
  const templates: string[] = [];
  const render = (template: string, params: Readonly<Record<string, unknown>>): string => {
    templates.push(template);
    return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
      const value = params[name];
      return value === undefined || value === null ? '' : String(value);
    });
  };
  return Object.assign(render, { templates });
}

interface RecordingAdapter extends ResourceAdapter {
  calls: Array<{ query: string; options: ResourceSearchOptions }>;
}

function listAdapter(name: string, items: ResourceItem[], delayMs = 0): RecordingAdapter {
  const calls: RecordingAdapter['calls'] = [];
  return {
    name,
    calls,
    async search(query, options) {
      calls.push({ query, options });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return items.slice(0, options.k);
    },
  };
}

const item = (id: string, content: string, metadata: Record<string, unknown> = {}, score = 1): ResourceItem => ({ id, content, score, metadata });

const failing = (message: string): ResourceAdapter => ({
  name: 'down',
  async search() {
    throw new Error(message);
  },
});

describe('runRagConfigs', () => {
  it('renders the query, places rendered items at the placeholder, and reports the run', async () => {
    const kb = listAdapter('kb', [item('a', 'Alpha', { source: 'wiki', year: 2024, nested: { x: 1 } }, 0.9), item('b', 'Beta', {}, 0.5)]);
    const render = standInRenderer();
    const result = await runRagConfigs(
      [{ adapter: 'kb', query: 'about {{topic}}', k: 2, placeholder: 'DOCS', itemTemplate: '{{index}}. {{content}} [{{id}} {{score}} {{meta_source}} {{meta_year}} {{meta_nested}}]' }],
      { topic: 'letters' },
      { adapters: { kb }, render },
    );
    expect(kb.calls[0]!.query).toBe('about letters');
    expect(kb.calls[0]!.options).toMatchObject({ k: 2 });
    expect(result.placements).toEqual({ DOCS: '1. Alpha [a 0.9 wiki 2024 ]\n\n2. Beta [b 0.5   ]' });
    expect(result.runs).toHaveLength(1);
    const [run] = result.runs;
    expect(run).toMatchObject({ query: 'about letters', fromCache: false, items: [{ id: 'a' }, { id: 'b' }] });
    expect(run!.error).toBeUndefined();
    expect(run!.durationMs).toBeGreaterThanOrEqual(0);
    expect(run!.config).toEqual({
      adapter: 'kb',
      query: 'about {{topic}}',
      k: 2,
      placeholder: 'DOCS',
      header: '',
      itemTemplate: '{{index}}. {{content}} [{{id}} {{score}} {{meta_source}} {{meta_year}} {{meta_nested}}]',
      separator: '\n\n',
      continueOnError: false,
      cache: true,
    });
  });

  it('applies the defaults: RAG_CONTENT, k = 3, the content alone, a blank line between items', async () => {
    const kb = listAdapter('kb', ['1', '2', '3', '4'].map((n) => item(n, `item ${n}`)));
    const result = await runRagConfigs([{ adapter: 'kb', query: 'q' }], {}, { adapters: new Map([['kb', kb]]), render: standInRenderer() });
    expect(kb.calls[0]!.options.k).toBe(3);
    expect(result.placements).toEqual({ RAG_CONTENT: 'item 1\n\nitem 2\n\nitem 3' });
  });

  it('puts the header on its own line above the items, and leaves it out when nothing was found', async () => {
    const found = listAdapter('found', [item('a', 'A'), item('b', 'B')]);
    const empty = listAdapter('empty', []);
    const result = await runRagConfigs(
      [
        { adapter: 'found', query: 'q', placeholder: 'ONE', header: '## Sources {{not_rendered}}', separator: ' | ' },
        { adapter: 'empty', query: 'q', placeholder: 'TWO', header: '## Nothing' },
      ],
      { not_rendered: 'x' },
      { adapters: { found, empty }, render: standInRenderer() },
    );
    expect(result.placements).toEqual({ ONE: '## Sources {{not_rendered}}\nA | B', TWO: '' });
  });

  it('joins configs that share a placeholder in config order, skipping empty ones', async () => {
    const slow = listAdapter('slow', [item('s', 'from slow')], 40);
    const fast = listAdapter('fast', [item('f', 'from fast')]);
    const empty = listAdapter('empty', []);
    const result = await runRagConfigs(
      [
        { adapter: 'empty', query: 'q', placeholder: 'DOCS' },
        { adapter: 'slow', query: 'q', placeholder: 'DOCS', header: 'Slow:' },
        { adapter: 'empty', query: 'q', placeholder: 'DOCS' },
        { adapter: 'fast', query: 'q', placeholder: 'DOCS', separator: '\n---\n' },
      ],
      {},
      { adapters: { slow, fast, empty }, render: standInRenderer() },
    );
    expect(result.placements).toEqual({ DOCS: 'Slow:\nfrom slow\n---\nfrom fast' });
    expect(result.runs.map((r) => r.config.adapter)).toEqual(['empty', 'slow', 'empty', 'fast']);
  });

  it('runs the searches in parallel', async () => {
    // Observed directly (both searches in flight at once) rather than by wall-clock time.
    let inFlight = 0;
    let maxInFlight = 0;
    const tracked = (name: string): ResourceAdapter => ({
      name,
      async search() {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 30));
        inFlight--;
        return [item(name, name)];
      },
    });
    const result = await runRagConfigs(
      [
        { adapter: 'one', query: 'q', placeholder: 'A' },
        { adapter: 'two', query: 'q', placeholder: 'B' },
      ],
      {},
      { adapters: { one: tracked('one'), two: tracked('two') }, render: standInRenderer() },
    );
    expect(result.placements).toEqual({ A: 'one', B: 'two' });
    expect(maxInFlight).toBe(2);
    for (const run of result.runs) expect(run.durationMs).toBeGreaterThanOrEqual(25);
  });

  it('keeps retrieved content verbatim: it reaches the renderer only as a value, never as a template', async () => {
    const hostile = '{{secret}} ((maybe {{secret}})) {% for x in y %}{{x}}{% endfor %} <|endoftext|>';
    const kb = listAdapter('kb', [item('evil', hostile, { note: '{{secret}}' })]);
    const render = standInRenderer();
    const result = await runRagConfigs(
      [{ adapter: 'kb', query: 'find {{q}}', itemTemplate: '> {{content}} ({{meta_note}})' }],
      { q: '{{secret}}', secret: 'LEAKED' },
      { adapters: { kb }, render },
    );
    expect(result.placements['RAG_CONTENT']).toBe(`> ${hostile} ({{secret}})`);
    expect(result.placements['RAG_CONTENT']).not.toContain('LEAKED');
    expect(render.templates).toEqual(['find {{q}}', '> {{content}} ({{meta_note}})']);
    // The rendered query is passed to the adapter as it is: a parameter value is not rendered either.
    expect(kb.calls[0]!.query).toBe('find {{secret}}');
  });

  it('throws a RagError naming the template and adapter when an adapter fails', async () => {
    const error = await runRagConfigs([{ adapter: 'down', query: 'q' }], {}, {
      adapters: { down: failing('connection refused') },
      render: standInRenderer(),
      templateName: 'support',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RagError);
    expect(error).toMatchObject({ code: 'rag-adapter', templateName: 'support', adapter: 'down' });
    expect((error as RagError).message).toBe('RAG adapter "down" failed: connection refused (template "support")');
    expect((error as RagError).cause).toEqual(new Error('connection refused'));
  });

  it('treats an adapter that throws synchronously, or returns malformed items, as failing', async () => {
    const sync: ResourceAdapter = {
      name: 'sync',
      search() {
        throw new TypeError('not async');
      },
    };
    const malformed: ResourceAdapter = { name: 'bad', search: async () => [{ id: 1, content: 'x' }] as unknown as ResourceItem[] };
    const options = { adapters: { sync, bad: malformed }, render: standInRenderer(), templateName: 't' };
    await expect(runRagConfigs([{ adapter: 'sync', query: 'q' }], {}, options)).rejects.toThrow(/RAG adapter "sync" failed: not async/);
    await expect(runRagConfigs([{ adapter: 'bad', query: 'q' }], {}, options)).rejects.toThrow(/RAG adapter "bad" failed: returned invalid items/);
  });

  it('cuts an adapter that returns more than k items down to k', async () => {
    const greedy: ResourceAdapter = { name: 'greedy', search: async () => [item('a', 'A'), item('b', 'B'), item('c', 'C')] };
    const result = await runRagConfigs([{ adapter: 'greedy', query: 'q', k: 2 }], {}, { adapters: { greedy }, render: standInRenderer() });
    expect(result.runs[0]!.items.map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('continues without a failing adapter when the config says so', async () => {
    const kb = listAdapter('kb', [item('a', 'A')]);
    const result = await runRagConfigs(
      [
        { adapter: 'down', query: 'q', placeholder: 'DOCS', continueOnError: true, header: 'Never shown' },
        { adapter: 'kb', query: 'q', placeholder: 'OTHER' },
      ],
      {},
      { adapters: { down: failing('timeout'), kb }, render: standInRenderer() },
    );
    expect(result.placements).toEqual({ DOCS: '', OTHER: 'A' });
    expect(result.runs[0]).toMatchObject({ items: [], fromCache: false, error: { message: 'timeout', adapter: 'down' } });
  });

  it('aborts the other searches when one fails', async () => {
    let sawAbort = false;
    const patient: ResourceAdapter = {
      name: 'patient',
      search: (_query, { signal }) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve([]), 1000);
          signal?.addEventListener('abort', () => {
            sawAbort = true;
            clearTimeout(timer);
            resolve([]);
          });
        }),
    };
    const started = performance.now();
    await expect(
      runRagConfigs(
        [
          { adapter: 'patient', query: 'q', placeholder: 'A' },
          { adapter: 'down', query: 'q', placeholder: 'B' },
        ],
        {},
        { adapters: { patient, down: failing('boom') }, render: standInRenderer() },
      ),
    ).rejects.toThrow(RagError);
    expect(performance.now() - started).toBeLessThan(500);
    expect(sawAbort).toBe(true);
  });

  it('rejects an unknown adapter name, including names only Object.prototype has, before any search', async () => {
    const kb = listAdapter('kb', [item('a', 'A')]);
    const configs: RagConfigInput[] = [
      { adapter: 'kb', query: 'q' },
      { adapter: 'missing', query: 'q' },
    ];
    const error = await runRagConfigs(configs, {}, { adapters: { kb }, render: standInRenderer(), templateName: 'docs' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RagError);
    expect(error).toMatchObject({ code: 'rag-config', templateName: 'docs', adapter: 'missing' });
    expect((error as Error).message).toContain('known: kb');
    expect(kb.calls).toEqual([]);
    await expect(runRagConfigs([{ adapter: 'toString', query: 'q' }], {}, { adapters: {}, render: standInRenderer() })).rejects.toThrow(
      /no RAG adapter named "toString" \(known: none\)/,
    );
    await expect(
      runRagConfigs([{ adapter: 'x', query: 'q' }], {}, { adapters: { x: {} as ResourceAdapter }, render: standInRenderer() }),
    ).rejects.toThrow(/has no search\(\) method/);
  });

  it('rejects invalid configs with a RagError naming the template and the field', async () => {
    const kb = listAdapter('kb', []);
    const run = (config: unknown) =>
      runRagConfigs([config as RagConfigInput], {}, { adapters: { kb }, render: standInRenderer(), templateName: 'docs' }).catch((e: unknown) => e);
    const tooMany = await run({ adapter: 'kb', query: 'q', k: 101 });
    expect(tooMany).toBeInstanceOf(RagError);
    expect(tooMany).toMatchObject({ code: 'rag-config', templateName: 'docs' });
    expect((tooMany as Error).message).toMatch(/^invalid RAG config: rag\[0\]\.k: /);
    expect((tooMany as Error).message).toContain('(template "docs")');
    expect((await run({ adapter: 'kb', query: 'q', placeholder: 'has space' })) as Error).toMatchObject({ message: expect.stringContaining('rag[0].placeholder') });
    expect((await run({ adapter: 'kb', query: 'q', placholder: 'typo' })) as Error).toMatchObject({ code: 'rag-config' });
    expect((await run({ query: 'q' })) as Error).toMatchObject({ message: expect.stringContaining('rag[0].adapter') });
  });

  it('rejects invalid options with a typed error', async () => {
    await expect(runRagConfigs([], {}, { adapters: {}, render: 'nope' as unknown as RagTemplateRenderer })).rejects.toThrow(PromptError);
    await expect(runRagConfigs([], {}, { adapters: {}, render: standInRenderer(), cache: {} as MemoryRagResultCache })).rejects.toThrow(/cache/);
  });

  it('returns nothing for no configs', async () => {
    expect(await runRagConfigs([], {}, { adapters: {}, render: standInRenderer() })).toEqual({ placements: {}, runs: [] });
  });

  it('serves repeated searches from the cache, keyed by adapter, rendered query, k and filters', async () => {
    const kb = listAdapter('kb', [item('a', 'A', { lang: 'en' }), item('b', 'B')]);
    const cache = new MemoryRagResultCache();
    const options = { adapters: { kb }, render: standInRenderer(), cache };
    const config: RagConfigInput = { adapter: 'kb', query: 'about {{topic}}', k: 2, filters: { lang: 'en' } };

    const first = await runRagConfigs([config], { topic: 'x' }, options);
    expect(first.runs[0]!.fromCache).toBe(false);
    const second = await runRagConfigs([config], { topic: 'x' }, options);
    expect(second.runs[0]!.fromCache).toBe(true);
    expect(second.placements).toEqual(first.placements);
    expect(kb.calls).toHaveLength(1);

    await runRagConfigs([config], { topic: 'y' }, options);
    await runRagConfigs([{ ...config, k: 1 }], { topic: 'x' }, options);
    await runRagConfigs([{ ...config, filters: { lang: 'de' } }], { topic: 'x' }, options);
    expect(kb.calls).toHaveLength(4);

    // A run that mutates its items cannot change what the cache hands out next.
    const third = await runRagConfigs([config], { topic: 'x' }, options);
    third.runs[0]!.items[0]!.content = 'tampered';
    third.runs[0]!.items[0]!.metadata['lang'] = 'xx';
    const fourth = await runRagConfigs([config], { topic: 'x' }, options);
    expect(fourth.runs[0]!.items[0]).toMatchObject({ content: 'A', metadata: { lang: 'en' } });
    expect(kb.calls).toHaveLength(4);
  });

  it('bypasses the cache for a config with cache: false, and never caches a failure', async () => {
    const kb = listAdapter('kb', [item('a', 'A')]);
    const cache = new MemoryRagResultCache();
    const options = { adapters: { kb, down: failing('x') }, render: standInRenderer(), cache };
    await runRagConfigs([{ adapter: 'kb', query: 'q', cache: false }], {}, options);
    await runRagConfigs([{ adapter: 'kb', query: 'q', cache: false }], {}, options);
    expect(kb.calls).toHaveLength(2);
    expect(cache.size).toBe(0);
    await runRagConfigs([{ adapter: 'down', query: 'q', continueOnError: true }], {}, options);
    expect(cache.size).toBe(0);
  });

  it('works with a real adapter end to end', async () => {
    const kb = new KeywordAdapter({ name: 'kb' });
    kb.addDocuments([
      { id: 'pw', content: 'Reset your password from the login page.', metadata: { section: 'account' } },
      { id: 'bill', content: 'Invoices are sent monthly.', metadata: { section: 'billing' } },
    ]);
    const result = await runRagConfigs(
      [{ adapter: 'kb', query: '{{question}}', k: 1, header: 'Relevant:', itemTemplate: '[{{meta_section}}] {{content}}' }],
      { question: 'How do I reset my password?' },
      { adapters: { kb }, render: standInRenderer() },
    );
    expect(result.placements['RAG_CONTENT']).toBe('Relevant:\n[account] Reset your password from the login page.');
  });

  it('rejects with RagAbortedError when the caller aborts, even for configs that continue on error', async () => {
    const before = new AbortController();
    before.abort();
    const kb = listAdapter('kb', [item('a', 'A')], 200);
    await expect(
      runRagConfigs([{ adapter: 'kb', query: 'q' }], {}, { adapters: { kb }, render: standInRenderer(), signal: before.signal }),
    ).rejects.toThrow(RagAbortedError);
    expect(kb.calls).toEqual([]);

    const during = new AbortController();
    const started = performance.now();
    const pending = runRagConfigs([{ adapter: 'kb', query: 'q', continueOnError: true }], {}, {
      adapters: { kb },
      render: standInRenderer(),
      signal: during.signal,
      templateName: 'docs',
    });
    setTimeout(() => during.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RagAbortedError);
    expect(error).toMatchObject({ name: 'AbortError', adapter: 'kb', templateName: 'docs' });
    // The adapter ignores the signal; the run still stops at once.
    expect(performance.now() - started).toBeLessThan(150);
  });
});
