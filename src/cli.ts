import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, InputError, OutputError, UsageError } from './errors.js';
import { parseFaultSpec } from './simulate/faults.js';
import type { FaultSpec } from './simulate/types.js';
import { IAC_TARGETS } from './types/deploy.js';
import { getPackageRoot } from './util/package-root.js';

export { installInterruptHandlers } from './interrupt.js';

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function getVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(getPackageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Parse a positive whole number option. */
export function toPositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** Option parsers of `report`, kept with their command's module but needed while parsing. */
function collectReportDuration(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^(.+)=(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected FUNCTION=MILLISECONDS, e.g. placeOrder=120');
  return { ...previous, [match[1]!]: Number(match[2]) };
}

function collectReportPrice(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z0-9]+)=(\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected NAME=DOLLARS, e.g. standardTransition=0.000025');
  return { ...previous, [match[1]!]: Number(match[2]) };
}

function toReportShare(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

/** Gather a repeatable option's values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The options of every command that analyses a folder (analyze, check, propose, migrate, report, generate, simulate): limits,
 * ignores, progress, the cache. The only place these flags are declared, so every command takes the same ones.
 */
function addAnalysisOptions(command: Command): Command {
  return command
    .option('--max-file-size <bytes>', 'skip source and IaC files larger than this', toPositiveInt)
    .option('--max-depth <n>', 'deepest nesting followed in YAML and expressions', toPositiveInt)
    .option('--max-yaml-aliases <n>', 'YAML alias expansions allowed per document', toPositiveInt)
    .option('--ignore <pattern>', 'skip paths matching this gitignore-style pattern (repeatable)', collect, [])
    .option('--no-progress', 'no progress indicator on standard error')
    .option('--cache-dir <dir>', 'keep the per-file cache here (default: the user cache folder, e.g. ~/.cache/lambda2sfn)')
    .option('--no-cache', 'neither read nor write the cache: parse every file');
}

/** The options of `propose` and `migrate`: one flag per question they may ask. */
function addPlanOptions(command: Command): Command {
  return command
    .option('--plan <file>', 'replay a plan file: its chains and decisions, no prompts')
    .option('-y, --yes', 'take the recommended defaults without asking', false)
    .option('--chain <entry...>', 'the chains to turn into workflows, by entry function')
    .addOption(new Option('--type <type>', 'Standard or Express for every workflow').choices(['standard', 'express', 'STANDARD', 'EXPRESS']))
    .addOption(new Option('--query-language <language>', 'JSONPath or JSONata for the data between states').choices(['jsonpath', 'jsonata', 'JSONPath', 'JSONata']))
    .option('--decide <id=value...>', 'answer a question by its id (the ids are in the plan file), e.g. queue:OrdersQueue=keep');
}

function buildProgram(streams: Streams, setExit: (code: number) => void): Command {
  const program = new Command('lambda2sfn')
    .description('Turn chains of AWS Lambda functions into AWS Step Functions workflows: analyse, propose, generate, guard.')
    .version(getVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn analyze                       analyse the current folder, print the call graph
  $ lambda2sfn analyze services/ --format json -o graph.json
  $ lambda2sfn analyze --format mermaid       a diagram that renders on GitHub

Exit codes: 0 done, 1 done with findings (input not fully analysed), 2 usage error, 3 failure.`,
    );

  const analyzeCommand = program
    .command('analyze')
    .description('Find every Lambda invoke, SQS/SNS/EventBridge hop and Step Functions start, and print the call graph.')
    .argument('[dir]', 'the folder to analyse', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'mermaid', 'dot']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--force', 'replace the output file if it exists', false);
  addAnalysisOptions(analyzeCommand)
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn analyze fixtures/apps/orders
  $ lambda2sfn analyze . --format json -o graph.json
  $ lambda2sfn analyze . --format dot | dot -Tsvg > graph.svg

Exit codes: 0 clean, 1 the graph was produced but some input gave error or warning diagnostics, 2 usage error, 3 failure.`,
    )
    .action(async (dir: string, options) => {
      const { runAnalyze } = await import('./commands/analyze.js');
      setExit(await runAnalyze(dir, options, streams));
    });

  const generateCommand = program
    .command('generate')
    .description('Write the deployables of a plan: the ASL, the state machine in the repository\'s IaC format with a least-privilege role, and DEPLOY.md.')
    .requiredOption('--plan <file>', 'the plan file (lambda2sfn.plan.yaml)')
    .requiredOption('--out <dir>', 'the folder to write to')
    .addOption(new Option('--iac <format>', 'the infrastructure format (default: the one the repository uses)').choices(IAC_TARGETS))
    .addOption(new Option('--log-level <level>', 'CloudWatch Logs level of the state machines').choices(['ALL', 'ERROR', 'FATAL', 'OFF']).default('ERROR'))
    .option('--include-execution-data', 'log execution input and output (may hold personal data)', false)
    .option('--tracing', 'turn on AWS X-Ray tracing', false)
    .option('--diff', 'also write handlers/handlers.diff (a unified diff of each refactored handler against its original) and list the files written', false)
    .option('--force', 'replace output files that exist', false);
  // The analysis options apply to the plan's sourceRoot, analysed again to re-point triggers.
  addAnalysisOptions(generateCommand)
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn generate --plan lambda2sfn.plan.yaml --out out/
  $ lambda2sfn generate --plan lambda2sfn.plan.yaml --out out/ --iac terraform --tracing

Exit codes: 0 written, 2 usage error (bad plan, existing files without --force, unknown format), 3 failure.`,
    )
    .action(async (options) => {
      const { runGenerate } = await import('./commands/generate.js');
      setExit(await runGenerate(options, streams));
    });

  const reportCommand = program
    .command('report')
    .description('Write the migration report: candidate assessment, before/after diagrams, decisions, risks and cost (report.md and a self-contained report.html).')
    .argument('[dir]', "the folder to analyse (default: the plan's folder, else the current one)")
    .requiredOption('--out <dir>', 'the folder to write report.md and report.html to')
    .option('--plan <file>', 'a plan file (lambda2sfn.plan.yaml) to show the workflows and decisions of')
    .option('--format <formats>', 'md, html, or md,html', 'md,html')
    .option('--force', 'replace report files that exist', false)
    .option('--invocations-per-month <n>', 'executions of each chain per month, for the cost comparison', toPositiveInt)
    .option('--duration <function=ms>', "a function's own time per invocation (repeatable)", collectReportDuration, {})
    .option('--default-duration <ms>', "own time of functions without --duration (default: each function's timeout)", toPositiveInt)
    .option('--items-per-map <n>', 'items each fan-out over an array processes', toPositiveInt)
    .option('--retry-rate <share>', 'share of attempts that fail once and are retried (0 to 1)', toReportShare)
    .addOption(new Option('--arch <arch>', 'Lambda architecture, for its price').choices(['x86_64', 'arm64']))
    .option('--express-memory <mb>', 'memory an Express execution is billed for', toPositiveInt)
    .option('--service-step <ms>', 'time of a direct service integration step in an Express workflow', toPositiveInt)
    .option('--price <name=dollars>', 'override a price of the table (repeatable; names in docs/report.md)', collectReportPrice, {})
    .option('--simulation <results.json>', 'the saved output of `simulate --format json`, shown in the Simulation section (repeatable)', collect, []);
  addAnalysisOptions(reportCommand)
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn report fixtures/apps/orders --out report/
  $ lambda2sfn report --plan lambda2sfn.plan.yaml --out report/ --invocations-per-month 250000 --default-duration 120
  $ lambda2sfn simulate --plan lambda2sfn.plan.yaml --format json > simulation.json
  $ lambda2sfn report --plan lambda2sfn.plan.yaml --out report/ --simulation simulation.json --force

Exit codes: 0 written, 1 written but some input gave error or warning diagnostics, 2 usage error, 3 failure.`,
    )
    .action(async (dir: string | undefined, options) => {
      const { runReport } = await import('./commands/report.js');
      setExit(await runReport(dir, options, streams));
    });

  // --- propose, migrate, lint (the propose stage; docs/propose.md) ---
  addAnalysisOptions(addPlanOptions(
    program
      .command('propose')
      .description('Rank the chains, build a Step Functions workflow for the chosen ones, and save every decision to a plan file.')
      .argument('[dir]', 'the folder to analyse (default: the current folder, or the plan\'s sourceRoot with --plan)')
      .option('-o, --output <file>', 'where to write the plan (default: lambda2sfn.plan.yaml, or the --plan file)')
      .option('--force', 'replace the plan file if it exists', false),
  ))
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn propose fixtures/apps/orders            asks about each choice, writes lambda2sfn.plan.yaml
  $ lambda2sfn propose . --yes --query-language jsonata
  $ lambda2sfn propose --plan lambda2sfn.plan.yaml    replay: no prompts, same result

Without a terminal (CI, pipes) it never waits: it takes the recommended defaults and says which.
Exit codes: 0 done, 1 a workflow has error findings, 2 usage error or a bad plan file, 3 failure.`,
    )
    .action(async (dir: string | undefined, options) => {
      const { runPropose } = await import('./commands/propose.js');
      setExit(await runPropose(dir, options, streams));
    });

  addAnalysisOptions(addPlanOptions(
    program
      .command('migrate')
      .description('Analyze, propose, generate and validate in one go: the plan, the ASL and every other output, in one folder.')
      .argument('[dir]', 'the folder to analyse (default: the current folder, or the plan\'s sourceRoot with --plan)')
      .requiredOption('--out <dir>', 'the output folder (nothing is written outside it)')
      .addOption(new Option('--iac <format>', 'the infrastructure format (default: the one the repository uses)').choices(['sam', 'cloudformation', 'serverless', 'cdk', 'terraform']))
      .addOption(new Option('--log-level <level>', 'CloudWatch Logs level of the state machines').choices(['ALL', 'ERROR', 'FATAL', 'OFF']).default('ERROR'))
      .option('--include-execution-data', 'log execution input and output (may hold personal data)', false)
      .option('--tracing', 'turn on AWS X-Ray tracing', false)
      .option('--diff', 'also write a unified diff of each refactored handler against its original', false)
      .option('--force', 'replace output files that exist', false),
  ))
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn migrate fixtures/apps/orders --yes --out out/
  $ lambda2sfn migrate --plan out/lambda2sfn.plan.yaml --out out2/    byte-identical to out/

Exit codes: 0 done, 1 a workflow has error findings, 2 usage error, 3 failure (an invalid definition is a bug).`,
    )
    .action(async (dir: string | undefined, options) => {
      const { runMigrate } = await import('./commands/migrate.js');
      setExit(await runMigrate(dir, options, streams));
    });

  program
    .command('lint')
    .description('Best-practice lint of Amazon States Language files (*.asl.json): timeouts, retries, names, payloads, history.')
    .argument('<files...>', 'ASL files')
    .addOption(new Option('--type <type>', 'the workflow type, for the rules that depend on it').choices(['standard', 'express', 'STANDARD', 'EXPRESS']))
    .addHelpText('after', '\nExit codes: 0 no warnings, 1 warnings (or a file that could not be read), 2 usage error.')
    .action(async (files: string[], options) => {
      const { runLint } = await import('./commands/lint.js');
      setExit(await runLint(files, options, streams));
    });

  // simulate ------------------------------------------------------------------------------------------------------
  addAnalysisOptions(
    program
      .command('simulate')
      .description("Run inputs through the original chain and through the plan's workflow, in-process (your handlers execute; AWS is never called), and compare.")
      .argument('[dir]', "the analysed folder (default: the plan's sourceRoot)")
      .requiredOption('--plan <file>', 'the plan file (lambda2sfn.plan.yaml)')
      .option('--input <event.json>', "an event for the entry function (repeatable; default: a sample built from its trigger)", collect, [])
      .option('--fail <function[:n][:error]>', 'make a function throw, n times or always, with a named error (repeatable; default error SimulatedFailure)', collectFault, [])
      .option('--workflow <name>', 'simulate this workflow of the plan only (repeatable)', collect, [])
      .option('--asl <file>', 'run this definition instead of the one the plan gives (one workflow)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('--show-logs', "print the handlers' logs on standard error", false)
      .addHelpText(
        'after',
        `
Examples:
  $ lambda2sfn simulate --plan lambda2sfn.plan.yaml --input order.json
  $ lambda2sfn simulate --plan lambda2sfn.plan.yaml --input order.json --fail validatePayment:1:TransientError
  $ lambda2sfn simulate --plan lambda2sfn.plan.yaml --fail validatePayment     a failure that triggers the compensation

Exit codes: 0 every scenario gave the same result in both, 1 a scenario differs, 2 usage error or a workflow that cannot be simulated (JSONata, variables, Distributed Map), 3 failure.`,
      )
  )
    .action(async (dir: string | undefined, options) => {
      const { runSimulate } = await import('./commands/simulate.js');
      setExit(await runSimulate(dir, options, streams));
    });

  // --- check (the CI gate; docs/check.md) ---
  addAnalysisOptions(
    program
      .command('check')
      .description('Fail CI on new Lambda spaghetti: synchronous Lambda-to-Lambda invokes, hand-written retries, deep chains, recursion, fan-outs, unresolved targets, queues without a DLQ, ASL lint.')
      .argument('[dir]', 'the folder to check', '.')
      .addOption(new Option('-f, --format <format>', 'output format (github: workflow-command annotations)').choices(['text', 'json', 'sarif', 'github']).default('text'))
      .option('-o, --output <file>', 'write the report to a file instead of standard output')
      .option('--force', 'replace the output file if it exists', false)
      .option('--config <file>', 'the configuration file (default: lambda2sfn.config.json/.yaml/.yml or the "lambda2sfn" key of package.json in the folder)')
      .option('--baseline <file>', 'the baseline file (default: lambda2sfn.baseline.json in the folder, or the configuration\'s "baseline")')
      .option('--no-baseline', 'report every finding as new, ignoring the baseline')
      .option('--update-baseline', 'record every current finding in the baseline file (replacing it), then report against it', false)
      .addOption(new Option('--fail-on <severity>', 'the lowest severity of a new finding that fails the run (default: error, or the configuration\'s "failOn")').choices(['error', 'warning', 'info', 'never']))
      .option('--max-chain-depth <n>', 'deep-chain: report chains deeper than this many function hops (default 3)', toPositiveInt),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ lambda2sfn check                                   the current folder, text report
  $ lambda2sfn check --update-baseline                 adopt the gate: record what exists today
  $ lambda2sfn check --format sarif -o lambda2sfn.sarif  for GitHub code scanning
  $ lambda2sfn check --fail-on warning --max-chain-depth 4

On GitHub Actions (GITHUB_ACTIONS=true) the text report is followed by annotations for the pull request.
Exit codes: 0 no new finding at or above --fail-on, 1 new findings at or above it, 2 usage error (bad configuration
or baseline file), 3 failure.`,
    )
    .action(async (dir: string, options) => {
      const { runCheck } = await import('./commands/check.js');
      setExit(await runCheck(dir, options, streams));
    });

  return program;
}

/** `--fail` values, parsed while reading the command line (src/simulate/faults.ts is small and loads nothing else). */
function collectFault(value: string, previous: FaultSpec[]): FaultSpec[] {
  return [...previous, parseFaultSpec(value)];
}

/** Run the CLI; returns the exit code. Errors are printed here, once: message, reason and hint, never a stack trace. */
export async function run(argv: string[], streams: Streams = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(streams, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, streams);
  }
}

function reportError(error: unknown, streams: Streams): number {
  if (error instanceof CommanderError) {
    // Help and version exit through here with code 0; commander has already printed its message.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError || error instanceof InputError) {
    streams.stderr.write(`lambda2sfn: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return EXIT.usage;
  }
  if (error instanceof OutputError) {
    streams.stderr.write(`lambda2sfn: ${error.message}\n`);
    return EXIT.failure;
  }
  const err = error as Error;
  streams.stderr.write(
    `lambda2sfn: internal error: ${err?.message ?? String(error)}\n` +
      '  This is a bug in lambda2sfn. Please report it with the command you ran' +
      (process.env.LAMBDA2SFN_DEBUG ? `\n${err?.stack ?? ''}\n` : ' (set LAMBDA2SFN_DEBUG=1 for details).\n'),
  );
  return EXIT.failure;
}
