// Lets a plain `node` child process run this package's TypeScript sources, for the tests that
// need real processes (Node 20 cannot run .ts itself): `node --conditions=@kit/source --import
// <this file> script.ts`. The hooks strip types with the TypeScript compiler; nothing is type-checked.
import { register } from 'node:module';

register('./typescript-loader-hooks.mjs', import.meta.url);
