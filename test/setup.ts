import { afterEach } from 'vitest';

// Give the test worker's event loop a turn after every test. Tests that work synchronously for a long time (CLI runs
// with spawnSync, in-memory type-checks) keep the worker from answering vitest's runner; on a busy machine a file of
// such tests adds up past vitest's 60 s RPC deadline, which fails the run although every test passed.
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
