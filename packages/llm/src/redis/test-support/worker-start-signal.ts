import { createInterface } from 'node:readline';

/**
 * The child side of the multi-process tests' start: prints "ready", waits for "go <startAt>
 * <endAt>" (epoch ms) on stdin, sleeps until startAt, and returns both times, so that every
 * worker starts calling at the same moment.
 */
export async function readyThenWaitForGo(): Promise<{ startAt: number; endAt: number }> {
  process.stdout.write('ready\n');
  const go = await new Promise<string>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.startsWith('go ')) {
        lines.close();
        resolve(line);
      }
    });
  });
  const [, startAt, endAt] = go.split(' ').map(Number) as [number, number, number];
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  return { startAt, endAt };
}
