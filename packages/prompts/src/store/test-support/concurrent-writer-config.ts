/** What one concurrent writer process does: see concurrent-store-writer.ts. */
export interface ConcurrentWriterConfig {
  backend: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL. */
  target: string;
  schema?: string;
  name: string;
  experimentId: string;
  /** Events to append, one per call. */
  events: number;
  /** Versions of the prompt `race` to create. */
  versions: number;
  /** Units `shared-0` … to assign, all to `variant`. */
  units: number;
  variant: string;
}

/** What a writer reports when done. */
export interface ConcurrentWriterReport {
  eventIds: number[];
  versions: string[];
  /** Unit id → the variant the store returned. */
  assignments: Record<string, string>;
}
