import type { SummaryState } from '../../src/summarize/state.js';

/**
 * A collector's own state for the file being walked. Files are walked one at a time, so the last one is kept at
 * hand: collectors look it up on many nodes, and a WeakMap lookup each time would cost more than the work.
 */
export function createFileState<T>(make: () => T): (state: SummaryState) => T {
  const all = new WeakMap<SummaryState, T>();
  let last: { state: SummaryState; value: T } | undefined;
  return (state) => {
    if (last?.state === state) return last.value;
    let value = all.get(state);
    if (value === undefined) {
      value = make();
      all.set(state, value);
    }
    last = { state, value };
    return value;
  };
}
