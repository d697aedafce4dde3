/**
 * What `discoverFiles` returns for each file worth analysing.
 * - `code`: JavaScript/TypeScript sources (declaration files excluded).
 * - `iac`: files an IaC analyzer may read (YAML, JSON, CloudFormation `.template`, Terraform); each analyzer's `matches` decides.
 * - `config`: project files that shape module resolution (`package.json`, `tsconfig*.json`, workspaces, `.gitignore`).
 * - `other`: files that no analyzer parses but later stages may want to know about (ASL definitions: `*.asl.json`, `*.asl.yaml`).
 */
export type DiscoveredFileKind = 'code' | 'iac' | 'config' | 'other';

export interface DiscoveredFile {
  /** Path relative to the analysed folder, POSIX separators. */
  path: string;
  kind: DiscoveredFileKind;
  /** Bytes. */
  size: number;
  /** Modification and change times from the stat discovery made: the cache compares them, without a second stat. */
  mtimeMs: number;
  ctimeMs: number;
  /** A test, spec or mock file: listed so that later stages can say it was skipped. */
  isTest: boolean;
}
