import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, demoSettingsFrom } from './demo-settings.js';

describe('demoSettingsFrom', () => {
  it('defaults to apps/demo/.data and reads KIT_DATA_DIR and KIT_DEMO_SESSIONS', () => {
    expect(demoSettingsFrom({})).toEqual({ dataDir: resolve(DEFAULT_DATA_DIR), sessions: undefined });
    expect(DEFAULT_DATA_DIR.replaceAll('\\', '/')).toMatch(/apps\/demo\/\.data\/?$/);
    expect(demoSettingsFrom({ KIT_DATA_DIR: 'some/dir', KIT_DEMO_SESSIONS: '12' })).toEqual({ dataDir: resolve('some/dir'), sessions: 12 });
    expect(demoSettingsFrom({ KIT_DATA_DIR: '' }).dataDir).toBe(resolve(DEFAULT_DATA_DIR));
  });

  it('names the variable that is malformed', () => {
    expect(() => demoSettingsFrom({ KIT_DEMO_SESSIONS: 'many' })).toThrow(/KIT_DEMO_SESSIONS/);
    expect(() => demoSettingsFrom({ KIT_DEMO_SESSIONS: '-1' })).toThrow(/KIT_DEMO_SESSIONS/);
  });
});
