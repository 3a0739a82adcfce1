import type { Command } from 'commander';
import type { ConversationHeader, ListConversationsOptions } from '@kit/conversations';
import { storeOption, type CliContext } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { examples } from '../help-text.js';
import { collect, parseKeyValue } from '../key-value.js';
import { openConversationStore } from '../open-conversation-store.js';
import { createProgress } from '../progress.js';
import { openForReading } from '../store-access.js';
import { parseStoreSpec, redactStoreSpec, requirePersistentStore } from '../store-spec.js';
import { shellQuote } from '../shell-quote.js';
import { shortText, terminalSafe } from '../terminal-text.js';
import { textTable } from '../text-table.js';

interface ListOptions {
  store: string;
  limit: string;
  metadata: string[];
  cursor?: string;
  json?: boolean;
}

/** What `kit conversations list --json` prints. */
export interface ListJson {
  items: ConversationHeader[];
  /** Pass as `--cursor` for the next page; absent on the last page. */
  nextCursor?: string | undefined;
}

function metadataFilter(values: readonly string[]): Record<string, string | number | boolean> | undefined {
  if (values.length === 0) return undefined;
  const filter: Record<string, string | number | boolean> = {};
  for (const text of values) {
    const [key, value] = parseKeyValue(text, '--metadata');
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw usageError(`--metadata "${text}": the store filters on strings, numbers and booleans only`);
    }
    filter[key] = value;
  }
  return filter;
}

/** `kit conversations list`: stored conversations, most recently updated first. */
export function registerConversationsListCommand(conversations: Command, context: CliContext): void {
  conversations
    .command('list')
    .description('list stored conversations, most recently updated first')
    .addOption(storeOption(context.io))
    .option('--limit <n>', 'conversations per page, 1 to 1000', '20')
    .option('--metadata <key=value>', 'only conversations whose metadata has this value; repeatable (all must match)', collect, [])
    .option('--cursor <cursor>', 'the next page, from the previous page')
    .option('--json', 'print the page as JSON on stdout')
    .addHelpText(
      'after',
      examples([
        ['kit conversations list --store sqlite:./kit.db'],
        ['kit conversations list --metadata fsmMachine=support --limit 5', 'conversations of one machine'],
        ['kit conversations list --json | jq -r ".items[].id"'],
      ]),
    )
    .action(async (options: ListOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw usageError(`--limit must be a whole number from 1 to 1000, got "${options.limit}"`);
      const query: ListConversationsOptions = { limit, metadata: metadataFilter(options.metadata), cursor: options.cursor };
      const spec = parseStoreSpec(options.store);
      requirePersistentStore(spec, 'kit conversations list');
      const progress = await createProgress(context.io, { json: options.json });
      const store = await openForReading(spec, progress, openConversationStore);
      try {
        const page = await progress.during('listing conversations', () => store.list(query));
        if (options.json === true) return context.output.json({ items: page.items, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) } satisfies ListJson);
        printList(context, page.items, page.nextCursor, options);
      } finally {
        await store.close();
      }
    });
}

function printList({ output }: CliContext, items: readonly ConversationHeader[], nextCursor: string | undefined, options: ListOptions): void {
  const c = output.colors;
  if (items.length === 0) {
    output.line('no conversations');
    return;
  }
  const rows = items.map((h) => [
    terminalSafe(h.id),
    h.updatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    h.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    String(h.version),
    shortText(metadataSummary(h.metadata), 50),
  ]);
  output.line(textTable([{ header: 'id' }, { header: 'updated' }, { header: 'created' }, { header: 'version', align: 'right' }, { header: 'metadata' }], rows, { header: c.dim }));
  if (nextCursor !== undefined) {
    const filters = options.metadata.map((m) => ` --metadata ${shellQuote(m)}`).join('');
    output.note(c.dim(`more: kit conversations list --store ${shellQuote(redactStoreSpec(options.store))} --limit ${options.limit}${filters} --cursor ${shellQuote(nextCursor)}`));
  }
}

/** Top-level metadata as `key=value` pairs; objects (an FSM snapshot, ...) are left out. */
function metadataSummary(metadata: Readonly<Record<string, unknown>>): string {
  return Object.entries(metadata)
    .filter(([, v]) => v === null || typeof v !== 'object')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
