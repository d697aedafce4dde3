import type { IacTarget } from '../src/types/deploy.js';
import type { Generator } from '../src/types/generator.js';
import { asl } from './asl.js';
import { cdk } from './cdk.js';
import { cloudformation } from './cloudformation.js';
import { handlers } from './handlers.js';
import { iamPolicy } from './iam-policy.js';
import { sam } from './sam.js';
import { serverless } from './serverless.js';
import { terraform } from './terraform.js';

/**
 * The one list of generators, in the order `migrate` runs them (a generator may read what earlier ones wrote). A new
 * output format is one file in generators/ and one line here; `migrate` and `generate` look generators up by id.
 */
export const GENERATORS: readonly Generator[] = [asl, iamPolicy, sam, cloudformation, serverless, cdk, terraform, handlers];

/** The deployable generators, one per `--iac` format: a run writes only the chosen one. */
export const IAC_GENERATOR_IDS: Readonly<Record<IacTarget, string>> = {
  sam: sam.id,
  cloudformation: cloudformation.id,
  serverless: serverless.id,
  cdk: cdk.id,
  terraform: terraform.id,
};

export function getGenerator(id: string): Generator | undefined {
  return GENERATORS.find((generator) => generator.id === id);
}

/** The generators of a run that deploys with `iac`: every generator but the other formats' deployables. */
export function getGeneratorsFor(iac: IacTarget): Generator[] {
  const others = new Set(Object.values(IAC_GENERATOR_IDS).filter((id) => id !== IAC_GENERATOR_IDS[iac]));
  return GENERATORS.filter((generator) => !others.has(generator.id));
}
