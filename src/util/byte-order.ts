/**
 * Compares two strings by their UTF-8 bytes (the same as code point order), so that sorted output does not
 * depend on the locale or on UTF-16 quirks: `localeCompare` varies between machines, and plain `<` puts
 * astral characters (surrogate pairs) before U+E000–U+FFFF.
 */
export function compareByteOrder(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return toCodePointRank(x) - toCodePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates stand for code points above U+FFFF: rank them after every other UTF-16 unit. */
function toCodePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}
