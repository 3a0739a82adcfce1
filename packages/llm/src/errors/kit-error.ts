/** The base of every error Kit throws on purpose; `code` is stable and safe to switch on. */
export class KitError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
