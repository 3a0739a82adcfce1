import type { Message } from '@kit/llm';
import { PromptError, TemplateNotFoundError } from '../errors/prompt-error.js';
import { getTemplate, type PromptLibrary } from '../library/prompt-library.js';
import type { RagResultCache, ResourceAdapter } from '../rag/index.js';
import type { ResolvedPromptTemplate, UndefinedBehavior, ValidationLevel } from '../template/prompt-template.js';
import { renderPrompt, type RenderedPrompt, type RenderPromptOptions } from '../template/render-prompt.js';
import { resolvePromptTemplate } from '../template/template-inheritance.js';

/** Options of {@link PromptBuilder}: the library it renders from, and the defaults of every render. */
export interface PromptBuilderOptions {
  /** Where templates and message sequences are looked up by name; required. */
  library: PromptLibrary;
  /** RAG adapters by the name templates' RAG configs use. */
  adapters?: ReadonlyMap<string, ResourceAdapter> | Readonly<Record<string, ResourceAdapter>> | undefined;
  /** A RAG result cache for every render; a call's own `ragCache` wins. Default: no caching. */
  ragCache?: RagResultCache | undefined;
  /** The level for templates that set none; a call's own `level` still wins. Default `warn`. */
  validationLevel?: ValidationLevel | undefined;
  /** How an undefined Jinja `{{ name }}` renders; when set it wins over every template's own setting. */
  undefinedBehavior?: UndefinedBehavior | undefined;
  /** The clock for `current_date` and friends (tests pin it). */
  now?: (() => Date) | undefined;
}

/** Options of one render call of {@link PromptBuilder}. */
export interface BuildOptions {
  /** This call's validation level: wins over the template's and the builder's, for this call only. */
  level?: ValidationLevel | undefined;
  /** A RAG result cache for this call instead of the builder's (e.g. one per conversation). */
  ragCache?: RagResultCache | undefined;
  /** Skip the templates' RAG configs for this call: their placeholders are left missing. Default false. */
  skipRag?: boolean | undefined;
  /** Aborts this call's RAG searches; the render then rejects with `RagAbortedError`. */
  signal?: AbortSignal | undefined;
}

/** A whole message sequence, rendered. */
export interface RenderedMessages {
  /** The rendered messages, one per sequence entry, in order, each with the entry's role. */
  messages: Message[];
  /** One rendered prompt per message, in order. */
  prompts: RenderedPrompt[];
  /** Every prompt's warnings, in message order (missing parameters, skipped RAG adapters). */
  warnings: string[];
}

/**
 * Renders a library's prompts into `@kit/llm` messages: resolves `extends` and sections, applies
 * defaults and built-ins, runs RAG configs, checks required parameters, and reports what it used
 * and lacked.
 *
 * @example
 * const builder = new PromptBuilder({ library });
 * const { content, parametersMissing } = await builder.renderSystemPrompt('assistant', { product: 'Kit' });
 */
export class PromptBuilder {
  readonly #options: PromptBuilderOptions;

  /** Builds a builder over `options.library`; throws `PromptError` (`invalid-argument`) without one. */
  constructor(options: PromptBuilderOptions) {
    if (options === null || typeof options !== 'object' || options.library === undefined) {
      throw new PromptError('invalid-argument', 'PromptBuilder needs a `library`');
    }
    this.#options = { ...options };
  }

  /** Resolves a system or user template (its `extends` chain and sections) without rendering it. */
  async resolve(kind: 'system' | 'user', name: string, index = 0): Promise<ResolvedPromptTemplate> {
    const { library } = this.#options;
    const template = await getTemplate(library, kind, name, index);
    if (template === undefined) throw new TemplateNotFoundError(name, { kind: index === 0 ? kind : `${kind} (index ${index})` });
    return resolvePromptTemplate(name, template, (parent) => getTemplate(library, kind, parent));
  }

  /**
   * Renders the system template `name` with `params` (its `extends` chain resolved, defaults and
   * built-ins applied, RAG configs run). Throws `TemplateNotFoundError` for an unknown name.
   */
  async renderSystemPrompt(name: string, params: Readonly<Record<string, unknown>> = {}, options: BuildOptions = {}): Promise<RenderedPrompt> {
    return renderPrompt(await this.resolve('system', name), params, this.#renderOptions(options));
  }

  /**
   * Renders the user template `name` (variant `options.index`, default 0) with `params`, as {@link
   * PromptBuilder.renderSystemPrompt} does.
   */
  async renderUserPrompt(
    name: string,
    params: Readonly<Record<string, unknown>> = {},
    options: BuildOptions & { index?: number | undefined } = {},
  ): Promise<RenderedPrompt> {
    return renderPrompt(await this.resolve('user', name, options.index ?? 0), params, this.#renderOptions(options));
  }

  /**
   * Renders a message sequence from the library into messages. Each entry is inline text or a
   * named system/user prompt; the sequence's defaults sit under the params.
   */
  async renderMessages(name: string, params: Readonly<Record<string, unknown>> = {}, options: BuildOptions = {}): Promise<RenderedMessages> {
    const sequence = await this.#options.library.getMessageSequence(name);
    if (sequence === undefined) throw new TemplateNotFoundError(name, { kind: 'message sequence' });
    const values = { ...sequence.defaults, ...params };
    const prompts = await Promise.all(
      sequence.messages.map(async (entry, position) => {
        const resolved =
          entry.prompt !== undefined
            ? await this.resolve(entry.role === 'system' ? 'system' : 'user', entry.prompt, entry.index ?? 0)
            : await resolvePromptTemplate(`${name}[${position}]`, { template: entry.template, mode: entry.mode }, () => undefined);
        return renderPrompt(resolved, values, this.#renderOptions(options));
      }),
    );
    const messages = sequence.messages.map((entry, i): Message => ({ role: entry.role, content: prompts[i]!.content }));
    return { messages, prompts, warnings: prompts.flatMap((p) => p.warnings) };
  }

  #renderOptions(options: BuildOptions): RenderPromptOptions {
    const { adapters, ragCache, validationLevel, undefinedBehavior, now } = this.#options;
    return {
      level: options.level,
      defaultLevel: validationLevel,
      undefinedBehavior,
      now,
      adapters,
      ragCache: options.ragCache ?? ragCache,
      skipRag: options.skipRag,
      signal: options.signal,
    };
  }
}
