import { Document, Scalar, isScalar, isSeq, visit, type Node } from 'yaml';
import type { WorkflowPlan } from '../../src/types/plan.js';
import type { Attribute, Expr, Part } from './expressions.js';
import { compact, getResourceType } from './expressions.js';

/**
 * CloudFormation values for the three formats that compile to a CloudFormation template: SAM, plain CloudFormation
 * and the Serverless Framework. Values are built in the long form (`{ 'Fn::GetAtt': [X, Arn] }`); SAM and
 * CloudFormation YAML is then written with the short tags (`!GetAtt X.Arn`), Serverless keeps the long form, which
 * the step functions plugin requires.
 */
export type CfnFlavor = 'sam' | 'cloudformation' | 'serverless';

/** Which `Ref` or `Fn::GetAtt` gives an attribute, by resource type. `Ref` where it gives the value directly. */
const ATTRIBUTE_ACCESS: Record<ReturnType<typeof getResourceType>, Record<Attribute, string>> = {
  function: { arn: 'Arn', name: 'Ref', url: 'Arn' },
  queue: { arn: 'Arn', name: 'QueueName', url: 'Ref' },
  topic: { arn: 'Ref', name: 'TopicName', url: 'Ref' },
  bus: { arn: 'Arn', name: 'Ref', url: 'Arn' },
  'state-machine': { arn: 'Ref', name: 'Name', url: 'Ref' },
};

type RefPart = Extract<Part, { ref: unknown }>;

function getLogicalId(part: RefPart): string {
  return part.ref.how === 'workflow' ? part.ref.workflow.logicalId : part.ref.logicalId;
}

function toIntrinsic(part: RefPart): unknown {
  const access = ATTRIBUTE_ACCESS[getResourceType(part.ref.resource)][part.attribute];
  return access === 'Ref' ? { Ref: getLogicalId(part) } : { 'Fn::GetAtt': [getLogicalId(part), access] };
}

/** The explicit name of a generated state machine: unique per stack (CloudFormation) or per service and stage. */
export function getStateMachineNameText(workflow: WorkflowPlan, flavor: CfnFlavor): string {
  return flavor === 'serverless' ? `\${self:service}-\${sls:stage}-${workflow.name}` : `\${AWS::StackName}-${workflow.name}`;
}

/** A parameter as the flavor writes it: a template parameter, or a Serverless `${param:...}` variable. */
function parameterText(name: string, flavor: CfnFlavor): string {
  return flavor === 'serverless' ? `\${param:${name}}` : `\${${name}}`;
}

function toSubText(part: Part, flavor: CfnFlavor): string {
  if (typeof part === 'string') return part.replace(/\$\{/g, '${!');
  if ('pseudo' in part) return { partition: '${AWS::Partition}', region: '${AWS::Region}', account: '${AWS::AccountId}', urlSuffix: '${AWS::URLSuffix}' }[part.pseudo];
  if ('parameter' in part) return parameterText(part.parameter, flavor);
  if ('stateMachineName' in part) return getStateMachineNameText(part.stateMachineName, flavor);
  const access = ATTRIBUTE_ACCESS[getResourceType(part.ref.resource)][part.attribute];
  return access === 'Ref' ? `\${${getLogicalId(part)}}` : `\${${getLogicalId(part)}.${access}}`;
}

/** Whether a part needs CloudFormation to resolve it (a Serverless variable does not: the framework resolves it first). */
function needsCloudFormation(part: Part, flavor: CfnFlavor): boolean {
  if (typeof part === 'string') return false;
  if ('parameter' in part) return flavor !== 'serverless';
  if ('stateMachineName' in part) return flavor !== 'serverless';
  return true;
}

/** An expression as a CloudFormation value: a string, a `Ref`/`Fn::GetAtt`, or an `Fn::Sub`. */
export function toCfnValue(expr: Expr, flavor: CfnFlavor): unknown {
  const parts = compact(expr);
  if (parts.length === 1) {
    const only = parts[0]!;
    if (typeof only === 'object' && 'ref' in only) return toIntrinsic(only);
    if (typeof only === 'object' && 'parameter' in only && flavor !== 'serverless') return { Ref: only.parameter };
  }
  if (!parts.some((part) => needsCloudFormation(part, flavor))) {
    return parts.map((part) => (typeof part === 'string' ? part : toSubText(part, flavor))).join('');
  }
  return { 'Fn::Sub': parts.map((part) => toSubText(part, flavor)).join('') };
}

/** Every parameter an expression (or a whole value made of them) uses. */
export function collectParameters(expr: Expr, into: Set<string>): void {
  for (const part of expr) if (typeof part === 'object' && 'parameter' in part) into.add(part.parameter);
}

// --- YAML ---------------------------------------------------------------------------------------------------

const SHORT_FORM = new Set(['Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::If', 'Fn::Equals', 'Fn::ImportValue', 'Fn::ToJsonString']);

/**
 * A template as YAML. With `shortTags`, one-key intrinsic objects become tags (`!Ref X`, `!GetAtt X.Arn`,
 * `!Sub '...'`). Written as YAML 1.1 so that strings such as `yes` or `on` are quoted for CloudFormation's reader.
 */
export function toCfnYaml(value: unknown, options: { shortTags: boolean; header: string[] }): string {
  const document = new Document(value, { version: '1.1', aliasDuplicateObjects: false });
  if (options.shortTags) {
    visit(document, {
      Map(_, node) {
        if (node.items.length !== 1) return undefined;
        const pair = node.items[0]!;
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!SHORT_FORM.has(key)) return undefined;
        const inner = pair.value as Node;
        if (key === 'Fn::GetAtt' && isSeq(inner) && inner.items.every(isScalar)) {
          const scalar = new Scalar(inner.items.map((item) => String((item as Scalar).value)).join('.'));
          scalar.tag = '!GetAtt';
          return scalar;
        }
        inner.tag = key === 'Ref' ? '!Ref' : `!${key.slice('Fn::'.length)}`;
        return inner;
      },
    });
  }
  const header = options.header.map((line) => `# ${line}`.trimEnd()).join('\n');
  return `${header}\n${document.toString({ lineWidth: 0 })}`;
}
