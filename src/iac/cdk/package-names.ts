/**
 * Canonical names of package symbols, so that every import style of the same CDK class compares equal:
 * `import { Function } from 'aws-cdk-lib/aws-lambda'`, `import * as cdk from 'aws-cdk-lib'; cdk.aws_lambda.Function`,
 * `import { aws_lambda as lambda } from 'aws-cdk-lib'`, CDK v1's `@aws-cdk/aws-lambda` all give `aws_lambda.Function`.
 */

const NODE_BUILTINS = new Set(['path', 'url', 'fs', 'process', 'os']);

/** The canonical prefix of a module specifier: `aws_lambda`, `core`, `path`, `solutions`, or `pkg:<specifier>`. */
export function getModulePrefix(specifier: string): string {
  const builtin = specifier.replace(/^node:/, '').replace(/\/promises$/, '');
  if (NODE_BUILTINS.has(builtin)) return builtin;
  if (specifier === 'aws-cdk-lib' || specifier === 'aws-cdk-lib/core' || specifier === '@aws-cdk/core' || specifier === 'monocdk') return 'cdk';
  if (specifier === 'constructs') return 'constructs';
  const v2 = /^aws-cdk-lib\/(.+)$/.exec(specifier);
  if (v2) return toServicePrefix(v2[1]);
  const v1 = /^@aws-cdk\/(.+)$/.exec(specifier);
  if (v1) return toServicePrefix(v1[1]);
  if (specifier.startsWith('@aws-solutions-constructs/')) return 'solutions';
  return `pkg:${specifier}`;
}

/** `aws-lambda-nodejs` → `aws_lambda_nodejs`; experimental modules drop `-alpha`. */
function toServicePrefix(module: string): string {
  return module.replace(/-alpha$/, '').replace(/-/g, '_');
}

/**
 * A member of a module, canonical: `cdk` + `aws_lambda` → `aws_lambda`; `cdk` + `Duration` → `core.Duration`;
 * `aws_lambda` + `Function` → `aws_lambda.Function`.
 */
export function getMemberName(base: string, member: string): string {
  if (base === 'cdk') return member.startsWith('aws_') ? member : `core.${member}`;
  return `${base}.${member}`;
}

/** Whether a canonical name belongs to the AWS CDK (v1 or v2), as opposed to a third-party package. */
export function isCdkName(name: string): boolean {
  return name.startsWith('aws_') || name.startsWith('core.') || name === 'cdk' || name.startsWith('constructs');
}

export function isThirdPartyName(name: string): boolean {
  return name.startsWith('pkg:');
}

/** Whether a specifier is a package of the AWS CDK ecosystem whose source is never in the analysed folder. */
export function isPackageSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/');
}
