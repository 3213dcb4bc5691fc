/**
 * A case-blind "contains" pattern for ILIKE: the text with backslash, `%`
 * and `_` escaped (backslash is the default escape character), between two
 * `%`.
 * @module
 */

/** `%text%` with LIKE's special characters escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
