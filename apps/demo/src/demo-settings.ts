import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { z } from 'zod';

/** apps/demo/.data, wherever the demo is started from. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));

const environmentSchema = z.object({
  KIT_DATA_DIR: z.string().trim().min(1, 'KIT_DATA_DIR is set but empty').optional(),
  KIT_DEMO_SESSIONS: z.coerce.number().int().min(0).max(10_000).optional(),
});

/** What the environment sets for the demo (besides the provider, which `modelFromEnvironment` reads). */
export interface DemoSettings {
  /** Where the SQLite files go: KIT_DATA_DIR, or apps/demo/.data. */
  dataDir: string;
  /** KIT_DEMO_SESSIONS: how many simulated sessions to run instead of the default. */
  sessions: number | undefined;
}

/** Reads the demo's settings; a malformed value is an error naming the variable. */
export function demoSettingsFrom(env: Record<string, string | undefined>): DemoSettings {
  const parsed = environmentSchema.safeParse({ KIT_DATA_DIR: env['KIT_DATA_DIR'] || undefined, KIT_DEMO_SESSIONS: env['KIT_DEMO_SESSIONS'] || undefined });
  if (!parsed.success) throw new Error(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { dataDir: resolve(parsed.data.KIT_DATA_DIR ?? DEFAULT_DATA_DIR), sessions: parsed.data.KIT_DEMO_SESSIONS };
}
