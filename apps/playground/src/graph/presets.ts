// Expressions the explorer offers, each with starting values, from the course's own examples.
export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly expression: string;
  readonly values: Readonly<Record<string, number>>;
}

export const PRESETS: readonly Preset[] = [
  { id: 'sum-product', label: '(a + b) · (b + 1): a path that splits', expression: '(a + b) * (b + 1)', values: { a: 2, b: 1 } },
  { id: 'xy-sin', label: 'x · y + sin(x)', expression: 'x * y + sin(x)', values: { x: 1.5, y: -2 } },
  { id: 'neuron', label: 'one sigmoid neuron', expression: 'sigmoid(w1 * x1 + w2 * x2 + b)', values: { w1: 0.5, x1: 1, w2: -1.5, x2: 2, b: 0.25 } },
  {
    id: 'net-221',
    label: 'a 2-2-1 network with squared error',
    expression: '(sigmoid(v1 * tanh(w11 * x1 + w12 * x2 + b1) + v2 * tanh(w21 * x1 + w22 * x2 + b2) + c) - t) ^ 2',
    values: { v1: 0.8, w11: 0.5, x1: 1, w12: -0.4, x2: 0.5, b1: 0.1, v2: -0.6, w21: 0.3, w22: 0.9, b2: -0.2, c: 0.05, t: 1 },
  },
  { id: 'softplus', label: 'softplus: log(1 + exp(x))', expression: 'log(1 + exp(x))', values: { x: 0.5 } },
];
