import { describe, expect, it } from 'vitest';
import { PartStream } from './part-stream.js';
import type { StreamOutcome } from './stream-tap.js';

async function drain<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** An async source that records how it was driven. */
function source<T>(items: readonly T[], options: { failAfter?: number; error?: unknown } = {}) {
  const state = { pulls: 0, returned: false, finished: false };
  async function* generate(): AsyncGenerator<T> {
    try {
      for (let i = 0; i < items.length; i++) {
        if (options.failAfter === i) throw options.error ?? new Error('source failed');
        state.pulls++;
        yield items[i]!;
      }
      if (options.failAfter === items.length) throw options.error ?? new Error('source failed');
      state.finished = true;
    } finally {
      if (!state.finished) state.returned = true;
    }
  }
  return { iterable: generate(), state };
}

describe('PartStream: taps', () => {
  it('runs taps in the order they were added, each part through all of them before the next', async () => {
    const trace: string[] = [];
    const stream = PartStream.from(source([1, 2]).iterable)
      .tap({ onPart: (n) => void trace.push(`a${n}`) })
      .tap({ onPart: (n) => void trace.push(`b${n}`) });
    expect(await drain(stream)).toEqual([1, 2]);
    expect(trace).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('replaces, drops and expands parts; later taps see the result', async () => {
    const seen: number[] = [];
    const stream = PartStream.from(source([1, 2, 3, 4]).iterable)
      .tap({ onPart: (n) => (n === 2 ? [] : n === 3 ? [30, 31] : n === 4 ? 40 : undefined) })
      .tap({ onPart: (n) => void seen.push(n) });
    expect(await drain(stream)).toEqual([1, 30, 31, 40]);
    expect(seen).toEqual([1, 30, 31, 40]);
  });

  it('maps items to another type, and passes parts returned by onEnd through the later taps only', async () => {
    const ends: string[] = [];
    const stream = PartStream.from(source(['a', 'bb']).iterable)
      .map<number>({ onPart: (s) => s.length, onEnd: () => [100] })
      .tap({ onPart: (n) => n + 1, onEnd: () => void ends.push('outer') });
    expect(await drain(stream)).toEqual([2, 3, 101]);
    expect(ends).toEqual(['outer']);
  });

  it('streams a sync iterable, and a PartStream given to from() comes back as it is', async () => {
    const stream = PartStream.from([1, 2, 3]);
    expect(PartStream.from(stream)).toBe(stream);
    expect(await drain(stream.tap({ onPart: (n) => n * 2 }))).toEqual([2, 4, 6]);
  });

  it('calls onPull before each read from the source, not for parts it holds', async () => {
    let pulls = 0;
    const stream = PartStream.from(source([1, 2]).iterable)
      .tap({ onPart: (n) => [n, n] })
      .tap({ onPull: () => void pulls++ });
    expect(await drain(stream)).toEqual([1, 1, 2, 2]);
    expect(pulls).toBe(3); // two items and the read that found the end
  });
});

describe('PartStream: endings', () => {
  it('closes every tap once, with how the stream ended', async () => {
    const outcomes: StreamOutcome[] = [];
    const ended = PartStream.from([1]).tap({ onClose: (o) => void outcomes.push(o) });
    await drain(ended);
    const failed = PartStream.from(source([1], { failAfter: 1 }).iterable).tap({ onClose: (o) => void outcomes.push(o) });
    await expect(drain(failed)).rejects.toThrow('source failed');
    const left = PartStream.from(source([1, 2]).iterable).tap({ onClose: (o) => void outcomes.push(o) });
    for await (const _ of left) break;
    await left.return();
    expect(outcomes).toEqual(['end', 'error', 'return']);
  });

  it('returns the source when the consumer stops early, and reads nothing more', async () => {
    const { iterable, state } = source([1, 2, 3]);
    for await (const n of PartStream.from(iterable)) if (n === 1) break;
    expect(state.returned).toBe(true);
    expect(state.pulls).toBe(1);
  });

  it('passes a source error through onError of every tap, each able to replace it', async () => {
    const seen: string[] = [];
    const stream = PartStream.from(source([1], { failAfter: 1 }).iterable)
      .tap({ onError: (e) => (seen.push(`inner:${(e as Error).message}`), new Error('mapped')) })
      .tap({ onError: (e) => void seen.push(`outer:${(e as Error).message}`) });
    await expect(drain(stream)).rejects.toThrow('mapped');
    expect(seen).toEqual(['inner:source failed', 'outer:mapped']);
  });

  it('sends an error thrown by a tap to the taps after it only, and returns the source', async () => {
    const { iterable, state } = source([1, 2, 3]);
    const seen: string[] = [];
    const stream = PartStream.from(iterable)
      .tap({ onError: () => void seen.push('before') })
      .tap({
        onPart: (n) => {
          if (n === 2) throw new Error('bad part');
        },
      })
      .tap({ onError: () => void seen.push('after') });
    const received: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream) received.push(n);
      })(),
    ).rejects.toThrow('bad part');
    expect(received).toEqual([1]);
    expect(seen).toEqual(['after']);
    expect(state.returned).toBe(true);
  });

  it('fails the stream when a tap throws at the end, after the parts it had', async () => {
    const stream = PartStream.from([1]).tap({
      onEnd: () => {
        throw new Error('incomplete');
      },
    });
    const received: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream) received.push(n);
      })(),
    ).rejects.toThrow('incomplete');
    expect(received).toEqual([1]);
  });
});

