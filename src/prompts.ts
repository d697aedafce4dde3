// The only module that talks to @inquirer/prompts. Every question asked here also has a command-line flag
// (`--chain`, `--type`, `--query-language`, `--decide ID=VALUE`), so nothing ever needs a terminal.
import { checkbox, select } from '@inquirer/prompts';
import type { DecisionRequest } from './propose/decide.js';
import type { ChainAssessment } from './assess/assess-chains.js';

/** Where prompts read and draw: standard error keeps standard output for results. */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Which chains to turn into workflows; the recommended ones (strong, possible) come checked. */
export async function askChains(candidates: readonly ChainAssessment[], streams: PromptStreams): Promise<string[]> {
  return checkbox(
    {
      message: 'Which chains should become workflows? (flag: --chain ENTRY)',
      choices: candidates.map((candidate) => ({
        value: candidate.chain.entry,
        name: `${candidate.chain.entry} — ${candidate.label}: ${candidate.reasons.slice(0, 2).map((reason) => reason.message).join('; ') || 'nothing to orchestrate'}`,
        checked: candidate.label !== 'not recommended',
      })),
      pageSize: 12,
    },
    streams,
  );
}

/** One decision: the question with its evidence (file:line and the source line) and the recommended default first. */
export async function askDecision(request: DecisionRequest, workflow: string, streams: PromptStreams): Promise<string> {
  const evidence = request.evidence.slice(0, 4).map((item) => `    ${item.file}:${item.line}  ${item.text}`);
  const message = [
    `[${workflow}] ${request.question}`,
    ...evidence,
    `    recommended: ${request.default} — ${request.reason}`,
    `    (flag: --decide ${request.id}=<${request.alternatives.map((alternative) => alternative.value).join('|')}>)`,
  ].join('\n');
  const ordered = [...request.alternatives].sort((a, b) => Number(b.value === request.default) - Number(a.value === request.default));
  return select(
    {
      message,
      choices: ordered.map((alternative) => ({
        value: alternative.value,
        name: `${alternative.value}${alternative.value === request.default ? ' (recommended)' : ''}`,
        description: alternative.description,
      })),
      default: request.default,
    },
    streams,
  );
}
