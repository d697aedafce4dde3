import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, InputError, OutputError, UsageError } from './errors.js';
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

/** Gather a repeatable option's values. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
    .option('--ignore <pattern>', 'skip paths matching this gitignore-style pattern (repeatable)', collect, [])
    .option('--no-progress', 'no progress indicator on standard error')
    .option('--cache-dir <dir>', 'keep the per-file cache here (default: the user cache folder, e.g. ~/.cache/lambda2sfn)')
    .option('--no-cache', 'neither read nor write the cache: parse every file')
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

  program
    .command('generate')
    .description('Write the deployables of a plan: the ASL, the state machine in the repository\'s IaC format with a least-privilege role, and DEPLOY.md.')
    .requiredOption('--plan <file>', 'the plan file (lambda2sfn.plan.yaml)')
    .requiredOption('--out <dir>', 'the folder to write to')
    .addOption(new Option('--iac <format>', 'the infrastructure format (default: the one the repository uses)').choices(IAC_TARGETS))
    .addOption(new Option('--log-level <level>', 'CloudWatch Logs level of the state machines').choices(['ALL', 'ERROR', 'FATAL', 'OFF']).default('ERROR'))
    .option('--include-execution-data', 'log execution input and output (may hold personal data)', false)
    .option('--tracing', 'turn on AWS X-Ray tracing', false)
    .option('--force', 'replace output files that exist', false)
    .option('--no-progress', 'no progress indicator on standard error')
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
