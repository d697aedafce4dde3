import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { SimulationResult } from '../types/report.js';
import { toSimulationResults } from './format-results.js';
import type { ScenarioResult } from './types.js';

/**
 * The results of `lambda2sfn simulate --format json` saved to a file, read back for the report
 * (`lambda2sfn report --simulation FILE`). Only the fields the report shows are checked: the traces stay unread.
 */
export function readSimulationResults(file: string): SimulationResult[] {
  const shown = path.relative(process.cwd(), file) || file;
  const hint = 'save the output of `lambda2sfn simulate --plan FILE --format json` and pass that file';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not JSON (${error.message})` : (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot read the simulation results ${shown}: ${reason}`, hint);
  }
  if (!Array.isArray(parsed)) throw new UsageError(`${shown} is not a list of simulation results`, hint);
  parsed.forEach((entry, index) => {
    if (!isScenarioResult(entry)) throw new UsageError(`${shown}: entry ${index + 1} is not a simulation result (workflow, scenario.name, verdict)`, hint);
  });
  return toSimulationResults(parsed as ScenarioResult[]);
}

function isScenarioResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<ScenarioResult>;
  return (
    typeof entry.workflow === 'string' &&
    typeof entry.scenario?.name === 'string' &&
    (entry.verdict === 'same' || entry.verdict === 'different') &&
    (entry.difference === undefined || (typeof entry.difference === 'object' && entry.difference !== null && typeof entry.difference.summary === 'string' && typeof entry.difference.expected === 'string' && typeof entry.difference.got === 'string'))
  );
}
