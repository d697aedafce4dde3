import { CONTEXT_COLLECTORS, getKeptGlobals, getSdkMethodNames, getSdkTextKeys } from '../../analyzers/index.js';
import type { AnalysisLimits } from '../types/analyzers.js';
import type { SummarizeOptions } from './summarize-file.js';

/**
 * How every source file is summarized: the SDK method names, globals and request keys of the detectors, and the
 * pattern collectors. One function, so that the main thread and the worker threads (summarize-worker.ts) build
 * the same options from the limits alone.
 */
export function getDefaultSummarizeOptions(limits: AnalysisLimits): SummarizeOptions {
  return { limits, sdkMethods: getSdkMethodNames(), keptGlobals: getKeptGlobals(), textKeys: getSdkTextKeys(), collectors: CONTEXT_COLLECTORS };
}
