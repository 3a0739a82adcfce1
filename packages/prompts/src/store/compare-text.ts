/** Code-unit order of two strings: the same in every backend, unlike database collations. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
