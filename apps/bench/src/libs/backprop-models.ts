// The workloads written with @backprop/tensor + @backprop/autograd ops directly. When @backprop/layers
// lands, each builder here becomes a model from that package and the rest of the harness stays as it is.
import { noGrad } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import { LR, labels, oneHot, uniform } from '../data.js';

type Tensor = T.Tensor;

let seed = 1;
/** A parameter initialised uniformly in ±√(1/fanIn) (PyTorch's Linear default bound), requiring grad. */
function param(shape: number[], fanIn: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return T.tensor(uniform(size, seed++, Math.sqrt(1 / fanIn)), shape).requiresGrad_();
}

function input(shape: number[]): Tensor {
  return T.tensor(uniform(shape.reduce((a, b) => a * b, 1), seed++), shape);
}

function targets(batch: number, classes: number): Tensor {
  return T.tensor(oneHot(labels(batch, classes, seed++), classes), [batch, classes]);
}

/** Softmax cross-entropy from logits, mean over the batch: −Σ onehot·logSoftmax / batch. */
export function crossEntropy(logits: Tensor, target: Tensor): Tensor {
  return T.logSoftmax(logits, -1).mul(target).sum().mul(-1 / logits.shape[0]);
}

/** Plain SGD on p.data inside noGrad, then clears the gradients (the loop optim.SGD will replace). */
export function sgd(params: Tensor[], lr = LR): void {
  noGrad(() => {
    for (const p of params) {
      const d = p.data;
      const g = p.grad!.data;
      for (let i = 0; i < d.length; i++) d[i] -= lr * g[i];
      p.grad = null;
    }
  });
}

export function dense(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return T.matmul(x, w).add(b);
}

export function makeMlp(): { params: Tensor[]; forward: (x: Tensor) => Tensor } {
  const sizes = [784, 128, 64, 10];
  const params: Tensor[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) params.push(param([sizes[l], sizes[l + 1]], sizes[l]), param([sizes[l + 1]], sizes[l]));
  const [w1, b1, w2, b2, w3, b3] = params;
  const forward = (x: Tensor) => dense(dense(dense(x, w1, b1).relu(), w2, b2).relu(), w3, b3);
  return { params, forward };
}

export function mlpTrainStep(batch: number): () => void {
  const { params, forward } = makeMlp();
  const x = input([batch, 784]);
  const y = targets(batch, 10);
  return () => {
    crossEntropy(forward(x), y).backward();
    sgd(params);
  };
}

export function mlpInferStep(batch: number): () => void {
  const { forward } = makeMlp();
  const x = input([batch, 784]);
  return () => void noGrad(() => forward(x));
}

type Conv2d = (x: Tensor, w: Tensor, b?: Tensor) => Tensor;
type MaxPool2d = (x: Tensor, options: { kernelSize: number }) => Tensor;

/**
 * LeNet-5 on 1×28×28 (no padding, so the second pool leaves 16×4×4), with conv2d(x, weight[out, in, kh,
 * kw], bias) and maxPool2d(x, { kernelSize }). They are looked up at run time, so the harness reports the
 * workload as pending until @backprop/tensor exports them and picks them up once it does.
 */
export function lenetTrainStep(batch: number): (() => void) | string {
  const ops = T as unknown as Record<string, unknown>;
  if (typeof ops.conv2d !== 'function' || typeof ops.maxPool2d !== 'function') {
    return 'pending: conv ops not yet available';
  }
  const conv2d = ops.conv2d as Conv2d;
  const pool = ops.maxPool2d as MaxPool2d;
  const c1w = param([6, 1, 5, 5], 25), c1b = param([6], 25);
  const c2w = param([16, 6, 5, 5], 150), c2b = param([16], 150);
  const f1w = param([256, 120], 256), f1b = param([120], 256);
  const f2w = param([120, 84], 120), f2b = param([84], 120);
  const f3w = param([84, 10], 84), f3b = param([10], 84);
  const params = [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b, f3w, f3b];
  const x = input([batch, 1, 28, 28]);
  const y = targets(batch, 10);
  return () => {
    let h = pool(conv2d(x, c1w, c1b).relu(), { kernelSize: 2 });
    h = pool(conv2d(h, c2w, c2b).relu(), { kernelSize: 2 }).reshape([batch, 256]);
    const logits = dense(dense(dense(h, f1w, f1b).relu(), f2w, f2b).relu(), f3w, f3b);
    crossEntropy(logits, y).backward();
    sgd(params);
  };
}

/** An LSTM cell unrolled over the sequence (gate order i, f, g, o as in PyTorch), then a dense layer. */
export function lstmTrainStep(batch: number, seqLen: number, inputSize: number, hidden: number, classes: number): () => void {
  const wih = param([inputSize, 4 * hidden], hidden);
  const whh = param([hidden, 4 * hidden], hidden);
  const b = param([4 * hidden], hidden);
  const wd = param([hidden, classes], hidden);
  const bd = param([classes], hidden);
  const params = [wih, whh, b, wd, bd];
  const xs = Array.from({ length: seqLen }, () => input([batch, inputSize]));
  const y = targets(batch, classes);
  return () => {
    let h = T.zeros([batch, hidden]);
    let c = T.zeros([batch, hidden]);
    for (const x of xs) {
      const gates = T.matmul(x, wih).add(T.matmul(h, whh)).add(b);
      const [i, f, g, o] = gates.chunk(4, 1);
      c = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
      h = o.sigmoid().mul(c.tanh());
    }
    crossEntropy(dense(h, wd, bd), y).backward();
    sgd(params);
  };
}
