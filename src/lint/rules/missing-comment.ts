import type { LintRule } from '../lint-rule.js';

const DOCUMENTED_TYPES = new Set(['Task', 'Map', 'Parallel', 'Choice']);

/** States that do work or decide should say why they exist; a Comment citing the source makes review possible. */
export const missingComment: LintRule = {
  id: 'missing-comment',
  description: 'Task, Map, Parallel and Choice states without a Comment',
  check: ({ states }) =>
    states
      .filter(({ state }) => DOCUMENTED_TYPES.has(String(state.Type)) && (typeof state.Comment !== 'string' || state.Comment.trim() === ''))
      .map(({ path, state }) => ({ rule: 'missing-comment', severity: 'info' as const, state: path, message: `${String(state.Type)} state without a Comment: say what it does and where it comes from` })),
};
