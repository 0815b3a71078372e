/**
 * Why initialization matters: push a batch through a 10-layer ReLU net (no biases) and watch the
 * activations' spread layer by layer. With weights ~ N(0, 1) each layer multiplies the variance by
 * fan_in/2, so it explodes; Glorot/Xavier (Var w = 2/(fan_in + fan_out), derived for tanh) halves it at
 * every ReLU, so it shrinks; He/Kaiming (Var w = 2/fan_in, derived for ReLU) keeps it constant. The
 * weights' gradients follow the same pattern backwards.
 *
 * The picture: the std of the activations and of the weight gradients per layer (log scale), and histograms
 * of log₁₀|activation| per layer for each initializer — He's stay in place, N(0, 1)'s march to the right,
 * Glorot's drift left.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/initialization.ts
 */
import '@backprop/autograd';
import { glorotNormal, heNormal, normal } from '@backprop/init';
import { Generator, histc, randn, std, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface InitializationOptions {
  depth?: number;
  width?: number;
  batch?: number;
  seed?: number;
}

export type Initializer = 'N(0, 1)' | 'Glorot' | 'He';

export interface InitializationResult {
  /** Per initializer, the std of each layer's output and of each layer's weight gradient. */
  activationStd: Record<Initializer, number[]>;
  gradientStd: Record<Initializer, number[]>;
  /** Share of each layer's positive activations in bins of log₁₀ a (and of |gradient|), for the picture. */
  histograms: { initializer: Initializer; quantity: string; layer: number; log10: number; share: number }[];
}

const BINS = 40;
const LOW = -8;
const HIGH = 12;

/** The histogram of log₁₀|t| over [LOW, HIGH] as shares of t's elements (zeros fall outside and are left out). */
function logHistogram(t: Tensor): number[] {
  const counts = histc(t.detach().abs().log().div(Math.LN10), BINS, LOW, HIGH);
  return Array.from(counts.div(t.shape.reduce((a, b) => a * b)).toFlatArray());
}

export function run(options: InitializationOptions = {}): InitializationResult {
  const { depth = 10, width = 256, batch = 256, seed = 0 } = options;
  const makers: Record<Initializer, (g: Generator) => Tensor> = {
    'N(0, 1)': (generator) => normal([width, width], { generator }),
    Glorot: (generator) => glorotNormal([width, width], { generator }),
    He: (generator) => heNormal([width, width], { generator, nonlinearity: 'relu' }),
  };
  const result: InitializationResult = { activationStd: {} as never, gradientStd: {} as never, histograms: [] };
  for (const [name, make] of Object.entries(makers) as [Initializer, (g: Generator) => Tensor][]) {
    const generator = new Generator(seed);
    const x = randn([batch, width], { generator });
    const weights = Array.from({ length: depth }, () => make(generator).requiresGrad_());
    const activations: Tensor[] = [];
    let h = x;
    for (const w of weights) activations.push((h = h.matmul(w.transpose(0, 1)).relu()));
    h.mean().backward();
    result.activationStd[name] = activations.map((a) => std(a.detach()).item());
    result.gradientStd[name] = weights.map((w) => std(w.grad as Tensor).item());
    const add = (quantity: string, layer: number, t: Tensor) =>
      logHistogram(t).forEach((share, bin) =>
        result.histograms.push({ initializer: name, quantity, layer, log10: LOW + ((bin + 0.5) * (HIGH - LOW)) / BINS, share }),
      );
    activations.forEach((a, i) => add('activation', i + 1, a));
    weights.forEach((w, i) => add('weight gradient', i + 1, w.grad as Tensor));
  }
  return result;
}

export function figure(result: InitializationResult): Figure {
  const stds = (['activationStd', 'gradientStd'] as const).flatMap((key) =>
    Object.entries(result[key]).flatMap(([initializer, values]) =>
      values.map((std, i) => ({ initializer, layer: i + 1, std, quantity: key === 'activationStd' ? 'activation' : 'weight gradient' })),
    ),
  );
  return {
    title: '10-layer ReLU net: N(0, 1) explodes, Glorot shrinks, He keeps the variance',
    resolve: { scale: { color: 'independent' } },
    vconcat: [
      {
        data: { values: stds },
        facet: { column: { field: 'quantity', type: 'nominal', title: 'std per layer' } },
        spec: {
          width: 300,
          height: 180,
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'layer', type: 'quantitative' },
            y: { field: 'std', type: 'quantitative', scale: { type: 'log' } },
            color: { field: 'initializer', type: 'nominal' },
          },
        },
        resolve: { scale: { y: 'independent' } },
      },
      {
        data: { values: result.histograms },
        facet: {
          row: { field: 'quantity', type: 'nominal', title: null },
          column: { field: 'initializer', type: 'nominal', title: 'histogram of log₁₀|value| per layer' },
        },
        spec: {
          width: 200,
          height: 140,
          mark: { type: 'line', interpolate: 'step' },
          encoding: {
            x: { field: 'log10', type: 'quantitative', title: 'log₁₀|value|' },
            y: { field: 'share', type: 'quantitative' },
            color: { field: 'layer', type: 'ordinal', scale: { scheme: 'viridis' } },
          },
        },
      },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log({ activationStd: result.activationStd, gradientStd: result.gradientStd });
  console.log(await writeFigure('initialization', figure(result)));
}
