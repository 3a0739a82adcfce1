import { ExperimentManager, MemoryPromptStore, VersionedPromptLibrary } from '@kit/prompts';
import { describe, expect, it } from 'vitest';
import { experimentReportView } from './experiment-report-view.js';

describe('experimentReportView', () => {
  it('shows each variant with its rate and interval, the comparison, the sample ratio and the decision', async () => {
    const store = new MemoryPromptStore();
    const library = new VersionedPromptLibrary({ store });
    await library.publish('p', 'system', { template: 'A' }, { status: 'active' });
    await library.publish('p', 'system', { template: 'B' }, { status: 'active' });
    const experiments = new ExperimentManager(store);
    await experiments.createExperiment({
      id: 'e1',
      promptName: 'p',
      kind: 'system',
      primaryMetric: 'success',
      variants: [
        { name: 'a', version: '1.0.0', weight: 1 },
        { name: 'b', version: '1.0.1', weight: 1 },
      ],
    });
    for (let i = 0; i < 40; i++) {
      const unit = `u${i}`;
      const { variant } = await experiments.variantFor('e1', unit);
      await experiments.recordSuccess('e1', unit, variant === 'b' || i % 4 === 0);
    }
    const lines = experimentReportView(await experiments.report('e1'));
    const text = lines.join('\n');
    expect(lines[0]).toBe('experiment e1 on p (system prompt), running; primary metric success');
    expect(text).toMatch(/^a \(control\)\s+1\.0\.0\s+\d+\s+\d+\/\d+ = [\d.]+% \[[\d.]+%, [\d.]+%\]\s+-\s+-$/m);
    expect(text).toMatch(/^b\s+1\.0\.1\s+\d+\s+(\d+)\/\1 = 100\.0% \[[\d.]+%, 100\.0%\]/m);
    expect(text).toMatch(/^b vs a: \+[\d.]+ pts \[.*\]; fixed-sample p = [\d.<> ]+ \(reference only\), always-valid p = [\d.<> ]+$/m);
    expect(text).toMatch(/^sample ratio: \d+ \/ \d+ units for weights 50% \/ 50%; chi-square p = [\d.]+, no mismatch$/m);
    expect(text).toMatch(/^decision: (winner \(b\)|no-difference-yet|insufficient-data): /m);
  });
});
