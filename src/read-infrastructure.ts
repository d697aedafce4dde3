import { IAC_ANALYZERS } from '../analyzers/index.js';
import type { DiscoveredFile } from './types/discover.js';
import type { AnalysisLimits, IacInput, IacResult, ProjectIacAnalyzer, RootReader } from './types/analyzers.js';
import type { Diagnostic } from './types/diagnostics.js';
import type { InventoryFragment } from './inventory.js';
import type { DiagnosingRootReader } from './root-reader.js';

export interface InfrastructureResult {
  fragments: InventoryFragment[];
  diagnostics: Diagnostic[];
}

/**
 * Hand every IaC file (and every code file, for CDK) to the analyzers that recognise it. A file another file
 * includes (`resources: ${file(./queues.yml)}`) is read as part of its includer only, not again on its own.
 * `codeTexts`, when given, holds the code files already read that an analyzer matches (see `isIacCandidate`):
 * the other code files are then not read again.
 */
export async function readInfrastructure(
  files: readonly DiscoveredFile[],
  reader: DiagnosingRootReader,
  limits: AnalysisLimits,
  codeTexts?: ReadonlyMap<string, string>,
): Promise<InfrastructureResult> {
  const results: { file: string; result: IacResult }[] = [];
  const readProblems: Diagnostic[] = [];
  const included = new Set<string>();
  const projectInputs = new Map<ProjectIacAnalyzer, IacInput[]>();
  for (const file of files) {
    if (file.isTest || (file.kind !== 'iac' && !(file.kind === 'code' && mayBeIac(file.path)))) continue;
    let text: string;
    if (file.kind === 'code' && codeTexts) {
      // Code files were read (and reported) by the code stage; only those an IaC analyzer may match are kept for us.
      const cached = codeTexts.get(file.path);
      if (cached === undefined) continue;
      text = cached;
    } else {
      const read = reader.read(file.path);
      if (!('text' in read)) {
        // Code files are read again (and reported) by the code stage; an IaC file is only ever read here.
        if (file.kind === 'iac') readProblems.push(read.diagnostic);
        continue;
      }
      text = read.text;
      if (read.notice && file.kind === 'iac') readProblems.push(read.notice);
    }
    for (const analyzer of IAC_ANALYZERS) {
      if (!analyzer.matches(file.path, text)) continue;
      if ('analyzeProject' in analyzer) {
        projectInputs.set(analyzer, [...(projectInputs.get(analyzer) ?? []), { file: file.path, text, root: reader, limits }]);
        continue;
      }
      const recording = recordReads(reader, file.path, included);
      results.push({ file: file.path, result: analyzer.analyze({ file: file.path, text, root: recording, limits }) });
    }
  }
  for (const [analyzer, inputs] of projectInputs) {
    results.push({ file: inputs[0].file, result: await analyzer.analyzeProject(inputs) });
  }
  const fragments: InventoryFragment[] = [];
  const diagnostics: Diagnostic[] = [...readProblems];
  for (const { file, result } of results) {
    diagnostics.push(...result.diagnostics);
    if (!included.has(file)) fragments.push({ file, inventory: result.inventory });
  }
  return { fragments, diagnostics };
}

/** A reader that notes which other files an analyzer reads while it reads `file`. */
function recordReads(reader: RootReader, file: string, included: Set<string>): RootReader {
  return {
    readText(relativePath) {
      const text = reader.readText(relativePath);
      if (text !== undefined && relativePath !== file) included.add(relativePath.replace(/^\.\//, ''));
      return text;
    },
    exists: (relativePath) => reader.exists(relativePath),
  };
}

/** Whether an IaC analyzer reads this code file (`serverless.ts`, a CDK app), judged on its path and text. */
export function isIacCandidate(file: string, text: string): boolean {
  return mayBeIac(file) && IAC_ANALYZERS.some((analyzer) => analyzer.matches(file, text));
}

/** Code files that can hold infrastructure: CDK apps; each analyzer's `matches` decides. */
function mayBeIac(file: string): boolean {
  return /\.(ts|js|mts|mjs|cts|cjs)$/.test(file);
}
