import { describe, expect, it } from 'vitest';
import { machineView } from './machine-view.js';
import { loadSupportDeskMachine } from './support-desk-machine.js';

describe('machineView', () => {
  it('lists the support desk transitions by priority with what their conditions test', async () => {
    const lines = machineView(await loadSupportDeskMachine(), 200);
    const diagnose = lines.filter((line) => line.startsWith('  diagnose'));
    expect(diagnose.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'diagnose -> escalate p10 the customer asked for a person',
      'diagnose -> resolve p20 a late or damaged order that can be refunded',
      'diagnose -> escalate p30 anything the desk cannot settle on its own',
    ]);
    expect(lines).toContain(`${' '.repeat(28)}when has order_id and order.found == true`);
    expect(lines.some((line) => line.includes('when the model proposes it'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ {2}closed\s+\(final\)$/);
  });
});
