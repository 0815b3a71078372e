/**
 * A GPT-style character model: token embeddings plus learned position embeddings, a stack of pre-norm
 * transformer encoder layers with causal self-attention (position i attends to positions 0..i only),
 * a final LayerNorm and a linear read-out of the next character. It trains on random windows of the
 * rhyme of the char-lm example with Adam and cross-entropy, then writes text one character at a time
 * from a seeded `Generator`. Causality is what makes it a language model: the logits at a position do
 * not change when later characters do, which `run` also measures.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/gpt-char.ts
 */
import { Generator, multinomial, randint, softmax, tensor, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';
import { noGrad } from '@backprop/autograd';
import { normal_ } from '@backprop/init';
import {
  Embedding, LayerNorm, LearnedPositionalEmbedding, Linear, Module, TransformerEncoder, TransformerEncoderLayer,
} from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { AdamW } from '@backprop/optim';
import { TEXT } from './char-lm.js';

export interface GptCharOptions {
  /** Optimizer steps. */
  steps?: number;
  /** Windows per batch and characters per window (the model's context length). */
  batchSize?: number;
  context?: number;
  /** Model width, attention heads and transformer layers. */
  dModel?: number;
  heads?: number;
  layers?: number;
  lr?: number;
  /** Seed of initialization and batch sampling. */
  seed?: number;
  /** Seed of the sampler, characters to write after the prompt, and the softmax temperature. */
  sampleSeed?: number;
  sampleLength?: number;
  temperature?: number;
  prompt?: string;
}

export interface GptCharResult {
  /** Mean cross-entropy (nats per character) of the first and of the last 10 steps; ln(vocabulary) is chance. */
  firstLoss: number;
  lastLoss: number;
  chanceLoss: number;
  /** The largest change of any logit at positions before a changed character (0 for a causal model). */
  leakage: number;
  /** The prompt and the characters the model wrote after it. */
  sample: string;
  parameters: number;
}

/** ids [N, T] → logits [N, T, V]: embeddings + positions, causal transformer blocks, LayerNorm, read-out. */
export class GptChar extends Module {
  constructor(vocabulary: number, context: number, dModel: number, heads: number, layers: number, generator: Generator) {
    super();
    this.registerModule('tokens', new Embedding(vocabulary, dModel, { generator }));
    this.registerModule('positions', new LearnedPositionalEmbedding(context, dModel, { batchFirst: true, generator }));
    const block = new TransformerEncoderLayer(dModel, heads, { dimFeedforward: 4 * dModel, dropout: 0, activation: 'gelu', normFirst: true, batchFirst: true, generator });
    this.registerModule('blocks', new TransformerEncoder(block, layers));
    this.registerModule('norm', new LayerNorm(dModel));
    this.registerModule('head', new Linear(dModel, vocabulary, { generator }));
    // GPT-2's small initial embeddings: unit-variance ones would swamp the residual stream at first.
    for (const name of ['tokens', 'positions']) normal_((this.getSubmodule(name) as Embedding).weight, { std: 0.1, generator });
  }

  forward(ids: Tensor): Tensor {
    const child = <M>(name: string) => this.getSubmodule(name) as M;
    let x = child<LearnedPositionalEmbedding>('positions').call(child<Embedding>('tokens').call(ids));
    x = child<TransformerEncoder>('blocks').call(x, { isCausal: true });
    return child<Linear>('head').call(child<LayerNorm>('norm').call(x));
  }
}

export function run(options: GptCharOptions = {}): GptCharResult {
  const {
    steps = 150, batchSize = 16, context = 24, dModel = 32, heads = 4, layers = 2, lr = 0.01, seed = 0, sampleSeed = 1, sampleLength = 60,
    temperature = 0.8, prompt = 'the ',
  } = options;
  const vocabulary = [...new Set(TEXT)].sort().join('');
  const V = vocabulary.length;
  const ids = Int32Array.from(TEXT, (ch) => vocabulary.indexOf(ch));
  const generator = new Generator(seed);
  const model = new GptChar(V, context, dModel, heads, layers, generator);
  const optimizer = new AdamW(model.parameters(), { lr, weightDecay: 0.01 });

  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const starts = randint(0, ids.length - context - 1, [batchSize], { generator, dtype: 'int32' }).dataSync();
    const input = new Int32Array(batchSize * context);
    const target = new Int32Array(batchSize * context);
    starts.forEach((start, b) => {
      input.set(ids.subarray(start, start + context), b * context);
      target.set(ids.subarray(start + 1, start + context + 1), b * context);
    });
    optimizer.zeroGrad();
    const logits = model.call(tensor(input, [batchSize, context], 'int32'));
    const loss = crossEntropy(logits.reshape([batchSize * context, V]), tensor(target, [batchSize * context], 'int32'));
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }

  model.eval();
  // Causality: change the second half of a window; the logits of the first half must not move.
  const leakage = noGrad(() => {
    const a = ids.slice(0, context);
    const b = a.slice();
    for (let i = context / 2; i < context; i++) b[i] = (b[i] + 1) % V;
    const half = (x: Int32Array) => model.call(tensor(x, [1, context], 'int32')).narrow(1, 0, context / 2);
    return half(a).sub(half(b)).abs().max().item();
  });

  // Sampling: the last `context` characters in, one drawn character out.
  const sample = noGrad(() => {
    const sampler = new Generator(sampleSeed);
    let text = prompt;
    for (let i = 0; i < sampleLength; i++) {
      const window = text.slice(-context);
      const logits = model.call(tensor(Int32Array.from(window, (ch) => vocabulary.indexOf(ch)), [1, window.length], 'int32'));
      const last = logits.narrow(1, window.length - 1, 1).reshape([V]);
      text += vocabulary[multinomial(softmax(last.div(temperature), -1), 1, false, { generator: sampler }).item()];
    }
    return text;
  });
  const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
  return {
    firstLoss: mean(losses.slice(0, 10)),
    lastLoss: mean(losses.slice(-10)),
    chanceLoss: Math.log(V),
    leakage,
    sample,
    parameters: model.parameters().reduce((n, p) => n + p.size, 0),
  };
}

/** The picture for the gallery. */
export function figure(result: GptCharResult): Figure {
  return barFigure(`GPT-style character model: ${JSON.stringify(result.sample.slice(0, 40))}…`, [
    { label: 'chance: ln(vocabulary)', value: result.chanceLoss },
    { label: 'loss, first 10 steps', value: result.firstLoss },
    { label: 'loss, last 10 steps', value: result.lastLoss },
  ], 'cross-entropy (nats per character)');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(run());
}
