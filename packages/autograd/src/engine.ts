import {
  Storage, Tensor, add, addInPlace_, cast, copy_, fmtShape, installAutograd, isFloat, onesLike, setGradEnabled, shapesEqual, sliceAddInPlace_, zerosLike,
  type BackwardOptions,
} from '@backprop/tensor';
import { AutogradError } from './errors.js';
import { applyTensorHooks, hasTensorHooks } from './hooks.js';
import { GraphNode, nodeOf } from './node.js';
import { gradientRule, isNonDifferentiable } from './registry.js';

/** Tensors reachable backwards from `roots` through tensors that require a gradient, in topological order. */
function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<number>();
  // Iterative DFS: recurrent nets unrolled over long sequences make graphs deeper than the call stack.
  const stack: [Tensor, number][] = [];
  for (const root of roots) {
    if (visited.has(root.id)) continue;
    visited.add(root.id);
    stack.push([root, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = nodeOf(top[0]);
      const inputs = node && !node.released ? node.inputs : [];
      if (top[1] < inputs.length) {
        const child = inputs[top[1]++];
        if (child.requiresGrad && !visited.has(child.id)) {
          visited.add(child.id);
          stack.push([child, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

export interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** When given, gradients are returned for these tensors instead of accumulated into leaves' `.grad`. */
  targets: readonly Tensor[] | null;
}

function describeRootError(root: Tensor): AutogradError {
  const node = nodeOf(root);
  if (node && node.status === 'non-differentiable') {
    return new AutogradError(
      `backward: the tensor comes from '${node.origin}', which is not differentiable (its output has no gradient)`,
    );
  }
  return new AutogradError(
    'backward: the tensor does not require a gradient: no input of the ops that made it has requiresGrad set (call requiresGrad_() on the parameters, and do not compute it inside noGrad)',
  );
}

/** The reverse pass shared by `Tensor.backward()` and `gradients()`. Returns the targets' gradients. */
export function runBackward(roots: readonly Tensor[], rootGrads: readonly Tensor[], opts: RunOptions): (Tensor | null)[] {
  for (const root of roots) if (!root.requiresGrad) throw describeRootError(root);
  const grads = new Map<number, Tensor>();
  for (let i = 0; i < roots.length; i++) {
    const g = rootGrads[i];
    if (!shapesEqual(g.shape, roots[i].shape)) {
      throw new AutogradError(`backward: gradient of shape ${fmtShape(g.shape)} does not match the output's shape ${fmtShape(roots[i].shape)}`);
    }
    const prev = grads.get(roots[i].id);
    grads.set(roots[i].id, prev ? add(prev, g) : g);
  }
  const targetIds = opts.targets ? new Map(opts.targets.map((t, i) => [t.id, i])) : null;
  const results: (Tensor | null)[] = opts.targets ? opts.targets.map(() => null) : [];
  const order = topologicalOrder(roots);
  // Gradients nothing else references (sums the engine allocated, rule results made for one input during
  // this pass): without createGraph further contributions are added into them in place, and a leaf may keep
  // one as its .grad without a copy.
  const owned = opts.createGraph ? null : new Set<Tensor>();
  const startSerial = Storage.nextSerial;
  const previous = setGradEnabled(opts.createGraph);
  try {
    for (const t of order) {
      let g = grads.get(t.id);
      if (!g) continue;
      grads.delete(t.id);
      if (hasTensorHooks(t)) {
        // A hook may keep the gradient it is shown: the engine must not add into it in place afterwards.
        owned?.delete(g);
        g = applyTensorHooks(t, g);
      }
      const targetIndex = targetIds?.get(t.id);
      if (targetIndex !== undefined) results[targetIndex] = g;
      const node = nodeOf(t);
      // Once taken out of `grads`, a sum is handed to a rule (which may return it for several inputs) or
      // to a leaf: either way it stops being the engine's to modify.
      const ownedByEngine = owned !== null && owned.delete(g);
      if (!node) {
        if (!targetIds) accumulateLeaf(t, g, opts.createGraph, ownedByEngine);
        continue;
      }
      propagate(node, t, g, grads, owned, startSerial);
    }
  } finally {
    setGradEnabled(previous);
  }
  if (!opts.retainGraph) {
    for (const t of order) {
      const node = nodeOf(t);
      if (node) {
        node.released = true;
        node.inputs = [];
      }
    }
  }
  return results;
}

/**
 * Whether `gx`, input `i`'s gradient from a rule given `g`, is referenced by nothing else: made during this
 * backward pass (not a tensor the rule kept from before: a saved input, a constant), sharing memory with
 * neither `g` nor the rule's other results. Then, as PyTorch's AccumulateGrad steals a gradient no one else
 * holds, the engine may add into it in place and a leaf may take it as its `.grad` without a copy.
 */
function madeForOneInput(gx: Tensor, i: number, g: Tensor, inputGrads: readonly (Tensor | null)[], startSerial: number): boolean {
  const storage = gx.storage;
  if (storage.serial < startSerial || storage === g.storage) return false;
  for (let j = 0; j < inputGrads.length; j++) if (j !== i && inputGrads[j]?.storage === storage) return false;
  return true;
}

function propagate(node: GraphNode, output: Tensor, g: Tensor, grads: Map<number, Tensor>, owned: Set<Tensor> | null, startSerial: number): void {
  if (node.released) {
    throw new AutogradError(
      `backward: the graph through '${node.op}' was already released by an earlier backward(); pass { retainGraph: true } to the first call to go through it twice`,
    );
  }
  const rule = gradientRule(node.op);
  if (!rule) {
    throw new AutogradError(
      `backward: no gradient is registered for op '${node.op}'; register one with registerGradient('${node.op}', …) or define the op with defineOp`,
    );
  }
  const inputs = node.inputs;
  if (owned !== null && node.op === 'slice' && inputs[0].requiresGrad && g.dtype === inputs[0].dtype) {
    accumulateSlice(inputs[0], g, node.attrs, grads, owned);
    return;
  }
  const needsGrad = new Array<boolean>(inputs.length);
  for (let i = 0; i < inputs.length; i++) needsGrad[i] = inputs[i].requiresGrad;
  const inputGrads = rule(g, { inputs, output, attrs: node.attrs, needsGrad });
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    const gx = inputGrads[i];
    if (!x.requiresGrad || !gx) continue;
    if (!shapesEqual(gx.shape, x.shape)) {
      throw new AutogradError(
        `backward: the gradient rule of '${node.op}' returned shape ${fmtShape(gx.shape)} for input ${i} of shape ${fmtShape(x.shape)}`,
      );
    }
    const gxTyped = gx.dtype === x.dtype ? gx : cast(gx, x.dtype);
    const prev = grads.get(x.id);
    if (!prev) {
      grads.set(x.id, gxTyped);
      if (owned !== null && (gxTyped !== gx || madeForOneInput(gx, i, g, inputGrads, startSerial))) owned.add(gxTyped);
    } else if (owned !== null && owned.has(prev) && prev.dtype === gxTyped.dtype) {
      addInPlace_(prev, gxTyped);
    } else {
      const sum = add(prev, gxTyped);
      owned?.add(sum);
      grads.set(x.id, sum);
    }
  }
}

/**
 * The gradient of a slice, added straight into its input's gradient buffer (which the engine owns) at the
 * sliced positions. The rule would pad each slice's gradient to the input's full size, so a sequence split
 * into T steps (backpropagation through time) would cost O(T²); this costs O(slice) per slice.
 */
function accumulateSlice(x: Tensor, g: Tensor, attrs: Record<string, unknown>, grads: Map<number, Tensor>, owned: Set<Tensor>): void {
  let acc = grads.get(x.id);
  if (!acc || !owned.has(acc) || acc.dtype !== x.dtype) {
    const fresh = zerosLike(x);
    if (acc) addInPlace_(fresh, acc.dtype === x.dtype ? acc : cast(acc, x.dtype));
    owned.add(fresh);
    grads.set(x.id, fresh);
    acc = fresh;
  }
  sliceAddInPlace_(acc, g, attrs.axis as number, attrs.start as number, attrs.step as number);
}

function accumulateLeaf(leaf: Tensor, g: Tensor, createGraph: boolean, ownedByEngine: boolean): void {
  if (createGraph) {
    leaf.grad = leaf.grad ? add(leaf.grad, g) : g;
    return;
  }
  if (leaf.grad && !leaf.grad.requiresGrad && shapesEqual(leaf.grad.shape, g.shape)) {
    // Accumulate in place: the leaf owns its .grad buffer (it was copied on first assignment).
    addInPlace_(leaf.grad, g);
    return;
  }
  // A private copy: two leaves may receive the same gradient tensor, and optimizers scale .grad in place.
  // A gradient the engine owns is referenced by nothing else, so the leaf may take it as it is.
  leaf.grad = ownedByEngine && g.dtype === leaf.dtype ? g : copy_(zerosLike(g), g);
}

function recordOp(op: string, inputs: readonly Tensor[], attrs: Record<string, unknown>, output: Tensor): void {
  let anyRequiresGrad = false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) anyRequiresGrad = true;
  if (!anyRequiresGrad) {
    // No gradient flows here, but remember where differentiability was lost, for the error message.
    for (let i = 0; i < inputs.length; i++) {
      const n = nodeOf(inputs[i]);
      if (n !== null && n.status === 'non-differentiable') {
        output.gradFn = new GraphNode(op, [], attrs, 'non-differentiable', n.origin);
        return;
      }
    }
    return;
  }
  const castToInt = op === 'cast' && !isFloat(attrs.dtype as Tensor['dtype']);
  if (isNonDifferentiable(op) || castToInt || !isFloat(output.dtype)) {
    output.gradFn = new GraphNode(op, [], attrs, 'non-differentiable');
    return;
  }
  output.gradFn = new GraphNode(op, inputs, attrs, gradientRule(op) ? 'ok' : 'no-rule');
  output.requiresGrad = true;
}

function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  let g = gradient;
  if (!g) {
    if (root.size !== 1) {
      throw new AutogradError(
        `backward: the output has shape ${fmtShape(root.shape)}; a non-scalar output needs the gradient of the loss with respect to it, as backward(gradient)`,
      );
    }
    g = onesLike(root);
  }
  const createGraph = options.createGraph ?? false;
  runBackward([root], [g], { retainGraph: options.retainGraph ?? createGraph, createGraph, targets: null });
}

let installed = false;

/** Connects this engine to `@backprop/tensor` (done once when the package loads). */
export function ensureInstalled(): void {
  if (installed) return;
  installed = true;
  installAutograd({ record: recordOp }, { backward });
}
