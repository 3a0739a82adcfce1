import type { PromptStore } from '@kit/prompts';
import type { StoreSpec } from './store-spec.js';

/** Opens the prompt store (versions, experiments, metric events) a spec names; drivers load on demand. */
export async function openPromptStore(spec: StoreSpec): Promise<PromptStore> {
  switch (spec.kind) {
    case 'memory': {
      const { MemoryPromptStore } = await import('@kit/prompts');
      return new MemoryPromptStore();
    }
    case 'sqlite': {
      const { SqlitePromptStore } = await import('@kit/prompts/sqlite');
      return SqlitePromptStore.open(spec.path);
    }
    case 'postgres': {
      const { PostgresPromptStore } = await import('@kit/prompts/postgres');
      return PostgresPromptStore.connect(spec.url, { ...(spec.schema === undefined ? {} : { schema: spec.schema }), maxConnections: 2 });
    }
  }
}
