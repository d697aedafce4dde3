import { analyzeTerraformProject } from '../../src/iac/terraform/analyze-project.js';
import type { IacResult, ProjectIacAnalyzer } from '../../src/types/analyzers.js';

export const terraform: ProjectIacAnalyzer = {
  id: 'terraform',
  description: 'Terraform (.tf, .tfvars): resources, local and registry modules, count/for_each, read statically with an HCL parser',
  matches: (file) => /\.(tf|tfvars)$/.test(file),
  analyzeProject: async (inputs): Promise<IacResult> => {
    try {
      return await analyzeTerraformProject(inputs);
    } catch (error) {
      return {
        inventory: {},
        diagnostics: [{ code: 'iac-internal-error', severity: 'error', message: `terraform: ${String(error)}`, file: inputs[0]?.file }],
      };
    }
  },
};
