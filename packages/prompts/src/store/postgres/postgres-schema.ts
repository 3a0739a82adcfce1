import type { PoolClient } from 'pg';
import { assertSupportedSchemaVersion, STORE_SCHEMA_VERSION } from '../store-schema-version.js';

/** The schema name quoted for SQL; the name has been checked against `/^[A-Za-z_][A-Za-z0-9_]*$/`. */
export function quoteIdentifier(name: string): string {
  return `"${name}"`;
}

// Versions are three integer columns so that ORDER BY sorts them numerically. Event ids come
// from a sequence the store draws from explicitly, so it knows which id each event got.
function schemaSql(s: string): string {
  return `
CREATE TABLE ${s}.schema_version (
  version integer NOT NULL
);

CREATE TABLE ${s}.prompt_versions (
  prompt_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('system', 'user')),
  major integer NOT NULL CHECK (major >= 0),
  minor integer NOT NULL CHECK (minor >= 0),
  patch integer NOT NULL CHECK (patch >= 0),
  template jsonb NOT NULL,
  parent_version text,
  author text,
  message text,
  tags jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'active', 'production', 'deprecated', 'archived')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (prompt_name, kind, major, minor, patch)
);

-- At most one production version per prompt, whatever the code does.
CREATE UNIQUE INDEX prompt_versions_one_production ON ${s}.prompt_versions (prompt_name, kind) WHERE status = 'production';

CREATE TABLE ${s}.experiments (
  id text PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  prompt_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('system', 'user')),
  control_variant text NOT NULL,
  primary_metric text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'paused', 'completed')),
  winner text,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_at timestamptz NOT NULL
);

CREATE INDEX experiments_by_prompt ON ${s}.experiments (prompt_name, status);

-- Each variant references the version it serves: an experiment over a missing version cannot exist.
CREATE TABLE ${s}.experiment_variants (
  experiment_id text NOT NULL REFERENCES ${s}.experiments (id),
  name text NOT NULL,
  position integer NOT NULL,
  prompt_name text NOT NULL,
  kind text NOT NULL,
  major integer NOT NULL,
  minor integer NOT NULL,
  patch integer NOT NULL,
  weight double precision NOT NULL CHECK (weight >= 0 AND weight <> 'Infinity'::float8 AND weight <> 'NaN'::float8),
  PRIMARY KEY (experiment_id, name),
  UNIQUE (experiment_id, position),
  FOREIGN KEY (prompt_name, kind, major, minor, patch) REFERENCES ${s}.prompt_versions (prompt_name, kind, major, minor, patch)
);

-- The primary key makes assignments sticky: the first insert wins, later ones do nothing.
CREATE TABLE ${s}.assignments (
  experiment_id text NOT NULL,
  unit_id text NOT NULL,
  variant text NOT NULL,
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (experiment_id, unit_id),
  FOREIGN KEY (experiment_id, variant) REFERENCES ${s}.experiment_variants (experiment_id, name)
);

CREATE SEQUENCE ${s}.metric_event_ids AS bigint;

CREATE TABLE ${s}.metric_events (
  id bigint PRIMARY KEY DEFAULT nextval('${s}.metric_event_ids'),
  experiment_id text NOT NULL,
  variant text NOT NULL,
  unit_id text NOT NULL,
  metric text NOT NULL,
  -- PostgreSQL's NaN equals itself, so NOT IN catches it.
  value double precision NOT NULL CHECK (value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)),
  recorded_at timestamptz NOT NULL,
  metadata jsonb,
  FOREIGN KEY (experiment_id, variant) REFERENCES ${s}.experiment_variants (experiment_id, name)
);

CREATE INDEX metric_events_by_experiment ON ${s}.metric_events (experiment_id, id);
CREATE INDEX metric_events_by_variant_metric ON ${s}.metric_events (experiment_id, variant, metric);

-- Events are appended, never rewritten.
CREATE FUNCTION ${s}.metric_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'metric events are append-only';
END
$$;
CREATE TRIGGER metric_events_append_only BEFORE UPDATE OR DELETE ON ${s}.metric_events
  FOR EACH ROW EXECUTE FUNCTION ${s}.metric_events_append_only();
CREATE TRIGGER metric_events_no_truncate BEFORE TRUNCATE ON ${s}.metric_events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.metric_events_append_only();
`;
}

/**
 * Creates the schema (if missing) and the store's tables in it, or checks the schema version of
 * existing tables. Holds a transaction-scoped advisory lock on the schema name, so processes
 * connecting at the same moment create the tables once. Runs inside the caller's transaction.
 */
export async function migratePostgresSchema(client: PoolClient, schema: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`kit-prompt-store:${schema}`]);
  const s = quoteIdentifier(schema);
  // Only create a missing schema: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
  const namespace = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (namespace.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
  const table = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [`${s}.schema_version`]);
  if (table.rows[0]?.found === null || table.rows[0] === undefined) {
    await client.query(schemaSql(s));
    await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [STORE_SCHEMA_VERSION]);
    return;
  }
  const version = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_version`);
  assertSupportedSchemaVersion(version.rows[0]?.version ?? 0, `PostgreSQL schema ${schema}`);
}
