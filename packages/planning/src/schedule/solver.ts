import loadHighs, { type Highs } from 'highs';

let loading: Promise<Highs> | undefined;

/**
 * HiGHS compiled to WebAssembly, loaded once per thread. Its solves block the thread: callers run them in a worker.
 * An entry of its own (`@switchboard/planning/solver`), so the browser bundle, which imports the package for its
 * staffing math, never pulls in the WebAssembly.
 */
export function loadSolver(): Promise<Highs> {
  loading ??= loadHighs();
  return loading;
}
