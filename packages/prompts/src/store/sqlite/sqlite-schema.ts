import type Database from 'better-sqlite3';
import { assertSupportedSchemaVersion, STORE_SCHEMA_VERSION } from '../store-schema-version.js';

// STRICT tables: SQLite then refuses values of the wrong type instead of storing them anyway.
// Versions are three integer columns so that ORDER BY sorts them numerically.
const SCHEMA_SQL = `
CREATE TABLE schema_version (
  version INTEGER NOT NULL
) STRICT;

CREATE TABLE prompt_versions (
  prompt_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('system', 'user')),
  major INTEGER NOT NULL CHECK (major >= 0),
  minor INTEGER NOT NULL CHECK (minor >= 0),
  patch INTEGER NOT NULL CHECK (patch >= 0),
  template TEXT NOT NULL,
  parent_version TEXT,
  author TEXT,
  message TEXT,
  tags TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'production', 'deprecated', 'archived')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (prompt_name, kind, major, minor, patch)
) STRICT;

-- At most one production version per prompt, whatever the code does.
CREATE UNIQUE INDEX prompt_versions_one_production ON prompt_versions (prompt_name, kind) WHERE status = 'production';

CREATE TABLE experiments (
  id TEXT PRIMARY KEY,
  prompt_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('system', 'user')),
  control_variant TEXT NOT NULL,
  primary_metric TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'completed')),
  winner TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  created_at TEXT NOT NULL
) STRICT;

CREATE INDEX experiments_by_prompt ON experiments (prompt_name, status);

-- Each variant references the version it serves: an experiment over a missing version cannot exist.
CREATE TABLE experiment_variants (
  experiment_id TEXT NOT NULL REFERENCES experiments (id),
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  prompt_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  major INTEGER NOT NULL,
  minor INTEGER NOT NULL,
  patch INTEGER NOT NULL,
  weight REAL NOT NULL CHECK (weight >= 0 AND weight <= 1.7976931348623157e308),
  PRIMARY KEY (experiment_id, name),
  UNIQUE (experiment_id, position),
  FOREIGN KEY (prompt_name, kind, major, minor, patch) REFERENCES prompt_versions (prompt_name, kind, major, minor, patch)
) STRICT;

-- The primary key makes assignments sticky: the first insert wins, later ones do nothing.
CREATE TABLE assignments (
  experiment_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  variant TEXT NOT NULL,
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (experiment_id, unit_id),
  FOREIGN KEY (experiment_id, variant) REFERENCES experiment_variants (experiment_id, name)
) STRICT;

-- AUTOINCREMENT: ids are never reused and increase in commit order (SQLite has one writer at a time).
CREATE TABLE metric_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  experiment_id TEXT NOT NULL,
  variant TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL CHECK (abs(value) <= 1.7976931348623157e308),
  recorded_at TEXT NOT NULL,
  metadata TEXT,
  FOREIGN KEY (experiment_id, variant) REFERENCES experiment_variants (experiment_id, name)
) STRICT;

CREATE INDEX metric_events_by_experiment ON metric_events (experiment_id, id);
CREATE INDEX metric_events_by_variant_metric ON metric_events (experiment_id, variant, metric);

-- Events are appended, never rewritten.
CREATE TRIGGER metric_events_no_update BEFORE UPDATE ON metric_events
BEGIN SELECT RAISE(ABORT, 'metric events are append-only'); END;
CREATE TRIGGER metric_events_no_delete BEFORE DELETE ON metric_events
BEGIN SELECT RAISE(ABORT, 'metric events are append-only'); END;
`;

/**
 * Creates the store's tables in an empty database, or checks the schema version of an existing
 * one. Runs in an IMMEDIATE transaction, so two processes opening the same new file at once
 * create the tables once.
 */
export function migrateSqliteSchema(db: Database.Database, where: string): void {
  db.transaction(() => {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
    if (exists === undefined) {
      db.exec(SCHEMA_SQL);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(STORE_SCHEMA_VERSION);
      return;
    }
    const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
    assertSupportedSchemaVersion(row.version ?? 0, where);
  }).immediate();
}
