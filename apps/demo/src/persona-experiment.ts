import { rm } from 'node:fs/promises';
import type { CostLedger, RequestMetadata } from '@kit/llm';
import {
  EXPERIMENT_KEYS,
  PromptBuilder,
  VersionedPromptLibrary,
  experimentCallKeys,
  type ExperimentReport,
  type PromptStore,
} from '@kit/prompts';
import { SqlitePromptStore } from '@kit/prompts/sqlite';

/** The versioned system prompt: the desk's persona. */
export const PERSONA_PROMPT = 'support-persona';
/** The A/B experiment between its two versions. */
export const PERSONA_EXPERIMENT = 'support-persona-warmth';

/** The two versions, as published: the control first. */
export const PERSONA_VERSIONS = [
  {
    variant: 'concise',
    version: '1.0.0',
    template: 'a brisk, precise support agent of {{shop}}: say what the order system shows, then the next step, in as few words as possible',
    message: 'first persona: short and factual',
  },
  {
    variant: 'warm',
    version: '1.1.0',
    template: 'a warm support agent of {{shop}} who first acknowledges how the customer feels, then offers a concrete fix in the same message',
    message: 'acknowledge feelings before fixing',
  },
] as const;

/** The persona a customer is served, and the keys that tie their calls to the experiment arm. */
export interface PersonaChoice {
  /** The rendered system prompt. */
  content: string;
  variant: string;
  version: string;
  /** Request metadata for the cost ledger (`kit.experiment`, `kit.variant`, `kit.unit`). */
  callKeys: RequestMetadata;
}

/**
 * The persona prompt in a versioned library over a SQLite `PromptStore`, with a running A/B
 * experiment between its two versions. Each customer (the experiment's unit) is assigned a
 * variant stickily; outcomes and the ledger's token and cost figures are recorded per arm.
 */
export class PersonaExperiment {
  readonly store: PromptStore;
  readonly library: VersionedPromptLibrary;
  readonly path: string;

  private constructor(store: PromptStore, path: string) {
    this.store = store;
    this.library = new VersionedPromptLibrary({ store });
    this.path = path;
  }

  /**
   * Creates the prompt store at `path`, replacing the file of an earlier run so that the report
   * covers this run's sessions only (and the same sessions give the same report every run),
   * then publishes both versions, promotes the control and starts the experiment.
   */
  static async create(path: string): Promise<PersonaExperiment> {
    await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));
    const experiment = new PersonaExperiment(await SqlitePromptStore.open(path), path);
    for (const { version, template, message } of PERSONA_VERSIONS) {
      await experiment.library.publish(
        PERSONA_PROMPT,
        'system',
        { template, defaults: { shop: 'Nimbus Outfitters' } },
        { author: 'demo', message, status: 'active' },
        { version },
      );
    }
    await experiment.store.promoteToProduction(PERSONA_PROMPT, 'system', PERSONA_VERSIONS[0].version);
    await experiment.library.experiments.createExperiment({
      id: PERSONA_EXPERIMENT,
      promptName: PERSONA_PROMPT,
      kind: 'system',
      primaryMetric: 'success',
      variants: PERSONA_VERSIONS.map(({ variant, version }) => ({ name: variant, version, weight: 50 })),
    });
    return experiment;
  }

  /** The persona `unitId` (a customer) sees: their sticky variant while the experiment runs. */
  async personaFor(unitId: string): Promise<PersonaChoice> {
    const builder = new PromptBuilder({ library: this.library.forUnit(unitId) });
    const prompt = await builder.renderSystemPrompt(PERSONA_PROMPT);
    const callKeys = experimentCallKeys(prompt);
    return {
      content: prompt.content,
      variant: String(prompt.metadata[EXPERIMENT_KEYS.variant] ?? 'production'),
      version: String(prompt.metadata[EXPERIMENT_KEYS.version]),
      callKeys,
    };
  }

  /** Records the primary outcome: resolved without escalation (1) or not (0). */
  async recordOutcome(unitId: string, resolvedWithoutEscalation: boolean): Promise<void> {
    await this.library.experiments.recordSuccess(PERSONA_EXPERIMENT, unitId, resolvedWithoutEscalation);
  }

  /** Records `input_tokens`, `output_tokens` and `cost` of every ledger call made with an arm's keys. Returns the unsubscribe function. */
  trackLedger(ledger: CostLedger): () => void {
    return this.library.experiments.trackLedger(ledger);
  }

  report(): Promise<ExperimentReport> {
    return this.library.experiments.report(PERSONA_EXPERIMENT);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
