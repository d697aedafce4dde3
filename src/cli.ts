import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, InputError, OutputError, UsageError } from './errors.js';
import { getPackageRoot } from './util/package-root.js';

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

/** The options of `propose` and `migrate`: one flag per question they may ask. */
function addPlanOptions(command: Command): Command {
  return command
    .option('--plan <file>', 'replay a plan file: its chains and decisions, no prompts')
    .option('-y, --yes', 'take the recommended defaults without asking', false)
    .option('--chain <entry...>', 'the chains to turn into workflows, by entry function')
    .addOption(new Option('--type <type>', 'Standard or Express for every workflow').choices(['standard', 'express', 'STANDARD', 'EXPRESS']))
    .addOption(new Option('--query-language <language>', 'JSONPath or JSONata for the data between states').choices(['jsonpath', 'jsonata', 'JSONPath', 'JSONata']))
    .option('--decide <id=value...>', 'answer a question by its id (the ids are in the plan file), e.g. queue:OrdersQueue=keep')
    .option('--no-progress', 'no progress indicator on standard error');
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

  program
    .command('analyze')
    .description('Find every Lambda invoke, SQS/SNS/EventBridge hop and Step Functions start, and print the call graph.')
    .argument('[dir]', 'the folder to analyse', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'mermaid', 'dot']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--force', 'replace the output file if it exists', false)
    .option('--max-file-size <bytes>', 'skip source and IaC files larger than this', toPositiveInt)
    .option('--max-depth <n>', 'deepest nesting followed in YAML and expressions', toPositiveInt)
    .option('--max-yaml-aliases <n>', 'YAML alias expansions allowed per document', toPositiveInt)
    .option('--no-progress', 'no progress indicator on standard error')
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

  // --- propose, migrate, lint (the propose stage; docs/propose.md) ---
  addPlanOptions(
    program
      .command('propose')
      .description('Rank the chains, build a Step Functions workflow for the chosen ones, and save every decision to a plan file.')
      .argument('[dir]', 'the folder to analyse (default: the current folder, or the plan\'s sourceRoot with --plan)')
      .option('-o, --output <file>', 'where to write the plan (default: lambda2sfn.plan.yaml, or the --plan file)')
      .option('--force', 'replace the plan file if it exists', false),
  )
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

  addPlanOptions(
    program
      .command('migrate')
      .description('Analyze, propose, generate and validate in one go: the plan, the ASL and every other output, in one folder.')
      .argument('[dir]', 'the folder to analyse (default: the current folder, or the plan\'s sourceRoot with --plan)')
      .requiredOption('--out <dir>', 'the output folder (nothing is written outside it)')
      .option('--force', 'replace output files that exist', false),
  )
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

  return program;
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
