import type { Node } from 'ts-morph';
import type { RuleRecord } from './app-model.js';
import { toScheduleExpression } from './cdk-enums.js';
import { getAttributeValue, readProp, type LibraryContext } from './library-context.js';
import { getBoolean, getShortName, UNDEF, type CdkConstruct, type ConstructKind, type Value } from './values.js';

/** EventBridge rule targets (`aws-events-targets`) and Scheduler targets, by class: the kind of construct they start. */
const TARGET_KINDS: Record<string, ConstructKind> = {
  LambdaFunction: 'function',
  SqsQueue: 'queue',
  SnsTopic: 'topic',
  SfnStateMachine: 'stateMachine',
  EventBus: 'bus',
  LambdaInvoke: 'function',
  SqsSendMessage: 'queue',
  SnsPublish: 'topic',
  StepFunctionsStartExecution: 'stateMachine',
};

/** `new events.Rule(this, id, { schedule, eventPattern, eventBus, targets })`. */
export function createRule(ctx: LibraryContext, args: Value[], node: Node, self?: CdkConstruct): Value {
  const [scope, id, props] = args;
  const c = self ?? ctx.newConstruct('rule', 'aws_events.Rule', scope ?? UNDEF, id ?? UNDEF, node);
  c.kind = 'rule';
  const schedule = readProp(props, 'schedule');
  const record = ctx.model.addRule({
    c,
    ...optional('schedule', toScheduleExpression(schedule)),
    ...optional('pattern', readProp(props, 'eventPattern')),
    ...optional('bus', toBusName(readProp(props, 'eventBus'))),
    ...optional('enabled', getBoolean(readProp(props, 'enabled'))),
    targets: [],
  });
  if (schedule && record.schedule === undefined) ctx.report('cdk-unresolved', 'info', `the schedule of rule ${c.id} is not known statically`, node);
  const targets = readProp(props, 'targets');
  if (targets?.t === 'arr') for (const target of targets.items) addRuleTarget(ctx, record, target, node);
  return { t: 'construct', c };
}

/** `rule.addTarget(new targets.LambdaFunction(fn))`, and the `targets` prop. */
export function addRuleTarget(ctx: LibraryContext, rule: RuleRecord, target: Value | undefined, node: Node): void {
  const to = getTargetConstruct(ctx, target, node);
  if (to) rule.targets.push({ to, location: ctx.toLocation(node) });
}

/** `rule.addEventPattern({...})`: the rule listens for events (merged patterns are shown as the last one written). */
export function addEventPattern(rule: RuleRecord, pattern: Value | undefined): void {
  if (pattern) rule.pattern = pattern;
}

/**
 * EventBridge Scheduler: `new scheduler.Schedule(this, id, { schedule: ScheduleExpression.rate(...), target })`,
 * a schedule node of its own, like a rule with a schedule only.
 */
export function createSchedule(ctx: LibraryContext, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('rule', 'aws_scheduler.Schedule', scope ?? UNDEF, id ?? UNDEF, node);
  const record = ctx.model.addRule({ c, ...optional('schedule', toScheduleExpression(readProp(props, 'schedule'))), targets: [] });
  if (record.schedule === undefined) record.schedule = 'unknown';
  addRuleTarget(ctx, record, readProp(props, 'target'), node);
  return { t: 'construct', c };
}

function getTargetConstruct(ctx: LibraryContext, target: Value | undefined, node: Node): CdkConstruct | undefined {
  if (target?.t !== 'inst') {
    ctx.report('cdk-unresolved', 'info', 'a rule target is not one the analyzer knows', node);
    return undefined;
  }
  const kind = TARGET_KINDS[getShortName(target.name).split('.').pop() ?? ''];
  if (!kind) return undefined; // API destinations, ECS tasks, log groups...: nothing of ours runs
  const c = target.args[0]?.t === 'construct' ? target.args[0].c : undefined;
  if (c && c.kind === kind && ctx.model.isEntity(c)) return c;
  ctx.report('cdk-unresolved', 'info', `a rule target is not a ${kind} declared in the app`, node);
  return undefined;
}

/** The bus a rule listens on, as a reference to its name (a bus of the app, or an imported one's known name). */
function toBusName(bus: Value | undefined): Value | undefined {
  return bus?.t === 'construct' ? getAttributeValue(bus.c, 'name') : bus;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
