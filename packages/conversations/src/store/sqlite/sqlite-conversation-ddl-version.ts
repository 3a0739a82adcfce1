/**
 * The version of the SQLite tables (the DDL), distinct from the records' schema version. Kept in
 * `kit_schema` under the component `conversations`, so the tables can share a file with others.
 */
export const SQLITE_CONVERSATION_DDL_VERSION = 1;
