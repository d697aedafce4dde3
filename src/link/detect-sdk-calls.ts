import type { RequestReader, SdkDetector, SdkOperationSpec } from '../types/analyzers.js';
import type { EdgeKind, SdkCallInfo } from '../types/graph.js';
import type { CallRecord, ObjProp } from '../types/summary.js';
import type { Env, Evaluator, Val } from './evaluate.js';

/** An SDK call found in the code, its target still a symbolic value. */
export interface SdkCallMatch {
  detector: string;
  sdk: SdkCallInfo;
  kind: EdgeKind;
  /** The target value (function name, queue URL, topic ARN...), or undefined when the request leaves it out. */
  target?: Val;
  /** How the target is written at the call site. */
  targetText: string;
  /** The target used when the request leaves it out (the default event bus). */
  defaultTarget?: string;
  payloadText?: string;
  /** The request object, evaluated (for the payload annotation). */
  request?: Val;
  /** The operation's payload property (`Payload`, `MessageBody`, `Entries[].Detail`). */
  payloadProperty?: string;
}

interface ClientInfo {
  detector: SdkDetector;
  sdkVersion: 'v2' | 'v3' | 'unknown';
}

/**
 * Recognises SDK calls among a file's recorded calls: `client.send(new XCommand(request))` (v3) and
 * `client.method(request)` (v2 and the v3 aggregated client). The client is identified by its class when it can
 * be traced (also through instrumentation wrappers such as `captureAWSv3Client(client)`); a client we cannot trace
 * (imported from a package outside the repository, injected) is accepted when the command class or the request's
 * shape says which operation it is.
 */
export class SdkCallDetector {
  private readonly byCommand = new Map<string, [SdkDetector, SdkOperationSpec]>();
  private readonly byMethod = new Map<string, [SdkDetector, SdkOperationSpec][]>();

  constructor(
    private readonly detectors: readonly SdkDetector[],
    private readonly evaluator: Evaluator,
  ) {
    for (const detector of detectors) {
      for (const op of detector.operations) {
        this.byCommand.set(op.command, [detector, op]);
        const list = this.byMethod.get(op.method) ?? [];
        list.push([detector, op]);
        this.byMethod.set(op.method, list);
      }
    }
  }

  /** The SDK calls a call record makes in `env` (several when the command or client has alternatives). */
  detect(call: CallRecord, env: Env): SdkCallMatch[] {
    const callee = call.callee;
    if (callee.k !== 'get') return [];
    if (callee.prop === 'send' && call.args.length > 0) return this.detectCommand(call, env);
    const candidates = this.byMethod.get(callee.prop);
    if (!candidates || call.args.length === 0) return [];
    const clients = this.getClients(this.evaluator.evaluate(callee.obj, env));
    const request = this.evaluator.evaluate(call.args[0], env);
    const matches: SdkCallMatch[] = [];
    for (const [detector, op] of candidates) {
      const client = clients.find((c) => c.detector === detector);
      // An untraceable client counts only when the request has the operation's shape.
      if (!client && (clients.length > 0 || !this.hasTargetShape(request, op))) continue;
      const match = this.toMatch(detector, op, client?.sdkVersion ?? 'unknown', request, call.argText[0]);
      if (match) matches.push(match);
    }
    return matches;
  }

  /**
   * `client.send(command)` where the command is a parameter of the enclosing function: a wrapper that sends what
   * its callers build. The parameter, so that the callers can be followed.
   */
  getCommandParam(call: CallRecord, env: Env): (Val & { s: { k: 'param' } }) | undefined {
    if (call.callee.k !== 'get' || call.callee.prop !== 'send' || call.args.length === 0) return undefined;
    const command = this.evaluator.evaluate(call.args[0], env);
    return command.s.k === 'param' ? (command as Val & { s: { k: 'param' } }) : undefined;
  }

  private detectCommand(call: CallRecord, env: Env): SdkCallMatch[] {
    const matches: SdkCallMatch[] = [];
    for (const command of this.evaluator.alternatives(this.evaluator.evaluate(call.args[0], env))) {
      if (command.s.k !== 'new') continue;
      const ctor = this.evaluator.evaluate(command.s.callee, command.env);
      if (ctor.s.k !== 'import') continue;
      const found = this.byCommand.get(ctor.s.name);
      if (!found) continue;
      const [detector, op] = found;
      // IoT's PublishCommand is not SNS's: a command from another AWS SDK package belongs to another service.
      if (ctor.s.source.startsWith('@aws-sdk/client-') && !detector.v3Packages.includes(ctor.s.source)) continue;
      const request = command.s.args[0] ? this.evaluator.evaluate(command.s.args[0], command.env) : undefined;
      const version = ctor.s.source.startsWith('aws-sdk') ? 'unknown' : 'v3';
      const match = this.toMatch(detector, op, version, request, undefined);
      if (match) matches.push(match);
    }
    return matches;
  }

