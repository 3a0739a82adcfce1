import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { examples } from '../help-text.js';
import { machineFormatOf, readMachineText } from '../machine-file.js';

interface ValidateOptions {
  json?: boolean;
}

/** The JSON `kit validate --json` prints. */
export interface ValidateJson {
  file: string;
  valid: boolean;
  problems: Array<{ path: string; message: string }>;
  /** Fields Kit reads but does not act on. */
  warnings: Array<{ path: string; reason: string }>;
  machine?: { name: string; initialState: string; states: string[]; terminalStates: string[] } | undefined;
}

/** `kit validate <machine>`: every problem of a machine definition with its path; exit 1 when there is one. */
export function registerValidateCommand(program: Command, context: CliContext): void {
  program
    .command('validate')
    .description('check a state machine definition (JSON or YAML): every problem with its path, ignored fields as warnings')
    .argument('<machine>', 'the machine file (.json, .yaml or .yml)')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      examples([
        ['kit validate support.yaml', 'exit 0 when valid, 1 with each problem listed'],
        ['kit validate support.json --json', 'machine-readable result'],
      ]),
    )
    .action(async (file: string, options: ValidateOptions) => {
      const result = await validateFile(file);
      if (!result.valid) context.exitCode = EXIT_CODES.dataProblem;
      if (options.json === true) return context.output.json(result);
      printValidation(context, result);
    });
}

async function validateFile(file: string): Promise<ValidateJson> {
  const text = await readMachineText(file);
  const { parseMachineDefinition, validateMachine, defineMachine, MachineDefinitionError } = await import('@kit/fsm');
  let definition: unknown;
  try {
    definition = parseMachineDefinition(text, { format: machineFormatOf(file), source: file });
  } catch (error) {
    // A syntax error is a problem of the file like any other.
    if (error instanceof MachineDefinitionError) return { file, valid: false, problems: [...error.problems], warnings: [] };
    throw error;
  }
  const { valid, problems, ignoredFields } = validateMachine(definition);
  const result: ValidateJson = { file, valid, problems, warnings: ignoredFields.map((f) => ({ path: f.path, reason: f.reason })) };
  if (valid) {
    const machine = defineMachine(definition, { source: file });
    result.machine = { name: machine.name, initialState: machine.initialState, states: [...machine.states.keys()], terminalStates: [...machine.terminalStates] };
  }
  return result;
}

function printValidation({ output }: CliContext, result: ValidateJson): void {
  const c = output.colors;
  if (result.valid && result.machine !== undefined) {
    const { name, states, terminalStates, initialState } = result.machine;
    output.line(`${c.green('✓')} ${result.file}: machine "${name}" is valid: ${states.length} states, starts in ${initialState}, ends in ${terminalStates.join(', ')}`);
  } else {
    const count = result.problems.length;
    output.line(`${c.red('✗')} ${result.file}: ${count} problem${count === 1 ? '' : 's'}`);
    for (const problem of result.problems) output.line(`  ${c.bold(problem.path || '(definition)')}: ${problem.message}`);
  }
  for (const warning of result.warnings) output.line(`  ${c.yellow('warning')} ${c.bold(warning.path)}: ignored: ${warning.reason}`);
}
