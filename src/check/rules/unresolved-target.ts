import type { UnresolvedTarget } from '../../types/graph.js';
import type { CheckRule } from '../check-rule.js';

/**
 * A call whose target the analysis could not bind to a function, queue, topic, bus or state machine: one finding per
 * call and function, with every reason (`a ?? b` can fail to resolve both ways).
 */
export const unresolvedTarget: CheckRule = {
  id: 'unresolved-target',
  defaultSeverity: 'warning',
  description: 'An invoke, send, publish or start whose target cannot be resolved statically to a resource of the repository.',
  rationale: 'Nobody reading the code or the infrastructure can tell where the call goes; the chain it belongs to is invisible to reviews and to this check.',
  fix: "Name the target through the function's environment in the IaC (process.env.X set to the resource) or a constant, instead of building it at run time.",
  check: ({ graph }) => {
    const calls = new Map<string, UnresolvedTarget[]>();
    for (const call of graph.unresolved) {
      const id = JSON.stringify([call.from ?? '', call.file, call.line, call.kind, call.target]);
      calls.set(id, [...(calls.get(id) ?? []), call]);
    }
    return [...calls.values()].map((group) => {
      const [call] = group;
      const at = { file: call.file, line: call.line };
      const reasons = [...new Set(group.map((each) => each.reason))].join('; ');
      return {
        message: `${call.from ? `${call.from}: ` : ''}the target of this ${call.sdk ? `${call.sdk.service} ${call.sdk.operation}` : call.kind} call cannot be resolved: ${call.target} (${reasons})`,
        location: at,
        ...(call.from ? { function: call.from } : {}),
        key: [call.kind, call.target],
        evidence: [at],
      };
    });
  },
};
