import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/discover.js';
import { DEFAULT_LIMITS, type AnalysisLimits, type FileIacAnalyzer, type IacInput, type IacResult, type ProjectIacAnalyzer } from '../../src/types/analyzers.js';
import type { Diagnostic } from '../../src/types/diagnostics.js';
import { emptyInventory, type Inventory } from '../../src/types/inventory.js';
import { createFixtureRoot } from './fixture-root.js';

/**
 * One IaC fixture case: `fixtures/analyzers/<analyzer>/<case>/` holds the IaC file(s) and `expected.json`:
 * - `file`: the IaC file analysed, relative to the case folder (the analysed root);
 * - `matches`: false when the analyzer must not take the file (then nothing else is checked);
 * - `inventory`: the exact fragment (a missing list means an empty one);
 * - `diagnostics`: the exact list, compared on code, severity, file and line.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/iac` and review the diff: each file was checked by hand.
 */
export interface ExpectedCase {
  description: string;
  /** The analysed file (per-file analyzers); a project analyzer reads every discovered file it matches. */
  file: string;
  matches?: boolean;
  limits?: Partial<AnalysisLimits>;
  inventory?: Partial<Inventory>;
  diagnostics?: Pick<Diagnostic, 'code' | 'severity' | 'file' | 'line'>[];
}

const UPDATE = process.env.UPDATE_GOLDEN === '1';

export function getCaseFolders(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'expected.json')))
    .map((entry) => entry.name)
    .toSorted();
}

export function readExpected(caseFolder: string): ExpectedCase {
  return JSON.parse(readFileSync(join(caseFolder, 'expected.json'), 'utf8')) as ExpectedCase;
}

export function runCase(analyzer: FileIacAnalyzer, caseFolder: string, expected: ExpectedCase): IacResult {
  const text = readFileSync(join(caseFolder, expected.file), 'utf8');
  return analyzer.analyze({
    file: expected.file,
    text,
    root: createFixtureRoot(caseFolder),
    limits: { ...DEFAULT_LIMITS, ...expected.limits },
  });
}

/** The six lists, always present, as plain JSON (no undefined keys). */
export function toComparableInventory(inventory: Partial<Inventory>): Inventory {
  return JSON.parse(JSON.stringify({ ...emptyInventory(), ...inventory })) as Inventory;
}

export function toComparableDiagnostics(diagnostics: readonly Diagnostic[]): ExpectedCase['diagnostics'] {
  return diagnostics
    .map(({ code, severity, file, line }) => JSON.parse(JSON.stringify({ code, severity, file, line })) as Diagnostic)
    .toSorted((a, b) => `${a.file}:${String(a.line).padStart(6, '0')}:${a.code}`.localeCompare(`${b.file}:${String(b.line).padStart(6, '0')}:${b.code}`));
}

/** One test per case folder, comparing the analyzer's output with expected.json. */
export function describeFixtureCases(analyzer: FileIacAnalyzer, folder: string): void {
  describe(`${analyzer.id} fixtures`, () => {
    for (const name of getCaseFolders(folder)) {
      const caseFolder = join(folder, name);
      const expected = readExpected(caseFolder);
      it(`${name}: ${expected.description}`, () => {
        const text = readFileSync(join(caseFolder, expected.file), 'utf8');
        const matches = analyzer.matches(expected.file, text);
        if (UPDATE && expected.matches === false && !matches) return;
        expect(matches).toBe(expected.matches ?? true);
        if (!matches) return;
        const result = runCase(analyzer, caseFolder, expected);
        const inventory = toComparableInventory(result.inventory);
        const diagnostics = toComparableDiagnostics(result.diagnostics);
        if (UPDATE) {
          const { description, file, limits } = expected;
          const compact = Object.fromEntries(Object.entries(inventory).filter(([, list]) => (list as unknown[]).length > 0));
          const { matches: taken } = expected;
          const golden = { description, file, matches: taken, limits, inventory: compact, diagnostics };
          writeFileSync(join(caseFolder, 'expected.json'), `${JSON.stringify(golden, null, 2)}\n`);
          return;
        }
        expect(inventory).toEqual(toComparableInventory(expected.inventory ?? {}));
        expect(diagnostics).toEqual(expected.diagnostics ?? []);
        // Same input, byte-identical output.
        expect(JSON.stringify(runCase(analyzer, caseFolder, expected))).toBe(JSON.stringify(result));
      });
    }
  });
}

/** The inputs a project analyzer gets for a case folder: every discovered, non-test file it matches, as the pipeline hands them over. */
export async function getProjectInputs(analyzer: ProjectIacAnalyzer, caseFolder: string, limits: AnalysisLimits): Promise<IacInput[]> {
  const root = createFixtureRoot(caseFolder);
  const { files } = await discoverFiles(caseFolder, { limits });
  const inputs: IacInput[] = [];
  for (const file of files) {
    if (file.isTest || file.kind === 'config' || file.kind === 'other' || file.path === 'expected.json') continue;
    const text = root.readText(file.path);
    if (text !== undefined && analyzer.matches(file.path, text)) inputs.push({ file: file.path, text, root, limits });
  }
  return inputs;
}

export type ExpectedProjectCase = Omit<ExpectedCase, 'file' | 'matches'>;

/**
 * One test per case folder of a project analyzer (Terraform, CDK): the whole folder is its input. expected.json
 * holds `description`, `inventory` and `diagnostics` as for per-file cases.
 */
export function describeProjectFixtureCases(analyzer: ProjectIacAnalyzer, folder: string): void {
  describe(`${analyzer.id} fixtures`, () => {
    for (const name of getCaseFolders(folder)) {
      const caseFolder = join(folder, name);
      const expected = JSON.parse(readFileSync(join(caseFolder, 'expected.json'), 'utf8')) as ExpectedProjectCase;
      it(`${name}: ${expected.description}`, async () => {
        const limits = { ...DEFAULT_LIMITS, ...expected.limits };
        const run = async () => analyzer.analyzeProject(await getProjectInputs(analyzer, caseFolder, limits));
        const result = await run();
        const inventory = toComparableInventory(result.inventory);
        const diagnostics = toComparableDiagnostics(result.diagnostics);
        if (UPDATE) {
          const compact = Object.fromEntries(Object.entries(inventory).filter(([, list]) => (list as unknown[]).length > 0));
          const golden = { description: expected.description, limits: expected.limits, inventory: compact, diagnostics };
          writeFileSync(join(caseFolder, 'expected.json'), `${JSON.stringify(golden, null, 2)}\n`);
          return;
        }
        expect(inventory).toEqual(toComparableInventory(expected.inventory ?? {}));
        expect(diagnostics).toEqual(expected.diagnostics ?? []);
        // Same input, byte-identical output.
        expect(JSON.stringify(await run())).toBe(JSON.stringify(result));
      });
    }
  });
}
