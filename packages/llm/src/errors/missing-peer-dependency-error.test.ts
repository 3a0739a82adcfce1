import { describe, expect, it } from 'vitest';
import { KitError } from './kit-error.js';
import { MissingPeerDependencyError, importOptionalPeer, isMissingPackageError } from './missing-peer-dependency-error.js';

// A name no registry will ever hold, so the import below fails the way a missing peer does.
const absent = 'kit-absent-peer-for-tests';

describe('importOptionalPeer', () => {
  it('turns a package that is not installed into an error naming it and the command to install it', async () => {
    const error = await importOptionalPeer(() => import(/* @vite-ignore */ absent), { peer: absent, neededBy: '@kit/example/sub' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingPeerDependencyError);
    expect(error).toBeInstanceOf(KitError);
    const missing = error as MissingPeerDependencyError;
    expect(missing.message).toBe(`@kit/example/sub needs ${absent}: npm i ${absent}`);
    expect(missing.code).toBe('peer/missing');
    expect(missing.peer).toBe(absent);
    expect(missing.neededBy).toBe('@kit/example/sub');
    expect(isMissingPackageError(missing.cause, absent)).toBe(true);
  });

  it('returns the module when the package is there', async () => {
    const zod = await importOptionalPeer(() => import('zod'), { peer: 'zod', neededBy: '@kit/llm' });
    expect(typeof zod.z.object).toBe('function');
  });

  it('passes other failures through: a peer that is installed but fails to load is not "missing"', async () => {
    const broken = new Error('the native module was built for another Node version');
    await expect(importOptionalPeer(() => Promise.reject(broken), { peer: 'better-sqlite3', neededBy: '@kit/x' })).rejects.toBe(broken);
  });
});

describe('isMissingPackageError', () => {
  const notFound = (message: string) => Object.assign(new Error(message), { code: 'ERR_MODULE_NOT_FOUND' });

  it('matches Node\'s "Cannot find package" for that package only', () => {
    const error = notFound("Cannot find package 'pg' imported from /app/node_modules/@kit/prompts/dist/store/postgres/x.js");
    expect(isMissingPackageError(error, 'pg')).toBe(true);
    expect(isMissingPackageError(error, 'openai')).toBe(false);
  });

  it('does not match a missing file inside an installed package (a broken install)', () => {
    const error = notFound("Cannot find module '/app/node_modules/openai/index.mjs' imported from /app/x.js");
    expect(isMissingPackageError(error, 'openai')).toBe(false);
  });

  it('needs a module-not-found code', () => {
    expect(isMissingPackageError(new Error("Cannot find package 'pg'"), 'pg')).toBe(false);
    expect(isMissingPackageError("Cannot find package 'pg'", 'pg')).toBe(false);
  });
});
