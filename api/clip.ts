/**
 * At most `max` UTF-16 units of `text`, never half of a surrogate pair (an emoji, a rare CJK character):
 * Postgres would store that half as U+FFFD in text, and refuses it in jsonb, where the audit keeps it.
 */
export function clip(text: string, max: number): string {
  const cut = text.slice(0, max);
  return cut.isWellFormed() ? cut : cut.slice(0, -1);
}
