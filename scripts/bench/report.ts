import type { Measurement } from './measure.js';

export interface SizeResult {
  size: number;
  files: number;
  codeFiles: number;
  lines: number;
  edges: number;
  floor: Measurement;
  cold: Measurement;
  cached: Measurement;
  /** A measurement, a reason it failed, or undefined when skipped. */
  depcruise?: Measurement | string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** One-minute load average before and after the run: the machine may be shared. */
  load: [number, number];
  runs: number;
}

/** The issue's targets (docs/performance.md). */
const TARGETS = { floorRatio: 1.5, depcruiseRatio: 10, cachedRatio: 0.1, maxRssBytes: 2 ** 30, growth: 1.25 };

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mebibytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const cost = (m: Measurement) => `${seconds(m.wallMs)} · ${mebibytes(m.maxRssBytes)}`;

/** The figures as a Markdown table, the ratios, and each target met or not. */
export function formatReport(results: SizeResult[], machine: Machine): string {
  const out: string[] = [];
  out.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}; ` +
      `load average ${machine.load[0].toFixed(1)} → ${machine.load[1].toFixed(1)}; fastest of ${machine.runs} run(s), highest peak memory.`,
    '',
    '| files | lines | parse floor | analyze (cold) | analyze (1 file changed, cached) | dependency-cruiser | analyze / floor | depcruise / analyze | cached / cold | graph |',
    '|---:|---:|---|---|---|---|---:|---:|---:|---|',
  );
  for (const r of results) {
    const depcruise = typeof r.depcruise === 'object' ? cost(r.depcruise) : (r.depcruise ?? 'skipped');
    const depRatio = typeof r.depcruise === 'object' ? ratio(r.depcruise.wallMs / r.cold.wallMs) : '—';
    out.push(
      `| ${r.files.toLocaleString('en-US')} | ${r.lines.toLocaleString('en-US')} | ${cost(r.floor)} | ${cost(r.cold)} | ${cost(r.cached)} | ${depcruise} | ` +
        `${ratio(r.cold.wallMs / r.floor.wallMs)} | ${depRatio} | ${ratio(r.cached.wallMs / r.cold.wallMs)} | exact (${r.edges} edges) |`,
    );
  }
  out.push('', 'CPU time (user + system, all threads): ' + results.map((r) => `${r.files} files: floor ${seconds(r.floor.cpuMs)}, analyze ${seconds(r.cold.cpuMs)}, cached ${seconds(r.cached.cpuMs)}`).join('; '));
  out.push('', 'Targets:');
  for (const r of results) {
    const checks = [
      check(`analyze ≤ ${TARGETS.floorRatio}× floor`, r.cold.wallMs / r.floor.wallMs <= TARGETS.floorRatio),
      check('peak memory < 1 GiB', r.cold.maxRssBytes < TARGETS.maxRssBytes && r.cached.maxRssBytes < TARGETS.maxRssBytes),
      check(`cached ≤ ${TARGETS.cachedRatio} × cold`, r.cached.wallMs / r.cold.wallMs <= TARGETS.cachedRatio),
    ];
    if (typeof r.depcruise === 'object') checks.push(check(`≥ ${TARGETS.depcruiseRatio}× faster than dependency-cruiser`, r.depcruise.wallMs / r.cold.wallMs >= TARGETS.depcruiseRatio));
    out.push(`- ${r.files} files: ${checks.join(', ')}`);
  }
  if (results.length > 1) {
    // Linear growth: the cost per file at the largest size is no more than a quarter above the smallest's.
    const first = results[0];
    const last = results[results.length - 1];
    const growth = last.cold.wallMs / last.files / (first.cold.wallMs / first.files);
    out.push(`- growth ${first.files} → ${last.files} files: analyze time per file × ${growth.toFixed(2)} (${check(`linear, ≤ ${TARGETS.growth}`, growth <= TARGETS.growth)})`);
  }
  return `${out.join('\n')}\n`;
}

function check(label: string, ok: boolean): string {
  return `${ok ? 'met' : 'NOT met'}: ${label}`;
}
