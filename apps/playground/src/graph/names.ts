// How the page names nodes, in the notation of evaluation traces (Griewank; Baydin et al., "Automatic
// differentiation in machine learning: a survey"): inputs by their own names, intermediate values v1, v2, …
import type { Graph, GraphNode } from './parse.js';

export function nodeNames(graph: Graph): string[] {
  let next = 1;
  return graph.nodes.map((node) => (node.op === 'input' ? node.label : node.op === 'const' ? node.label : `v${next++}`));
}

/** The node's rule in terms of its inputs' names, e.g. `a + b`, `sin(x)`. */
export function ruleOf(node: GraphNode, names: readonly string[]): string {
  const [a, b] = node.inputs.map((i) => names[i]);
  switch (node.op) {
    case 'input':
    case 'const': return names[node.id];
    case 'add': return `${a} + ${b}`;
    case 'sub': return `${a} − ${b}`;
    case 'mul': return `${a} · ${b}`;
    case 'div': return `${a} / ${b}`;
    case 'pow': return `${a} ^ ${b}`;
    case 'neg': return `−${a}`;
    default: return `${node.op}(${a})`;
  }
}

/** A number as the page prints it: four significant digits, no exponent for everyday sizes. */
export function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
  return s.replace('-', '−');
}
