import type { Storage } from '../storage.js';
import type { TypedArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';

// What `compile` needs to hear about while it traces a function, from places that are not kernels: a host
// read of a value (the function's control flow could depend on it), a random draw (its values must differ
// per call), the tensors an in-place op is about to write, and the tensors an op takes (to find the leaves
// whose `.grad` the backward pass assigns). Each site checks one module variable, so without a trace they
// cost a comparison.

/** The listener of one trace; `null` when nothing is being traced. */
export interface TraceListener {
  hostRead(storage: Storage): void;
  randomDraw(): void;
  written(tensors: readonly Tensor[]): void;
  opInputs(inputs: readonly Tensor[]): void;
}

export let traceListener: TraceListener | null = null;
/** Reads that an op makes only to check its inputs (index ranges) or to build a view, not to decide values. */
let exempt = 0;

export function setTraceListener(listener: TraceListener | null): void {
  traceListener = listener;
}

export function noteHostRead(storage: Storage): void {
  if (traceListener !== null && exempt === 0) traceListener.hostRead(storage);
}

export function noteRandomDraw(): void {
  if (traceListener !== null) traceListener.randomDraw();
}

export function noteWritten(tensors: readonly Tensor[]): void {
  if (traceListener !== null) traceListener.written(tensors);
}

export function noteOpInputs(inputs: readonly Tensor[]): void {
  if (traceListener !== null) traceListener.opInputs(inputs);
}

/**
 * Runs `read` without reporting its host reads to a trace: for an op's input checks (which a replay skips,
 * as it skips every op's front end) and for views whose memory the trace follows itself.
 */
export function exemptRead<T>(read: () => T): T {
  exempt++;
  try {
    return read();
  } finally {
    exempt--;
  }
}

/**
 * The host values of `t`, read only to check them (index ranges, class labels): a trace of `compile` does not
 * count this read as one the function's result depends on. A replay skips such checks, as it skips every
 * op's front end; run eagerly to see their errors.
 *
 * @example
 * const bad = checkedValues(target).findIndex((v) => v < 0 || v >= classes);
 */
export function checkedValues(t: Tensor): TypedArray {
  return exemptRead(() => t.dataSync());
}
