import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from './sse-decoder.js';

const encoder = new TextEncoder();

/** Feeds `chunks` to a new decoder; returns every event and what `end()` reported. */
function decode(chunks: ReadonlyArray<Uint8Array | string>): { events: SseEvent[]; leftover: string } {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...decoder.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  return { events, leftover: decoder.end().leftover };
}

const message = (data: string, extra: Partial<SseEvent> = {}): SseEvent => ({ type: 'message', data, lastEventId: '', ...extra });

describe('SseDecoder: the spec cases', () => {
  const cases: Array<[name: string, body: string, events: SseEvent[], leftover?: string]> = [
    ['one event', 'data: hello\n\n', [message('hello')]],
    ['two events', 'data: a\n\ndata: b\n\n', [message('a'), message('b')]],
    ['multi-line data joined with \\n', 'data: a\ndata: b\ndata: c\n\n', [message('a\nb\nc')]],
    ['only the first space after the colon dropped', 'data:  two\ndata:none\n\n', [message(' two\nnone')]],
    ['an empty data line is data', 'data:\n\n', [message('')]],
    ['a field name alone is an empty value', 'data\ndata\n\n', [message('\n')]],
    ['colons after the first belong to the value', 'data: {"a":"b:c"}\n\n', [message('{"a":"b:c"}')]],
    ['\\r\\n line ends', 'data: a\r\ndata: b\r\n\r\n', [message('a\nb')]],
    ['\\r line ends', 'data: a\rdata: b\r\r', [message('a\nb')]],
    ['mixed line ends', 'data: a\r\n\rdata: b\n\r\n', [message('a'), message('b')]],
    ['comments ignored, also inside an event', ': hi\ndata: a\n: mid\ndata: b\n\n:\n', [message('a\nb')]],
    ['event: sets the type, for that event only', 'event: error\ndata: x\n\ndata: y\n\n', [message('x', { type: 'error' }), message('y')]],
    ['an empty event: is a message', 'event:\ndata: x\n\n', [message('x')]],
    ['id: persists across events', 'id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n', [message('a', { lastEventId: '7' }), message('b', { lastEventId: '7' }), message('c')]],
    ['an id with NUL is ignored', 'id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n', [message('a', { lastEventId: '1' }), message('b', { lastEventId: '1' })]],
    ['unknown fields ignored', 'foo: bar\nDATA: no\ndata : no\ndata: yes\n\n', [message('yes')]],
    ['no data, no event', 'event: ping\n\nid: 3\n\n\n\ndata: a\n\n', [message('a', { lastEventId: '3' })]],
    ['a leading BOM is dropped', '\uFEFFdata: a\n\n', [message('a')]],
    ['a BOM later is data', 'data: \uFEFFa\n\n', [message('\uFEFFa')]],
    ['non-ASCII', 'data: héllo → 世界 🎉\n\n', [message('héllo → 世界 🎉')]],
    ['an unterminated event is not dispatched', 'data: a\n\ndata: b\n', [message('a')], 'data: b\n'],
    ['an unterminated line is not dispatched', 'data: a\n\nevent: x\ndata: b', [message('a')], 'event: x\ndata: b'],
    ['trailing comments are not leftover', 'data: a\n\n: keep-alive\n', [message('a')], ''],
    ['an empty body', '', []],
  ];

  it.each(cases)('%s', (_name, body, events, leftover = '') => {
    expect(decode([body])).toEqual({ events, leftover });
  });

  it('reads the retry field when it is all digits', () => {
    const decoder = new SseDecoder();
    decoder.push(encoder.encode('retry: 1500\n\n'));
    expect(decoder.retryMs).toBe(1500);
    decoder.push(encoder.encode('retry: 2s\nretry:\nretry: -1\n\n'));
    expect(decoder.retryMs).toBe(1500);
    decoder.push(encoder.encode('retry:30\n\n'));
    expect(decoder.retryMs).toBe(30);
  });

  it('starts over after end(): a new stream, a new BOM, no ids carried over', () => {
    const decoder = new SseDecoder();
    decoder.push(encoder.encode('id: 9\ndata: a\n\ndata: cut'));
    expect(decoder.end().leftover).toBe('data: cut');
    expect(decoder.push(encoder.encode('\uFEFFdata: b\n\n'))).toEqual([message('b')]);
  });
});

describe('SseDecoder: chunking', () => {
  const sample =
    ': stream\r\nid: 1\r\nevent: delta\r\ndata: {"text":"héllo"}\r\n\r\n' +
    'data: line one\rdata: line two\r\r' +
    'data: 世界 🎉 end\n\n' +
    'retry: 10\nunknown\ndata\n\n' +
    'data: tail';
  const bytes = encoder.encode(sample);
  const whole = decode([bytes]);

  it('reads the sample as expected in one chunk', () => {
    expect(whole).toEqual({
      events: [
        { type: 'delta', data: '{"text":"héllo"}', lastEventId: '1' },
        message('line one\nline two', { lastEventId: '1' }),
        message('世界 🎉 end', { lastEventId: '1' }),
        message('', { lastEventId: '1' }),
      ],
      leftover: 'data: tail',
    });
  });

  it('gives the same events and leftover split at every byte offset', () => {
    for (let i = 0; i <= bytes.length; i++) {
      expect(decode([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toEqual(whole);
    }
  });

  it('gives the same events split at every pair of byte offsets', () => {
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const result = decode([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        if (JSON.stringify(result) !== JSON.stringify(whole)) expect(result, `split at ${i} and ${j}`).toEqual(whole);
      }
    }
  });

  it('gives the same events fed one byte at a time', () => {
    expect(decode(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual(whole);
  });

  it('keeps a \\r\\n split across chunks as one line end', () => {
    expect(decode(['data: a\r', '\ndata: b\r', '\n\r', '\n']).events).toEqual([message('a\nb')]);
    expect(decode(['data: a\r', '\r']).events).toEqual([message('a')]);
    expect(decode(['data: a\r', '\n'])).toEqual({ events: [], leftover: 'data: a\r\n' });
  });

  it('reports a UTF-8 character cut by the end of the body as U+FFFD in the leftover', () => {
    const cut = encoder.encode('data: é').subarray(0, -1);
    expect(decode([cut])).toEqual({ events: [], leftover: 'data: \uFFFD' });
  });
});

describe('SseDecoder: large events', () => {
  it('reads a 1 MB data line arriving in 1 KB pieces', () => {
    const value = 'x'.repeat(1 << 20);
    const bytes = encoder.encode(`data: ${value}\n\n`);
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1024) pieces.push(bytes.subarray(i, i + 1024));
    const { events } = decode(pieces);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.length).toBe(value.length);
    expect(events[0]!.data === value).toBe(true);
  });

  it('reads 10,000 events from one chunk, and a multi-line event of many lines', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `data: {"i":${i}}\n\n`).join('') + Array.from({ length: 5_000 }, (_, i) => `data: ${i}`).join('\n') + '\n\n';
    const { events } = decode([body]);
    expect(events).toHaveLength(10_001);
    expect(JSON.parse(events[9_999]!.data)).toEqual({ i: 9_999 });
    expect(events[10_000]!.data.split('\n')).toHaveLength(5_000);
    expect(events[10_000]!.data.endsWith('\n4999')).toBe(true);
  });
});
