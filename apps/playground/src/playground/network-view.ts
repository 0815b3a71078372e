// The network diagram: a column of input features (each a checkbox), one column per hidden layer with its
// neurons' heat maps and +/− buttons, the output node, and an SVG of edges whose colour is the weight's
// sign and whose width is its magnitude; a small square beside each neuron shows its bias. Hovering a node shows its map large in the output panel (and a
// neuron's bias); hovering an edge shows its weight, and clicking it opens a small input to edit the weight.
import { colorOf, css, NEGATIVE, POSITIVE } from '../common/colors.js';
import { FEATURES, gridPoints } from './features.js';
import { drawHeatmap } from './render.js';
import { FEATURE_NAMES, MAX_NEURONS, type FeatureName, type PlaygroundConfig } from './state.js';
import type { Snapshot } from './trainer.js';

/** A node whose map the output panel can show instead of the network's output. */
export type PreviewTarget = { kind: 'feature'; feature: FeatureName } | { kind: 'neuron'; layer: number; index: number };

export interface NetworkViewEvents {
  toggleFeature(feature: FeatureName, on: boolean): void;
  changeNeurons(layer: number, delta: 1 | -1): void;
  /** The pointer entered a node (`target`) or left it (`null`). */
  preview(target: PreviewTarget | null): void;
  /** An edge's weight was edited: dense layer `layer`, weight [out, in]. */
  setWeight(layer: number, out: number, inp: number, value: number): void;
}

const SVG = 'http://www.w3.org/2000/svg';
const NODE_PIXELS = 48;
/** Side of the feature maps' grids. */
export const FEATURE_DENSITY = 20;

