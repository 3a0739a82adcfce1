import type { CompletionRequest } from '@kit/llm';
import { scriptedModel, type ScriptedModel } from '@kit/llm/testing';
import { singlePass } from '../../test-support/signup-machine.js';

/**
 * A meeting point for `parties` callers: each `arrive()` resolves once all of them have arrived,
 * and later arrivals pass at once. Two turns that both call the model before either returns have
 * both read the conversation before either writes: a race decided by the store, every time.
 */
export function meetingPoint(parties: number): { arrive(): Promise<void> } {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive() {
      arrived++;
      if (arrived >= parties) open();
      return opened;
    },
  };
}

function lastUserText(request: CompletionRequest): string {
  const last = request.messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}

/**
 * A model for the signup machine that stays in `ask_name` and answers every user message with
 * `<tag> heard "<text>"` (recording the text under `heard`), after waiting at `meeting` if given.
 * Openings get plain text. `tag` tells which runtime (which "process") wrote a reply.
 */
export function raceModel(tag: string, meeting?: { arrive(): Promise<void> }): ScriptedModel {
  return scriptedModel(
    [
      async (request) => {
        if (request.responseFormat === undefined) return `${tag}: Hi! Your name?`;
        if (meeting !== undefined) await meeting.arrive();
        const text = lastUserText(request);
        return singlePass(`${tag} heard "${text}"`, null, { heard: text });
      },
    ],
    { loop: true },
  );
}
