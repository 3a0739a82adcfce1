import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedDeadlines } from './shared-deadlines.js';

const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('SharedDeadlines', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives calls that start close together one signal, and a later call a new one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const deadlines = new SharedDeadlines(6_400, () => new Error('late'));
    const first = deadlines.join();
    vi.advanceTimersByTime(50); // within the 100 ms slice
    const second = deadlines.join();
    expect(second.signal).toBe(first.signal);
    vi.advanceTimersByTime(100); // past the slice: the first deadline is now less than 6.4 s away
    const third = deadlines.join();
    expect(third.signal).not.toBe(first.signal);
    first.leave();
    second.leave();
    third.leave();
  });

  it('aborts a deadline with calls in it no sooner than ms after each call started, and no later than a slice after', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const deadlines = new SharedDeadlines(640, () => new Error('late'));
    const first = deadlines.join();
    vi.advanceTimersByTime(5);
    const second = deadlines.join();
    expect(second.signal).toBe(first.signal);
    vi.advanceTimersByTime(640 - 5 - 1);
    expect(first.signal.aborted).toBe(false); // 639 ms after the first call started
    vi.advanceTimersByTime(1 + 10);
    expect(first.signal.aborted).toBe(true); // 650 ms: ms plus one 10 ms slice
    expect((first.signal.reason as Error).message).toBe('late');
    first.leave();
    second.leave();
  });

  it('does not abort a deadline whose calls have all left, and a new call never joins an aborted one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let reasons = 0;
    const deadlines = new SharedDeadlines(100, () => new Error(`late ${++reasons}`));
    const done = deadlines.join();
    done.leave();
    vi.advanceTimersByTime(200);
    expect(done.signal.aborted).toBe(false);
    expect(reasons).toBe(0);

    const stuck = deadlines.join();
    vi.advanceTimersByTime(200);
    expect(stuck.signal.aborted).toBe(true);
    const next = deadlines.join();
    expect(next.signal.aborted).toBe(false);
    stuck.leave();
    next.leave();
  });

  it('holds the process open only while a call is in its deadline', () => {
    const deadlines = new SharedDeadlines(60_000, () => new Error('late'));
    const before = activeTimers();
    const a = deadlines.join();
    const b = deadlines.join();
    expect(activeTimers()).toBe(before + 1); // one timer for both
    a.leave();
    expect(activeTimers()).toBe(before + 1);
    b.leave();
    expect(activeTimers()).toBe(before);
  });

  it('lets any number of calls listen to one signal without a leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const deadlines = new SharedDeadlines(60_000, () => new Error('late'));
      const calls = Array.from({ length: 50 }, () => deadlines.join());
      for (const call of calls) call.signal.addEventListener('abort', () => undefined);
      for (const call of calls) call.leave();
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