interface Edge {
  path: SVGPathElement;
  /** A wider, invisible copy of the path that takes the pointer. */
  hit: SVGPathElement;
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
export function featureMap(feature: FeatureName): Float32Array {
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
  /** Per dense layer (the last is the output), the small square beside each neuron coloured by its bias. */
  private biasMarks: HTMLSpanElement[][] = [];
  private outputNode: HTMLCanvasElement | null = null;
  private edges: Edge[] = [];
  private config: PlaygroundConfig | null = null;
  private lastSnapshot: Snapshot | null = null;
  /** The floating card that shows a hovered edge's weight or neuron's bias, and edits a clicked weight. */
  private readonly card: HTMLDivElement;
  private readonly cardText: HTMLSpanElement;
  private readonly weightForm: HTMLFormElement;
  private readonly weightLabel: HTMLLabelElement;
  private readonly weightInput: HTMLInputElement;
  private editing: Edge | null = null;
  private hovered: { edge: Edge } | { layer: number; index: number } | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly events: NetworkViewEvents,
  ) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.classList.add('edges');
    this.svg.setAttribute('aria-hidden', 'true');
    this.cardText = el('span', { className: 'card-text' });
    this.weightInput = el('input', { type: 'number', step: '0.1', id: 'weight-input', className: 'weight-input' });
    this.weightLabel = el('label', { htmlFor: 'weight-input' }, 'Weight');
    this.weightForm = el('form', { className: 'weight-form', hidden: true }, this.weightLabel, this.weightInput);
    this.card = el('div', { className: 'edge-card', id: 'edge-card', hidden: true }, this.cardText, this.weightForm);
    this.weightForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const edge = this.editing;
      const value = Number(this.weightInput.value);
      if (edge && this.weightInput.value.trim() !== '' && Number.isFinite(value)) this.events.setWeight(edge.layer, edge.out, edge.in, value);
      this.closeEditor();
    });
    this.weightInput.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.closeEditor();
    });
    new ResizeObserver(() => this.layoutEdges()).observe(root);
  }

  /** "x1" for a feature column, "layer 2, neuron 3" for a hidden one, "the output" for the last. */
  private nodeName(column: number, index: number): string {
    const config = this.config!;
    if (column === 0) return FEATURES[config.features[index]].spoken;
    if (column > config.layers.length) return 'the output';
    return `layer ${column}, neuron ${index + 1}`;
  }

  private placeCard(clientX: number, clientY: number): void {
    const origin = this.root.getBoundingClientRect();
    this.card.style.left = `${clientX - origin.left + 12}px`;
    this.card.style.top = `${clientY - origin.top + 12}px`;
    this.card.hidden = false;
  }

  private weightOf(edge: Edge): number | null {
    const layer = this.lastSnapshot?.layers[edge.layer];
    if (!layer || edge.out >= layer.outputs || edge.in >= layer.inputs) return null;
    return layer.weight[edge.out * layer.inputs + edge.in];
  }

  private biasOf(layer: number, index: number): number | null {
    const dense = this.lastSnapshot?.layers[layer];
    return dense && index < dense.outputs ? dense.bias[index] : null;
  }

  /** The card's text for what the pointer is over, refreshed with each snapshot. */
  private refreshCard(): void {
    const hovered = this.hovered;
    if (this.editing || !hovered) return;
    if ('edge' in hovered) {
      const w = this.weightOf(hovered.edge);
      const { layer, out, in: inp } = hovered.edge;
      this.cardText.textContent = `Weight ${w === null ? '–' : w.toFixed(3)} from ${this.nodeName(layer, inp)} to ${this.nodeName(layer + 1, out)}. Click to edit.`;
    } else {
      const b = this.biasOf(hovered.layer, hovered.index);
      this.cardText.textContent = `${this.nodeName(hovered.layer + 1, hovered.index)}: bias ${b === null ? '–' : b.toFixed(3)}`;
    }
  }

  private openEditor(edge: Edge, clientX: number, clientY: number): void {
    this.editing = edge;
    const w = this.weightOf(edge);
    this.cardText.textContent = '';
    this.weightLabel.textContent = `Weight from ${this.nodeName(edge.layer, edge.in)} to ${this.nodeName(edge.layer + 1, edge.out)}`;
    this.weightInput.value = w === null ? '' : String(Number(w.toFixed(3)));
    this.weightForm.hidden = false;
    this.placeCard(clientX, clientY);
    this.weightInput.focus();
    this.weightInput.select();
  }

  private closeEditor(): void {
    this.editing = null;
    this.weightForm.hidden = true;
    this.card.hidden = true;
  }

  /** Shows the node's map large while the pointer is over it (and its bias, for a neuron). */
  private watchNode(canvas: HTMLCanvasElement, target: PreviewTarget, bias: { layer: number; index: number } | null): void {
    canvas.addEventListener('mouseenter', (event) => {
      this.events.preview(target);
      if (!bias || this.editing) return;
      this.hovered = bias;
      this.refreshCard();
      this.placeCard(event.clientX, event.clientY);
    });
    canvas.addEventListener('mouseleave', () => {
      this.events.preview(null);
      if (this.editing) return;
      this.hovered = null;
      this.card.hidden = true;
    });
  }

  /** Rebuilds the diagram for a new architecture, keeping keyboard focus on the control that had it. */
  render(config: PlaygroundConfig): void {
    this.config = config;
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    this.editing = null;
    this.hovered = null;
    this.weightForm.hidden = true;
    this.card.hidden = true;
    this.root.replaceChildren(this.svg, this.card);
    this.featureNodes.clear();
    this.hiddenNodes = [];
    this.biasMarks = [];
    const withBias = (canvas: HTMLCanvasElement, layer: number): HTMLDivElement => {
      const mark = el('span', { className: 'bias' });
      mark.setAttribute('aria-hidden', 'true');
      (this.biasMarks[layer] ??= []).push(mark);
      return el('div', { className: 'neuron' }, canvas, mark);
    };

    const featureList = el('div', { className: 'node-list' });
    for (const f of FEATURE_NAMES) {
      const id = `feature-${f}`;
      const box = el('input', { type: 'checkbox', id, checked: config.features.includes(f), className: 'feature-toggle' });
      box.addEventListener('change', () => this.events.toggleFeature(f, box.checked));
      const canvas = nodeCanvas(`Feature ${FEATURES[f].spoken}`);
      drawHeatmap(canvas, featureMap(f), FEATURE_DENSITY);
      this.watchNode(canvas, { kind: 'feature', feature: f }, null);
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
      const nodes = Array.from({ length: size }, (_, j) => {
        const canvas = nodeCanvas(`Layer ${layer + 1}, neuron ${j + 1}`);
        canvas.dataset.layer = String(layer);
        canvas.dataset.index = String(j);
        this.watchNode(canvas, { kind: 'neuron', layer, index: j }, { layer, index: j });
        return canvas;
      });
      this.hiddenNodes.push(nodes);
      this.root.append(
        el(
          'div',
          { className: 'net-col hidden-layer' },
          el('h3', {}, `${size} neuron${size === 1 ? '' : 's'}`),
          el('div', { className: 'neuron-buttons' }, add, remove),
          el('div', { className: 'node-list' }, ...nodes.map((canvas) => withBias(canvas, layer))),
        ),
      );
    });

    this.outputNode = nodeCanvas('Output neuron');
    this.outputNode.addEventListener('mouseenter', (event) => {
      if (this.editing) return;
      this.hovered = { layer: config.layers.length, index: 0 };
      this.refreshCard();
      this.placeCard(event.clientX, event.clientY);
    });
    this.outputNode.addEventListener('mouseleave', () => {
      if (this.editing) return;
      this.hovered = null;
      this.card.hidden = true;
    });
    this.root.append(el('div', { className: 'net-col output-col' }, el('h3', {}, 'Output'), el('div', { className: 'node-list' }, withBias(this.outputNode, config.layers.length))));

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
    const hits: SVGPathElement[] = [];
    for (let layer = 0; layer + 1 < columns.length; layer++) {
      columns[layer + 1].forEach((to, out) => {
        columns[layer].forEach((from, inp) => {
          const [x1, y1] = anchor(from, 'right');
          const [x2, y2] = anchor(to, 'left');
          const mid = (x1 + x2) / 2;
          const d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
          const path = document.createElementNS(SVG, 'path');
          path.setAttribute('d', d);
          path.classList.add('edge');
          path.dataset.edge = `${layer}-${out}-${inp}`;
          const hit = document.createElementNS(SVG, 'path');
          hit.setAttribute('d', d);
          hit.classList.add('edge-hit');
          hit.dataset.edge = path.dataset.edge;
          const edge: Edge = { path, hit, layer, out, in: inp };
          hit.addEventListener('mouseenter', (event) => {
            if (this.editing) return;
            this.hovered = { edge };
            path.classList.add('hovered');
            this.refreshCard();
            this.placeCard(event.clientX, event.clientY);
          });
          hit.addEventListener('mouseleave', () => {
            path.classList.remove('hovered');
            if (this.editing) return;
            this.hovered = null;
            this.card.hidden = true;
          });
          hit.addEventListener('click', (event) => this.openEditor(edge, event.clientX, event.clientY));
          paths.push(path);
          hits.push(hit);
          this.edges.push(edge);
        });
      });
    }
    // The hit paths go last, so that they are on top of every visible one.
    this.svg.replaceChildren(...paths, ...hits);
    if (this.lastSnapshot) this.updateEdges(this.lastSnapshot);
  }

  private updateEdges(snapshot: Snapshot): void {
    for (const edge of this.edges) {
      const layer = snapshot.layers[edge.layer];
      if (!layer || edge.out >= layer.outputs || edge.in >= layer.inputs) continue;
      const w = layer.weight[edge.out * layer.inputs + edge.in];
      edge.path.setAttribute('stroke', css(w >= 0 ? POSITIVE : NEGATIVE, 0.85));
      edge.path.setAttribute('stroke-width', (0.5 + Math.min(Math.abs(w), 4) * 1.5).toFixed(2));
      edge.path.dataset.weight = String(w);
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
    this.biasMarks.forEach((marks, layer) => {
      marks.forEach((mark, j) => {
        const b = this.biasOf(layer, j);
        if (b === null) return;
        mark.style.background = css(colorOf(b));
        mark.dataset.bias = String(b);
      });
    });
    this.refreshCard();
  }
}
