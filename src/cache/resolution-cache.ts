import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolutionState } from '../resolve/incremental.js';
import { trackTemporaryFile } from '../write-output.js';

const FORMAT = 'lambda2sfn-resolution';
const FILE_NAME = 'resolution.ndjson';

/**
 * The resolve stage's units of work, kept between runs (see resolve/incremental.ts): a header line (format, key,
 * the context hash, the files and their content hashes), a line of the deployed functions' reachabilities, then one
 * line per file. Written to a temporary file renamed into place; anything damaged or of another key is a miss (the
 * run resolves everything), never an error.
 */
export class ResolutionCache {
  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {}

  load(): ResolutionState | undefined {
    try {
      const lines = readFileSync(path.join(this.dir, FILE_NAME), 'utf8').split('\n');
      const header = JSON.parse(lines[0]) as { format?: unknown; key?: unknown; context?: unknown; files?: unknown; hashes?: unknown };
      if (header.format !== FORMAT || header.key !== this.key || typeof header.context !== 'string') return undefined;
      const { files, hashes } = header;
      if (!isStrings(files) || !isStrings(hashes) || hashes.length !== files.length) return undefined;
      const reaches = JSON.parse(lines[1]) as ResolutionState['reaches'];
      if (!Array.isArray(reaches)) return undefined;
      // One line per file, then the empty rest after the last newline: a file cut short is a miss.
      if (lines.length !== files.length + 3 || lines[lines.length - 1] !== '') return undefined;
      const perFile = lines.slice(2, -1).map((line) => JSON.parse(line) as ResolutionState['perFile'][number]);
      if (!perFile.every((entry) => entry && typeof entry === 'object' && entry.calls && entry.callsDeps && entry.unitDeps)) return undefined;
      return { context: header.context, files, hashes, reaches, perFile };
    } catch {
      return undefined;
    }
  }

  /** Writes the state atomically; returns a reason when it could not. */
  save(state: ResolutionState): string | undefined {
    const target = path.join(this.dir, FILE_NAME);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    const { context, files, hashes, reaches, perFile } = state;
    let untrack: (() => void) | undefined;
    try {
      mkdirSync(this.dir, { recursive: true });
      untrack = trackTemporaryFile(temporary);
      const lines = [JSON.stringify({ format: FORMAT, key: this.key, context, files, hashes }), JSON.stringify(reaches), ...perFile.map((entry) => JSON.stringify(entry))];
      writeFileSync(temporary, `${lines.join('\n')}\n`);
      renameSync(temporary, target);
      return undefined;
    } catch (error) {
      rmSync(temporary, { force: true });
      return (error as Error).message;
    } finally {
      untrack?.();
    }
  }
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