describe('PartStream: defer and ready', () => {
  it('opens at the first pull, and taps added before then run after the opened stream’s own', async () => {
    const trace: string[] = [];
    let opened = false;
    const deferred = PartStream.defer(async () => {
      opened = true;
      return PartStream.from([1]).tap({ onPart: () => void trace.push('inner') });
    }).tap({ onPart: () => void trace.push('outer') });
    expect(opened).toBe(false);
    expect(await drain(deferred)).toEqual([1]);
    expect(trace).toEqual(['inner', 'outer']);
  });

  it('fails through its taps when the opener throws or rejects', async () => {
    const errors: string[] = [];
    const thrown = PartStream.defer<number>(() => {
      throw new Error('sync');
    }).tap({ onError: (e) => void errors.push((e as Error).message) });
    const rejected = PartStream.defer<number>(async () => Promise.reject(new Error('async'))).tap({
      onError: (e) => void errors.push((e as Error).message),
    });
    await expect(drain(thrown)).rejects.toThrow('sync');
    await expect(drain(rejected)).rejects.toThrow('async');
    expect(errors).toEqual(['sync', 'async']);
  });

  it('ready() holds the first part; taps added afterwards still see it, and the source is read once', async () => {
    const { iterable, state } = source([1, 2]);
    const stream = PartStream.from(iterable).tap({ onPart: (n) => n * 10 });
    await stream.ready();
    expect(state.pulls).toBe(1);
    const outer: number[] = [];
    stream.tap({ onPart: (n) => void outer.push(n) });
    expect(await drain(stream)).toEqual([10, 20]);
    expect(outer).toEqual([10, 20]);
  });

  it('ready() rejects when the stream fails before its first part, and settles for an empty one', async () => {
    await expect(PartStream.from(source([], { failAfter: 0 }).iterable).ready()).rejects.toThrow('source failed');
    const ends: string[] = [];
    const empty = PartStream.from<number>([]);
    await empty.ready();
    empty.tap({ onEnd: () => void ends.push('late tap') });
    expect(await drain(empty)).toEqual([]);
    expect(ends).toEqual(['late tap']);
  });
});

describe('PartStream: endOnAbort', () => {
  it('ends a stream whose source is stuck in a read, with the given error through every tap', async () => {
    const controller = new AbortController();
    async function* stuck(): AsyncGenerator<number> {
      yield 1;
      await new Promise(() => undefined);
    }
    const errors: unknown[] = [];
    const stream = PartStream.from(stuck())
      .endOnAbort(controller.signal, () => new Error('aborted'))
      .tap({ onError: (e) => void errors.push(e) });
    const received: number[] = [];
    setTimeout(() => controller.abort(), 5);
    await expect(
      (async () => {
        for await (const n of stream) received.push(n);
      })(),
    ).rejects.toThrow('aborted');
    expect(received).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  it('ends a deferred stream whose opener never settles', async () => {
    const controller = new AbortController();
    const stream = PartStream.defer<number>(() => new Promise(() => undefined)).endOnAbort(controller.signal, () => new Error('aborted'));
    setTimeout(() => controller.abort(), 5);
    await expect(drain(stream)).rejects.toThrow('aborted');
  });

  it('fails at the next pull when the signal aborted while the consumer held a part', async () => {
    const controller = new AbortController();
    const { iterable, state } = source([1, 2, 3]);
    const stream = PartStream.from(iterable).endOnAbort(controller.signal, () => new Error('aborted'));
    const received: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream) {
          received.push(n);
          controller.abort();
        }
      })(),
    ).rejects.toThrow('aborted');
    expect(received).toEqual([1]);
    expect(state.returned).toBe(true);
  });
});

describe('PartStream: long runs', () => {
  it('drops a long run of items from a sync source without growing the stack', async () => {
    const items = Array.from({ length: 200_000 }, (_, i) => i);
    const stream = PartStream.from(items).tap({ onPart: (n) => (n === 199_999 ? n : []) });
    expect(await drain(stream)).toEqual([199_999]);
  });
});
