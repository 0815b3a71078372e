/**
 * @backprop/all: every backprop package in one install, each under its own namespace, for scripts,
 * notebooks and teaching where one import beats choosing packages. Libraries should depend on the
 * individual `@backprop/*` packages instead.
 *
 * @example
 * ```ts
 * import { tensor, autograd } from '@backprop/all';
 *
 * const x = tensor.tensor([1, 2, 3]).requiresGrad_();
 * x.square().sum().backward();
 * console.log(x.grad!.toArray()); // [2, 4, 6]
 * console.log(autograd.gradCheck((a) => a.sigmoid().sum(), [tensor.randn([4])]).ok); // true
 * ```
 *
 * @packageDocumentation
 */

// Importing this module imports @backprop/autograd, which connects the differentiation engine to every
// tensor (that is why this package declares side effects): `backward()` works through any namespace.
// One line per package; tooling/package-checks (check-umbrella) fails when a publishable package is missing.

/** `@backprop/tensor`: n-d arrays, broadcasting, seeded random numbers, backend kernels. */
export * as tensor from '@backprop/tensor';
/** `@backprop/autograd`: reverse-mode autodiff, `grad`, custom ops, `gradCheck`. */
export * as autograd from '@backprop/autograd';
/** `@backprop/init`: seeded weight initializers with PyTorch's formulas. */
export * as init from '@backprop/init';
/** `@backprop/layers`: `Module`, layers with PyTorch names and state_dict layouts, the layer registry. */
export * as layers from '@backprop/layers';
/** `@backprop/losses`: loss functions computed stably. */
export * as losses from '@backprop/losses';
/** `@backprop/optim`: optimizers with PyTorch's update rules, schedules and clipping. */
export * as optim from '@backprop/optim';
/** `@backprop/datasets`: datasets, data loaders, transforms, shipped Iris and digits. */
export * as datasets from '@backprop/datasets';
/** `@backprop/io`: model files (JSON architecture + safetensors weights), checkpoints, atomic saves. */
export * as io from '@backprop/io';
/** `@backprop/train`: the training loop with metrics, callbacks, early stopping and checkpoints. */
export * as train from '@backprop/train';
/** `@backprop/onnx`: export models to ONNX. */
export * as onnx from '@backprop/onnx';
/** `@backprop/backend-wasm`: WebAssembly SIMD kernels (`useWasmBackend()`). */
export * as backendWasm from '@backprop/backend-wasm';
/** `@backprop/backend-webgpu`: WebGPU compute kernels, tensors in GPU buffers (`await useWebGpuBackend()`). */
export * as backendWebgpu from '@backprop/backend-webgpu';
