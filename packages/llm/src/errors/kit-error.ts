/** The base of every error Kit throws on purpose; `code` is stable and safe to switch on. */
export class KitError extends Error {
  /** Stable machine-readable code, e.g. `provider/rate-limit` or `model/unknown`; switch on it, not `message`. */
  readonly code: string;

  /**
   * Builds an error whose `name` is the subclass's name.
   * @param code - The stable `code` to switch on.
   * @param message - The human-readable message.
   * @param options - `cause`: the underlying error, kept as the standard `Error.cause`.
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
