/** The character standing for "any text" in names we only partly know (a value from the event, a parameter). */
export const WILD = '\u0000';

/**
 * Named unknowns (`${AWS::StackName}`, `${aws:accountId}`) are unknown but the same on both sides of a match:
 * each distinct text gets one character of Unicode's private use area. Against literal text a named unknown
 * stands for any text; against another named unknown only for itself.
 */
const NAMED_BASE = 0xe000;
const namedTokens = new Map<string, string>();
const namedTexts: string[] = [];

export function toNamedToken(text: string): string {
  let token = namedTokens.get(text);
  if (token === undefined) {
    token = String.fromCharCode(NAMED_BASE + (namedTexts.length % 6400));
    namedTokens.set(text, token);
    namedTexts.push(text);
  }
  return token;
}

function isNamed(char: string): boolean {
  const code = char.charCodeAt(0);
  return code >= NAMED_BASE && code < NAMED_BASE + 6400;
}

/** Text without unknown parts (`WILD`, named unknowns): it can match plain text only by being equal to it. */
export function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0 || (code >= NAMED_BASE && code < NAMED_BASE + 6400)) return false;
  }
  return true;
}

/**
 * Whether two partly known strings can be the same string. `WILD` matches any run of characters (none too);
 * a named unknown matches any run of literal characters, or the same named unknown.
 */
export function canMatch(a: string, b: string): boolean {
  if (isPlain(a) && isPlain(b)) return a === b;
  const memo = new Map<number, boolean>();
  const width = b.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result = false;
    const ca = a[i];
    const cb = b[j];
    if (i === a.length && j === b.length) result = true;
    else if (ca === WILD) result = visit(i + 1, j) || (j < b.length && visit(i, j + 1));
    else if (cb === WILD) result = visit(i, j + 1) || (i < a.length && visit(i + 1, j));
    else if (ca !== undefined && cb !== undefined && isNamed(ca) && isNamed(cb)) result = ca === cb && visit(i + 1, j + 1);
    else if (ca !== undefined && isNamed(ca)) result = visit(i + 1, j) || (j < b.length && visit(i, j + 1));
    else if (cb !== undefined && isNamed(cb)) result = visit(i, j + 1) || (i < a.length && visit(i + 1, j));
    else if (ca !== undefined && ca === cb) result = visit(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return visit(0, 0);
}

/** For messages: `orders-dev-*`, `${AWS::StackName}-charge`. */
export function showPattern(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === WILD) out += '*';
    else if (isNamed(char)) out += namedTexts[char.charCodeAt(0) - NAMED_BASE] ?? '*';
    else out += char;
  }
  return out;
}
