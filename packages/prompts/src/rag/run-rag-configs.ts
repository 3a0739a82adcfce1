import { formatIssues, linkedAbortController, raceAbort } from '@kit/llm';
import { z } from 'zod';
import { PromptError, RagError } from '../errors/prompt-error.js';
import { RagAbortedError } from './rag-aborted-error.js';
import { ragConfigSchema, type RagConfig, type RagConfigInput } from './rag-config.js';
import { ragCacheKey, type RagResultCache } from './rag-result-cache.js';
import type { ResourceAdapter } from './resource-adapter.js';
import { copyResourceItem, resourceItemSchema, type ResourceItem } from './resource-item.js';
import { lazySchema } from '../lazy-schema.js';

/** Renders a template with parameters; parameter values must be printed, never rendered. */
export type RagTemplateRenderer = (template: string, params: Readonly<Record<string, unknown>>) => string;

/**
 * Options of {@link runRagConfigs}: the adapters configs name, the renderer for queries and item
 * templates, and a cache.
 */
export interface RunRagConfigsOptions {
  /** Adapters by the name configs use. */
  adapters: ReadonlyMap<string, ResourceAdapter> | Readonly<Record<string, ResourceAdapter>>;
  /** Renders queries and item templates (the package's template engine, in practice). */
  render: RagTemplateRenderer;
  /** Where results are cached between runs (configs with `cache: false` bypass it). Default: none. */
  cache?: RagResultCache | undefined;
  /** Aborting rejects the run with `RagAbortedError`, whatever the configs' `continueOnError`. */
  signal?: AbortSignal | undefined;
  /** Names the template in errors. */
  templateName?: string | undefined;
}

/** What one config's retrieval did. */
export interface RagRun {
  /** The config with its defaults applied. */
  config: RagConfig;
  /** The rendered query. */
  query: string;
  /** The items found (copies), at most the config's `k`, best first; `[]` when the adapter failed. */
  items: ResourceItem[];
  /** True when the items came from the cache and the adapter was not asked. */
  fromCache: boolean;
  /** Time to get the items, from the cache or the adapter. */
  durationMs: number;
  /** Set when the adapter failed and the config continued without it. */
  error?: { message: string; adapter: string } | undefined;
}

/**
 * What {@link runRagConfigs} produced: the text for each placeholder and what each config's
 * retrieval did.
 */
export interface RagRunResult {
  /** Placeholder → text, to be passed to the template as parameter values. */
  placements: Record<string, string>;
  /** One per config, in config order. */
  runs: RagRun[];
}

const optionsSchema = lazySchema(() =>
  z.object({
    adapters: z.union([z.instanceof(Map), z.record(z.string(), z.unknown())]),
    render: z.custom<RagTemplateRenderer>((value) => typeof value === 'function', 'a function (template, params) => string'),
    cache: z
      .custom<RagResultCache>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          typeof (value as RagResultCache).get === 'function' &&
          typeof (value as RagResultCache).set === 'function',
        'an object with get() and set()',
      )
      .optional(),
    signal: z.instanceof(AbortSignal).optional(),
    templateName: z.string().optional(),
  }),
);

const configsSchema = lazySchema(() => z.array(ragConfigSchema));
const itemsSchema = lazySchema(() => z.array(resourceItemSchema));

/**
 * Runs a template's RAG configs in parallel and returns the text for each placeholder. Each
 * config's query is rendered with `params`; each found item is rendered with the config's
 * `itemTemplate`, its content passed as a parameter value, so retrieved text holding `{{ }}`,
 * `(( ))` or `{% %}` is printed as it is. Configs sharing a placeholder are joined in config
 * order with the later config's separator; a config that found nothing adds nothing (and its
 * placeholder is '' when no config filled it).
 *
 * Results are cached (when `options.cache` is given and the config allows it) under the
 * adapter, rendered query, k and filters. Adapters' results are checked and cut to `k`.
 *
 * Throws `RagError` with code `rag-config` for an invalid config or an adapter name not in
 * `options.adapters`, before any search starts; `rag-adapter` when an adapter fails and its
 * config does not `continueOnError` (the other searches are then aborted); `RagAbortedError`
 * when `options.signal` aborts.
 */
