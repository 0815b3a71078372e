import type { Tensor } from './tensor.js';
import { noteOpInputs } from './compile/hooks.js';

/**
 * The seam between tensors and automatic differentiation. This package records nothing itself: after an
 * op runs, it hands the op's name, inputs, attributes and outputs to the installed recorder, which
 * `@backprop/autograd` provides. So `@backprop/tensor` never imports autograd, and works without it.
 */
export interface OpRecorder {
  record(op: string, inputs: readonly Tensor[], attrs: Record<string, unknown>, output: Tensor): void;
}

/** What `Tensor.backward()` calls; installed by `@backprop/autograd`. */
export interface BackwardEngine {
  backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void;
}

export interface BackwardOptions {
  /** Keep the graph so that `backward()` can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

let recorder: OpRecorder | null = null;
let engine: BackwardEngine | null = null;
let gradEnabled = true;

/** Installs the recorder and backward engine. Called by `@backprop/autograd` when it loads. */
export function installAutograd(r: OpRecorder, e: BackwardEngine): void {
  recorder = r;
  engine = e;
}

export function getBackwardEngine(): BackwardEngine | null {
  return engine;
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Turns recording on or off and returns the previous setting (autograd's `noGrad` restores it). */
export function setGradEnabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}

/** Called by every op after computing its output; cheap when nothing requires a gradient. */
export function recordOp(op: string, inputs: readonly Tensor[], attrs: Record<string, unknown>, output: Tensor): Tensor {
  noteOpInputs(inputs);
  if (recorder !== null && gradEnabled) {
    // An input with a gradFn may carry provenance (e.g. "came from argmax") even if it needs no gradient.
    for (const t of inputs) {
      if (t.requiresGrad || t.gradFn !== null) {
        recorder.record(op, inputs, attrs, output);
        break;
      }
    }
  }
  return output;
}
