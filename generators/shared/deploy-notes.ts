import type { GeneratedFile } from '../../src/types/generator.js';

/**
 * DEPLOY.md: what a deployable generator wrote and what is left to the user, per workflow. Every generator fills
 * the same sections so the notes read alike whatever the format.
 */
export interface WorkflowNotes {
  workflow: string;
  /** Triggers re-pointed at the state machine by the generated code. */
  repointed: string[];
  /** Steps the user must take by hand (triggers the format cannot re-point, follow-ups of those it did). */
  manual: string[];
  /** Values the user supplies, with what they stand for. */
  parameters: { name: string; meaning: string }[];
  /** What a reviewer must know (IAM `*` resources, resources outside the repository). */
  warnings: string[];
}

export interface DeployNotes {
  /** `AWS SAM`, `Terraform`... */
  format: string;
  /** Each file written, with what it holds. */
  files: { path: string; holds: string }[];
  /** How to merge the files into the repository and deploy them. */
  howTo: string[];
  workflows: WorkflowNotes[];
}

export function newWorkflowNotes(workflow: string): WorkflowNotes {
  return { workflow, repointed: [], manual: [], parameters: [], warnings: [] };
}

function bullets(lines: readonly string[]): string[] {
  return lines.map((line) => `- ${line}`);
}

export function renderDeployNotes(notes: DeployNotes): GeneratedFile {
  const lines = [`# Deploying the workflows with ${notes.format}`, '', 'Written by `lambda2sfn generate` from the plan; see docs/deploy.md for how each part is derived.', ''];
  lines.push('## Files', '', ...notes.files.map((file) => `- \`${file.path}\`: ${file.holds}`), '');
  lines.push('## How to deploy', '', ...notes.howTo.map((step, index) => `${index + 1}. ${step}`), '');
  for (const workflow of notes.workflows) {
    lines.push(`## ${workflow.workflow}`, '');
    if (workflow.parameters.length > 0) {
      lines.push('Values to supply:', '', ...bullets(workflow.parameters.map((parameter) => `\`${parameter.name}\`: ${parameter.meaning}`)), '');
    }
    lines.push('Triggers re-pointed at the state machine:', '', ...bullets(workflow.repointed.length > 0 ? workflow.repointed : ['none']), '');
    lines.push('Manual steps:', '', ...bullets(workflow.manual.length > 0 ? workflow.manual : ['none']), '');
    if (workflow.warnings.length > 0) lines.push('Review:', '', ...bullets(workflow.warnings), '');
  }
  return { path: 'DEPLOY.md', contents: `${lines.join('\n').trimEnd()}\n` };
}
