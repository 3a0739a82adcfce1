import type { Command } from 'commander';
import type { ConversationHeader } from '@kit/conversations';
import { storeOption, type CliContext } from '../cli-context.js';
import { dataError } from '../cli-error.js';
import { nodeView, type NodeView } from '../conversations/node-view.js';
import { drawTree } from '../conversations/tree-view.js';
import { transcriptLines } from '../conversations/transcript.js';
import { examples } from '../help-text.js';
import { openConversationStore } from '../open-conversation-store.js';
import { createProgress } from '../progress.js';
import { describeStoreSpec, openForReading } from '../store-access.js';
import { parseStoreSpec, requirePersistentStore } from '../store-spec.js';
import { terminalSafe } from '../terminal-text.js';

interface ShowOptions {
  store: string;
  tree?: boolean;
  json?: boolean;
}

/** What `kit conversations show --json` prints; `nodes` (every node) only with `--tree`. */
export interface ShowJson {
  conversation: ConversationHeader;
  /** Root first, to the active node. */
  activePath: NodeView[];
  nodes?: Array<NodeView & { onActivePath: boolean; active: boolean }> | undefined;
}

/** `kit conversations show <id>`: the active path as a transcript, or the whole tree with `--tree`. */
export function registerConversationsShowCommand(conversations: Command, context: CliContext): void {
  conversations
    .command('show')
    .description('show a stored conversation: the active path as a transcript, or every branch with --tree')
    .argument('<id>', 'the conversation id (see kit conversations list)')
    .addOption(storeOption(context.io))
    .option('--tree', 'draw the whole tree: every branch, the active path marked *')
    .option('--json', 'print the conversation as JSON on stdout')
    .addHelpText(
      'after',
      examples([
        ['kit conversations show 3f2c… --store sqlite:./kit.db', 'the transcript the model sees'],
        ['kit conversations show 3f2c… --tree', 'edits and regenerations as branches'],
      ]),
    )
    .action(async (id: string, options: ShowOptions) => {
      const spec = parseStoreSpec(options.store);
      requirePersistentStore(spec, 'kit conversations show');
      const progress = await createProgress(context.io, { json: options.json });
      const store = await openForReading(spec, progress, openConversationStore);
      try {
        const stored = await progress.during('loading the conversation', () => store.load(id));
        if (stored === null) throw dataError(`no conversation "${id}" in ${describeStoreSpec(spec)}`);
        const { ConversationTree } = await import('@kit/conversations');
        const tree = ConversationTree.fromSnapshot(stored);
        const { nodes: _nodes, ...header } = stored;
        const activePath = tree.activePath().map((node) => nodeView(node, tree.addressOf(node.id)));
        const { output } = context;
        const c = output.colors;
        if (options.json === true) {
          const result: ShowJson = { conversation: header, activePath };
          if (options.tree === true) result.nodes = drawTree(tree, c).map((line) => ({ ...line.node, onActivePath: line.onActivePath, active: line.active }));
          return output.json(result);
        }
        const branches = tree.branches().length;
        output.line(
          c.dim(`conversation ${terminalSafe(header.id)}: ${tree.size} messages, ${branches} branch${branches === 1 ? '' : 'es'}, updated ${header.updatedAt}`),
        );
        if (options.tree === true) {
          for (const line of drawTree(tree, c)) output.line(line.text);
          output.line(c.dim('* the active path: what the model sees'));
        } else {
          output.line();
          for (const line of transcriptLines(activePath, c, (text) => output.shown(text))) output.line(line);
        }
      } finally {
        await store.close();
      }
    });
}
