import type { LintRule } from '../lint-rule.js';
import { isRecord } from '../lint-rule.js';

/**
 * A state's input and output are limited to 256 KB (States.DataLimitExceeded, which a Catch cannot always
 * handle). An inline Map that keeps every iteration's result grows with the array; a Lambda Task that keeps the
 * whole invoke response (headers and metadata) next to its input grows the state at each step.
 */
export const payloadSize: LintRule = {
  id: 'payload-size',
  description: 'States whose payload is likely to exceed 256 KB',
  check: ({ states }) =>
    states.flatMap(({ path, state }) => {
      if (state.Type === 'Map') {
        const processor = isRecord(state.ItemProcessor) ? state.ItemProcessor : isRecord(state.Iterator) ? state.Iterator : {};
        const distributed = isRecord(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
        if (!distributed && state.ResultPath !== null && state.ResultWriter === undefined) {
          return [{ rule: 'payload-size', severity: 'info' as const, state: path, message: 'an inline Map keeps every iteration\'s result in the state: a large array can exceed 256 KB (drop the results with ResultPath null, trim them with a ResultSelector, or use a distributed Map with a ResultWriter)' }];
        }
      }
      if (state.Type === 'Task' && String(state.Resource).startsWith('arn:aws:states:::lambda:invoke') && state.ResultSelector === undefined && state.OutputPath === undefined && state.Output === undefined && typeof state.ResultPath === 'string' && state.ResultPath !== '$') {
        return [{ rule: 'payload-size', severity: 'info' as const, state: path, message: `keeps the whole Lambda response (metadata included) at ${state.ResultPath}: select the Payload with a ResultSelector` }];
      }
      return [];
    }),
};
