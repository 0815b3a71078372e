// The workloads written the way a backprop user writes them: models from @backprop/layers, the loss from
// @backprop/losses and the update from @backprop/optim (whose steps are fused backend kernels).
import { noGrad } from '@backprop/autograd';
import { Conv2d, Flatten, LSTM, LastTimeStep, Linear, MaxPool2d, ReLU, Sequential, type AnyModule } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam, SGD } from '@backprop/optim';
import * as T from '@backprop/tensor';
import { LR, labels, uniform } from '../data.js';

type Tensor = T.Tensor;

let seed = 1;
const generator = () => new T.Generator(seed++);

function input(shape: number[]): Tensor {
  return T.tensor(uniform(shape.reduce((a, b) => a * b, 1), seed++), shape);
}

function classes(batch: number, count: number): Tensor {
  return T.tensor(labels(batch, count, seed++), [batch], { dtype: 'int32' });
}

export type OptimizerName = 'sgd' | 'adam';

/**
 * Whether the training steps run their forward and backward pass, and inference its forward pass, through
 * `compile` of @backprop/tensor (traced once, then replayed; the optimizer step stays eager): the compiled
 * columns set it before building.
 */
let compiled = false;
/** The compiled passes built so far, so a test can see that they replay rather than run eagerly. */
export const compiledPasses: T.CompiledFunction<[Tensor, Tensor], Tensor>[] = [];
/** The compiled inference passes built so far. */
export const compiledForwards: T.CompiledFunction<[Tensor], Tensor>[] = [];

export function useCompiledSteps(on: boolean): void {
  compiled = on;
}

/**
 * One training step of `model` on a fixed batch: forward, cross-entropy, backward, update. Returns the loss,
 * which a device backend's column awaits so the step's queued work is timed.
 */
function trainStep(model: AnyModule, x: Tensor, y: Tensor, optimizer: OptimizerName): () => Tensor {
  const opt = optimizer === 'adam' ? new Adam(model.parameters(), { lr: 1e-3 }) : new SGD(model.parameters(), { lr: LR });
  const forwardBackward = (xb: Tensor, yb: Tensor): Tensor => {
    const loss = crossEntropy(model.call(xb) as Tensor, yb);
    loss.backward();
    return loss;
  };
  let pass = forwardBackward;
  if (compiled) {
    const step = T.compile(forwardBackward);
    compiledPasses.push(step);
    pass = step;
  }
  return () => {
    opt.zeroGrad();
    const loss = pass(x, y);
    opt.step();
    return loss;
  };
}

export function makeMlp(): AnyModule {
  const g = generator();
  return new Sequential(new Linear(784, 128, { generator: g }), new ReLU(), new Linear(128, 64, { generator: g }), new ReLU(), new Linear(64, 10, { generator: g }));
}

export function mlpTrainStep(batch: number, optimizer: OptimizerName = 'sgd'): () => Tensor {
  return trainStep(makeMlp(), input([batch, 784]), classes(batch, 10), optimizer);
}

export function mlpInferStep(batch: number): () => Tensor {
  // As a PyTorch user moves a model to its device: the weights then live where the kernels run.
  const model = makeMlp().eval().to();
  const x = input([batch, 784]);
  let forward = (xb: Tensor): Tensor => model.call(xb) as Tensor;
  if (compiled) {
    const pass = T.compile(forward);
    compiledForwards.push(pass);
    forward = pass;
  }
  return () => noGrad(() => forward(x));
}

/** LeNet-5 on 1×28×28 (no padding, so the second pool leaves 16×4×4). */
export function lenetTrainStep(batch: number): () => Tensor {
  const g = generator();
  const model = new Sequential(
    new Conv2d(1, 6, 5, { generator: g }), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5, { generator: g }), new ReLU(), new MaxPool2d(2), new Flatten(),
    new Linear(256, 120, { generator: g }), new ReLU(), new Linear(120, 84, { generator: g }), new ReLU(), new Linear(84, 10, { generator: g }),
  );
  return trainStep(model, input([batch, 1, 28, 28]), classes(batch, 10), 'sgd');
}

/** An LSTM over the sequence (batch first), its last step, then a dense layer: PyTorch's nn.LSTM model. */
export function lstmTrainStep(batch: number, seqLen: number, inputSize: number, hidden: number, count: number): () => Tensor {
  const g = generator();
  const model = new Sequential(new LSTM(inputSize, hidden, { batchFirst: true, outputOnly: true, generator: g }), new LastTimeStep({ batchFirst: true }), new Linear(hidden, count, { generator: g }));
  return trainStep(model, input([batch, seqLen, inputSize]), classes(batch, count), 'sgd');
}
