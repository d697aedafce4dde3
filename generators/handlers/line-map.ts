import { diffLines } from 'diff';

/**
 * Lines of the text a transformation produced, mapped to the lines of the original file, so that what the report
 * and the markers cite is always a line of the file the developer has. A line a transformation added maps to the
 * original line before it.
 */
export function mapLines(before: string, after: string, beforeToOriginal: readonly number[]): number[] {
  const result: number[] = [0];
  let oldLine = 1;
  for (const change of diffLines(before, after, { ignoreWhitespace: true })) {
    const count = change.count ?? 0;
    if (change.removed) {
      oldLine += count;
      continue;
    }
    for (let i = 0; i < count; i++) {
      result.push(beforeToOriginal[change.added ? Math.max(1, oldLine - 1) : oldLine + i] ?? oldLine);
    }
    if (!change.added) oldLine += count;
  }
  return result;
}

/** The identity map of a text's lines (index = line number, 1-based). */
export function identityLines(text: string): number[] {
  return Array.from({ length: text.split('\n').length + 1 }, (_value, index) => index);
}
