/**
 * What `DEFAULT_CONTEXT_TEMPLATE` renders to, written out by hand: the context JSON in
 * `<context>` tags, then the missing keys in their own tags when there are any (a blank list drops
 * that section, as the template's conditional section does). The runtime renders this message on
 * every turn; the compiled template's general machinery (a parameters object, a fill table, an
 * array of pieces) is most of that cost. The test checks it against the template itself.
 */
export function renderDefaultContextPrompt(contextJson: string, missingContextKeys: string): string {
  const context = `<context>\n${contextJson}\n</context>`;
  return missingContextKeys.trim().length > 0 ? `${context}\n<missing_context_keys>${missingContextKeys}</missing_context_keys>` : context;
}
