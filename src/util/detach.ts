/**
 * A string that does not share memory with the text it was cut from. V8 represents a slice
 * of 13 or more characters as a view of its parent, so a word or label kept in a long-lived
 * cache would keep its whole article alive; shorter slices are copies already.
 */
export function detached(s: string): string {
  return s.length >= 13 ? s.split('').join('') : s;
}
