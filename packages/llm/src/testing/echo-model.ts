import { messageText } from '../types/message.js';
import { scriptedModel, type ScriptedModel, type ScriptedModelOptions } from './scripted-model.js';

/**
 * A model that answers with the text of the last user message (after an optional prefix):
 * handy for wiring tests and for running an app offline.
 */
export function echoModel(options: ScriptedModelOptions & { prefix?: string } = {}): ScriptedModel {
  const { prefix = '', ...rest } = options;
  return scriptedModel(
    [
      (request) => {
        const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
        return prefix + (lastUser ? messageText(lastUser) : '');
      },
    ],
    { provider: 'echo', modelId: 'echo', ...rest, loop: true },
  );
}
