/** One thing wrong with a machine definition, at its place in the definition. */
export interface DefinitionProblem {
  /** Where, e.g. `states.welcome.transitions[0].target_state`; empty for the definition as a whole. */
  path: string;
  /** What is wrong, in words. */
  message: string;
}

/** A field of the definition Kit reads but does not act on: kept in `machine.source`, listed here. */
export interface IgnoredField {
  /** Where, e.g. `states.welcome.on_enter` (the form of `DefinitionProblem.path`). */
  path: string;
  /** Why Kit does not act on it, in words. */
  reason: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Formats a path the way problems show it: `states.welcome.transitions[0].target_state`. */
export function formatDefinitionPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += IDENTIFIER.test(name) ? (out === '' ? name : `.${name}`) : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}
