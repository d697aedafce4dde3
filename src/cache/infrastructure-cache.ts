import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InfrastructureResult } from '../read-infrastructure.js';
import type { DiagnosingRootReader } from '../root-reader.js';
import type { RootReader } from '../types/analyzers.js';
import { writeCacheFile } from './cache-lines.js';
import { hashText } from './summary-cache.js';

const FORMAT = 'lambda2sfn-infrastructure';
const FILE_NAME = 'infrastructure.json';

interface Stored {
  format: string;
  key: string;
  /** Every file the IaC analyzers read, with the hash of its text (null: it did not exist or could not be read). */
  inputs: Record<string, string | null>;
  /** Every path whose existence they asked about, with the answer. */
  exists?: Record<string, boolean>;
  result: InfrastructureResult;
}

/**
 * The IaC stage's result, kept between runs: used again when the same files are IaC candidates and every file the
 * analyzers read (includes too) has the same text. Reading and hashing a hundred YAML files costs little; parsing
 * them does not.
 */
export class InfrastructureCache {
  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {}

  /** The cached result, if every input is unchanged. A missing or damaged cache is a miss. */
  load(reader: RootReader): InfrastructureResult | undefined {
    let stored: Stored;
    try {
      stored = JSON.parse(readFileSync(path.join(this.dir, FILE_NAME), 'utf8')) as Stored;
    } catch {
      return undefined;
    }
    if (stored?.format !== FORMAT || stored.key !== this.key || typeof stored.inputs !== 'object' || stored.inputs === null) return undefined;
    if (!Array.isArray(stored.result?.fragments) || !Array.isArray(stored.result?.diagnostics)) return undefined;
    for (const [file, hash] of Object.entries(stored.inputs)) {
      const text = reader.readText(file);
      if ((text === undefined ? null : hashText(text)) !== hash) return undefined;
    }
    for (const [file, exists] of Object.entries(stored.exists ?? {})) {
      if (reader.exists(file) !== exists) return undefined;
    }
    return stored.result;
  }

  /** Writes the result with its inputs, atomically; returns a reason when it could not. */
  save(result: InfrastructureResult, inputs: RecordedInputs): string | undefined {
    const stored: Stored = {
      format: FORMAT,
      key: this.key,
      inputs: Object.fromEntries([...inputs.texts].map(([file, text]) => [file, text === undefined ? null : hashText(text)])),
      exists: Object.fromEntries(inputs.exists),
      result,
    };
    return writeCacheFile(path.join(this.dir, FILE_NAME), JSON.stringify(stored));
  }
}

export interface RecordedInputs {
  texts: Map<string, string | undefined>;
  exists: Map<string, boolean>;
}

/** A reader that notes every file read and every existence asked through it: the inputs of the cached result. */
export function recordingReader(reader: DiagnosingRootReader, inputs: RecordedInputs): DiagnosingRootReader {
  return {
    read(relativePath) {
      const read = reader.read(relativePath);
      inputs.texts.set(relativePath, 'text' in read ? read.text : undefined);
      return read;
    },
    readText(relativePath) {
      const text = reader.readText(relativePath);
      inputs.texts.set(relativePath, text);
      return text;
    },
    exists(relativePath) {
      const exists = reader.exists(relativePath);
      inputs.exists.set(relativePath, exists);
      return exists;
    },
  };
}
