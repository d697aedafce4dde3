import type { Graph, GraphNode, NodeKind } from '../types/graph.js';
import type { FunctionDef, IacValue, Inventory, RefAttribute } from '../types/inventory.js';

/** The made-up account and region of a simulation: every ARN and URL the handlers see uses them. */
export const SIMULATED_REGION = 'us-east-1';
export const SIMULATED_ACCOUNT = '000000000000';

/**
 * The resources of the analysed app as the handlers see them during a simulation: each function, queue, topic, bus
 * and state machine of the Graph gets a deployed name, an ARN and (queues) a URL, and a name, ARN or URL found in a
 * call is bound back to its node. Environment variables of the IaC that refer to resources (`!Ref OrdersQueue`)
 * evaluate to these values, so a call made with them reaches the right node.
 */
export class SimulatedResources {
  private readonly nodes: GraphNode[];

  constructor(graph: Graph) {
    this.nodes = graph.nodes.filter((node) => node.kind !== 'schedule' && node.kind !== 'external');
  }

  getNode(id: string): GraphNode | undefined {
    return this.nodes.find((node) => node.id === id);
  }

  /** The deployed name: the IaC's, with unknown parts (`*`) standing as `x`, else the logical id. */
  getName(id: string): string {
    const name = this.getNode(id)?.name;
    return name && name !== '*' ? name.replace(/\*/g, 'x') : id;
  }

  getArn(id: string): string {
    const node = this.getNode(id);
    const name = this.getName(id);
    const prefix = `${SIMULATED_REGION}:${SIMULATED_ACCOUNT}`;
    switch (node?.kind) {
      case 'function':
        return `arn:aws:lambda:${prefix}:function:${name}`;
      case 'queue':
        return `arn:aws:sqs:${prefix}:${name}`;
      case 'topic':
        return `arn:aws:sns:${prefix}:${name}`;
      case 'bus':
        return `arn:aws:events:${prefix}:event-bus/${name}`;
      case 'state-machine':
        return `arn:aws:states:${prefix}:stateMachine:${name}`;
      default:
        return `arn:aws:simulated:${prefix}:${name}`;
    }
  }

  getQueueUrl(id: string): string {
    return `https://sqs.${SIMULATED_REGION}.amazonaws.com/${SIMULATED_ACCOUNT}/${this.getName(id)}`;
  }

  /** What a `!Ref`/`!GetAtt` of a resource gives. Resources that are not nodes (tables, buckets) give their logical id. */
  getAttribute(id: string, attribute: RefAttribute): string {
    const node = this.getNode(id);
    if (!node) return id;
    if (attribute === 'arn') return this.getArn(id);
    if (attribute === 'url' || (attribute === 'id' && node.kind === 'queue')) return node.kind === 'queue' ? this.getQueueUrl(id) : this.getArn(id);
    if (attribute === 'id' && node.kind === 'topic') return this.getArn(id);
    // `!Ref` of a queue is its URL and of a topic its ARN; serverless analyzers record those as `url`/`arn` already.
    return this.getName(id);
  }

  evaluate(value: IacValue): string {
    switch (value.kind) {
      case 'literal':
        return value.value;
      case 'ref':
        return this.getAttribute(value.target, value.attribute);
      case 'join':
        return value.parts.map((part) => this.evaluate(part)).join('');
      case 'unknown':
        return `unknown-${value.text.replace(/[^\w-]/g, '')}`;
    }
  }

  /** The node a name, ARN or URL used in a call stands for, among nodes of `kind`. */
  findNode(kind: NodeKind, reference: string | undefined): GraphNode | undefined {
    if (reference === undefined) return undefined;
    const name = toResourceName(kind, reference);
    const candidates = this.nodes.filter((node) => node.kind === kind);
    return (
      candidates.find((node) => this.getName(node.id) === name || node.id === name) ??
      candidates.find((node) => node.name !== undefined && node.name.includes('*') && globToRegExp(node.name).test(name))
    );
  }
}

/** The resource's name inside an ARN, a queue URL or a `name:qualifier`. */
function toResourceName(kind: NodeKind, reference: string): string {
  if (kind === 'queue' && /^https?:\/\//.test(reference)) return reference.replace(/\/+$/, '').split('/').pop() ?? reference;
  if (reference.startsWith('arn:')) {
    const parts = reference.split(':');
    if (kind === 'function') return parts[6] ?? reference;
    if (kind === 'state-machine') return parts[6] ?? reference;
    if (kind === 'bus') return (parts[5] ?? reference).replace(/^event-bus\//, '');
    return parts[5] ?? reference;
  }
  if (kind === 'function') return reference.split(':')[0] ?? reference;
  return reference;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * The environment a function runs with: what the Lambda runtime sets, then the IaC's variables, evaluated. No
 * credentials: nothing may reach AWS.
 */
export function getFunctionEnvironment(fn: FunctionDef | undefined, id: string, resources: SimulatedResources): Record<string, string> {
  const node = resources.getNode(id);
  const env: Record<string, string> = {
    AWS_REGION: SIMULATED_REGION,
    AWS_DEFAULT_REGION: SIMULATED_REGION,
    AWS_LAMBDA_FUNCTION_NAME: resources.getName(id),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(node?.memorySize ?? 128),
    AWS_EXECUTION_ENV: `AWS_Lambda_${node?.runtime ?? 'nodejs22.x'}`,
    LAMBDA2SFN_SIMULATION: '1',
    TZ: 'UTC',
  };
  for (const [key, value] of Object.entries(fn?.environment ?? {})) env[key] = resources.evaluate(value);
  return env;
}

export function getFunctionDef(inventory: Inventory, id: string): FunctionDef | undefined {
  return inventory.functions.find((fn) => fn.id === id) ?? inventory.functions.find((fn) => `${fn.scope}/${fn.id}` === id);
}
