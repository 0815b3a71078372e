// The same expression run through backprop itself: float64 scalar tensors, the library's ops and its
// reverse-mode engine. The page shows these gradients next to the stepped ones; they must agree.
import '@backprop/autograd';
import { Tensor, add, cos, div, exp, log, mul, neg, pow, relu, sigmoid, sin, sqrt, square, sub, tanh, tensor } from '@backprop/tensor';
import type { Graph } from './parse.js';

/** f and ∂f/∂variable, computed by @backprop/autograd. */
export function autogradGradients(graph: Graph, variables: Readonly<Record<string, number>>): { value: number; grads: Record<string, number> } {
  const leaves = new Map<string, Tensor>();
  const out: Tensor[] = [];
  for (const node of graph.nodes) {
    const [a, b] = node.inputs.map((i) => out[i]);
    let t: Tensor;
    switch (node.op) {
      case 'input': {
        t = tensor(variables[node.label], { dtype: 'float64' }).requiresGrad_();
        leaves.set(node.label, t);
        break;
      }
      case 'const': t = tensor(node.value!, { dtype: 'float64' }); break;
      case 'add': t = add(a, b); break;
      case 'sub': t = sub(a, b); break;
      case 'mul': t = mul(a, b); break;
      case 'div': t = div(a, b); break;
      case 'pow': t = pow(a, b); break;
      case 'neg': t = neg(a); break;
      case 'sin': t = sin(a); break;
      case 'cos': t = cos(a); break;
      case 'exp': t = exp(a); break;
      case 'log': t = log(a); break;
      case 'tanh': t = tanh(a); break;
      case 'sigmoid': t = sigmoid(a); break;
      case 'relu': t = relu(a); break;
      case 'sqrt': t = sqrt(a); break;
      case 'square': t = square(a); break;
    }
    out.push(t);
  }
  const f = out[graph.output];
  f.backward();
  const grads: Record<string, number> = {};
  for (const [name, leaf] of leaves) grads[name] = leaf.grad ? leaf.grad.item() : 0;
  return { value: f.item(), grads };
}
