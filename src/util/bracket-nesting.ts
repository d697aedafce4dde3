/**
 * The deepest `(`/`[`/`{` nesting of a source text and the first line where it is reached. Brackets inside strings
 * and comments are counted too: that can only over-count, harmless against any realistic limit, and it is what a
 * parser about to run out of stack cannot tell us itself.
 */
export function getBracketNesting(text: string): { depth: number; line: number } {
  let depth = 0;
  let max = 0;
  let line = 1;
  let maxLine = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10) line++;
    else if (char === 40 || char === 91 || char === 123) {
      if (++depth > max) {
        max = depth;
        maxLine = line;
      }
    } else if ((char === 41 || char === 93 || char === 125) && depth > 0) depth--;
  }
  return { depth: max, line: maxLine };
}
