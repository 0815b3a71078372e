// Stepping through a graph's forward pass (one operation at a time, in topological order) and then its
// backward pass (one node at a time, in reverse), keeping what has been computed so far.
import { trace, type Trace } from './evaluate.js';
import { fmt, nodeNames, ruleOf } from './names.js';
import type { Graph } from './parse.js';

export type Phase = 'forward' | 'backward' | 'done';

export class Stepper {
  readonly trace: Trace;
  readonly names: string[];
  /** The operation nodes, in the order the forward pass computes them. */
  private readonly order: number[];
  private forwardDone = 0;
  private backwardDone = 0;

  constructor(
    readonly graph: Graph,
    values: Readonly<Record<string, number>>,
  ) {
    this.trace = trace(graph, values);
    this.names = nodeNames(graph);
    this.order = graph.nodes.filter((n) => n.inputs.length > 0).map((n) => n.id);
  }

  get phase(): Phase {
    if (this.forwardDone < this.order.length) return 'forward';
    return this.backwardDone < this.trace.steps.length ? 'backward' : 'done';
  }

  get forwardSteps(): number {
    return this.forwardDone;
  }

  get backwardSteps(): number {
    return this.backwardDone;
  }

  /** The node the last step computed (forward) or visited (backward), or null before any step. */
  get current(): number | null {
    if (this.backwardDone > 0) return this.trace.steps[this.backwardDone - 1].node;
    return this.forwardDone > 0 ? this.order[this.forwardDone - 1] : null;
  }

  /** The node's value if the forward pass has reached it (inputs and constants are known from the start). */
  valueOf(id: number): number | null {
    const node = this.graph.nodes[id];
    if (node.inputs.length === 0) return this.trace.values[id];
    return this.order.indexOf(id) < this.forwardDone ? this.trace.values[id] : null;
  }

  /** ∂f/∂node accumulated so far, or null while the backward pass has not reached the node at all. */
  gradOf(id: number): number | null {
    if (this.forwardDone < this.order.length) return null;
    if (id === this.graph.output) return 1;
    let sum: number | null = null;
    for (const step of this.trace.steps.slice(0, this.backwardDone)) {
      for (const c of step.contributions) if (c.input === id) sum = (sum ?? 0) + c.added;
    }
    return sum;
  }

  /** Whether ∂f/∂node is final: every node that uses it has passed its gradient back. */
  gradComplete(id: number): boolean {
    if (this.forwardDone < this.order.length) return false;
    const users = this.trace.steps.filter((s) => s.contributions.some((c) => c.input === id)).map((s) => this.trace.steps.indexOf(s));
    return id === this.graph.output || (users.length > 0 && users.every((k) => k < this.backwardDone));
  }

  /** Runs the next step; returns false when everything has run. */
  step(): boolean {
    if (this.phase === 'forward') this.forwardDone++;
    else if (this.phase === 'backward') this.backwardDone++;
    else return false;
    return true;
  }

  /** Runs every remaining step. */
  finish(): void {
    while (this.step());
  }

  /** In words, what the last step did, with the numbers: the chain rule spelled out on a backward step. */
  describe(): string {
    const n = this.names;
    if (this.backwardDone > 0) {
      const step = this.trace.steps[this.backwardDone - 1];
      const at = n[step.node];
      const parts = step.contributions
        .filter((c) => this.graph.nodes[c.input].op !== 'const')
        .map((c) => `∂${at}/∂${n[c.input]} = ${fmt(c.local)}, so ∂f/∂${n[c.input]} += ${fmt(step.grad)} × ${fmt(c.local)} = ${fmt(c.added)}`);
      return `Backward at ${at} = ${ruleOf(this.graph.nodes[step.node], n)}: ∂f/∂${at} = ${fmt(step.grad)}. ${parts.join('; ')}.`;
    }
    if (this.forwardDone > 0) {
      const id = this.order[this.forwardDone - 1];
      const node = this.graph.nodes[id];
      const shown = [...n];
      for (const i of node.inputs) shown[i] = fmt(this.trace.values[i]);
      const withValues = ruleOf(node, shown);
      const last = this.forwardDone === this.order.length ? ' The forward pass is done: next, the backward pass starts from ∂f/∂f = 1.' : '';
      return `Forward: ${n[id]} = ${ruleOf(node, n)} = ${withValues} = ${fmt(this.trace.values[id])}.${last}`;
    }
    return `Press “Forward step” to compute the first value. ${this.order.length} operations forward, then ${this.trace.steps.length} backward.`;
  }
}
