// The network diagram: a column of input features (each a checkbox), one column per hidden layer with its
// neurons' heat maps and +/− buttons, the output node, and an SVG of edges whose colour is the weight's
// sign and whose width is its magnitude.
import { css, NEGATIVE, POSITIVE } from '../common/colors.js';
import { FEATURES, gridPoints } from './features.js';
import { drawHeatmap } from './render.js';
import { FEATURE_NAMES, MAX_NEURONS, type FeatureName, type PlaygroundConfig } from './state.js';
import type { Snapshot } from './trainer.js';

export interface NetworkViewEvents {
  toggleFeature(feature: FeatureName, on: boolean): void;
  changeNeurons(layer: number, delta: 1 | -1): void;
}

const SVG = 'http://www.w3.org/2000/svg';
const NODE_PIXELS = 48;
const FEATURE_DENSITY = 20;

interface Edge {
  path: SVGPathElement;
  /** Index into snapshot.layers, and the weight's [out, in] position. */
  layer: number;
  out: number;
  in: number;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function nodeCanvas(label: string): HTMLCanvasElement {
  const canvas = el('canvas', { width: NODE_PIXELS, height: NODE_PIXELS, className: 'node' });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}

/** Each feature over the grid, scaled by its largest magnitude so every map spans the colour scale. */
function featureMap(feature: FeatureName): Float32Array {
  const grid = gridPoints(FEATURE_DENSITY);
  const out = new Float32Array(FEATURE_DENSITY * FEATURE_DENSITY);
  let max = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = FEATURES[feature].fn(grid[2 * i], grid[2 * i + 1]);
    max = Math.max(max, Math.abs(out[i]));
  }
  for (let i = 0; i < out.length; i++) out[i] /= max || 1;
  return out;
}

