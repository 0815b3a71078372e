import { Generator, Tensor } from '@backprop/tensor';

/**
 * Toy sequence tasks for recurrent networks, shaped `[n, length, 1]` (batch first):
 * - `parity`: random bits; the class is 1 when the sequence holds an odd number of ones. Every step
 *   matters, so a model has to carry state through the whole sequence.
 * - `sum`: uniform values in [0, 1); the target is their sum (regression).
 */
export function sequenceTask(kind: 'parity' | 'sum', n: number, length: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const x = new Float32Array(n * length);
  if (kind === 'parity') {
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let ones = 0;
      for (let t = 0; t < length; t++) {
        const bit = g.random() < 0.5 ? 0 : 1;
        x[i * length + t] = bit;
        ones += bit;
      }
      y[i] = ones % 2;
    }
    return { x: new Tensor(x, [n, length, 1], 'float32'), y: new Tensor(y, [n], 'int32') };
  }
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < length; t++) s += x[i * length + t] = g.random();
    y[i] = s;
  }
  return { x: new Tensor(x, [n, length, 1], 'float32'), y: new Tensor(y, [n, 1], 'float32') };
}
