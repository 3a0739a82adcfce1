import type { z } from 'zod';

// Checking a structured reply with zod costs a few µs per reply (a record of extracted data is
// most of it: zod runs a key and a value schema per entry and allocates a result for each), a
// large share of a call under load. Most reply schemas are simple: objects of strings, numbers,
// booleans, arrays, optional or nullable fields, records of unknown values. This compiles such a
// schema once into a plain checker for what `JSON.parse` returns, which builds the value zod
// would build (known keys in shape order, nothing else). A schema with anything else (transforms,
// refinements, defaults, formats, checks other than string lengths) gets no checker, and a value
// the checker does not accept goes to zod, which stays the one place that words errors. The test
// compares the two on a corpus of valid and invalid replies.

/** What a checker returns for a value it does not accept: zod decides. */
export const USE_ZOD: unique symbol = Symbol('use zod');

/** A compiled checker: the parsed value, or {@link USE_ZOD}. */
export type FastParse = (value: unknown) => unknown;

interface ZodInternals {
  def: {
    type: string;
    checks?: ReadonlyArray<{ _zod: { def: { check: string; maximum?: number; minimum?: number } } }>;
    coerce?: boolean;
    format?: unknown;
    shape?: Record<string, ZodLike>;
    catchall?: unknown;
    innerType?: ZodLike;
    element?: ZodLike;
    keyType?: ZodLike;
    valueType?: ZodLike;
    mode?: string;
  };
  optin?: string | undefined;
  optout?: string | undefined;
  values?: unknown;
}

interface ZodLike {
  _zod: ZodInternals;
}

const compiled = new WeakMap<object, FastParse | null>();

/** The schema's checker, compiled on first use; `undefined` when the schema has something it does not cover. */
export function fastParserFor(schema: z.ZodType): FastParse | undefined {
  let parse = compiled.get(schema);
  if (parse === undefined) {
    parse = compile(schema as unknown as ZodLike) ?? null;
    compiled.set(schema, parse);
  }
  return parse ?? undefined;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.getPrototypeOf(value) === Object.prototype;
}

function compile(schema: ZodLike): FastParse | undefined {
  const internals = schema._zod as ZodInternals | undefined;
  if (internals === undefined || typeof internals.def !== 'object') return undefined;
  const def = internals.def;
  switch (def.type) {
    case 'unknown':
    case 'any':
      return (value) => value;
    case 'string':
      return compileString(def);
    case 'number':
      if (def.coerce === true || def.format !== undefined || (def.checks !== undefined && def.checks.length > 0)) return undefined;
      return (value) => (typeof value === 'number' && Number.isFinite(value) ? value : USE_ZOD);
    case 'boolean':
      if (def.coerce === true || (def.checks !== undefined && def.checks.length > 0)) return undefined;
      return (value) => (typeof value === 'boolean' ? value : USE_ZOD);
    case 'optional':
    case 'nullable': {
      if (def.checks !== undefined && def.checks.length > 0) return undefined;
      const inner = def.innerType === undefined ? undefined : compile(def.innerType);
      if (inner === undefined) return undefined;
      const accepted = def.type === 'optional' ? undefined : null;
      return (value) => (value === accepted ? value : inner(value));
    }
    case 'array': {
      if (def.checks !== undefined && def.checks.length > 0) return undefined;
      const element = def.element === undefined ? undefined : compile(def.element);
      if (element === undefined) return undefined;
      return (value) => {
        if (!Array.isArray(value)) return USE_ZOD;
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = element(value[i]);
          if (item === USE_ZOD) return USE_ZOD;
          out[i] = item;
        }
        return out;
      };
    }
    case 'record':
      return compileRecord(def);
    case 'object':
      return compileObject(def);
    default:
      return undefined;
  }
}

function compileString(def: ZodInternals['def']): FastParse | undefined {
  if (def.coerce === true || def.format !== undefined) return undefined;
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of def.checks ?? []) {
    const { check: kind, maximum, minimum } = check._zod.def;
    if (kind === 'max_length' && typeof maximum === 'number') max = Math.min(max, maximum);
    else if (kind === 'min_length' && typeof minimum === 'number') min = Math.max(min, minimum);
    else return undefined;
  }
  return (value) => (typeof value === 'string' && value.length >= min && value.length <= max ? value : USE_ZOD);
}

function compileRecord(def: ZodInternals['def']): FastParse | undefined {
  const key = def.keyType?._zod;
  // Only string keys with no rules of their own: every key of a JSON object passes them.
  if (key === undefined || key.def.type !== 'string' || key.values !== undefined || key.def.format !== undefined || key.def.coerce === true) return undefined;
  if ((key.def.checks?.length ?? 0) > 0 || (def.checks?.length ?? 0) > 0 || def.mode !== undefined) return undefined;
  const item = def.valueType === undefined ? undefined : compile(def.valueType);
  if (item === undefined) return undefined;
  return (value) => {
    if (!isJsonObject(value)) return USE_ZOD;
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value)) {
      // zod leaves `__proto__` out of a record (assigning it would set the prototype).
      if (name === '__proto__') continue;
      const parsed = item(value[name]);
      if (parsed === USE_ZOD) return USE_ZOD;
      out[name] = parsed;
    }
    return out;
  };
}

function compileObject(def: ZodInternals['def']): FastParse | undefined {
  // A catchall (strict or loose objects) and object-level checks are zod's.
  if (def.catchall !== undefined || (def.checks?.length ?? 0) > 0 || def.shape === undefined) return undefined;
  const fields: Array<{ key: string; optional: boolean; parse: FastParse }> = [];
  for (const key of Object.keys(def.shape)) {
    if (key === '__proto__') return undefined;
    const field = def.shape[key]!;
    const { optin, optout } = field._zod;
    // Required, or optional both ways (`optional`, `nullish`); defaults and the like are zod's.
    const optional = optin === 'optional' && optout === 'optional';
    if (!optional && (optin !== undefined || optout !== undefined)) return undefined;
    const parse = compile(field);
    if (parse === undefined) return undefined;
    fields.push({ key, optional, parse });
  }
  return (value) => {
    if (!isJsonObject(value)) return USE_ZOD;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const { key, optional, parse } = fields[i]!;
      // `in`, as zod tests presence; an absent optional key stays absent in the result.
      if (!(key in value)) {
        if (optional) continue;
        return USE_ZOD;
      }
      const parsed = parse(value[key]);
      if (parsed === USE_ZOD) return USE_ZOD;
      out[key] = parsed;
    }
    return out;
  };
}
