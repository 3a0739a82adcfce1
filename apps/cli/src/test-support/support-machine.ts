/**
 * The help-desk machine the tests run: intake (needs `issue`) -> triage -> done. The transition
 * out of intake is guarded, so the engine takes it only once the issue is in the context.
 */
export const SUPPORT_MACHINE = {
  name: 'support',
  description: 'A help desk',
  persona: 'a calm help desk agent',
  initial_state: 'intake',
  states: {
    intake: {
      id: 'intake',
      purpose: 'Find out what is wrong',
      required_context_keys: ['issue'],
      transitions: [
        { target_state: 'triage', description: 'the issue is known', conditions: [{ description: 'issue known', requires_context_keys: ['issue'] }] },
      ],
    },
    triage: {
      id: 'triage',
      purpose: 'Decide who handles it',
      transitions: [{ target_state: 'done', description: 'the user is happy' }],
    },
    done: { id: 'done', purpose: 'Say goodbye' },
  },
};

/** A machine with three problems and an ignored field, in YAML. */
export const BROKEN_MACHINE_YAML = [
  'name: broken',
  'initial_state: start',
  'states:',
  '  start:',
  '    purpose: Begin',
  '    context_scope: all',
  '    transitions:',
  '      - target_state: nowhere',
  '        description: lost',
  '  island:',
  '    purpose: Unreachable',
].join('\n');
