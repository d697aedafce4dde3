import type { Node } from 'ts-morph';
import { getAttributeValue, readProp, type LibraryContext } from './library-context.js';
import { getText, UNDEF, type CdkConstruct, type Value } from './values.js';

/**
 * SSM parameters the app writes (`new ssm.StringParameter(this, id, { parameterName, stringValue })`): code that
 * reads the parameter at run time is linked to what its value names. `valueForStringParameter` of a parameter the
 * app itself writes is that value.
 */
export function createParameter(ctx: LibraryContext, args: Value[], node: Node): Value {
  const [scope, id, props] = args;
  const c = ctx.newConstruct('parameter', 'aws_ssm.StringParameter', scope ?? UNDEF, id ?? UNDEF, node);
  const name = readProp(props, 'parameterName');
  const value = readProp(props, 'stringValue');
  ctx.model.parameters.push({ c, ...(name ? { name } : {}), ...(value ? { value } : {}) });
  if (!name) ctx.report('cdk-unresolved', 'info', `parameter ${c.id} has no parameterName: its generated name cannot be matched with the code that reads it`, node);
  if (value) c.fields.set('stringValue', value);
  return { t: 'construct', c };
}

/** `parameter.parameterName` and `parameter.parameterArn`: references the resolver follows to the parameter. */
export function getParameterProperty(c: CdkConstruct, name: string): Value | undefined {
  if (name === 'parameterName') return getAttributeValue(c, 'name', `${c.id}.parameterName`);
  if (name === 'parameterArn') return getAttributeValue(c, 'arn', `${c.id}.parameterArn`);
  return undefined;
}

/** `StringParameter.valueForStringParameter(this, '/app/queue-url')`: the value, when the app writes that parameter. */
export function readParameterValue(ctx: LibraryContext, name: Value | undefined): Value {
  const text = getText(name);
  const written = text === undefined ? undefined : ctx.model.parameters.find((record) => getText(record.name) === text);
  if (written?.value) return written.value;
  return { t: 'str', parts: [{ k: 'unknown', text: `ssm:${text ?? '?'}` }] };
}
