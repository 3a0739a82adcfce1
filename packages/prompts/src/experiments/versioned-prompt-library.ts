import { PromptError } from '../errors/prompt-error.js';
import type { MessageSequence, PromptKind, PromptLibrary } from '../library/prompt-library.js';
import type { PromptStore } from '../store/prompt-store.js';
import type { CreatePromptVersionInput, CreateVersionOptions, PromptVersion } from '../store/prompt-version.js';
import type { VersionedPromptKind } from '../store/store-field-schemas.js';
import { promptTemplateSchema, type PromptTemplate, type PromptTemplateInput } from '../template/prompt-template.js';
import { EXPERIMENT_KEYS } from './experiment-call-keys.js';
import { ExperimentManager } from './experiment-manager.js';

/** Options of {@link VersionedPromptLibrary}: the store of versions, the experiments, and the unit served. */
export interface VersionedPromptLibraryOptions {
  /** The store holding the prompt versions; also backs the default `experiments`. */
  store: PromptStore;
  /** Experiments to serve variants from; defaults to a manager over the same store. */
  experiments?: ExperimentManager | undefined;
  /** The unit (user, session) whose experiment variant to serve; see `forUnit`. */
  unitId?: string | undefined;
}

/** Where a served template came from. */
export type VersionSource = 'explicit' | 'experiment' | 'production' | 'latest-active';

/**
 * A prompt library backed by stored versions. A name resolves, in order, to:
 * 1. an explicit version, written `name@1.2.0`;
 * 2. the variant assigned to this library's unit in a running experiment on the prompt (or a
 *    paused one's control) — only on a library bound to a unit with `forUnit`;
 * 3. the production version;
 * 4. the newest active version.
 * The served template's metadata says which (`kit.version`, and the experiment keys of
 * `experimentCallKeys` when an experiment chose it). Everything is plain async: no global state,
 * no nested event loops; bind a unit per request with `forUnit`.
 *
 * @example
 * const library = new VersionedPromptLibrary({ store });
 * await library.publish('greeting', 'system', { template: 'Hello {{name}}!' }, { author: 'ana', message: 'first' });
 * const builder = new PromptBuilder({ library: library.forUnit(session.userId) });
 */
export class VersionedPromptLibrary implements PromptLibrary {
  /** The store the versions are read from and `publish` writes to. */
  readonly store: PromptStore;
  /** The experiments variants are served from (the option's, or a manager over `store`). */
  readonly experiments: ExperimentManager;
  /** The unit whose experiment variants are served; undefined serves no experiment variants. */
  readonly unitId: string | undefined;

  /** Builds a library over `options.store`; bind a unit later with `forUnit` or now with `options.unitId`. */
  constructor(options: VersionedPromptLibraryOptions) {
    this.store = options.store;
    this.experiments = options.experiments ?? new ExperimentManager(options.store);
    this.unitId = options.unitId;
  }

  /** The same library, serving `unitId`'s experiment variants. Cheap: create one per request. */
  forUnit(unitId: string): VersionedPromptLibrary {
    if (typeof unitId !== 'string' || unitId.length === 0) throw new PromptError('invalid-argument', 'forUnit needs a non-empty unit id');
    return new VersionedPromptLibrary({ store: this.store, experiments: this.experiments, unitId });
  }

  /** Validates a template record and stores it as a new version (patch bump by default). */
  async publish(
    promptName: string,
    kind: VersionedPromptKind,
    template: PromptTemplateInput,
    details: Omit<CreatePromptVersionInput, 'promptName' | 'kind' | 'template'> = {},
    options?: CreateVersionOptions,
  ): Promise<PromptVersion> {
    const parsed = promptTemplateSchema.safeParse(template);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PromptError('invalid-argument', `invalid template at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`, { templateName: promptName });
    }
    return this.store.createVersion({ ...details, promptName, kind, template: parsed.data as Record<string, unknown> }, options);
  }

  /**
   * The system template `name` resolves to (an explicit `name@version`, the unit's experiment
   * variant, production, or the latest active version), or undefined.
   */
  async getSystemPrompt(name: string): Promise<PromptTemplate | undefined> {
    return (await this.resolve(name, 'system'))?.template;
  }

  /** Versioned user prompts hold one template per version: only index 0 exists. */
  async getUserPrompt(name: string, index = 0): Promise<PromptTemplate | undefined> {
    return index === 0 ? (await this.resolve(name, 'user'))?.template : undefined;
  }

  /** Versions hold templates, not sequences: compose with a `CompositePromptLibrary` for those. */
  async getMessageSequence(_name: string): Promise<MessageSequence | undefined> {
    return undefined;
  }

  async listPrompts(kind: PromptKind): Promise<string[]> {
    return kind === 'messages' ? [] : this.store.listPromptNames(kind);
  }

  /** Resolves a name to the version it serves and why, or `undefined` when the prompt has no servable version. */
  async resolve(
    name: string,
    kind: VersionedPromptKind,
  ): Promise<{ template: PromptTemplate; version: PromptVersion; source: VersionSource; variant?: string | undefined } | undefined> {
    const at = name.lastIndexOf('@');
    if (at > 0 && /^\d+\.\d+\.\d+$/.test(name.slice(at + 1))) {
      const version = await this.store.getVersion(name.slice(0, at), kind, name.slice(at + 1));
      return version === null ? undefined : { template: this.#template(version, {}), version, source: 'explicit' };
    }
    if (this.unitId !== undefined) {
      const experiment = await this.experiments.activeExperimentFor(name, kind);
      if (experiment !== undefined) {
        const choice = await this.experiments.variantFor(experiment.id, this.unitId);
        const version = await this.store.getVersion(name, kind, choice.version);
        if (version !== null) {
          const keys = { [EXPERIMENT_KEYS.experiment]: experiment.id, [EXPERIMENT_KEYS.variant]: choice.variant, [EXPERIMENT_KEYS.unit]: this.unitId };
          return { template: this.#template(version, keys), version, source: 'experiment', variant: choice.variant };
        }
      }
    }
    const production = await this.store.latestVersion(name, kind, { statuses: ['production'] });
    if (production !== null) return { template: this.#template(production, {}), version: production, source: 'production' };
    const active = await this.store.latestVersion(name, kind, { statuses: ['active'] });
    if (active !== null) return { template: this.#template(active, {}), version: active, source: 'latest-active' };
    return undefined;
  }

  #template(version: PromptVersion, keys: Record<string, string>): PromptTemplate {
    // Stored records were validated on publish; parse again so a row edited by hand fails loudly here.
    const parsed = promptTemplateSchema.safeParse(version.template);
    if (!parsed.success) {
      throw new PromptError('invalid-argument', `stored version ${version.version} is not a valid template: ${parsed.error.issues[0]?.message}`, {
        templateName: version.promptName,
      });
    }
    return { ...parsed.data, metadata: { ...parsed.data.metadata, [EXPERIMENT_KEYS.version]: version.version, ...keys } };
  }
}
