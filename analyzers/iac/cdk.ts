import type { IacResult, ProjectIacAnalyzer } from '../../src/types/analyzers.js';

/** An import of the AWS CDK (v1 or v2), `constructs`, or AWS Solutions Constructs: the cheap gate for CDK app files. */
const CDK_IMPORT = /(?:\bfrom|\brequire\s*\(|\bimport\s*\()\s*['"](?:aws-cdk-lib|@aws-cdk\/|constructs['"/]|@aws-solutions-constructs\/|monocdk)/;
const CODE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

export const cdk: ProjectIacAnalyzer = {
  id: 'cdk',
  description: 'AWS CDK apps in TypeScript and JavaScript, read statically with ts-morph (never synthesized): functions, queues, topics, rules, APIs, SSM parameters',
  matches: (file, text) => file === 'cdk.json' || file.endsWith('/cdk.json') || (CODE_FILE.test(file) && CDK_IMPORT.test(text)),
  analyzeProject: async (inputs): Promise<IacResult> => {
    try {
      // Loaded only when a CDK app is there: ts-morph brings the TypeScript compiler, half a second at every start.
      const { analyzeCdkProject } = await import('../../src/iac/cdk/analyze-app.js');
      return analyzeCdkProject(inputs);
    } catch (error) {
      return {
        inventory: {},
        diagnostics: [{ code: 'iac-internal-error', severity: 'error', message: `cdk: ${String(error)}`, file: inputs[0]?.file }],
      };
    }
  },
};
