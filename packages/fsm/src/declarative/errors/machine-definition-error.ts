import type { DefinitionProblem } from '../definition/definition-problem.js';
import { FsmError } from './fsm-error.js';

/**
 * A machine definition that cannot run: it does not parse, does not match the format, or fails a
 * check (dangling targets, unreachable states, no reachable terminal, duplicate ids, unknown
 * JsonLogic operators). `problems` lists every one of them, each with its path in the definition.
 */
export class MachineDefinitionError extends FsmError {
  /** Every problem found, each with its path in the definition; the message shows the first 20. */
  readonly problems: readonly DefinitionProblem[];

  /**
   * Builds the error (code `fsm/invalid-definition`).
   * @param options - `source`: where the definition came from (a file name), named in the message;
   *   `cause`: the underlying error, if any.
   */
  constructor(problems: readonly DefinitionProblem[], options: { source?: string | undefined; cause?: unknown } = {}) {
    const where = options.source === undefined ? 'The machine definition' : `The machine definition in ${options.source}`;
    const shown = problems.slice(0, 20).map((p) => `\n- ${p.path || '(definition)'}: ${p.message}`);
    const more = problems.length > 20 ? `\n- and ${problems.length - 20} more` : '';
    super('fsm/invalid-definition', `${where} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:${shown.join('')}${more}`, {
      cause: options.cause,
    });
    this.problems = problems;
  }
}
