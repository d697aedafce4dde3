import { describe, expect, it } from 'vitest';
import { renderMarkdown, escapeText } from '../generators/report/to-markdown.js';
import { renderHtml } from '../generators/report/to-html.js';
import { collectRisks } from '../generators/report/risks.js';
import { buildStateDiagram } from '../generators/report/state-diagram.js';
import { Anchors, code } from '../generators/report/document.js';
import type { Graph } from '../src/types/graph.js';
import { GRAPH_SCHEMA_VERSION } from '../src/types/graph.js';
import type { Plan, RetryRule, Step, WorkflowPlan } from '../src/types/plan.js';
import { buildSamplePlan } from './helpers/sample-plan.js';

function task(name: string, fn: string, retry: RetryRule[] = []): Step {
  return { type: 'task', name, comment: '', evidence: [{ file: 'src/a.ts', line: 3, text: 'await go()' }], function: fn, input: { kind: 'path', path: '$' }, result: { resultPath: '$' }, retry, catch: [] };
}

function workflow(steps: Step[], type: WorkflowPlan['type'] = 'STANDARD'): WorkflowPlan {
  return { name: 'flow', logicalId: 'Flow', chain: { entry: 'a', triggers: [], functions: ['a', 'b'], nodes: ['a', 'b'] }, type, queryLanguage: 'JSONPath', decisions: [], functions: [], resources: [], model: { comment: '', steps }, findings: [] };
}

const graph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [{ id: 'a', kind: 'function' }, { id: 'b', kind: 'function' }, { id: 'Q', kind: 'queue' }],
  edges: [
    { from: 'a', to: 'b', kind: 'invoke-sync', file: 'src/a.ts', line: 3 },
    { from: 'b', to: 'Q', kind: 'sqs', file: 'src/b.ts', line: 9, annotations: { payload: { encoding: 'json', fields: [], file: 'src/b.ts', line: 8, minBytes: 300_000, property: 'MessageBody', text: 'JSON.stringify(big)' } } },
  ],
  chains: [{ entry: 'a', triggers: ['http'], nodes: ['a', 'b', 'Q'], functions: ['a', 'b'], depth: 1, syncInvokes: 1, hasCycle: false }],
  cycles: [],
  unresolved: [],
  unreached: [],
  diagnostics: [],
};

const plan = (steps: Step[], type?: WorkflowPlan['type']): Plan => ({ schemaVersion: 1, toolVersion: '0', sourceRoot: '.', workflows: [workflow(steps, type)], skipped: [] });

describe('risks', () => {
  it('estimates when an inline Map exceeds the history of a Standard execution', () => {
    const map: Step = { type: 'map', name: 'EachItem', comment: '', evidence: [], mode: 'inline', itemsPath: '$.items', steps: [task('B', 'b')], result: { resultPath: null }, retry: [], catch: [] };
    const steps: Step[] = [task('A', 'a'), map, { type: 'succeed', name: 'Done', comment: '', evidence: [] }];
    // Without items: 2 (execution) + 5 (Task A) + 4 (Map) + 2 (Succeed) = 13 events; each item 2 + 5 (Task B) = 7.
    // (25,000 − 13) / 7 = 3,569.57 → about 3,569 items.
    const risk = collectRisks({ title: 't', graph, plan: plan(steps) }).find((item) => item.code === 'history-limit');
    expect(risk?.message).toContain('about 7 history events per item: beyond about 3,569 items');
    // Express has no such history.
    expect(collectRisks({ title: 't', graph, plan: plan(steps, 'EXPRESS') }).some((item) => item.code === 'history-limit')).toBe(false);
  });

  it('flags a function retried now and not before, with the calls it still makes', () => {
    const retry: RetryRule = { errorEquals: ['States.ALL'], intervalSeconds: 1, maxAttempts: 2, backoffRate: 2, comment: '', evidence: [] };
    const risks = collectRisks({ title: 't', graph, plan: plan([task('A', 'a'), task('B', 'b', [retry])]) });
    const risk = risks.find((item) => item.code === 'idempotency');
    expect(risk).toMatchObject({ severity: 'warning', chain: 'a' });
    expect(risk!.message).toContain('b is now retried (B: States.ALL up to 2 more times) and was not before; it still calls Q (sqs)');
    // A rule that replaces a retry the code had (it cites it) is not new.
    const cited = { ...retry, evidence: [{ file: 'src/a.ts', line: 2, text: 'for (let i = 0; i < 3; i++) {' }] };
    expect(collectRisks({ title: 't', graph, plan: plan([task('B', 'b', [cited])]) }).some((item) => item.code === 'idempotency')).toBe(false);
  });

  it('flags payloads over 256 KB and workflows worth splitting, errors first', () => {
    const passes: Step[] = Array.from({ length: 41 }, (_, index) => ({ type: 'pass', name: `P${index}`, comment: '', evidence: [], result: { resultPath: null } }));
    const risks = collectRisks({ title: 't', graph, plan: plan(passes) });
    expect(risks.map((risk) => risk.code)).toEqual(['payload-size', 'large-workflow']);
    expect(risks[0]!.message).toContain('at least 293 KB');
  });
});

describe('state diagram', () => {
  it('draws the sample workflow: Catch paths dashed, Choice branches labelled, every state once', () => {
    const diagram = buildStateDiagram(buildSamplePlan().workflows[0]!);
    const names = diagram.nodes.map((node) => node.id);
    expect(new Set(names).size).toBe(names.length);
    expect(diagram.edges).toContainEqual({ from: 'ValidatePayment', to: 'PlaceOrderOnValidatePaymentError', label: 'catch States.ALL', dashed: true });
    expect(diagram.edges).toContainEqual({ from: 'NeedsFraudCheck', to: 'FraudCheck', label: 'order.total > FRAUD_REVIEW_THRESHOLD' });
    // The compensation path ends the workflow; the Fail after the dead-letter step ends it too, with no edge out.
    expect(diagram.edges).toContainEqual({ from: 'PlaceOrderAfterReleaseInventory', to: '(end)' });
    expect(diagram.edges.some((edge) => edge.from === 'FulfillOrderFailed')).toBe(false);
  });
});

describe('Markdown and HTML rendering', () => {
  it('escapes text so it renders as written, in tables too', () => {
    expect(escapeText('a|b *c* <d> & [e] _f_ `g`')).toBe('a\\|b \\*c\\* \\<d\\> &amp; \\[e\\] \\_f\\_ \\`g\\`');
    const markdown = renderMarkdown([{ kind: 'table', head: ['x'], rows: [[[code('a | `b`')]]] }]);
    expect(markdown).toBe('| x |\n|---|\n| `` a \\| `b` `` |\n');
  });

  it('gives stable, unique anchors', () => {
    const anchors = new Anchors();
    expect([anchors.get('chain', 'placeOrder'), anchors.get('chain', 'place order'), anchors.get('chain', 'placeOrder')]).toEqual(['chain-placeorder', 'chain-place-order', 'chain-placeorder']);
    expect(anchors.get('chain', 'PlaceOrder')).toBe('chain-placeorder-2');
  });

  it('escapes HTML and forbids every fetch', () => {
    const html = renderHtml('<t>', [{ kind: 'paragraph', content: ['<script>alert(1)</script>'] }], () => '<svg></svg>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });
});
