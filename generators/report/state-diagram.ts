import type { CatchRule, RetryRule, Step, WorkflowPlan } from '../../src/types/plan.js';
import type { FlowCluster, FlowDiagram, FlowEdge, FlowNode } from './flow-diagram.js';

const START = '(start)';
const END = '(end)';

/** A way out of the steps drawn so far, waiting for the next state: the node, and the edge's label. */
interface Exit {
  from: string;
  label?: string;
  dashed?: boolean;
}

/**
 * The workflow of a plan as a diagram: one node per state, edges in the order the steps run, Choice branches
 * labelled with the code's condition, Catch paths dashed and labelled with the errors, Map iterations and Parallel
 * branches as clusters. Catch steps that do not end in Succeed or Fail end their workflow or branch.
 */
export function buildStateDiagram(workflow: WorkflowPlan): FlowDiagram {
  const nodes: FlowNode[] = [{ id: START, label: ['Start'], shape: 'start' }];
  const edges: FlowEdge[] = [];
  const clusters: FlowCluster[] = [];
  let clusterCount = 0;

  const connect = (exits: readonly Exit[], to: string) => {
    for (const exit of exits) edges.push({ from: exit.from, to, ...(exit.label === undefined ? {} : { label: exit.label }), ...(exit.dashed ? { dashed: true } : {}) });
  };
  const newCluster = (label: string, parent: FlowCluster | undefined): FlowCluster => {
    const cluster: FlowCluster = { id: `${++clusterCount}`, label, clusters: [] };
    (parent ? parent.clusters : clusters).push(cluster);
    return cluster;
  };

  /** Draws steps in sequence from `incoming`; returns the exits that go on to what follows, and adds to `ends` those that end the scope. */
  const drawSteps = (steps: readonly Step[], incoming: Exit[], cluster: FlowCluster | undefined, ends: Exit[]): Exit[] => {
    let exits = incoming;
    for (const step of steps) {
      nodes.push({ id: step.name, label: getLabel(step), shape: step.type, ...(cluster ? { cluster: cluster.id } : {}) });
      connect(exits, step.name);
      exits = drawStep(step, cluster, ends);
    }
    return exits;
  };

  const drawCatches = (step: Step & { catch: CatchRule[] }, cluster: FlowCluster | undefined, ends: Exit[]) => {
    for (const rule of step.catch) {
      const from: Exit = { from: step.name, label: `catch ${rule.errorEquals.join(', ')}`, dashed: true };
      ends.push(...drawSteps(rule.steps, [from], cluster, ends));
    }
  };

  const drawStep = (step: Step, cluster: FlowCluster | undefined, ends: Exit[]): Exit[] => {
    switch (step.type) {
      case 'succeed':
      case 'fail':
        return [];
      case 'choice': {
        const exits: Exit[] = [];
        for (const branch of step.branches) exits.push(...drawSteps(branch.steps, [{ from: step.name, label: branch.sourceText }], cluster, ends));
        exits.push(...drawSteps(step.otherwise, [{ from: step.name, label: 'otherwise' }], cluster, ends));
        return exits;
      }
      case 'map': {
        const iteration = newCluster(`${step.name}: each item${step.maxConcurrency ? `, ${step.maxConcurrency} at a time` : ''}`, cluster);
        const exits = drawSteps(step.steps, [{ from: step.name, label: 'each item' }], iteration, ends);
        drawCatches(step, cluster, ends);
        return step.steps.length === 0 ? [{ from: step.name }] : exits;
      }
      case 'parallel': {
        const exits = step.branches.flatMap((branch) => drawSteps(branch.steps, [{ from: step.name }], newCluster(branch.label, cluster), ends));
        drawCatches(step, cluster, ends);
        return exits;
      }
      case 'task':
      case 'service':
        drawCatches(step, cluster, ends);
        return [{ from: step.name }];
      default:
        return [{ from: step.name }];
    }
  };

  const ends: Exit[] = [];
  const exits = drawSteps(workflow.model.steps, [{ from: START }], undefined, ends);
  const last = [...exits, ...ends];
  if (last.length > 0) {
    nodes.push({ id: END, label: ['End'], shape: 'end' });
    connect(last, END);
  }
  return { nodes, edges, clusters };
}

function getLabel(step: Step): string[] {
  const lines = [step.name];
  switch (step.type) {
    case 'task':
      lines.push(`λ ${step.function}${step.part ? ` · ${step.part}` : ''}`);
      lines.push(...getRetryLines(step.retry));
      break;
    case 'service':
      lines.push(`${step.service}:${step.action}${step.integration === 'sync' ? '.sync' : step.integration === 'wait-for-task-token' ? '.waitForTaskToken' : ''}`);
      lines.push(...getRetryLines(step.retry));
      break;
    case 'map':
      lines.push(step.mode === 'distributed' ? 'Distributed Map' : `Map over ${step.itemsPath ?? 'the input'}`);
      if (step.toleratedFailurePercentage !== undefined) lines.push(`tolerates ${step.toleratedFailurePercentage}% failures`);
      break;
    case 'parallel':
      lines.push(`Parallel, ${step.branches.length} branches`);
      break;
    case 'choice':
      break;
    case 'wait':
      lines.push(`wait ${step.seconds} s`);
      break;
    case 'succeed':
      lines.push('Succeed');
      break;
    case 'fail':
      lines.push(`Fail${step.error ? `: ${step.error}` : ''}`);
      break;
    case 'pass':
      lines.push('Pass');
      break;
  }
  return lines;
}

/** The retries that come from the code (the Lambda service-exception rule on every Task goes unsaid). */
function getRetryLines(rules: readonly RetryRule[]): string[] {
  return rules
    .filter((rule) => rule.maxAttempts > 0 && !rule.errorEquals.every((error) => error.startsWith('Lambda.')))
    .map((rule) => `retry ×${rule.maxAttempts} on ${rule.errorEquals.join(', ')}`);
}
