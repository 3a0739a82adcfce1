import { ConversationStoreError } from '../conversation-errors.js';
import type { SchemaMigrations } from '../migrations/schema-migrations.js';
import { ConversationState } from '../rules/conversation-state.js';
import { conversationFileBase } from './conversation-file-name.js';
import { parseFileRecord, type ConversationFileRecord } from './conversation-file-records.js';
import type { LogLine } from './conversation-log-reader.js';

export interface LogFoldOptions {
  /** The file's base name: the conversation in it must be the one this name belongs to. */
  fileBase: string;
  migrations: SchemaMigrations;
  keepNodes: boolean;
  warn: (message: string) => void;
  /** For messages. */
  fileName: string;
}

/**
 * Replays a conversation file's records into a `ConversationState`, checking as it goes what the
 * writer checked (version chain, parents, seq). A line that is not JSON is skipped with a warning;
 * anything that is JSON but wrong is `corrupt`, and a newer major schema is `unsupported-schema`.
 */
export class ConversationLogFold {
  #state: ConversationState | undefined;
  #records = 0;
  readonly #options: LogFoldOptions;

  constructor(options: LogFoldOptions, state?: ConversationState) {
    this.#options = options;
    this.#state = state;
  }

  /** The conversation so far; `undefined` until the first `create` or `snapshot` line. */
  get state(): ConversationState | undefined {
    return this.#state;
  }

  /** Records applied (lines skipped as unreadable are not counted). */
  get records(): number {
    return this.#records;
  }

  apply(line: LogLine): void {
    const conversationId = this.#state?.id;
    const record = parseFileRecord(line.text, this.#options.migrations, conversationId);
    if (record === undefined) {
      this.#options.warn(`${this.#options.fileName}: skipped an unreadable line at bytes ${line.start}-${line.end} (not JSON)`);
      return;
    }
    try {
      this.#applyRecord(record);
    } catch (error) {
      if (error instanceof ConversationStoreError && (error.reason === 'invalid' || error.reason === 'not-found' || error.reason === 'conflict')) {
        const detail = error.message.replace(/ \(conversation ".*"\)$/, '');
        throw new ConversationStoreError('corrupt', `${this.#options.fileName} at byte ${line.start}: ${detail}`, { conversationId, cause: error });
      }
      throw error;
    }
    this.#records++;
  }

  #applyRecord(record: ConversationFileRecord): void {
    if (record.type === 'create' || record.type === 'snapshot') {
      if (this.#state !== undefined) throw new ConversationStoreError('corrupt', `a second "${record.type}" record`, { conversationId: this.#state.id });
      if (conversationFileBase(record.header.id) !== this.#options.fileBase) {
        throw new ConversationStoreError('corrupt', `${this.#options.fileName} holds conversation "${record.header.id}", which belongs in another file`);
      }
      const nodes = record.type === 'create' ? [record.root] : record.nodes;
      this.#state = ConversationState.fromSnapshot(record.header, nodes, this.#options.keepNodes);
      return;
    }
    const state = this.#state;
    if (state === undefined) throw new ConversationStoreError('corrupt', `${this.#options.fileName} starts with a "${record.type}" record instead of "create"`);
    switch (record.type) {
      case 'append':
        state.checkAppend(record.nodes, record.activeNodeId);
        state.applyAppend(record.version, record.at, record.nodes, record.activeNodeId);
        return;
      case 'active':
        state.checkActive(record.nodeId);
        state.applyActive(record.version, record.at, record.nodeId);
        return;
      case 'metadata':
        state.applyMetadata(record.version, record.at, record.patch);
        return;
    }
  }
}
