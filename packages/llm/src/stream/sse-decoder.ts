/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** The `event:` field, or `message` when the event named none (as the spec's dispatch does). */
  readonly type: string;
  /** The `data:` lines, joined with `\n`. */
  readonly data: string;
  /** The latest `id:` seen in the stream up to this event (ids persist across events), or `''`. */
  readonly lastEventId: string;
}

/** What {@link SseDecoder.end} reports. */
export interface SseDecoderEnd {
  /**
   * The raw text of an event that had begun but was never ended by a blank line (or of a last,
   * unterminated line), `''` when the stream ended between events. The spec discards it: it is
   * reported only so that a caller can tell a truncated body from a complete one.
   */
  readonly leftover: string;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DIGITS = /^[0-9]+$/;

/**
 * An incremental, synchronous Server-Sent Events decoder, per the WHATWG HTML "event stream
 * interpretation": feed it the body's bytes as they arrive and it returns the events they
 * completed, usually many per network read, with no promise per event.
 *
 * Lines end at `\r\n`, `\n` or `\r` (also when split across chunks); `data:` lines are joined
 * with `\n`; one space after the colon is dropped; `:` lines are comments; unknown fields are
 * ignored; an event without data is not dispatched; a UTF-8 character split across chunks and a
 * leading BOM are handled by the decoding. An event left unterminated when the body ends is not
 * dispatched, but {@link end} reports it.
 *
 * ```ts
 * const decoder = new SseDecoder();
 * for (;;) {
 *   const { value, done } = await reader.read();
 *   if (done) break;
 *   for (const event of decoder.push(value)) handle(JSON.parse(event.data));
 * }
 * if (decoder.end().leftover !== '') throw new Error('the stream was cut mid-event');
 * ```
 */
export class SseDecoder {
  /** The reconnection time from the latest valid `retry:` field, in ms (`undefined` until one). */
  retryMs: number | undefined;

  private readonly text = new TextDecoder('utf-8');
  /** The start of a line whose end has not arrived yet. */
  private partial = '';
  /** The last chunk ended with `\r`: a `\n` opening the next one belongs to that line end. */
  private afterCR = false;
  /** Raw text of the event under way, from earlier chunks (for `end()`'s report only). */
  private eventRaw = '';
  /** A field line has been read since the last blank line. */
  private inEvent = false;
  private type = '';
  private data = '';
  private hasData = false;
  private lastEventId = '';

  /** Decodes the next bytes of the body; returns the events they completed (often none or many). */
  push(chunk: Uint8Array): SseEvent[] {
    const events: SseEvent[] = [];
    const text = this.text.decode(chunk, { stream: true });
    const n = text.length;
    if (n === 0) return events;
    let pos = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    // Where the raw text of the event under way starts in this chunk, for `end()`.
    let eventStart = this.eventRaw === '' ? pos : 0;
    // The next line end of each kind and the next colon, each found once and reused until
    // passed: searching again for every line would make a body without `\r` quadratic.
    let lf = text.indexOf('\n', pos);
    let cr = text.indexOf('\r', pos);
    let colon = text.indexOf(':', pos);
    if (this.partial !== '') {
      const end = lf === -1 ? cr : cr === -1 || lf < cr ? lf : cr;
      if (end === -1) {
        this.partial += text;
        this.eventRaw += text;
        return events;
      }
      const line = this.partial + text.slice(pos, end);
      this.partial = '';
      const boundary = this.line(line, 0, line.length, line.indexOf(':'), events);
      pos = this.skipLineEnd(text, end);
      if (boundary) {
        eventStart = pos;
        this.eventRaw = '';
      }
    }
    for (;;) {
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      const end = lf === -1 ? cr : cr === -1 || lf < cr ? lf : cr;
      if (end === -1) break;
      if (colon !== -1 && colon < pos) colon = text.indexOf(':', pos);
      const boundary = this.line(text, pos, end, colon === -1 || colon > end ? -1 : colon, events);
      pos = this.skipLineEnd(text, end);
      if (boundary) {
        eventStart = pos;
        this.eventRaw = '';
      }
    }
    if (pos < n) this.partial = pos === 0 ? text : text.slice(pos);
    if (eventStart < n) this.eventRaw += eventStart === 0 ? text : text.slice(eventStart);
    return events;
  }

  /**
   * The body has ended. Per the spec nothing more is dispatched: an event without its closing
   * blank line is dropped, and reported as `leftover`. The decoder is then ready for a new stream.
   */
  end(): SseDecoderEnd {
    // Flushes a UTF-8 sequence cut short (it becomes U+FFFD): it can only extend the last line.
    const tail = this.text.decode();
    const leftover = this.eventRaw + tail;
    this.partial = this.eventRaw = this.type = this.data = this.lastEventId = '';
    this.afterCR = this.inEvent = this.hasData = false;
    return { leftover };
  }

  /** The position after the line end at `end` (`\r\n` counts as one; a `\r` last in the chunk waits for the next). */
  private skipLineEnd(text: string, end: number): number {
    const next = end + 1;
    if (text.charCodeAt(end) === CR) {
      if (next === text.length) this.afterCR = true;
      else if (text.charCodeAt(next) === LF) return next + 1;
    }
    return next;
  }

  /**
   * Interprets the line `s[start, end)` (its first colon at `colon`, -1 for none). Returns whether
   * no event is under way after it (a blank line, or a comment between events).
   */
  private line(s: string, start: number, end: number, colon: number, events: SseEvent[]): boolean {
    if (start === end) {
      if (this.hasData) {
        events.push({ type: this.type === '' ? 'message' : this.type, data: this.data, lastEventId: this.lastEventId });
        this.data = '';
        this.hasData = false;
      }
      this.type = '';
      this.inEvent = false;
      return true;
    }
    if (s.charCodeAt(start) === COLON) return !this.inEvent;
    this.inEvent = true;
    let fieldEnd = end;
    let valueStart = end;
    if (colon !== -1) {
      fieldEnd = colon;
      valueStart = colon + 1;
      if (valueStart < end && s.charCodeAt(valueStart) === SPACE) valueStart++;
    }
    // Field names compared in place, so that a `data:` line costs one slice: its value.
    switch (fieldEnd - start) {
      case 4:
        if (s.startsWith('data', start)) {
          const value = s.slice(valueStart, end);
          if (this.hasData) this.data += '\n' + value;
          else {
            this.data = value;
            this.hasData = true;
          }
        }
        break;
      case 5:
        if (s.startsWith('event', start)) this.type = s.slice(valueStart, end);
        else if (s.startsWith('retry', start)) {
          const value = s.slice(valueStart, end);
          if (DIGITS.test(value)) this.retryMs = Number(value);
        }
        break;
      case 2:
        if (s.startsWith('id', start)) {
          const value = s.slice(valueStart, end);
          if (!value.includes('\0')) this.lastEventId = value;
        }
        break;
    }
    return false;
  }
}
