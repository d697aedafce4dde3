import { posix } from 'node:path';
import type { Diagnostic } from '../../types/diagnostics.js';
import { evaluateRaw, type Scope } from './evaluate.js';
import type { ModuleConfig } from './module-config.js';
import type { HclBody } from './parse-hcl.js';
import { unknown, type TfValue } from './values.js';

export interface VarFile {
  file: string;
  body: HclBody;
}

const LITERAL_SCOPE: Scope = { lookup: () => undefined, readFile: () => ({}), maxDepth: 100 };

/**
 * The input variables of a root module from the `.tfvars` files that belong to it (in its folder, or in a
 * sub-folder holding no module, such as `envs/`). As in Terraform, `terraform.tfvars` is read before
 * `*.auto.tfvars` (alphabetically), later ones winning. Other files are passed with `-var-file`, one per run:
 * a value they agree on is used; when they disagree (`dev.tfvars`, `prod.tfvars`) the variable is unknown,
 * since no single deployed value can be told. Variables set nowhere keep their `default`.
 */
export function resolveRootVariables(
  config: ModuleConfig,
  configs: ReadonlyMap<string, ModuleConfig>,
  varFiles: readonly VarFile[],
  diagnostics: Diagnostic[],
): Map<string, TfValue> {
  const own = varFiles.filter((varFile) => getOwner(posix.dirname(varFile.file), configs) === config.dir);
  const values = new Map<string, TfValue>();
  const chosen = new Map<string, string>();
  const conflicts = new Set<string>();
  for (const varFile of own.filter((item) => !isAuto(item.file))) {
    for (const [name, raw] of Object.entries(varFile.body)) {
      const text = JSON.stringify(raw);
      if (chosen.has(name) && chosen.get(name) !== text) conflicts.add(name);
      chosen.set(name, text);
      values.set(name, evaluateRaw(raw, LITERAL_SCOPE));
    }
  }
  for (const name of conflicts) {
    values.set(name, unknown(`var.${name}`));
    const files = own.filter((item) => !isAuto(item.file) && name in item.body).map((item) => item.file);
    diagnostics.push({
      code: 'terraform-variable-ambiguous',
      severity: 'info',
      message: `Variable ${name} has different values in ${files.join(', ')}; names built from it are left partly unknown`,
      file: files[0],
    });
  }
  const auto = own.filter((item) => isAuto(item.file)).sort((a, b) => rank(a.file) - rank(b.file) || (a.file < b.file ? -1 : 1));
  for (const varFile of auto) for (const [name, raw] of Object.entries(varFile.body)) values.set(name, evaluateRaw(raw, LITERAL_SCOPE));
  return values;
}

function rank(file: string): number {
  return /(^|\/)terraform\.tfvars$/.test(file) ? 0 : 1;
}

/** The nearest folder at or above `dir` that holds a module. */
function getOwner(dir: string, configs: ReadonlyMap<string, ModuleConfig>): string | undefined {
  let current = dir;
  for (;;) {
    if (configs.has(current)) return current;
    if (current === '.' || current === '') return undefined;
    current = posix.dirname(current);
  }
}

function isAuto(file: string): boolean {
  return /(^|\/)terraform\.tfvars$/.test(file) || file.endsWith('.auto.tfvars');
}