export async function runRagConfigs(
  configs: readonly RagConfigInput[],
  params: Readonly<Record<string, unknown>>,
  options: RunRagConfigsOptions,
): Promise<RagRunResult> {
  const parsedOptions = optionsSchema().safeParse(options);
  if (!parsedOptions.success) {
    throw new PromptError('invalid-argument', `invalid RAG run options: ${formatIssues(parsedOptions.error.issues)}`, {
      templateName: typeof options?.templateName === 'string' ? options.templateName : undefined,
    });
  }
  const { render, cache, signal, templateName } = options;
  const parsedConfigs = configsSchema().safeParse(configs);
  if (!parsedConfigs.success) {
    const problems = parsedConfigs.error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`).join('; ');
    throw new RagError('rag-config', `invalid RAG config: ${problems}`, { templateName });
  }
  const plan = parsedConfigs.data.map((config) => ({ config, adapter: findAdapter(options.adapters, config.adapter, templateName) }));
  if (signal?.aborted === true) throw new RagAbortedError({ templateName, cause: signal.reason });
  // Queries render before any search starts, so a bad query template costs no search.
  const queries = plan.map(({ config }) => render(config.query, params));

  const { controller, dispose } = linkedAbortController(signal);
  let runs: RagRun[];
  try {
    runs = await Promise.all(
      plan.map(({ config, adapter }, i) => retrieve(config, adapter, queries[i]!, { cache, signal, innerSignal: controller.signal, templateName })),
    );
  } catch (error) {
    // One fatal failure: stop the other searches rather than wait for them.
    controller.abort();
    throw error;
  } finally {
    dispose();
  }

  const placements: Record<string, string> = {};
  runs.forEach((run) => {
    const { placeholder, separator } = run.config;
    const text = placeItems(run, render);
    const before = placements[placeholder];
    placements[placeholder] = before === undefined || before === '' ? text : text === '' ? before : `${before}${separator}${text}`;
  });
  return { placements, runs };
}

interface RetrieveContext {
  cache: RagResultCache | undefined;
  /** The caller's signal: its abort is a cancellation, not an adapter failure. */
  signal: AbortSignal | undefined;
  /** Aborts when the caller's does or when another config fails. */
  innerSignal: AbortSignal;
  templateName: string | undefined;
}

async function retrieve(config: RagConfig, adapter: ResourceAdapter, query: string, context: RetrieveContext): Promise<RagRun> {
  const started = performance.now();
  const useCache = config.cache && context.cache !== undefined;
  const key = ragCacheKey({ adapter: config.adapter, query, k: config.k, filters: config.filters });
  if (useCache) {
    const cached = await context.cache!.get(key);
    if (cached !== undefined) {
      return { config, query, items: cached.map(copyResourceItem), fromCache: true, durationMs: performance.now() - started };
    }
  }
  let items: ResourceItem[];
  try {
    const found = await raceAbort(
      Promise.resolve().then(() => adapter.search(query, { k: config.k, filters: config.filters, signal: context.innerSignal })),
      context.innerSignal,
    );
    const checked = itemsSchema().safeParse(found);
    if (!checked.success) throw new Error(`returned invalid items: ${formatIssues(checked.error.issues)}`);
    items = checked.data.slice(0, config.k).map(copyResourceItem);
  } catch (cause) {
    if (context.signal?.aborted === true) {
      throw new RagAbortedError({ adapter: config.adapter, templateName: context.templateName, cause: context.signal.reason });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    if (config.continueOnError) {
      return { config, query, items: [], fromCache: false, durationMs: performance.now() - started, error: { message, adapter: config.adapter } };
    }
    throw new RagError('rag-adapter', `RAG adapter "${config.adapter}" failed: ${message}`, {
      templateName: context.templateName,
      adapter: config.adapter,
      cause,
    });
  }
  if (useCache) await context.cache!.set(key, items);
  return { config, query, items, fromCache: false, durationMs: performance.now() - started };
}

function placeItems(run: RagRun, render: RagTemplateRenderer): string {
  if (run.items.length === 0) return '';
  const body = run.items.map((item, i) => render(run.config.itemTemplate, itemParameters(item, i + 1))).join(run.config.separator);
  return run.config.header === '' ? body : `${run.config.header}\n${body}`;
}

/** An item template's parameters; scalar metadata fields are flattened for engines without dotted access. */
function itemParameters(item: ResourceItem, index: number): Record<string, unknown> {
  const params: Record<string, unknown> = { content: item.content, id: item.id, score: item.score, index, metadata: item.metadata };
  for (const [field, value] of Object.entries(item.metadata)) {
    if (/^[A-Za-z0-9_]+$/.test(field) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      params[`meta_${field}`] = value;
    }
  }
  return params;
}

function findAdapter(adapters: RunRagConfigsOptions['adapters'], name: string, templateName: string | undefined): ResourceAdapter {
  const isMap = adapters instanceof Map;
  // Object.hasOwn: a config naming "constructor" or "toString" must not reach Object.prototype.
  const adapter = isMap ? adapters.get(name) : Object.hasOwn(adapters, name) ? (adapters as Readonly<Record<string, ResourceAdapter>>)[name] : undefined;
  if (adapter === undefined) {
    const known = isMap ? [...adapters.keys()] : Object.keys(adapters);
    throw new RagError('rag-config', `no RAG adapter named "${name}" (known: ${known.length === 0 ? 'none' : known.join(', ')})`, {
      templateName,
      adapter: name,
    });
  }
  if (typeof adapter !== 'object' || adapter === null || typeof adapter.search !== 'function') {
    throw new RagError('rag-config', `RAG adapter "${name}" has no search() method`, { templateName, adapter: name });
  }
  return adapter;
}

function describePath(path: readonly PropertyKey[]): string {
  const [index, ...rest] = path;
  const where = typeof index === 'number' ? `rag[${index}]` : 'rag';
  return rest.length === 0 ? where : `${where}.${rest.map(String).join('.')}`;
}
