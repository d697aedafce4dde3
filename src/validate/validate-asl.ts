import { createRequire } from 'node:module';
import { getLanguageService } from 'amazon-states-language-service';
import { TextDocument } from 'vscode-languageserver-textdocument';
import jsonata from 'jsonata';

const require = createRequire(import.meta.url);
/** asl-validator is CommonJS; its default export checks a definition (and fills in fields: pass it a copy). */
const aslValidator = require('asl-validator') as (definition: unknown, options: { checkArn: boolean; checkPaths: boolean }) => { isValid: boolean; errorsText: (separator?: string) => string };

/** JSONata's own functions and those Step Functions adds; any other `$name(...)` is unknown. */
const JSONATA_FUNCTIONS = new Set(
  [
    'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad',
    'formatNumber formatBase formatInteger parseInteger number abs floor ceil round power sqrt random millis toMillis',
    'fromMillis now boolean not exists keys lookup spread merge sift each error assert type sort reverse shuffle distinct',
    'zip append filter map reduce single join split contains match replace base64encode base64decode encodeUrlComponent',
    'encodeUrl decodeUrlComponent decodeUrl eval clone',
    // Step Functions' additions.
    'partition range hash uuid parse',
  ].join(' ').split(' '),
);

export interface AslValidation {
  valid: boolean;
  /** Each problem with where it is (`States.X.Output`) and which check found it. */
  errors: string[];
}

/**
 * Checks an ASL definition three ways: asl-validator with ARN and path checks (on a copy, as it changes its input),
 * the AWS ASL language service (unknown fields, graph errors), and for JSONata every expression parsed, with
 * `$states.result` allowed only in Output and Assign, `$states.errorOutput` only in a Catch, and no variable or
 * function that is not defined.
 */
export async function validateAsl(definition: unknown): Promise<AslValidation> {
  const errors: string[] = [];
  const copy = structuredClone(definition);
  const result = aslValidator(copy, { checkArn: true, checkPaths: true });
  if (!result.isValid) errors.push(...result.errorsText('\n').split('\n').filter((line) => line.trim() !== '').map((line) => `asl-validator: ${line}`));
  errors.push(...(await getLanguageServiceErrors(definition)));
  if (isObject(definition) && definition.QueryLanguage === 'JSONata') errors.push(...getJsonataErrors(definition));
  return { valid: errors.length === 0, errors };
}

let service: ReturnType<typeof getLanguageService> | undefined;

async function getLanguageServiceErrors(definition: unknown): Promise<string[]> {
  service ??= getLanguageService({});
  const document = TextDocument.create('file:///definition.asl.json', 'json', 1, JSON.stringify(definition, null, 2));
  const diagnostics = await service.doValidation(document, service.parseJSONDocument(document));
  // Severity 1 is an error; warnings (unreachable states and the like) are for the lint.
  return diagnostics.filter((diagnostic) => diagnostic.severity === 1).map((diagnostic) => `language service: line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
}

/** Where an expression sits decides what it may read. */
interface ExpressionSite {
  where: string;
  /** `Output`/`Assign` of a state that produces a result. */
  mayReadResult: boolean;
  /** `Output`/`Assign` of a Catch. */
  mayReadError: boolean;
}

function getJsonataErrors(definition: Record<string, unknown>): string[] {
  const errors: string[] = [];
  forEachState(definition, (name, state) => {
    const producesResult = state.Type === 'Task' || state.Type === 'Map' || state.Type === 'Parallel';
    for (const [field, value] of Object.entries(state)) {
      if (field === 'ItemProcessor' || field === 'Branches') continue;
      if (field === 'Catch' && Array.isArray(value)) {
        value.forEach((rule, index) => {
          for (const [key, item] of Object.entries(isObject(rule) ? rule : {})) {
            const isOutput = key === 'Output' || key === 'Assign';
            forEachExpression(item, `States.${name}.Catch[${index}].${key}`, (text, where) => errors.push(...checkExpression(text, { where, mayReadResult: false, mayReadError: isOutput })));
          }
        });
        continue;
      }
      const isOutput = field === 'Output' || field === 'Assign';
      forEachExpression(value, `States.${name}.${field}`, (text, where) => errors.push(...checkExpression(text, { where, mayReadResult: isOutput && producesResult, mayReadError: false })));
    }
  });
  return errors;
}

function checkExpression(text: string, site: ExpressionSite): string[] {
  let ast: unknown;
  try {
    ast = jsonata(text).ast();
  } catch (error) {
    return [`jsonata: ${site.where}: cannot parse {% ${text} %}: ${(error as Error).message}`];
  }
  const errors: string[] = [];
  const bound = new Set<string>(['states']);
  collectBindings(ast, bound);
  walk(ast, (node, parent) => {
    if (node.type === 'variable') {
      const name = String(node.value);
      const isCall = isObject(parent) && parent.procedure === node;
      if (isCall) {
        if (!JSONATA_FUNCTIONS.has(name) && !bound.has(name)) errors.push(`jsonata: ${site.where}: unknown function $${name}`);
      } else if (!bound.has(name) && name !== '') {
        errors.push(`jsonata: ${site.where}: undefined variable $${name}`);
      }
    }
    if (node.type === 'path' && Array.isArray(node.steps)) {
      const [first, second] = node.steps as Record<string, unknown>[];
      if (first?.type === 'variable' && first.value === 'states' && second?.type === 'name') {
        if (second.value === 'result' && !site.mayReadResult) errors.push(`jsonata: ${site.where}: $states.result is only available in Output and Assign`);
        if (second.value === 'errorOutput' && !site.mayReadError) errors.push(`jsonata: ${site.where}: $states.errorOutput is only available in a Catch's Output and Assign`);
        if (!['input', 'result', 'errorOutput', 'context'].includes(String(second.value))) errors.push(`jsonata: ${site.where}: unknown $states.${String(second.value)}`);
      }
    }
  });
  return errors;
}

/** Names bound inside the expression itself: `$x := ...` and lambda parameters. */
function collectBindings(ast: unknown, bound: Set<string>): void {
  walk(ast, (node) => {
    if (node.type === 'bind' && isObject(node.lhs) && node.lhs.type === 'variable') bound.add(String(node.lhs.value));
    if (node.type === 'lambda' && Array.isArray(node.arguments)) for (const argument of node.arguments) if (isObject(argument)) bound.add(String(argument.value));
  });
}

function walk(node: unknown, visit: (node: Record<string, unknown>, parent: unknown) => void, parent?: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, parent);
    return;
  }
  if (!isObject(node)) return;
  visit(node, parent);
  for (const value of Object.values(node)) walk(value, visit, node);
}

/** Every `{% ... %}` string in a field value, with where it is. */
function forEachExpression(value: unknown, where: string, visit: (text: string, where: string) => void): void {
  if (typeof value === 'string') {
    const match = /^\{%([\s\S]*)%\}$/.exec(value.trim());
    if (match) visit(match[1]!.trim(), where);
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => forEachExpression(item, `${where}[${index}]`, visit));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) forEachExpression(item, `${where}.${key}`, visit);
}

/** Every state of a definition, nested ones (Map iterations, Parallel branches) included. */
export function forEachState(definition: Record<string, unknown>, visit: (name: string, state: Record<string, unknown>) => void): void {
  const states = definition.States;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    visit(name, state);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isObject(processor)) forEachState(processor, visit);
    if (Array.isArray(state.Branches)) for (const branch of state.Branches) if (isObject(branch)) forEachState(branch, visit);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
