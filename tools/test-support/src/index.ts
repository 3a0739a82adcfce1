// Helpers for Kit's own tests. Not published: packages list it as a devDependency only.
export { reachablePostgresUrl, randomSchemaName, dropSchema } from './postgres-test-database.js';
export { namedPool, terminatedWhileBlocked, waitUntilBlocked } from './postgres-backend-termination.js';
