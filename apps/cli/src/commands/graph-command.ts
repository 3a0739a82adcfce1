import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { examples } from '../help-text.js';

interface GraphOptions {
  format: 'mermaid' | 'dot';
}

/** `kit graph <machine>`: the machine as a Mermaid or Graphviz DOT diagram on stdout. */
export function registerGraphCommand(program: Command, context: CliContext): void {
  program
    .command('graph')
    .description('draw a state machine as a Mermaid or Graphviz DOT diagram, on stdout')
    .argument('<machine>', 'the machine file (.json, .yaml or .yml)')
    .addOption(new Option('--format <format>', 'diagram language').choices(['mermaid', 'dot']).default('mermaid'))
    .addHelpText(
      'after',
      examples([
        ['kit graph support.yaml', 'Mermaid stateDiagram-v2 (paste into Markdown)'],
        ['kit graph support.yaml --format dot | dot -Tsvg > support.svg', 'Graphviz'],
      ]),
    )
    .action(async (file: string, options: GraphOptions) => {
      const { loadMachineFile, toDot, toMermaid } = await import('@kit/fsm');
      const machine = await loadMachineFile(file);
      const diagram = options.format === 'dot' ? toDot(machine) : toMermaid(machine);
      context.output.write(diagram.endsWith('\n') ? diagram : `${diagram}\n`);
    });
}
