/** A stretch of a text, `start` inclusive, `end` exclusive. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const LEFT_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RIGHT_BRACKET = 0x5d;
const LEFT_BRACE = 0x7b;
const RIGHT_BRACE = 0x7d;
const LOWERCASE_U = 0x75;

// A frame is an open `{` or `[`. Its grammar state says what JSON allows next.
const ARRAY = 0;
const OBJECT = 1;
/** Just after the opening bracket: a value (array), a key (object), or the closing bracket. */
const AFTER_OPEN = 0;
/** After `,` in an array or `:` in an object. */
const EXPECT_VALUE = 1;
/** After `,` in an object. */
const EXPECT_KEY = 2;
/** After a key, before `:`. */
const AFTER_KEY = 3;
/** After a value: `,` or the closing bracket. */
const AFTER_VALUE = 4;

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
/** Characters after `\` that JSON allows, `u` aside: `" \ / b f n r t`. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/**
 * Finds the JSON objects and arrays in `text[from, to)`: the maximal spans that are, exactly,
 * valid JSON (what `JSON.parse` accepts), in order. A span inside another valid span is part of
 * it and not reported; a valid span inside an invalid one (`{ see {"a": 1} }`) is.
 *
 * One left-to-right pass, linear in the length scanned, with no regular expression over more
 * than one bare token: every `{` or `[` opens a frame that checks JSON grammar as it goes, stays
 * open (marked invalid) after the first mistake so that what it contains is still examined, and
 * closes at its matching bracket. Strings are honoured inside frames, escapes included, so a
 * bracket in a string is text. Outside any frame the text is prose and quotes there mean nothing.
 *
 * Two deliberate departures from strict bracket matching keep one bad character from hiding the
 * rest of a reply: a string ends at a line break (JSON strings cannot hold one, so the string was
 * invalid anyway and a stray quote in prose only blinds the scan to the end of its line), and a
 * closing bracket that does not match the innermost frame closes the nearest frame it does match
 * (the frames between stay unclosed), or is ignored when none does.
 *
 * A text that ends inside JSON (a truncated reply: `{"items": [1, 2], "next": {"cur`) yields
 * nothing from that JSON: the objects and arrays inside it are parts of an unfinished value, not
 * answers of their own. Only when the unfinished value is already invalid (an unclosed `[` in
 * prose) do the valid values inside it count.
 *
 * One limit remains: an unclosed `{` or `[` in prose followed on the same line by an odd number
 * of `"` before the JSON reads the JSON's own quotes inside out, and that JSON is missed.
 */
export function findJsonSpans(text: string, from = 0, to = text.length): TextSpan[] {
  const spans: TextSpan[] = [];
  // The open frames, innermost last, as parallel arrays: a megabyte of `[` must not cost a
  // megabyte of objects.
  const starts: number[] = [];
  const kinds: number[] = [];
  const states: number[] = [];
  const valid: boolean[] = [];
  const openCount = [0, 0];

  const top = (): number => starts.length - 1;

  const invalidate = (): void => {
    valid[top()] = false;
  };

  /** A complete value (scalar, string or closed child) arrived in the innermost frame. */
  const acceptValue = (isValid: boolean): void => {
    const index = top();
    const state = states[index];
    const expected = kinds[index] === ARRAY ? state === AFTER_OPEN || state === EXPECT_VALUE : state === EXPECT_VALUE;
    if (!expected || !isValid) valid[index] = false;
    states[index] = AFTER_VALUE;
  };

  const acceptString = (isValid: boolean): void => {
    const index = top();
    const state = states[index];
    if (kinds[index] === OBJECT && (state === AFTER_OPEN || state === EXPECT_KEY)) {
      if (!isValid) valid[index] = false;
      states[index] = AFTER_KEY;
    } else {
      acceptValue(isValid);
    }
  };

  const open = (kind: number, at: number): void => {
    starts.push(at);
    kinds.push(kind);
    states.push(AFTER_OPEN);
    valid.push(true);
    openCount[kind] = (openCount[kind] ?? 0) + 1;
  };

  /** Pops the innermost frame; `closedAt` is its closing bracket's offset, or -1 when it never closed. */
  const close = (closedAt: number): void => {
    const index = top();
    const start = starts[index] ?? 0;
    const kind = kinds[index] ?? ARRAY;
    const state = states[index];
    const isValid = closedAt !== -1 && valid[index] === true && (state === AFTER_OPEN || state === AFTER_VALUE);
    starts.pop();
    kinds.pop();
    states.pop();
    valid.pop();
    openCount[kind] = (openCount[kind] ?? 1) - 1;
    if (isValid) {
      // Valid spans recorded since this frame opened lie inside it: it replaces them.
      while (spans.length > 0 && (spans[spans.length - 1]?.start ?? -1) > start) spans.pop();
      spans.push({ start, end: closedAt + 1 });
    }
    if (starts.length > 0) acceptValue(isValid);
  };

  let index = from;
  while (index < to) {
    if (starts.length === 0) {
      index = nextOpeningBracket(text, index, to);
      if (index === -1) break;
      open(text.charCodeAt(index) === LEFT_BRACE ? OBJECT : ARRAY, index);
      index += 1;
      continue;
    }
    const code = text.charCodeAt(index);
    switch (code) {
      case SPACE:
      case TAB:
      case LINE_FEED:
      case CARRIAGE_RETURN:
        index += 1;
        break;
      case QUOTE: {
        const end = endOfString(text, index, to);
        acceptString(end.valid);
        index = end.next;
        break;
      }
      case LEFT_BRACE:
      case LEFT_BRACKET:
        open(code === LEFT_BRACE ? OBJECT : ARRAY, index);
        index += 1;
        break;
      case RIGHT_BRACE:
      case RIGHT_BRACKET: {
        const kind = code === RIGHT_BRACE ? OBJECT : ARRAY;
        if ((openCount[kind] ?? 0) === 0) invalidate();
        else {
          while (kinds[top()] !== kind) close(-1);
          close(index);
        }
        index += 1;
        break;
      }
      case COMMA: {
        const at = top();
        if (states[at] === AFTER_VALUE) states[at] = kinds[at] === OBJECT ? EXPECT_KEY : EXPECT_VALUE;
        else invalidate();
        index += 1;
        break;
      }
      case COLON: {
        const at = top();
        if (states[at] === AFTER_KEY) states[at] = EXPECT_VALUE;
        else invalidate();
        index += 1;
        break;
      }
      default: {
        const end = endOfBareToken(text, index, to);
        const token = text.slice(index, end);
        acceptValue(end === to ? isJsonScalarPrefix(token) : isJsonScalar(token));
        index = end;
      }
    }
  }
  // Frames still open when the text ends: the outermost one that is valid so far, with all open
  // frames inside it, is a truncated value, and what was found inside it is part of it.
  let truncatedStart = -1;
  for (let at = top(); at >= 0 && valid[at] === true; at -= 1) truncatedStart = starts[at] ?? -1;
  if (truncatedStart !== -1) {
    while (spans.length > 0 && (spans[spans.length - 1]?.start ?? -1) > truncatedStart) spans.pop();
  }
  return spans;
}

