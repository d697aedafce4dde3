import type { HclBody } from './parse-hcl.js';
import { findBlock, type ScannedBlock, type ScannedText } from './scan-blocks.js';

/** One parsed `.tf` file. */
export interface SourceFile {
  /** Relative to the analysed folder. */
  file: string;
  body: HclBody;
  scan: ScannedText;
}

/** A block of a module: where it is and its body as hcl2json gives it. */
export interface BlockConfig {
  file: string;
  /** The line of its first line (1 when the scan did not find it). */
  line: number;
  block?: ScannedBlock;
  scan: ScannedText;
  body: HclBody;
}

export interface ResourceConfig extends BlockConfig {
  type: string;
  name: string;
}

export interface ModuleCallConfig extends BlockConfig {
  name: string;
}

/** The configuration of one Terraform module: every `.tf` file of one folder. */
export interface ModuleConfig {
  /** Folder relative to the analysed folder (`.` for the analysed folder itself). */
  dir: string;
  variables: Map<string, BlockConfig>;
  locals: Map<string, { raw: unknown; file: string }>;
  /** `resource` blocks in file and line order, and by `type.name`. */
  resources: ResourceConfig[];
  resourceIndex: Map<string, ResourceConfig>;
  /** `data` blocks by `type.name`. */
  data: Map<string, ResourceConfig>;
  modules: ModuleCallConfig[];
  outputs: Map<string, BlockConfig>;
}

export function buildModuleConfig(dir: string, files: readonly SourceFile[]): ModuleConfig {
  const config: ModuleConfig = {
    dir,
    variables: new Map(),
    locals: new Map(),
    resources: [],
    resourceIndex: new Map(),
    data: new Map(),
    modules: [],
    outputs: new Map(),
  };
  for (const source of files) {
    const { body } = source;
    for (const [type, name, block] of getTwoLabelBlocks(body.resource)) {
      const resource = { ...toBlock(source, 'resource', [type, name], block), type, name };
      if (config.resourceIndex.has(`${type}.${name}`)) continue; // a duplicate is a Terraform error: the first one counts
      config.resources.push(resource);
      config.resourceIndex.set(`${type}.${name}`, resource);
    }
    for (const [type, name, block] of getTwoLabelBlocks(body.data)) {
      if (!config.data.has(`${type}.${name}`)) config.data.set(`${type}.${name}`, { ...toBlock(source, 'data', [type, name], block), type, name });
    }
    for (const [name, block] of getOneLabelBlocks(body.module)) {
      if (!config.modules.some((call) => call.name === name)) config.modules.push({ ...toBlock(source, 'module', [name], block), name });
    }
    for (const [name, block] of getOneLabelBlocks(body.variable)) {
      if (!config.variables.has(name)) config.variables.set(name, toBlock(source, 'variable', [name], block));
    }
    for (const [name, block] of getOneLabelBlocks(body.output)) {
      if (!config.outputs.has(name)) config.outputs.set(name, toBlock(source, 'output', [name], block));
    }
    for (const locals of Array.isArray(body.locals) ? body.locals : []) {
      if (!isBody(locals)) continue;
      for (const [name, raw] of Object.entries(locals)) if (!config.locals.has(name)) config.locals.set(name, { raw, file: source.file });
    }
  }
  return config;
}

/** `{ type: { name: [body] } }`: blocks with two labels (`resource`, `data`). */
function getTwoLabelBlocks(section: unknown): [string, string, HclBody][] {
  if (!isBody(section)) return [];
  return Object.entries(section).flatMap(([type, inner]) =>
    isBody(inner) ? Object.entries(inner).flatMap(([name, bodies]) => toBodies(bodies).map((body): [string, string, HclBody] => [type, name, body])) : [],
  );
}

/** `{ name: [body] }`: blocks with one label (`module`, `variable`, `output`). */
function getOneLabelBlocks(section: unknown): [string, HclBody][] {
  if (!isBody(section)) return [];
  return Object.entries(section).flatMap(([name, bodies]) => toBodies(bodies).map((body): [string, HclBody] => [name, body]));
}

function toBodies(value: unknown): HclBody[] {
  return (Array.isArray(value) ? value : [value]).filter(isBody);
}

function toBlock(source: SourceFile, type: string, labels: string[], body: HclBody): BlockConfig {
  const block = findBlock(source.scan, type, labels);
  return { file: source.file, line: block?.line ?? 1, block, scan: source.scan, body };
}

export function isBody(value: unknown): value is HclBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
