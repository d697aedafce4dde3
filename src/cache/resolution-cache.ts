import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolutionState } from '../resolve/incremental.js';
import { writeCacheFile } from './cache-lines.js';

const FORMAT = 'lambda2sfn-resolution';
const FILE_NAME = 'resolution.ndjson';

/**
 * The resolve stage's units of work, kept between runs (see resolve/incremental.ts): a header line (format, key,
 * the context hash, the files and their content hashes, how many reachabilities), the targets the module resolver
 * looked for (to tell whether a new or deleted file changes an import), a line per deployed function's
 * reachability, then one line per file. Written to a temporary file renamed into place; anything damaged or of
 * another key is a miss (the run resolves everything), never an error.
 *
 * A re-run reuses most units as they were: their lines are written back as read, not stringified again (at 10,000
 * files the file is 4 MB, and stringifying it was a tenth of a re-run).
 */
export class ResolutionCache {
  /** The line each unit loaded by this cache was read from. */
  private readonly lines = new WeakMap<object, string>();

  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {}

  load(): ResolutionState | undefined {
    try {
      const lines = readFileSync(path.join(this.dir, FILE_NAME), 'utf8').split('\n');
      const header = JSON.parse(lines[0]) as { format?: unknown; key?: unknown; context?: unknown; files?: unknown; hashes?: unknown; reaches?: unknown };
      if (header.format !== FORMAT || header.key !== this.key || typeof header.context !== 'string') return undefined;
      const { files, hashes, reaches: reachCount } = header;
      if (!isStrings(files) || !isStrings(hashes) || hashes.length !== files.length || typeof reachCount !== 'number') return undefined;
      // The header, the targets looked for, the reachabilities, one line per file, then the empty rest after the
      // last newline: a file cut short is a miss.
      if (lines.length !== 2 + reachCount + files.length + 1 || lines[lines.length - 1] !== '') return undefined;
      const probed = this.parse<unknown[]>(lines[1]);
      if (!isStrings(probed)) return undefined;
      const reaches = lines.slice(2, 2 + reachCount).map((line) => this.parse<ResolutionState['reaches'][number]>(line));
      if (!reaches.every((reach) => reach && typeof reach === 'object' && Array.isArray(reach.fns) && Array.isArray(reach.modules) && reach.deps)) return undefined;
      const perFile = lines.slice(2 + reachCount, -1).map((line) => this.parse<ResolutionState['perFile'][number]>(line));
      if (!perFile.every((entry) => entry && typeof entry === 'object' && entry.calls && entry.callsDeps && entry.unitDeps)) return undefined;
      return { context: header.context, files, hashes, reaches, perFile, probed };
    } catch {
      return undefined;
    }
  }

  /** Writes the state atomically; returns a reason when it could not. */
  save(state: ResolutionState): string | undefined {
    const { context, files, hashes, reaches, perFile, probed } = state;
    const header = JSON.stringify({ format: FORMAT, key: this.key, context, files, hashes, reaches: reaches.length });
    const lines = [header, this.toLine(probed), ...reaches.map((reach) => this.toLine(reach)), ...perFile.map((entry) => this.toLine(entry))];
    return writeCacheFile(path.join(this.dir, FILE_NAME), `${lines.join('\n')}\n`);
  }

  private parse<T extends object>(line: string): T {
    const value = JSON.parse(line) as T;
    if (value && typeof value === 'object') this.lines.set(value, line);
    return value;
  }

  /** A unit's line: the one it was read from when the run reused it as it was (the same object). */
  private toLine(value: object): string {
    return this.lines.get(value) ?? JSON.stringify(value);
  }
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
