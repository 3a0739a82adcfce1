import { Option, type Command } from 'commander';
import type { Experiment, PromptStore, PromptVersion, VersionedPromptKind, VersionSource } from '@kit/prompts';
import { storeOption, type CliContext } from '../cli-context.js';
import { dataError } from '../cli-error.js';
import { examples } from '../help-text.js';
import { openPromptStore } from '../open-prompt-store.js';
import { createProgress } from '../progress.js';
import { templateHash } from '../prompts/template-hash.js';
import { describeStoreSpec, openForReading } from '../store-access.js';
import { parseStoreSpec, requirePersistentStore } from '../store-spec.js';
import { shortText } from '../terminal-text.js';
import { textTable } from '../text-table.js';

interface VersionsOptions {
  store: string;
  kind?: VersionedPromptKind;
  json?: boolean;
}

/** One version as `--json` prints it. */
export interface VersionJson {
  version: string;
  status: PromptVersion['status'];
  createdAt: string;
  author: string | null;
  message: string | null;
  tags: string[];
  parentVersion: string | null;
  /** SHA-256 of the template record's canonical JSON. */
  hash: string;
  /** The version a plain lookup of the prompt serves now (production, else the newest active). */
  served: boolean;
}

/** What `kit prompts versions --json` prints: one entry per kind that has versions. */
export interface VersionsJson {
  name: string;
  kinds: Array<{
    kind: VersionedPromptKind;
    served: { version: string; source: VersionSource } | null;
    versions: VersionJson[];
    experiments: Array<Pick<Experiment, 'id' | 'status' | 'primaryMetric' | 'variants' | 'winner'>>;
  }>;
}

/** `kit prompts versions <name>`: a prompt's stored versions, and which one is served. */
export function registerPromptsVersionsCommand(prompts: Command, context: CliContext): void {
  prompts
    .command('versions')
    .description('list the stored versions of a prompt: number, status, creation time, tags, content hash, and which one is served')
    .argument('<name>', 'the prompt name')
    .addOption(storeOption(context.io))
    .addOption(new Option('--kind <kind>', 'system or user (default: every kind the prompt has)').choices(['system', 'user']))
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      examples([
        ['kit prompts versions greeting --store sqlite:./kit.db'],
        ['kit prompts versions greeting --kind system --json', 'machine-readable'],
      ]),
    )
    .action(async (name: string, options: VersionsOptions) => {
      const spec = parseStoreSpec(options.store);
      requirePersistentStore(spec, 'kit prompts versions');
      const progress = await createProgress(context.io, { json: options.json });
      const store = await openForReading(spec, progress, openPromptStore);
      try {
        const result = await progress.during('reading versions', () => listVersions(store, name, options.kind));
        if (result.kinds.length === 0) {
          const names = (await Promise.all((['system', 'user'] as const).map((k) => store.listPromptNames(k)))).flat();
          throw dataError(`no versions of "${name}" in ${describeStoreSpec(spec)} (prompts there: ${names.length === 0 ? 'none' : [...new Set(names)].join(', ')})`);
        }
        if (options.json === true) context.output.json(result);
        else printVersions(context, result);
      } finally {
        await store.close();
      }
    });
}

async function listVersions(store: PromptStore, name: string, only: VersionedPromptKind | undefined): Promise<VersionsJson> {
  const { VersionedPromptLibrary } = await import('@kit/prompts');
  const library = new VersionedPromptLibrary({ store });
  const kinds: VersionsJson['kinds'] = [];
  for (const kind of only === undefined ? (['system', 'user'] as const) : [only]) {
    const versions = await store.listVersions(name, kind);
    if (versions.length === 0) continue;
    const served = await library.resolve(name, kind);
    const experiments = (await store.listExperiments({ promptName: name })).filter((e) => e.kind === kind);
    kinds.push({
      kind,
      served: served === undefined ? null : { version: served.version.version, source: served.source },
      versions: versions.map((v) => ({
        version: v.version,
        status: v.status,
        createdAt: v.createdAt,
        author: v.author,
        message: v.message,
        tags: v.tags,
        parentVersion: v.parentVersion,
        hash: templateHash(v.template),
        served: served?.version.version === v.version,
      })),
      experiments: experiments.map((e) => ({ id: e.id, status: e.status, primaryMetric: e.primaryMetric, variants: e.variants, winner: e.winner })),
    });
  }
  return { name, kinds };
}

function printVersions({ output }: CliContext, result: VersionsJson): void {
  const c = output.colors;
  result.kinds.forEach((entry, i) => {
    if (i > 0) output.line();
    const served = entry.served === null ? 'none served (no production or active version)' : `serves ${entry.served.version} (${entry.served.source})`;
    output.line(`${c.bold(`${entry.kind} prompt "${shortText(result.name)}"`)}: ${entry.versions.length} version${entry.versions.length === 1 ? '' : 's'}, ${served}`);
    const rows = entry.versions.map((v) => [
      v.served ? c.green('*') : '',
      v.served ? c.bold(v.version) : v.version,
      v.status,
      v.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      shortText(v.author ?? '', 20),
      shortText(v.tags.join(','), 30),
      v.hash.slice(0, 12),
      shortText(v.message ?? '', 40),
    ]);
    output.line(
      textTable(
        [{ header: '' }, { header: 'version' }, { header: 'status' }, { header: 'created' }, { header: 'author' }, { header: 'tags' }, { header: 'hash' }, { header: 'message' }],
        rows,
        { header: c.dim },
      ),
    );
    for (const e of entry.experiments) {
      const arms = e.variants.map((v) => `${v.name} ${v.version} (weight ${v.weight})`).join(', ');
      output.line(`experiment ${shortText(e.id)} (${e.status}${e.winner === null ? '' : `, winner ${e.winner}`}): ${arms}`);
    }
  });
  output.line(c.dim('* the version served to a plain lookup'));
}
