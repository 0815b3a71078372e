// Where each node of a computational graph sits: columns by depth (inputs on the left, the output on the
// right), rows in the order nodes appear in their column. Constants sit one column left of their first use.
import type { Graph } from './parse.js';

export interface Placed {
  readonly x: number;
  readonly y: number;
}

export const COLUMN = 120;
export const ROW = 92;
export const MARGIN = 60;

export function layout(graph: Graph): { positions: Placed[]; width: number; height: number } {
  const depth = new Array<number>(graph.nodes.length).fill(0);
  for (const node of graph.nodes) {
    if (node.inputs.length > 0) depth[node.id] = 1 + Math.max(...node.inputs.map((i) => depth[i]));
  }
  // Constants: just before their first consumer, so they do not crowd the inputs' column.
  for (const node of graph.nodes) {
    for (const i of node.inputs) if (graph.nodes[i].op === 'const') depth[i] = Math.max(0, Math.min(depth[i] || Infinity, depth[node.id] - 1));
  }
  const rows = new Map<number, number>();
  const positions = graph.nodes.map((node) => {
    const column = depth[node.id];
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return { x: MARGIN + column * COLUMN, y: MARGIN + row * ROW };
  });
  const columns = Math.max(...depth) + 1;
  const maxRows = Math.max(...rows.values());
  return { positions, width: 2 * MARGIN + (columns - 1) * COLUMN, height: 2 * MARGIN + (maxRows - 1) * ROW };
}
