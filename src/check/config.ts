import path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { UsageError } from '../errors.js';
import { readSourceText } from '../read-source-text.js';
import type { DiagnosingRootReader } from '../root-reader.js';
import { compileSchema } from '../schema/schema-errors.js';
import type { CheckConfig, FailOn, RuleSetting } from '../types/check.js';
import { getConfigurableRuleIds } from './index.js';
import { describeSchemaProblems } from './schema-problems.js';
import { getStructuredFormat, parseStructuredText, type ValuePath } from './structured-text.js';

/** The files looked for in the analysed folder, in this order; the first found wins (package.json only with a `lambda2sfn` key). */
export const CONFIG_FILE_NAMES = ['lambda2sfn.config.json', 'lambda2sfn.config.yaml', 'lambda2sfn.config.yml', 'package.json'] as const;
const PACKAGE_KEY = 'lambda2sfn';
const SCHEMA_FILE = 'check-config.schema.json';

export const DEFAULT_CHECK_CONFIG: CheckConfig = {
  rules: {},
  thresholds: { maxChainDepth: 3 },
  baseline: 'lambda2sfn.baseline.json',
  ignore: [],
  failOn: 'error',
};

/** The configuration file's contents as the schema describes them (every field optional). */
type ConfigFile = Partial<Omit<CheckConfig, 'thresholds' | 'source'>> & { thresholds?: Partial<CheckConfig['thresholds']> };

/**
 * The configuration of `check`: `explicitFile` (`--config`, relative to the current folder) when given, else the
 * first of CONFIG_FILE_NAMES in the analysed folder, else the defaults. A file that does not parse or does not match
 * schema/check-config.schema.json is a UsageError that names each problem with its file and line.
 */
export function loadCheckConfig(reader: DiagnosingRootReader, explicitFile?: string): CheckConfig {
  if (explicitFile !== undefined) {
    const read = readSourceText(path.resolve(explicitFile), { file: explicitFile });
    if (!('text' in read)) throw new UsageError(`cannot read the configuration ${explicitFile}: ${read.diagnostic.message}`);
    return toConfig(parseConfigText(explicitFile, read.text, path.basename(explicitFile) === 'package.json', true) ?? {}, explicitFile);
  }
  for (const name of CONFIG_FILE_NAMES) {
    if (!reader.exists(name)) continue;
    const isPackage = name === 'package.json';
    const read = reader.read(name);
    if (!('text' in read)) {
      if (isPackage) continue;
      throw new UsageError(`cannot read the configuration ${name}: ${read.diagnostic.message}`);
    }
    // A package.json that does not parse is the analysis's business (it reports it); it configures nothing.
    const value = parseConfigText(name, read.text, isPackage, !isPackage);
    if (value !== undefined) return toConfig(value, name);
  }
  return { ...DEFAULT_CHECK_CONFIG };
}

/** The validated configuration in a file's text, or undefined for a package.json without the key (or unparsable, when not strict). */
function parseConfigText(file: string, text: string, isPackage: boolean, strict: boolean): ConfigFile | undefined {
  const parsed = parseStructuredText(text, getStructuredFormat(file));
  if ('error' in parsed) {
    if (!strict) return undefined;
    throw new UsageError(`${file}:${parsed.line}: the configuration is not valid ${getStructuredFormat(file) === 'json' ? 'JSON' : 'YAML'}: ${parsed.error}`, 'see docs/check.md#configuration');
  }
  const prefix: ValuePath = isPackage ? [PACKAGE_KEY] : [];
  const value = isPackage ? (parsed.value as Record<string, unknown> | null)?.[PACKAGE_KEY] : parsed.value;
  if (isPackage && value === undefined) {
    if (strict) throw new UsageError(`${file} has no "${PACKAGE_KEY}" key`, 'put the configuration under "lambda2sfn" in package.json, or in lambda2sfn.config.json');
    return undefined;
  }
  const validate = getValidator();
  if (validate(value)) return value;
  const problems = describeSchemaProblems(file, value, validate.errors ?? [], parsed.getLine, prefix);
  const unknownRule = (validate.errors ?? []).some((error) => error.keyword === 'additionalProperties' && error.instancePath === '/rules');
  throw new UsageError(
    problems.join('\n  '),
    unknownRule ? `the rule ids are: ${getConfigurableRuleIds().join(', ')}` : 'see docs/check.md#configuration and schema/check-config.schema.json',
  );
}

function toConfig(file: ConfigFile, source: string): CheckConfig {
  return {
    rules: { ...(file.rules as Record<string, RuleSetting> | undefined) },
    thresholds: { ...DEFAULT_CHECK_CONFIG.thresholds, ...file.thresholds },
    baseline: file.baseline ?? DEFAULT_CHECK_CONFIG.baseline,
    ignore: file.ignore ?? [],
    failOn: (file.failOn as FailOn | undefined) ?? DEFAULT_CHECK_CONFIG.failOn,
    source,
  };
}

let compiled: ValidateFunction<ConfigFile> | undefined;

function getValidator(): ValidateFunction<ConfigFile> {
  compiled ??= compileSchema<ConfigFile>(SCHEMA_FILE);
  return compiled;
}
