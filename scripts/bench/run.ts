// npm run bench: generate TypeScript monorepos, then measure side by side, as whole processes, the read+parse floor
// (@babel/parser, one thread), `lambda2sfn analyze` (cold, and re-run after a one-file change with its cache) and
// dependency-cruiser; print the figures and ratios, and check that every analysis found exactly the generated graph.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareGraph } from './check-graph.js';
import { generateMonorepo, type GeneratedRepo } from './generate-monorepo.js';
import { measureNode, type Measurement } from './measure.js';
import { formatReport, type SizeResult } from './report.js';

const USAGE = `usage: npm run bench -- [--sizes 1000,10000] [--full] [--runs 3] [--no-depcruise] [--dir DIR] [--keep] [--json FILE]
  --sizes N,N    monorepo sizes in files (default 1000)
  --full         1,000, 10,000 and 50,000 files
  --runs N       runs of the floor and of analyze per size; the fastest counts (default 3)
  --no-depcruise skip dependency-cruiser (it takes minutes at 10,000 files)
  --dir DIR      where the monorepos are generated (default: a new folder in the system's temporary folder)
  --keep         keep the generated monorepos
  --json FILE    also write the figures as JSON`;

interface Options {
  sizes: number[];
  runs: number;
  depcruise: boolean;
  dir: string;
  /** The folder was made for this run (no --dir): removed at the end unless --keep. */
  ownDir: boolean;
  keep: boolean;
  json?: string;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      full: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      'no-depcruise': { type: 'boolean', default: false },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const sizes = values.full ? [1000, 10_000, 50_000] : (values.sizes ?? '1000').split(',').map((size) => Number(size.trim()));
  const runs = Number(values.runs);
  if (sizes.some((size) => !Number.isInteger(size) || size < 20) || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  return {
    sizes,
    runs,
    depcruise: !values['no-depcruise'],
    // A folder of its own by default: two benchmarks running at once must not write over each other's trees.
    dir: values.dir ? path.resolve(values.dir) : mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-bench-')),
    ownDir: !values.dir,
    keep: values.keep,
    json: values.json,
  };
}

/** The lambda2sfn checkout: the first folder above this file with lambda2sfn's package.json. */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lambda2sfn') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the lambda2sfn checkout');
    dir = parent;
  }
}

const repo = findRepoRoot();
const HOOK = path.join(repo, 'scripts/bench/rusage-hook.mjs');
const FLOOR = path.join(repo, 'scripts/bench/parse-floor.mjs');
const CLI = path.join(repo, 'bin/lambda2sfn.js');
const DEPCRUISE = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** The fastest wall and CPU time of several runs, with the highest peak memory among them. */
function best(runs: Measurement[]): Measurement {
  return {
    wallMs: Math.min(...runs.map((run) => run.wallMs)),
    cpuMs: Math.min(...runs.map((run) => run.cpuMs)),
    maxRssBytes: Math.max(...runs.map((run) => run.maxRssBytes)),
  };
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Analyse the tree, write the Graph JSON to `graphFile`, and fail loudly unless it is exactly the generated graph. */
async function measureAnalyze(tree: string, cacheDir: string, graphFile: string, expected: GeneratedRepo, label: string): Promise<Measurement> {
  const args = ['analyze', tree, '--format', 'json', '--no-progress', '--cache-dir', cacheDir];
  const measurement = await measureNode(CLI, args, { hook: HOOK, stdoutFile: graphFile });
  const problems = compareGraph(expected, JSON.parse(readFileSync(graphFile, 'utf8')));
  if (problems.length > 0) throw new Error(`${label}: the graph differs from the generated one:\n  ${problems.join('\n  ')}`);
  return measurement;
}

async function benchSize(size: number, options: Options): Promise<SizeResult> {
  const tree = path.join(options.dir, `monorepo-${size}`);
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  let started = performance.now();
  const repoShape = generateMonorepo(tree, size);
  log(`${size}: generated ${repoShape.files} files (${repoShape.codeFiles} code, ${repoShape.lines} lines) in ${(performance.now() - started).toFixed(0)} ms`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lambda2sfn-bench-run-'));
  const graphFile = path.join(scratch, 'graph.json');
  const edited = path.join(tree, repoShape.editableFile);
  const original = readFileSync(edited, 'utf8');
  const floor: Measurement[] = [];
  const cold: Measurement[] = [];
  const cached: Measurement[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      floor.push(await measureNode(FLOOR, [tree], { hook: HOOK }));
      // A fresh cache folder: the cold run parses everything and fills it.
      const cacheDir = path.join(scratch, `cache-${run}`);
      cold.push(await measureAnalyze(tree, cacheDir, graphFile, repoShape, `${size} files, cold run ${run}`));
      // One file changes (a new export that changes no edge); the re-run parses that file and reads the rest from the cache.
      appendFileSync(edited, `\nexport const touched${run} = ${run};\n`);
      cached.push(await measureAnalyze(tree, cacheDir, graphFile, repoShape, `${size} files, cached run ${run}`));
      writeFileSync(edited, original);
      log(`${size}: run ${run}: floor ${floor[run - 1].wallMs.toFixed(0)} ms, analyze ${cold[run - 1].wallMs.toFixed(0)} ms, cached ${cached[run - 1].wallMs.toFixed(0)} ms`);
    }
    let depcruise: Measurement | string | undefined;
    if (options.depcruise) {
      started = performance.now();
      try {
        depcruise = await measureNode(DEPCRUISE, ['--no-config', '--output-type', 'json', tree], { hook: HOOK });
        log(`${size}: dependency-cruiser ${depcruise.wallMs.toFixed(0)} ms`);
      } catch (error) {
        // Out of memory at 50,000 files is a result too, not a reason to lose the others.
        depcruise = `failed after ${((performance.now() - started) / 1000).toFixed(0)} s: ${String((error as Error).message).split('\n').find((line) => /heap|memory|error/i.test(line)) ?? 'see stderr'}`;
        log(`${size}: dependency-cruiser ${depcruise}`);
      }
    }
    return {
      size,
      files: repoShape.files,
      codeFiles: repoShape.codeFiles,
      lines: repoShape.lines,
      edges: repoShape.edges.length,
      floor: best(floor),
      cold: best(cold),
      cached: best(cached),
      depcruise,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (!options.keep) rmSync(tree, { recursive: true, force: true });
    else log(`${size}: kept ${tree}`);
  }
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  if (!existsSync(path.join(repo, 'dist/src/cli.js'))) throw new Error('lambda2sfn is not built: run npm run build');
  const loadBefore = os.loadavg()[0];
  const results: SizeResult[] = [];
  try {
    for (const size of options.sizes) results.push(await benchSize(size, options));
  } finally {
    if (options.ownDir && !options.keep) rmSync(options.dir, { recursive: true, force: true });
  }
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    load: [loadBefore, os.loadavg()[0]] as [number, number],
    runs: options.runs,
  };
  process.stdout.write(formatReport(results, machine));
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ machine, results }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
