/** Shapes of credentials worth hiding wherever they appear in text. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI and Anthropic keys
  /\bhf_[A-Za-z0-9]{20,}/g, // HuggingFace tokens
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization header values
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
];

/** Field names whose values are credentials, whatever they look like. */
const SECRET_KEYS = /^(?:api[-_]?key|x-api-key|authorization|proxy-authorization|password|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|bearer|token|hf[-_]?token|cookie|set-cookie)$/i;

/** Environment variables that hold credentials; their values are hidden verbatim. */
const SECRET_ENV = /(?:API_KEY|TOKEN|SECRET|PASSWORD)$/;

/** What a hidden secret is replaced with. */
export const REDACTED = '[REDACTED]';

/** Options of {@link createRedactor}: what to hide beyond the built-in credential patterns. */
export interface RedactorOptions {
  /** Extra patterns to hide (global flag added when missing). */
  patterns?: readonly RegExp[];
  /** Extra literal secrets to hide. */
  secrets?: readonly string[];
  /** Take credential values from these environment variables too. Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * Makes a function that returns a deep copy of any value with credentials replaced by
 * `[REDACTED]`: values of credential-named fields, credential-shaped strings, and the literal
 * values of credential environment variables (so a key is hidden even in an unusual shape).
 */
export function createRedactor(options: RedactorOptions = {}): <T>(value: T) => T {
  const env = options.env ?? (typeof process === 'undefined' ? {} : process.env);
  const literals = [...(options.secrets ?? [])];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= 8 && SECRET_ENV.test(name)) literals.push(value);
  }
  const patterns = [
    ...SECRET_PATTERNS,
    ...(options.patterns ?? []).map((p) => (p.global ? p : new RegExp(p.source, `${p.flags}g`))),
  ];

  const redactString = (text: string): string => {
    let out = text;
    for (const secret of literals) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      if (pattern.test(out)) {
        pattern.lastIndex = 0;
        out = out.replace(pattern, (match, scheme: unknown) =>
          typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
        );
      }
    }
    return out;
  };

  const walk = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (value instanceof Error) {
      return { name: value.name, message: redactString(value.message) };
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, seen));
    if (typeof (value as Headers).forEach === 'function' && value instanceof Headers) {
      const out: Record<string, string> = {};
      value.forEach((v, k) => (out[k] = SECRET_KEYS.test(k) ? REDACTED : redactString(v)));
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEYS.test(key) && (typeof v === 'string' || Array.isArray(v)) ? REDACTED : walk(v, seen);
    }
    return out;
  };

  return <T>(value: T): T => walk(value, new WeakSet()) as T;
}

let defaultRedactor: (<T>(value: T) => T) | undefined;

/** Redacts with the default rules and the current process environment. */
export function redactSecrets<T>(value: T): T {
  defaultRedactor ??= createRedactor();
  return defaultRedactor(value);
}