function nextOpeningBracket(text: string, from: number, to: number): number {
  for (let index = from; index < to; index += 1) {
    const code = text.charCodeAt(index);
    if (code === LEFT_BRACE || code === LEFT_BRACKET) return index;
  }
  return -1;
}

/**
 * Reads the string whose opening quote is at `quote`. It ends after its closing quote, or before
 * a line break (then it is invalid), or at the end of the scan (then it is as valid as what came
 * before: the text was cut short, maybe in the middle of an escape). Invalid escapes and raw
 * control characters make it invalid without ending it.
 */
function endOfString(text: string, quote: number, to: number): { next: number; valid: boolean } {
  let valid = true;
  let index = quote + 1;
  while (index < to) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) return { next: index + 1, valid };
    if (code === LINE_FEED || code === CARRIAGE_RETURN) return { next: index, valid: false };
    if (code === BACKSLASH) {
      const escaped = index + 1 < to ? text.charCodeAt(index + 1) : -1;
      if (SIMPLE_ESCAPES.has(escaped)) index += 2;
      else if (escaped === LOWERCASE_U && hasFourHexDigits(text, index + 2, to)) index += 6;
      else if (index + 1 === to || (escaped === LOWERCASE_U && hexDigitsUntil(text, index + 2, to) === to)) return { next: to, valid };
      else {
        // Leave a line break or quote after a bad `\` for the loop to see.
        valid = false;
        index += 1;
      }
    } else {
      if (code < SPACE) valid = false;
      index += 1;
    }
  }
  return { next: to, valid };
}

function hasFourHexDigits(text: string, from: number, to: number): boolean {
  return from + 4 <= to && hexDigitsUntil(text, from, from + 4) === from + 4;
}

/** Where the run of hex digits starting at `from` ends, looking no further than `to`. */
function hexDigitsUntil(text: string, from: number, to: number): number {
  let index = from;
  while (index < to) {
    const code = text.charCodeAt(index);
    const isHex = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
    if (!isHex) break;
    index += 1;
  }
  return index;
}

/** A bare token runs until whitespace, a quote or a structural character. */
function endOfBareToken(text: string, from: number, to: number): number {
  let index = from;
  while (index < to) {
    const code = text.charCodeAt(index);
    if (
      code === SPACE ||
      code === TAB ||
      code === LINE_FEED ||
      code === CARRIAGE_RETURN ||
      code === QUOTE ||
      code === COMMA ||
      code === COLON ||
      code === LEFT_BRACE ||
      code === RIGHT_BRACE ||
      code === LEFT_BRACKET ||
      code === RIGHT_BRACKET
    ) {
      break;
    }
    index += 1;
  }
  return index;
}

function isJsonScalar(token: string): boolean {
  return token === 'true' || token === 'false' || token === 'null' || JSON_NUMBER.test(token);
}

/**
 * Whether a token the text ends in could still grow into a scalar (`tr`, `-`, `1.`, `2e+`). A
 * number prefix that is not a number itself becomes one with a `0` appended (`-0`, `1.0`, `2e+0`).
 */
function isJsonScalarPrefix(token: string): boolean {
  return (
    'true'.startsWith(token) || 'false'.startsWith(token) || 'null'.startsWith(token) || JSON_NUMBER.test(token) || JSON_NUMBER.test(`${token}0`)
  );
}
