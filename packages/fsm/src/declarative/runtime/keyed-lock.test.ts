import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

describe('KeyedLock', () => {
  it('hands a key to one holder at a time, in arrival order, and other keys freely', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const hold = async (key: string, name: string, ms: number) => {
      const release = await lock.acquire(key);
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name} out`);
      release();
    };
    await Promise.all([hold('a', 'a1', 15), hold('a', 'a2', 1), hold('b', 'b1', 1), hold('a', 'a3', 1)]);
    expect(order.filter((e) => e.startsWith('a'))).toEqual(['a1 in', 'a1 out', 'a2 in', 'a2 out', 'a3 in', 'a3 out']);
    expect(order.indexOf('b1 out')).toBeLessThan(order.indexOf('a1 out'));
  });

  it('ignores a second release, and frees the key for later holders', async () => {
    const lock = new KeyedLock();
    const release = await lock.acquire('k');
    const waiting = lock.acquire('k');
    release();
    release();
    const second = await waiting;
    let third = false;
    const pending = lock.acquire('k').then((r) => {
      third = true;
      r();
    });
    await Promise.resolve();
    expect(third).toBe(false);
    second();
    await pending;
    expect(third).toBe(true);
  });

  it('takes a free key at once with tryAcquire, and never past callers already waiting', async () => {
    const lock = new KeyedLock();
    const first = lock.tryAcquire('k');
    expect(first).toBeTypeOf('function');
    expect(lock.tryAcquire('k')).toBeUndefined();
    const order: string[] = [];
    const waiting = lock.acquire('k').then((release) => {
      order.push('waiter');
      release();
    });
    first!();
    // Released to the waiter, which has not run yet: the key is still taken.
    expect(lock.tryAcquire('k')).toBeUndefined();
    await waiting;
    expect(order).toEqual(['waiter']);
    const again = lock.tryAcquire('k');
    expect(again).toBeTypeOf('function');
    again!();
    expect(lock.tryAcquire('other')).toBeTypeOf('function');
  });
});
