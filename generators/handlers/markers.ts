import type { Problem } from './types.js';

/** The marker a kept handler carries at each place that stopped its refactoring (docs/handlers.md). */
export function formatMarker(problem: Problem): string {
  return `// lambda2sfn: kept — ${problem.reason} (${problem.file}:${problem.line}). ${problem.hint}`;
}

/** The original text with a marker comment above each problem's line, indented as that line. */
export function addMarkers(original: string, problems: readonly Problem[]): string {
  const lines = original.split('\n');
  const byLine = new Map<number, Problem[]>();
  for (const problem of problems) {
    const line = Math.min(Math.max(problem.line, 1), lines.length);
    byLine.set(line, [...(byLine.get(line) ?? []), problem]);
  }
  const out: string[] = [];
  lines.forEach((line, index) => {
    const found = byLine.get(index + 1) ?? [];
    const indent = /^[ \t]*/.exec(line)![0];
    const seen = new Set<string>();
    for (const problem of found) {
      const marker = formatMarker(problem);
      if (seen.has(marker)) continue;
      seen.add(marker);
      out.push(indent + marker);
    }
    out.push(line);
  });
  return out.join('\n');
}
