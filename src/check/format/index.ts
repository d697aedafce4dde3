import { renderGithubAnnotations } from './github-annotations.js';
import { renderCheckJson } from './json.js';
import type { CheckReport } from './render-context.js';
import { renderCheckSarif } from './sarif.js';
import { renderCheckText } from './text.js';

export type CheckFormat = 'text' | 'json' | 'sarif' | 'github';

/** The one list of `check` reports: each a pure function of the report, returning the text to write. */
export const CHECK_FORMATS: Record<CheckFormat, (report: CheckReport) => string> = {
  text: renderCheckText,
  json: renderCheckJson,
  sarif: renderCheckSarif,
  github: renderGithubAnnotations,
};

export const CHECK_FORMAT_NAMES = Object.keys(CHECK_FORMATS) as CheckFormat[];
