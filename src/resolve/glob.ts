/** The character standing for "any text" in names we only partly know. */
export const WILD = '\u0000';

/**
 * Whether two partly known strings can be the same string. Each is literal text where `WILD` stands for any run
 * of characters (including none): `orders-dev-*` and `*-dev-charge` can meet, `orders-*` and `billing-*` cannot.
 */
export function canMatch(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result = false;
    if (i === a.length && j === b.length) result = true;
    else if (i < a.length && a[i] === WILD) result = visit(i + 1, j) || (j < b.length && visit(i, j + 1));
    else if (j < b.length && b[j] === WILD) result = visit(i, j + 1) || (i < a.length && visit(i + 1, j));
    else if (i < a.length && j < b.length && a[i] === b[j]) result = visit(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return visit(0, 0);
}

/** For messages: `orders-dev-*`. */
export function showPattern(text: string): string {
  return text.split(WILD).join('*');
}
