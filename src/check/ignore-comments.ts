import type { DiscoveredFile } from '../types/discover.js';
import type { DiagnosingRootReader } from '../root-reader.js';

/**
 * One `lambda2sfn-ignore <rule>[, <rule>...] -- <reason>` comment. It covers its own line (a comment after the
 * code) or, written on a line of its own, the next line that is not a comment: the call site, the retry loop, the
 * queue's declaration. `//`, `/*` and `#` comments are read, so it works in code, YAML and Terraform alike.
 */
export interface IgnoreDirective {
  file: string;
  /** The line of the comment. */
  line: number;
  /** The line whose findings it suppresses. */
  target: number;
  /** Rule ids as written. */
  rules: string[];
  /** The text after ` -- `, trimmed; '' when there is none. */
  reason: string;
  /** The rule ids of this comment that suppressed a finding (filled while findings are matched). */
  used: Set<string>;
}

export const IGNORE_MARKER = 'lambda2sfn-ignore';

const DIRECTIVE = /(\/\/|\/\*|#)\s*lambda2sfn-ignore(?=\s|\*\/|$)(.*)$/;
const COMMENT_ONLY = /^\s*(\/\/|\/\*|\*|#)/;

/** The ignore comments of the given files, read through the analysed root's reader (never executed, never written). */
export function readIgnoreComments(files: readonly DiscoveredFile[], reader: DiagnosingRootReader): IgnoreDirective[] {
  const directives: IgnoreDirective[] = [];
  for (const { path: file } of files) {
    const text = reader.readText(file);
    if (text?.includes(IGNORE_MARKER)) directives.push(...parseIgnoreComments(file, text));
  }
  return directives;
}

/** The ignore comments of one file's text. */
export function parseIgnoreComments(file: string, text: string): IgnoreDirective[] {
  const lines = text.split(/\r?\n/);
  const directives: IgnoreDirective[] = [];
  lines.forEach((lineText, index) => {
    const match = DIRECTIVE.exec(lineText);
    if (!match) return;
    const body = match[2].replace(/\*\/.*$/, '');
    const separator = body.indexOf('--');
    const ruleText = separator < 0 ? body : body.slice(0, separator);
    const reason = separator < 0 ? '' : body.slice(separator + 2).trim();
    const ownLine = lineText.slice(0, match.index).trim() === '';
    let target = index + 1;
    if (ownLine) {
      target = index + 2;
      while (target <= lines.length && COMMENT_ONLY.test(lines[target - 1])) target++;
    }
    directives.push({ file, line: index + 1, target, rules: ruleText.split(/[\s,]+/).filter(Boolean), reason, used: new Set() });
  });
  return directives;
}