export class NetworkView {
  private readonly svg: SVGSVGElement;
  private featureNodes = new Map<FeatureName, HTMLCanvasElement>();
  private hiddenNodes: HTMLCanvasElement[][] = [];
  private outputNode: HTMLCanvasElement | null = null;
  private edges: Edge[] = [];
  private config: PlaygroundConfig | null = null;
  private lastSnapshot: Snapshot | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly events: NetworkViewEvents,
  ) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('edges');
    this.svg.setAttribute('aria-hidden', 'true');
    new ResizeObserver(() => this.layoutEdges()).observe(root);
  }

  /** Rebuilds the diagram for a new architecture, keeping keyboard focus on the control that had it. */
  render(config: PlaygroundConfig): void {
    this.config = config;
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    this.root.replaceChildren(this.svg);
    this.featureNodes.clear();
    this.hiddenNodes = [];

    const featureList = el('div', { className: 'node-list' });
    for (const f of FEATURE_NAMES) {
      const id = `feature-${f}`;
      const box = el('input', { type: 'checkbox', id, checked: config.features.includes(f), className: 'feature-toggle' });
      box.addEventListener('change', () => this.events.toggleFeature(f, box.checked));
      const canvas = nodeCanvas(`Feature ${FEATURES[f].spoken}`);
      drawHeatmap(canvas, featureMap(f), FEATURE_DENSITY);
      this.featureNodes.set(f, canvas);
      const label = el('label', { htmlFor: id }, canvas, el('span', { className: 'node-name' }, FEATURES[f].label));
      label.setAttribute('aria-label', `Use feature ${FEATURES[f].spoken}`);
      featureList.append(el('div', { className: `feature${config.features.includes(f) ? '' : ' inactive'}` }, box, label));
    }
    this.root.append(el('div', { className: 'net-col features' }, el('h3', {}, 'Features'), featureList));

    config.layers.forEach((size, layer) => {
      const name = `layer ${layer + 1}`;
      const add = el('button', { type: 'button', id: `add-neuron-${layer}`, textContent: '+', disabled: size >= MAX_NEURONS });
      add.setAttribute('aria-label', `Add a neuron to ${name}`);
      add.addEventListener('click', () => this.events.changeNeurons(layer, 1));
      const remove = el('button', { type: 'button', id: `remove-neuron-${layer}`, textContent: '−', disabled: size <= 1 });
      remove.setAttribute('aria-label', `Remove a neuron from ${name}`);
      remove.addEventListener('click', () => this.events.changeNeurons(layer, -1));
      const nodes = Array.from({ length: size }, (_, j) => nodeCanvas(`Layer ${layer + 1}, neuron ${j + 1}`));
      this.hiddenNodes.push(nodes);
      this.root.append(
        el(
          'div',
          { className: 'net-col hidden-layer' },
          el('h3', {}, `${size} neuron${size === 1 ? '' : 's'}`),
          el('div', { className: 'neuron-buttons' }, add, remove),
          el('div', { className: 'node-list' }, ...nodes),
        ),
      );
    });

    this.outputNode = nodeCanvas('Output neuron');
    this.root.append(el('div', { className: 'net-col output-col' }, el('h3', {}, 'Output'), el('div', { className: 'node-list' }, this.outputNode)));

    if (focusedId) document.getElementById(focusedId)?.focus();
    this.layoutEdges();
  }

  /** Places one SVG path per weight between the centres of the nodes it connects. */
  private layoutEdges(): void {
    const config = this.config;
    if (!config) return;
    const origin = this.root.getBoundingClientRect();
    this.svg.setAttribute('width', String(this.root.scrollWidth));
    this.svg.setAttribute('height', String(this.root.scrollHeight));
    const anchor = (node: HTMLElement, side: 'left' | 'right'): [number, number] => {
      const r = node.getBoundingClientRect();
      return [(side === 'left' ? r.left : r.right) - origin.left + this.root.scrollLeft, r.top + r.height / 2 - origin.top];
    };
    const columns: HTMLElement[][] = [config.features.map((f) => this.featureNodes.get(f)!), ...this.hiddenNodes];
    if (this.outputNode) columns.push([this.outputNode]);
    this.edges = [];
    const paths: SVGPathElement[] = [];
    for (let layer = 0; layer + 1 < columns.length; layer++) {
      columns[layer + 1].forEach((to, out) => {
        columns[layer].forEach((from, inp) => {
          const [x1, y1] = anchor(from, 'right');
          const [x2, y2] = anchor(to, 'left');
          const mid = (x1 + x2) / 2;
          const path = document.createElementNS(SVG, 'path');
          path.setAttribute('d', `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`);
          paths.push(path);
          this.edges.push({ path, layer, out, in: inp });
        });
      });
    }
    this.svg.replaceChildren(...paths);
    if (this.lastSnapshot) this.updateEdges(this.lastSnapshot);
  }

  private updateEdges(snapshot: Snapshot): void {
    for (const edge of this.edges) {
      const layer = snapshot.layers[edge.layer];
      if (!layer || edge.out >= layer.outputs || edge.in >= layer.inputs) continue;
      const w = layer.weight[edge.out * layer.inputs + edge.in];
      edge.path.setAttribute('stroke', css(w >= 0 ? POSITIVE : NEGATIVE, 0.85));
      edge.path.setAttribute('stroke-width', (0.5 + Math.min(Math.abs(w), 4) * 1.5).toFixed(2));
    }
  }

  /** Draws the neurons' heat maps and the edges' weights of a snapshot. */
  update(snapshot: Snapshot): void {
    this.lastSnapshot = snapshot;
    const d = snapshot.neuronDensity;
    this.hiddenNodes.forEach((nodes, layer) => {
      const maps = snapshot.neurons[layer];
      if (!maps) return;
      nodes.forEach((canvas, j) => {
        if ((j + 1) * d * d <= maps.length) drawHeatmap(canvas, maps, d, j * d * d);
      });
    });
    if (this.outputNode) drawHeatmap(this.outputNode, snapshot.output, snapshot.outputDensity);
    this.updateEdges(snapshot);
  }
}
