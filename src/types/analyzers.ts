import type { Diagnostic } from './diagnostics.js';
import type { AwsService, EdgeKind } from './graph.js';
import type { Inventory } from './inventory.js';

/** Read access to the analysed folder for IaC analyzers (`${file(...)}`, `DefinitionUri`): never outside the root. */
export interface RootReader {
  /** Text of a file relative to the analysed folder, or undefined when it is missing, unreadable or outside the root. */
  readText(relativePath: string): string | undefined;
  /** Whether a file exists (relative to the analysed folder). */
  exists(relativePath: string): boolean;
}

/** Limits that keep hostile input from exhausting memory or the stack. Documented in the README; configurable. */
export interface AnalysisLimits {
  /** Files larger than this many bytes are skipped with a diagnostic. */
  maxFileBytes: number;
  /** Deepest AST / YAML nesting followed. */
  maxDepth: number;
  /** YAML alias expansions allowed per document (billion-laughs guard). */
  maxYamlAliases: number;
}

export const DEFAULT_LIMITS: AnalysisLimits = {
  maxFileBytes: 5 * 1024 * 1024,
  maxDepth: 500,
  maxYamlAliases: 1000,
};

export interface IacInput {
  /** Path relative to the analysed folder (POSIX). */
  file: string;
  text: string;
  root: RootReader;
  limits: AnalysisLimits;
}

export interface IacResult {
  inventory: Partial<Inventory>;
  diagnostics: Diagnostic[];
}

interface IacAnalyzerBase {
  id: string;
  description: string;
  /** A cheap gate on the path and text: whether the file is this format. */
  matches(file: string, text: string): boolean;
}

/**
 * One IaC format read one file at a time (Serverless, CloudFormation): reads the file statically (never executes
 * it) and returns an Inventory fragment. Handler module paths are relative to the analysed folder.
 */
export interface FileIacAnalyzer extends IacAnalyzerBase {
  analyze(input: IacInput): IacResult;
}

/**
 * A format whose files refer to each other (a CDK app's stacks and constructs across modules, Terraform modules
 * and variables): gets every matching file at once, and may work asynchronously (a WebAssembly parser).
 */
export interface ProjectIacAnalyzer extends IacAnalyzerBase {
  analyzeProject(inputs: IacInput[]): IacResult | Promise<IacResult>;
}

export type IacAnalyzer = FileIacAnalyzer | ProjectIacAnalyzer;

/** Reads literal facts from an SDK request object (`InvocationType: 'Event'`), for choosing the edge kind. */
export interface RequestReader {
  getString(property: string): string | undefined;
  has(property: string): boolean;
}

/** One SDK operation, in both its v2 method form and its v3 command form. */
export interface SdkOperationSpec {
  /** v2 method and v3 aggregated-client method (`invoke`, `sendMessage`). */
  method: string;
  /** v3 command class (`InvokeCommand`). */
  command: string;
  /** The request property that names the target (`FunctionName`); `Entries[].X` reads X of the first entry. */
  target: string;
  /** The target when the request leaves it out (EventBridge's `default` bus). */
  defaultTarget?: string;
  /** The request property holding the payload (`Entries[].Detail`: the first entry's), for the payload annotation. */
  payload?: string;
  /** The edge this call makes; a function when it depends on the request (`InvocationType: 'Event'`); null: no edge (a dry run). */
  edgeKind: EdgeKind | ((request: RequestReader) => EdgeKind | null);
}

/**
 * A detector of SDK calls to one service, described as data: which client classes and modules belong to the
 * service and which operations make edges. The engine in `src/link/detect-sdk-calls.ts` matches v2 and v3
 * call shapes against it.
 */
export interface SdkDetector {
  /** Analyzer id = file name = fixture folder: `lambda-invoke`, `sqs-send`. */
  id: string;
  description: string;
  service: AwsService;
  /** Client class names, v3 and v2 (`LambdaClient`, `Lambda`). */
  clients: string[];
  /** Modules whose default export is the client (`aws-sdk/clients/lambda`). */
  clientModules: string[];
  /** The v3 client package: a command of the same name from another `@aws-sdk/` package is not this service's. */
  v3Packages: string[];
  operations: SdkOperationSpec[];
}

/** Where a URL is in an HTTP call's arguments. */
export interface HttpUrlSpec {
  arg: number;
  /** A property of the argument (`axios({ url })`); the argument itself when absent. */
  prop?: string;
  /** With `prop` as the host (`https.request({ hostname, path })`): the property holding the path. */
  path?: string;
}

/** One way of calling an HTTP client: the member called, where its URL and method are. */
export interface HttpCallShape {
  /** The member called on the client (`get`, `post`, `request`); `''` for calling the client itself (`fetch(url)`). */
  member: string;
  /** The method this member always uses (`axios.post` → `POST`). */
  method?: string;
  /** Where the URL is, tried in order: the first that is not an object wins. */
  url: HttpUrlSpec[];
  /** Where the method is when the member does not fix it (`fetch(url, { method })`). */
  methodFrom?: { arg: number; prop: string }[];
  /** The method when nothing says (`GET`). */
  defaultMethod?: string;
}

/**
 * A detector of HTTP calls made with one client library, described as data: where code gets the client, how it
 * is called, and which members make configured instances with a base URL. The engine in
 * `src/link/detect-http-calls.ts` matches calls against it; `src/resolve/resolve-http.ts` links the URL to the
 * function serving that method and path.
 */
export interface HttpClientDetector {
  /** The client (`fetch`, `axios`): shown on the edge. */
  id: string;
  description: string;
  /** How code gets the client: a global (`fetch`) or an export of a module (`axios` default, `https` namespace `*`). */
  sources: ({ global: string } | { module: string; export: string })[];
  calls: HttpCallShape[];
  /** Members that return a configured client, and the option holding its base URL (`axios.create({ baseURL })`). */
  instances?: { member: string; baseUrl: string }[];
}
