import { webcrypto } from 'node:crypto';
import { Console } from 'node:console';
import { Writable } from 'node:stream';

/**
 * What a handler bundle sees instead of some globals (see `inject.ts`): its own `process.env`, a frozen clock,
 * seeded randomness, shortened timers and a console that does not write to our standard output. Each function has
 * one runtime; `reset` puts every runtime back to its start before each world runs a scenario, so that the
 * original chain and the workflow see the same clock and the same "random" ids in the same order.
 */
export interface FunctionRuntime {
  process: NodeJS.Process;
  Date: DateConstructor;
  Math: Math;
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  console: Console;
  crypto: typeof webcrypto;
  randomUUID: () => string;
  randomBytes: (size: number, callback?: (error: Error | null, buffer: Buffer) => void) => Buffer | undefined;
}

/** The instant every handler sees as "now" (a frozen clock: timestamps written by both worlds are equal). */
export const SIMULATED_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface RuntimeOptions {
  /** Factor applied to the handlers' own timers (their retry sleeps): 0.01 makes a 1 s sleep 10 ms. */
  timeScale: number;
  /** Where handler logs go (one line per call, prefixed with the function); absent: dropped. */
  log?: (fn: string, line: string) => void;
}

interface RuntimeState {
  runtime: FunctionRuntime;
  reseed: () => void;
}

/** The object bundles reach through `globalThis[RUNTIME_KEY]`. */
export interface SimulationGlobal {
  runtimeFor(fn: string): FunctionRuntime;
  /** SDK v2 calls of the `aws-sdk` stand-in (`sdk-v2.ts`): answered like the v3 calls. */
  sendV2(service: string, operation: string, params: unknown): Promise<unknown>;
}

export const RUNTIME_KEY = Symbol.for('lambda2sfn.simulate');

/** The runtimes of every function, and the timers they left running (cleared after each scenario). */
export class RuntimeRegistry {
  private readonly states = new Map<string, RuntimeState>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly environments: (fn: string) => Record<string, string>,
    private readonly options: RuntimeOptions,
  ) {}

  runtimeFor(fn: string): FunctionRuntime {
    let state = this.states.get(fn);
    if (!state) {
      state = this.createState(fn);
      this.states.set(fn, state);
    }
    return state.runtime;
  }

  /** Back to the start: the same seeds for every function, no timer left running. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const state of this.states.values()) state.reseed();
  }

  private createState(fn: string): RuntimeState {
    const env = this.environments(fn);
    let random = createRandom(fn);
    const nextRandom = () => random();
    const bytes = (size: number): Buffer => {
      const buffer = Buffer.alloc(size);
      for (let i = 0; i < size; i++) buffer[i] = Math.floor(nextRandom() * 256);
      return buffer;
    };
    const randomUUID = () => {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const hex = b.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    const randomBytes = (size: number, callback?: (error: Error | null, buffer: Buffer) => void) => {
      const buffer = bytes(size);
      if (!callback) return buffer;
      queueMicrotask(() => callback(null, buffer));
      return undefined;
    };
    const scale = this.options.timeScale;
    const timers = this.timers;
    const scaled = <T extends typeof setTimeout | typeof setInterval>(real: T): T =>
      ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        const timer = real(handler, Math.ceil((ms ?? 0) * scale), ...args);
        timers.add(timer);
        return timer;
      }) as unknown as T;
    const simulatedMath = Object.create(Math, { random: { value: nextRandom } }) as Math;
    const crypto = Object.create(webcrypto, {
      randomUUID: { value: randomUUID },
      getRandomValues: {
        value: <A extends ArrayBufferView | null>(array: A): A => {
          if (array) new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(bytes(array.byteLength));
          return array;
        },
      },
      subtle: { value: webcrypto.subtle },
    }) as typeof webcrypto;
    const log = this.options.log;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (log) for (const line of chunk.toString('utf8').split('\n')) if (line) log(fn, line);
        done();
      },
    });
    const runtime: FunctionRuntime = {
      process: createProcess(env),
      Date: createFrozenDate(),
      Math: simulatedMath,
      setTimeout: scaled(setTimeout),
      setInterval: scaled(setInterval),
      console: new Console({ stdout: sink, stderr: sink }),
      crypto,
      randomUUID,
      randomBytes: randomBytes as FunctionRuntime['randomBytes'],
    };
    return { runtime, reseed: () => (random = createRandom(fn)) };
  }
}

/** `process` with the function's own environment; everything else is the real process. */
function createProcess(env: Record<string, string>): NodeJS.Process {
  const ownEnv = { ...env };
  return new Proxy(process, {
    get(target, property) {
      if (property === 'env') return ownEnv;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `Date` whose "now" is SIMULATED_NOW: `new Date()`, `Date.now()` and `Date()`; dates built from values are untouched. */
function createFrozenDate(): DateConstructor {
  const RealDate = Date;
  return new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [SIMULATED_NOW] : args, newTarget) as object;
    },
    apply() {
      return new RealDate(SIMULATED_NOW).toString();
    },
    get(target, property) {
      if (property === 'now') return () => SIMULATED_NOW;
      return Reflect.get(target, property, target) as unknown;
    },
  });
}

/** mulberry32 seeded from the function's id: the same sequence in both worlds. */
function createRandom(seedText: string): () => number {
  let seed = 0;
  for (const char of seedText) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
