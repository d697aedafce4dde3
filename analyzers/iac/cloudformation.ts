import { posix } from 'node:path';
import { isSamTemplate, readTemplate } from '../../src/iac/cfn-template.js';
import { isJsonText, isPlainRecord, parseYaml } from '../../src/iac/cfn-yaml.js';
import { SourceMap } from '../../src/iac/source-map.js';
import type { FileIacAnalyzer, IacInput, IacResult } from '../../src/types/analyzers.js';

const TEMPLATE_FILE = /\.(ya?ml|json|template)$/;
const SERVERLESS_FILE = /(^|\/)serverless\.(ya?ml|json)$/;

export const cloudformation: FileIacAnalyzer = {
  id: 'cloudformation',
  description: 'AWS CloudFormation and SAM templates (YAML or JSON): functions, event sources, queues, topics, rules, state machines',
  matches: (file, text) => TEMPLATE_FILE.test(file) && !SERVERLESS_FILE.test(file) && looksLikeTemplate(text),
  analyze: (input) => {
    try {
      return analyzeTemplate(input);
    } catch (error) {
      return {
        inventory: {},
        diagnostics: [{ code: 'iac-internal-error', severity: 'error', message: `cloudformation: ${String(error)}`, file: input.file }],
      };
    }
  },
};

/**
 * Cheap text gate, before any parsing: a format version, the SAM transform, or a `Resources` section with
 * `Type: AWS::...` entries. YAML and JSON spellings both match. A `Resources` file using Serverless variables
 * (`${self:...}`, `${sls:stage}`) is a `resources: ${file(...)}` include of a serverless.yml, read there.
 */
export function looksLikeTemplate(text: string): boolean {
  if (/["']?AWSTemplateFormatVersion["']?\s*:/.test(text)) return true;
  if (text.includes('AWS::Serverless-2016-10-31')) return true;
  if (SERVERLESS_VARIABLE.test(text)) return false;
  return /(^|[\s{,])["']?Resources["']?\s*:/m.test(text) && /["']?Type["']?\s*:\s*["']?AWS::/.test(text);
}

const SERVERLESS_VARIABLE = /\$\{(self|sls|opt|env|param|cf|ssm|s3|aws):|\$\{file\(/;

function analyzeTemplate(input: IacInput): IacResult {
  const sourceMap = new SourceMap();
  const parsed = parseYaml(input.text, { file: input.file, limits: input.limits, sourceMap, json: isJsonText(input.file, input.text) });
  if (!parsed.ok) return { inventory: {}, diagnostics: parsed.diagnostics };
  if (!isPlainRecord(parsed.value)) {
    return {
      inventory: {},
      diagnostics: [
        ...parsed.diagnostics,
        { code: 'cfn-invalid-template', severity: 'warning', message: 'The template is not a mapping', file: input.file, line: sourceMap.getNode(parsed.value)?.line ?? 1 },
      ],
    };
  }
  const dir = posix.dirname(input.file);
  const result = readTemplate(parsed.value, {
    file: input.file,
    format: isSamTemplate(parsed.value) ? 'sam' : 'cloudformation',
    // Only disambiguates logical ids across templates: the folder, or the file name for a template at the root.
    scope: dir === '.' ? input.file : dir,
    dir,
    sourceMap,
  });
  return { inventory: result.inventory, diagnostics: [...parsed.diagnostics, ...result.diagnostics] };
}