  private toMatch(
    detector: SdkDetector,
    op: SdkOperationSpec,
    sdkVersion: 'v2' | 'v3' | 'unknown',
    request: Val | undefined,
    requestText: string | undefined,
  ): SdkCallMatch | undefined {
    const reader = this.getReader(request);
    const kind = typeof op.edgeKind === 'function' ? op.edgeKind(reader) : op.edgeKind;
    if (kind === null) return undefined;
    const target = request ? this.readTarget(request, op.target) : undefined;
    const payload = op.payload && !op.payload.includes('[].') && request ? this.findProp(request, op.payload) : undefined;
    return {
      detector: detector.id,
      sdk: { service: detector.service, operation: op.method, sdkVersion },
      kind,
      target: target?.val,
      targetText: target?.text ?? (request ? `${requestText ?? 'request'}.${op.target}` : op.target),
      ...(op.defaultTarget ? { defaultTarget: op.defaultTarget } : {}),
      ...(payload?.t ? { payloadText: payload.t } : {}),
      ...(request ? { request } : {}),
      ...(op.payload ? { payloadProperty: op.payload } : {}),
    };
  }

  /** `FunctionName`, or `Entries[].EventBusName` (the first entry's). */
  private readTarget(request: Val, path: string): { val: Val; text: string } | undefined {
    const [head, rest] = path.split('[].');
    if (rest === undefined) {
      const prop = this.findProp(request, head);
      const val = this.evaluator.getProperty(request, head, 0);
      if (val.s.k === 'nil') return undefined;
      return { val, text: prop?.t ?? head };
    }
    const list = this.evaluator.getProperty(request, head, 0);
    if (list.s.k !== 'arr' || list.s.items.length === 0) return undefined;
    const first = this.evaluator.evaluate(list.s.items[0], list.env);
    const prop = this.findProp(first, rest);
    const val = this.evaluator.getProperty(first, rest, 0);
    if (val.s.k === 'nil') return undefined;
    return { val, text: prop?.t ?? rest };
  }

  private findProp(obj: Val, key: string): ObjProp | undefined {
    if (obj.s.k !== 'obj') return undefined;
    for (let i = obj.s.props.length - 1; i >= 0; i--) if (obj.s.props[i].key === key) return obj.s.props[i];
    return undefined;
  }

  private hasTargetShape(request: Val, op: SdkOperationSpec): boolean {
    const head = op.target.split('[].')[0];
    for (const alt of this.evaluator.alternatives(request)) {
      if (alt.s.k === 'obj' && alt.s.props.some((p) => p.key === head)) return true;
    }
    return false;
  }

  private getReader(request: Val | undefined): RequestReader {
    const evaluator = this.evaluator;
    return {
      getString(property) {
        if (!request) return undefined;
        // One string whichever value the property takes (a wrapper's parameter with a default, bound to the caller's argument).
        const strings = new Set(evaluator.alternatives(evaluator.getProperty(request, property, 0)).map(toLiteralString));
        const [only] = strings;
        return strings.size === 1 ? only : undefined;
      },
      has(property) {
        return Boolean(request && evaluator.getProperty(request, property, 0).s.k !== 'nil');
      },
    };
  }

  /** Which service clients a value may be: `new LambdaClient()`, `new AWS.Lambda()`, a wrapped client. */
  getClients(value: Val, depth = 0): ClientInfo[] {
    if (depth > 6) return [];
    const out: ClientInfo[] = [];
    for (const alt of this.evaluator.alternatives(value)) {
      const s = alt.s;
      if (s.k === 'new') {
        const ctor = this.evaluator.evaluate(s.callee, alt.env);
        const info = this.getClientClass(ctor);
        if (info) out.push(info);
      } else if (s.k === 'call' && s.args.length > 0) {
        // Instrumentation wrappers return the client they are given: `captureAWSv3Client(new LambdaClient())`.
        out.push(...this.getClients(this.evaluator.evaluate(s.args[0], alt.env), depth + 1));
      }
    }
    return out;
  }

  private getClientClass(ctor: Val): ClientInfo | undefined {
    let s = ctor.s;
    // `new (AWSXRay.captureAWS(require('aws-sdk'))).Lambda()`: the wrapper hands back the SDK module.
    if (s.k === 'get' && s.obj.k === 'call' && s.obj.args.length > 0) {
      const wrapped = this.evaluator.evaluate(s.obj.args[0], ctor.env);
      const inner = this.evaluator.getProperty(wrapped, s.prop, 0);
      s = inner.s;
    }
    if (s.k !== 'import') return undefined;
    const source = s.source;
    const sdkVersion = source.startsWith('@aws-sdk/') ? 'v3' : source.startsWith('aws-sdk') ? 'v2' : 'unknown';
    for (const detector of this.detectors) {
      if (detector.clients.includes(s.name)) return { detector, sdkVersion };
      if (s.name === 'default' && detector.clientModules.includes(source)) return { detector, sdkVersion };
    }
    return undefined;
  }
}

function toLiteralString(value: Val): string | undefined {
  if (value.s.k === 'str') return value.s.v;
  // SDK enums (`InvocationType.Event`) hold their own key as value.
  if (value.s.k === 'get' && value.s.obj.k === 'import' && value.s.obj.source.startsWith('@aws-sdk/')) return value.s.prop;
  return undefined;
}
