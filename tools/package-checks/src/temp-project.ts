import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { repoRoot } from './kit-packages.js';
import { runCommand, type CommandResult } from './run-command.js';

/** A throwaway npm project outside the repository, where no workspace link resolves anything. */
export interface TempProject {
  dir: string;
  /** Deletes the project. */
  remove(): Promise<void>;
}

/**
 * Creates an empty ESM project under the system's temporary folder. No install script runs in it
 * (npm 11 runs none it is not told to allow), which is how users of npm 11 install too.
 */
export async function createTempProject(prefix: string): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (dir.startsWith(repoRoot)) throw new Error(`${dir} is inside the repository; the checks need a folder outside it`);
  const manifest = { name: 'kit-consumer', private: true, type: 'module' };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** `npm install` of tarballs and registry specs, as a user would type it (the npm cache makes repeats fast). */
export function npmInstall(project: TempProject, specs: readonly string[]): Promise<CommandResult> {
  return runCommand('npm', ['install', ...specs, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error'], {
    cwd: project.dir,
    timeoutMs: 900_000,
  });
}

const installedManifestSchema = z.looseObject({ name: z.string(), version: z.string() });

/** Every package installed anywhere under the project's node_modules (nested copies included), by name. */
export function installedPackages(project: TempProject): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (nodeModules: string) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules)) {
      if (entry.startsWith('.')) continue;
      const folders = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((name) => join(nodeModules, entry, name)) : [join(nodeModules, entry)];
      for (const folder of folders) {
        const manifestPath = join(folder, 'package.json');
        if (!existsSync(manifestPath)) continue;
        const { name, version } = installedManifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
        found.set(name, [...(found.get(name) ?? []), version]);
        visit(join(folder, 'node_modules'));
      }
    }
  };
  visit(join(project.dir, 'node_modules'));
  return found;
}

/** Runs an ES module script with plain Node inside the project (no loaders, no conditions). */
export async function runNodeScript(project: TempProject, fileName: string, source: string): Promise<CommandResult> {
  await writeFile(join(project.dir, fileName), source);
  return runCommand(process.execPath, [fileName], { cwd: project.dir, timeoutMs: 120_000 });
}

const versionSchema = z.looseObject({ version: z.string() });

/** The version of a package installed in the workspace's own node_modules. */
export function workspaceVersion(name: string): string {
  return versionSchema.parse(JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'))).version;
}

const SQLITE_BINARY = join('build', 'Release', 'better_sqlite3.node');

/**
 * Gives the project's better-sqlite3 (installed with its install script not allowed to run) the
 * native module the workspace already compiled for the same version. Off this machine npm would
 * fetch a prebuilt binary; here it would compile from source for a minute or more, and what these
 * checks test is Kit's packages, not better-sqlite3's build. Throws when the versions differ.
 */
export async function provideBetterSqlite3Binary(project: TempProject): Promise<void> {
  const installed = join(project.dir, 'node_modules', 'better-sqlite3');
  const version = versionSchema.parse(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))).version;
  const wanted = workspaceVersion('better-sqlite3');
  if (version !== wanted) throw new Error(`better-sqlite3 ${version} was installed, but the workspace has ${wanted} compiled`);
  await mkdir(join(installed, 'build', 'Release'), { recursive: true });
  await copyFile(join(repoRoot, 'node_modules', 'better-sqlite3', SQLITE_BINARY), join(installed, SQLITE_BINARY));
}
