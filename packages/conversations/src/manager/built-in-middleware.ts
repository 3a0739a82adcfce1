import { createRedactor, KitError, type AssistantMessage, type Message, type RedactorOptions } from '@kit/llm';
import type { ConversationMiddleware } from './conversation-middleware.js';

/** A reply that a `responseValidator` or `contentFilter` refused; nothing was stored. */
export class ConversationResponseRejectedError extends KitError {
  /** The `name` of the middleware that refused: a validator's name, or `content-filter`. */
  readonly middleware: string;
  /** Why, one entry per problem: a validator's issues, or the filter patterns the reply matched. */
  readonly issues: readonly string[];

  /** Builds the error with `code` `conversation-response-rejected`; the message lists the issues. */
  constructor(middleware: string, issues: readonly string[]) {
    super('conversation-response-rejected', `${middleware} rejected the reply: ${issues.join('; ')}`);
    this.middleware = middleware;
    this.issues = [...issues];
  }
}

/**
 * Hides secrets (credential-shaped strings, credential environment values) and your own
 * patterns in replies before they are stored, in streamed text as it is shown, and, with
 * `requests: true`, in messages sent to the model. Patterns are matched per stream delta, so a
 * pattern split across two deltas is caught in the stored reply but not on screen.
 */
export function redactConversation(options: RedactorOptions & { requests?: boolean } = {}): ConversationMiddleware {
  const redact = createRedactor(options);
  return {
    name: 'redact',
    beforeRequest: options.requests === true ? (messages: Message[]) => redact(messages) : undefined,
    transformStreamText: (text) => redact(text),
    afterResponse: (message) => redact(message),
  };
}

/** A validator's verdict: structured, so callers see every issue rather than a yes/no. */
export type ValidationVerdict =
  | {
      /** The reply passes and is stored. */
      ok: true;
    }
  | {
      /** The reply is refused: the call throws `ConversationResponseRejectedError`. */
      ok: false;
      /** Every problem found, in words; they become the error's `issues`. */
      issues: string[];
    };

/**
 * Checks each reply before it is stored; a failed verdict throws
 * `ConversationResponseRejectedError` with the issues, and nothing is stored.
 *
 * @example
 * responseValidator((m) => (JSON.parse(m.content).answer ? { ok: true } : { ok: false, issues: ['no answer field'] }))
 */
export function responseValidator(validate: (message: AssistantMessage) => ValidationVerdict | Promise<ValidationVerdict>, name = 'validator'): ConversationMiddleware {
  return {
    name,
    async afterResponse(message) {
      let verdict: ValidationVerdict;
      try {
        verdict = await validate(message);
      } catch (error) {
        verdict = { ok: false, issues: [error instanceof Error ? error.message : String(error)] };
      }
      if (!verdict.ok) throw new ConversationResponseRejectedError(name, verdict.issues);
      return message;
    },
  };
}

/**
 * Blocks replies that match any pattern: `reject` throws (nothing stored), `replace` stores and
 * shows `replacement` instead of each match.
 */
export function contentFilter(options: { patterns: readonly RegExp[]; action?: 'reject' | 'replace'; replacement?: string }): ConversationMiddleware {
  const patterns = options.patterns.map((p) => (p.global ? p : new RegExp(p.source, `${p.flags}g`)));
  const replacement = options.replacement ?? '[filtered]';
  const apply = (text: string): string => patterns.reduce((t, p) => t.replace(p, replacement), text);
  const matches = (text: string): string[] => patterns.filter((p) => new RegExp(p.source, p.flags.replace('g', '')).test(text)).map((p) => `matches ${p}`);
  return {
    name: 'content-filter',
    transformStreamText: options.action === 'reject' ? undefined : apply,
    async afterResponse(message) {
      if (options.action === 'reject') {
        const found = matches(message.content);
        if (found.length > 0) throw new ConversationResponseRejectedError('content-filter', found);
        return message;
      }
      return { ...message, content: apply(message.content) };
    },
  };
}

/** Logs each call's request size and reply, with secrets redacted. */
export function conversationLogging(logger: (event: Record<string, unknown>) => void): ConversationMiddleware {
  const redact = createRedactor();
  return {
    name: 'logging',
    beforeRequest(messages, context) {
      context.state.set('logging:start', performance.now());
      logger(redact({ event: 'conversation.request', conversationId: context.conversationId, messages: messages.length }));
      return messages;
    },
    afterResponse(message, context) {
      const start = context.state.get('logging:start');
      logger(
        redact({
          event: 'conversation.response',
          conversationId: context.conversationId,
          chars: message.content.length,
          toolCalls: message.toolCalls?.length ?? 0,
          ms: typeof start === 'number' ? Math.round(performance.now() - start) : undefined,
        }),
      );
      return message;
    },
  };
}
