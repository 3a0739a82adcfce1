import type { FsmSnapshot } from '../core/fsm-snapshot.js';
import { patchContext } from '../core/patch-context.js';
import { FsmHandlerError } from '../errors/fsm-handler-error.js';
import type { FsmHandler, FsmHook, FsmHookEvent } from './fsm-handler.js';

/** Runs handlers by hook, in the order given, each seeing the changes of those before it. */
export class HandlerRunner {
  readonly #byHook = new Map<FsmHook, Array<{ handler: FsmHandler; name: string }>>();

  constructor(handlers: readonly FsmHandler[]) {
    handlers.forEach((handler, index) => {
      const hooks: readonly FsmHook[] = typeof handler.hook === 'string' ? [handler.hook] : handler.hook;
      for (const hook of hooks) {
        let list = this.#byHook.get(hook);
        if (list === undefined) this.#byHook.set(hook, (list = []));
        list.push({ handler, name: handler.name ?? `handler ${index}` });
      }
    });
  }

  has(hook: FsmHook): boolean {
    return this.#byHook.has(hook);
  }

  /**
   * Runs the hook's handlers and returns the snapshot with their context changes. A handler that
   * throws becomes an {@link FsmHandlerError}.
   */
  async run(hook: FsmHook, snapshot: FsmSnapshot, event: Omit<FsmHookEvent, 'hook' | 'state' | 'context'>): Promise<FsmSnapshot> {
    const list = this.#byHook.get(hook);
    if (list === undefined) return snapshot;
    let current = snapshot;
    for (const { handler, name } of list) {
      if (handler.states !== undefined && !handler.states.includes(current.state) && !(event.targetState !== undefined && handler.states.includes(event.targetState))) {
        continue;
      }
      let changes: unknown;
      try {
        changes = await handler.run({ ...event, hook, state: current.state, context: current.context });
      } catch (error) {
        throw new FsmHandlerError(hook, name, error);
      }
      if (changes === undefined || changes === null) continue;
      if (typeof changes !== 'object' || Array.isArray(changes)) {
        throw new FsmHandlerError(hook, name, new TypeError('a handler returns an object of context changes, or nothing'));
      }
      try {
        current = { ...current, context: patchContext(current.context, changes as Record<string, unknown>) };
      } catch (error) {
        throw new FsmHandlerError(hook, name, error);
      }
    }
    return current;
  }
}
