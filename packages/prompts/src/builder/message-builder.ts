import { messageSchema, type Message } from '@kit/llm';
import { PromptError } from '../errors/prompt-error.js';
import { renderTemplate, type RenderTemplateOptions } from '../template/render-template.js';

/**
 * Builds a message list step by step. Text is taken as it is; `fromTemplate` renders a template
 * with params (values stay data). `build()` validates every message against `@kit/llm`'s schema
 * and returns a copy, so the builder can keep going.
 *
 * @example
 * const messages = new MessageBuilder()
 *   .system('You answer in one sentence.')
 *   .fromTemplate('user', 'What is {{topic}}((, briefly))?', { topic: 'BM25' })
 *   .build();
 */
export class MessageBuilder {
  readonly #messages: Message[] = [];

  /** Adds a system message with this text, as it is (no rendering). */
  system(content: string): this {
    return this.#push({ role: 'system', content });
  }

  /** Adds a user message with this text, as it is (no rendering). */
  user(content: string): this {
    return this.#push({ role: 'user', content });
  }

  /** Adds an assistant message with this text, as it is (no rendering). */
  assistant(content: string): this {
    return this.#push({ role: 'assistant', content });
  }

  /** Adds any `@kit/llm` message (tool calls, tool results, image parts). */
  message(message: Message): this {
    return this.#push(message);
  }

  /**
   * Adds a message of `role` whose text is `template` rendered with `params` (see `renderTemplate`
   * for the modes).
   */
  fromTemplate(
    role: 'system' | 'user' | 'assistant',
    template: string,
    params: Readonly<Record<string, unknown>> = {},
    options: RenderTemplateOptions = {},
  ): this {
    return this.#push({ role, content: renderTemplate(template, params, options) });
  }

  /** How many messages have been added so far. */
  get length(): number {
    return this.#messages.length;
  }

  /** The messages so far, as a copy: the builder can go on. */
  build(): Message[] {
    return structuredClone(this.#messages);
  }

  #push(message: Message): this {
    const parsed = messageSchema.safeParse(message);
    if (!parsed.success) {
      throw new PromptError('invalid-argument', `invalid message: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
    }
    this.#messages.push(parsed.data as Message);
    return this;
  }
}
