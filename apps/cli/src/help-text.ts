/** The "Examples:" block under a command's help: each example's comment (if any), then `$ kit …`. */
export function examples(lines: ReadonlyArray<readonly [command: string, comment?: string]>): string {
  const body = lines.map(([command, comment]) => (comment === undefined ? `  $ ${command}` : `  # ${comment}\n  $ ${command}`));
  return `\nExamples:\n${body.join('\n')}\n`;
}

/** The help of `--store`, shared by every command that takes one. */
export const STORE_OPTION_HELP = 'where data lives: sqlite:<path>, memory, or a postgres:// URL (?schema=name picks a schema); $KIT_STORE sets the default';
