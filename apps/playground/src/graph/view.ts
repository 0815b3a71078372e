// Draws a computational graph as SVG: nodes in columns by depth, edges from inputs to their users, each
// node's value under it once the forward pass reached it and its gradient once the backward pass did.
import { COLUMN, layout } from './layout.js';
import { fmt, ruleOf } from './names.js';
import type { Stepper } from './stepper.js';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent.appendChild(node);
  return node;
}

/** Redraws `svg` for the stepper's current state. */
export function drawGraph(svg: SVGSVGElement, stepper: Stepper): void {
  const { graph, names } = stepper;
  const { positions, width, height } = layout(graph);
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // Drawn at up to 1.8× its natural size where the panel is wide; scrolls inside the panel where not.
  svg.style.maxWidth = `${Math.round(width * 1.8)}px`;
  svg.style.minWidth = `${Math.min(width, 560)}px`;
  const current = stepper.current;
  const backwardAt = stepper.backwardSteps > 0 ? current : null;
  const edges = el('g', { class: 'edges' }, svg);
  for (const node of graph.nodes) {
    for (const i of node.inputs) {
      const from = positions[i];
      const to = positions[node.id];
      const active = node.id === current;
      el('line', { x1: from.x + 22, y1: from.y, x2: to.x - 22, y2: to.y, class: `edge${active ? (backwardAt === node.id ? ' edge-backward' : ' edge-forward') : ''}` }, edges);
    }
  }
  const nodes = el('g', { class: 'nodes' }, svg);
  for (const node of graph.nodes) {
    const { x, y } = positions[node.id];
    const value = stepper.valueOf(node.id);
    const grad = node.op === 'const' ? null : stepper.gradOf(node.id);
    const complete = stepper.gradComplete(node.id);
    const g = el('g', {
      class: `node node-${node.op === 'input' ? 'input' : node.op === 'const' ? 'const' : 'op'}${node.id === current ? ' node-current' : ''}`,
      'data-node': node.id,
      'data-name': names[node.id],
      'data-value': value ?? '',
      'data-grad': grad ?? '',
      'data-grad-complete': String(complete),
    }, nodes);
    const title = el('title', {}, g);
    title.textContent = `${names[node.id]} = ${ruleOf(node, names)}`;
    if (node.inputs.length === 0) el('rect', { x: x - 22, y: y - 16, width: 44, height: 32, rx: 8 }, g);
    else el('circle', { cx: x, cy: y, r: 22 }, g);
    const label = el('text', { x, y: y + 5, 'text-anchor': 'middle', class: 'node-label' }, g);
    label.textContent = node.op === 'input' || node.op === 'const' ? names[node.id] : node.op === 'mul' ? '×' : node.label;
    if (node.inputs.length > 0) {
      const name = el('text', { x, y: y - 28, 'text-anchor': 'middle', class: 'node-name' }, g);
      name.textContent = names[node.id];
    }
    if (value !== null && node.op !== 'const') {
      const v = el('text', { x, y: y + 38, 'text-anchor': 'middle', class: 'node-value' }, g);
      v.textContent = `= ${fmt(value)}`;
    }
    if (grad !== null) {
      const d = el('text', { x, y: y + 54, 'text-anchor': 'middle', class: `node-grad${complete ? '' : ' node-grad-partial'}` }, g);
      d.textContent = `∂f = ${fmt(grad)}`;
    }
  }
  svg.setAttribute('aria-label', `Computational graph of f with ${graph.nodes.length} nodes, ${Math.round(width / COLUMN)} columns wide`);
}
