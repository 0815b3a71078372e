// The forward and backward passes over a parsed graph, one node at a time, with each step's local
// derivatives kept so the page can show the chain rule being applied: ∂f/∂input += ∂f/∂node · ∂node/∂input.
import type { Graph, GraphNode } from './parse.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** The value a node computes from its inputs' values. */
export function apply(node: GraphNode, x: readonly number[]): number {
  const [a, b] = x;
  switch (node.op) {
    case 'input': throw new Error('graph: an input has no rule');
    case 'const': return node.value!;
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'pow': return a ** b;
    case 'neg': return -a;
    case 'sin': return Math.sin(a);
    case 'cos': return Math.cos(a);
    case 'exp': return Math.exp(a);
    case 'log': return Math.log(a);
    case 'tanh': return Math.tanh(a);
    case 'sigmoid': return sigmoid(a);
    case 'relu': return a > 0 ? a : 0;
    case 'sqrt': return Math.sqrt(a);
    case 'square': return a * a;
  }
}

/** ∂node/∂(each input), at the inputs' values `x` and the node's own value `y`. */
export function localDerivatives(node: GraphNode, x: readonly number[], y: number): number[] {
  const [a, b] = x;
  switch (node.op) {
    case 'input':
    case 'const': return [];
    case 'add': return [1, 1];
    case 'sub': return [1, -1];
    case 'mul': return [b, a];
    case 'div': return [1 / b, -a / (b * b)];
    // As PyTorch: the exponent's derivative a^b·ln a is taken as 0 where a = 0 and b ≥ 0.
    case 'pow': return [b * a ** (b - 1), a === 0 && b >= 0 ? 0 : y * Math.log(a)];
    case 'neg': return [-1];
    case 'sin': return [Math.cos(a)];
    case 'cos': return [-Math.sin(a)];
    case 'exp': return [y];
    case 'log': return [1 / a];
    case 'tanh': return [1 - y * y];
    case 'sigmoid': return [y * (1 - y)];
    case 'relu': return [a > 0 ? 1 : 0];
    case 'sqrt': return [0.5 / y];
    case 'square': return [2 * a];
  }
}

/** Every node's value, in order, for the given variable values. */
export function forwardValues(graph: Graph, variables: Readonly<Record<string, number>>): number[] {
  const values: number[] = [];
  for (const node of graph.nodes) {
    values.push(node.op === 'input' ? checkVariable(variables, node.label) : apply(node, node.inputs.map((i) => values[i])));
  }
  return values;
}

function checkVariable(variables: Readonly<Record<string, number>>, name: string): number {
  const v = variables[name];
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`graph: variable '${name}' has no value`);
  return v;
}

/** One backward step: at `node`, its gradient ∂f/∂node is passed to each input times the local derivative. */
export interface BackwardStep {
  readonly node: number;
  /** ∂f/∂node when the step runs (complete: every use of the node has already contributed). */
  readonly grad: number;
  readonly contributions: readonly { readonly input: number; readonly local: number; readonly added: number }[];
}

/** The whole pass: the values, the backward steps in order, and every node's final ∂f/∂node. */
export interface Trace {
  readonly values: readonly number[];
  readonly steps: readonly BackwardStep[];
  readonly grads: readonly number[];
}

/**
 * Runs the forward pass, then reverse-mode accumulation from the output (∂f/∂f = 1) in reverse topological
 * order, so each node is visited once, after all the nodes that use it.
 */
export function trace(graph: Graph, variables: Readonly<Record<string, number>>): Trace {
  const values = forwardValues(graph, variables);
  const grads = new Array<number>(graph.nodes.length).fill(0);
  grads[graph.output] = 1;
  const steps: BackwardStep[] = [];
  for (let id = graph.output; id >= 0; id--) {
    const node = graph.nodes[id];
    if (node.inputs.length === 0) continue;
    const x = node.inputs.map((i) => values[i]);
    const local = localDerivatives(node, x, values[id]);
    const contributions = node.inputs.map((input, k) => {
      const added = grads[id] * local[k];
      grads[input] += added;
      return { input, local: local[k], added };
    });
    steps.push({ node: id, grad: grads[id], contributions });
  }
  return { values, steps, grads };
}

/** ∂f/∂variable by central differences, (f(v + h) − f(v − h)) / 2h: the check the course teaches. */
export function finiteDifferences(graph: Graph, variables: Readonly<Record<string, number>>, h = 1e-6): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of graph.variables) {
    const at = (delta: number) => forwardValues(graph, { ...variables, [name]: variables[name] + delta })[graph.output];
    out[name] = (at(h) - at(-h)) / (2 * h);
  }
  return out;
}
