// Canvas drawing for the playground: heat maps, data points and the loss chart.
import { colorOf, css, NEGATIVE, POSITIVE } from '../common/colors.js';
import { DOMAIN } from './features.js';

const scratch = new Map<number, HTMLCanvasElement>();

/** A density×density canvas holding the heat map's pixels (reused per density). */
function heatImage(values: Float32Array, density: number, offset = 0): HTMLCanvasElement {
  let canvas = scratch.get(density);
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.width = density;
    canvas.height = density;
    scratch.set(density, canvas);
  }
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(density, density);
  for (let i = 0; i < density * density; i++) {
    const [r, g, b] = colorOf(values[offset + i]);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/**
 * Fills `canvas` with the heat map of `values[offset .. offset + density²)`, smoothly scaled. `fade` (0..1)
 * washes it toward white, so data points in the full colours stand out on it.
 */
export function drawHeatmap(canvas: HTMLCanvasElement, values: Float32Array, density: number, offset = 0, fade = 0, smooth = true): void {
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(heatImage(values, density, offset), 0, 0, canvas.width, canvas.height);
  if (fade > 0) {
    ctx.fillStyle = `rgba(255, 255, 255, ${fade})`;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
}

/** Draws points given as interleaved (x1, x2) with their targets (classes 0/1 or values in about ±1). */
export function drawPoints(
  canvas: HTMLCanvasElement,
  points: Float32Array,
  targets: Float32Array,
  classification: boolean,
  test: boolean,
): void {
  const ctx = canvas.getContext('2d')!;
  const scale = canvas.width / (2 * DOMAIN);
  const radius = Math.max(2.5, canvas.width / 110);
  ctx.lineWidth = Math.max(1, canvas.width / 300);
  for (let i = 0; i < targets.length; i++) {
    const x = (points[2 * i] + DOMAIN) * scale;
    const y = (DOMAIN - points[2 * i + 1]) * scale;
    const v = classification ? (targets[i] > 0.5 ? 1 : -1) : targets[i];
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = css(classification ? (v > 0 ? POSITIVE : NEGATIVE) : colorOf(v));
    ctx.fill();
    ctx.strokeStyle = test ? '#000' : '#fff';
    ctx.stroke();
  }
}

/** Axis ticks at −6, 0 and 6 along the output's edges, so the plane's scale is visible. */
export function drawAxes(canvas: HTMLCanvasElement): void {
  const ctx = canvas.getContext('2d')!;
  const w = canvas.width;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  ctx.font = `${Math.round(w / 28)}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(`−${DOMAIN}`, 4, w - 2);
  ctx.textAlign = 'right';
  ctx.fillText(`${DOMAIN}`, w - 4, w - 2);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`${DOMAIN}`, 4, 2);
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `v` (> 0): the top of a chart's scale. */
export function niceCeiling(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) {
    // A little slack, so 0.3 is not lifted to 0.5 by 0.30000000000000004.
    if (step * power >= v * (1 - 1e-9)) return step * power;
  }
  return 10 * power;
}

/** The two colours of a discretized output map: the sign of each value. */
export function discretized(values: Float32Array): Float32Array {
  return values.map((v) => (v >= 0 ? 1 : -1));
}

/**
 * Training (grey) and test (black) loss against epoch, on a linear scale from 0 to a round number at or
 * above the largest loss, with the axes and light lines at half and all of it. Returns the scale's top.
 */
export function drawLossChart(canvas: HTMLCanvasElement, history: Float32Array): number {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  let largest = 0;
  for (const v of history) if (Number.isFinite(v)) largest = Math.max(largest, v);
  const max = niceCeiling(largest);
  const pad = 3;
  const yOf = (v: number): number => height - pad - ((height - 2 * pad) * v) / max;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#e1e4e8';
  for (const v of [max / 2, max]) {
    ctx.beginPath();
    ctx.moveTo(pad, Math.round(yOf(v)) + 0.5);
    ctx.lineTo(width, Math.round(yOf(v)) + 0.5);
    ctx.stroke();
  }
  ctx.strokeStyle = '#5a6270';
  ctx.beginPath();
  ctx.moveTo(pad + 0.5, 0);
  ctx.lineTo(pad + 0.5, height - pad + 0.5);
  ctx.lineTo(width, height - pad + 0.5);
  ctx.stroke();
  const n = history.length / 2;
  if (n < 2) return max;
  const line = (offset: number, color: string): void => {
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const x = pad + ((width - 2 * pad) * i) / (n - 1);
      const y = yOf(history[2 * i + offset] || 0);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    ctx.stroke();
  };
  line(0, '#999');
  line(1, '#000');
  return max;
}
