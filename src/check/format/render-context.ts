import path from 'node:path';
import type { CheckConfig, CheckResult } from '../../types/check.js';

/** What every report of `check` needs besides the result. */
export interface CheckReport {
  result: CheckResult;
  config: CheckConfig;
  /** `--fail-on`, else the configuration's `failOn`. */
  failOn: CheckConfig['failOn'];
  failed: boolean;
  /** lambda2sfn's version (SARIF's tool.driver.version). */
  version: string;
  /**
   * The analysed folder as seen from the current folder (`services/orders`), '' when they are the same or the folder
   * is elsewhere: text, SARIF and workflow annotations show paths from where the command ran, as CI checks out the
   * repository there; the JSON keeps them relative to the analysed folder, as the Graph does.
   */
  pathPrefix: string;
}

/** A path relative to the analysed folder, as shown to the user (see CheckReport.pathPrefix). */
export function toShownPath(report: Pick<CheckReport, 'pathPrefix'>, file: string): string {
  if (report.pathPrefix === '') return file;
  return file === '.' ? report.pathPrefix : path.posix.join(report.pathPrefix, file);
}

/** The prefix for an analysed folder: its path from the current folder when it is inside it, else ''. */
export function getPathPrefix(root: string, cwd: string): string {
  const relative = path.relative(cwd, root);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return '';
  return relative.split(path.sep).join('/');
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
