import type { Tensor } from '@backprop/tensor';

/**
 * One recorded op in the graph: what produced a tensor. The graph is the chain of `gradFn` nodes from a
 * tensor back to its leaves; it lives exactly as long as the tensors that reference it.
 */
export class GraphNode {
  /** Cleared when the graph is released after `backward()`. */
  inputs: readonly Tensor[];
  released = false;

  constructor(
    readonly op: string,
    inputs: readonly Tensor[],
    readonly attrs: Record<string, unknown>,
    /** 'ok', or why a gradient cannot pass: the op has none, or no rule is registered for it. */
    readonly status: 'ok' | 'non-differentiable' | 'no-rule',
    /** For a non-differentiable node: the op where differentiability was lost. */
    readonly origin: string = op,
  ) {
    this.inputs = inputs;
  }
}

export function nodeOf(t: Tensor): GraphNode | null {
  return t.gradFn instanceof GraphNode ? t.gradFn : null;
}
