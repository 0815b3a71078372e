import { isGradEnabled, setGradEnabled, zeros, Tensor } from '@backprop/tensor';
import type { AnyModule } from '@backprop/layers';
import type { OnnxAttributeValue } from './attributes.js';
import { OnnxExportError } from './errors.js';
import type { OnnxGraphBuilder } from './graph-builder.js';
import { getOnnxExporter } from './registry.js';

/**
 * A value flowing through the graph: its name, and its shape and dtype for the example input of
 * `inputShape` (dimension 0 is the batch, whose size is only an example when the batch is dynamic).
 */
export interface OnnxValue {
  name: string;
  shape: readonly number[];
  dtype: 'float32' | 'int32';
}

/**
 * What an export rule works with: the layer's input, its path in the model, and helpers that add
 * nodes and initializers with names derived from that path (`1.weight`, `1/Gemm`), so a node in a
 * viewer such as Netron reads back to the layer that made it.
 */
export interface OnnxExportContext {
  /** The opset being written; a rule picks ops and attributes valid for it. */
  readonly opset: number;
  /** The layer's dotted path in the model (`''` for the model itself, `'0'`, `'1.module'`, …). */
  readonly path: string;
  /** The value the layer reads. */
  readonly input: OnnxValue;
  /** The graph under construction, for what the helpers below do not cover. */
  readonly graph: OnnxGraphBuilder;
  /** Appends a node named `<path>/<opType>`; returns its output names (`outputs` of them, default 1). */
  node(opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttributeValue>, options?: { outputs?: number }): string[];
  /** Adds a weight as an initializer named `<path>.<name>` (the layer's `stateDict()` key); returns its name. */
  param(name: string, tensor: Tensor): string;
  /** Adds a float32 constant named `<path>.<name>` of shape `dims` (default 1-D; `[]` for a scalar). */
  constant(name: string, values: readonly number[] | Float32Array, dims?: readonly number[]): string;
  /** Adds an int64 constant (a shape, axes) named `<path>.<name>`. */
  int64(name: string, values: readonly number[], dims?: readonly number[]): string;
  /** Exports the child module registered as `childName` on `input`, with its own rule; returns its output. */
  exportChild(childName: string, input: OnnxValue): OnnxValue;
  /** An error naming this layer and its path. */
  error(message: string): OnnxExportError;
}

/** The type name rules are keyed by: `toConfig().type`, or the class name of a module without a config. */
export function layerTypeName(module: AnyModule): string {
  try {
    return module.toConfig().type;
  } catch {
    return module.constructor.name;
  }
}

/** How a path reads in an error message. */
export function describePath(path: string): string {
  return path === '' ? 'the model itself' : `"${path}" in the model`;
}

/**
 * The tensor a layer passes on: its result, or the first element of a tuple result (a recurrent layer
 * returns `[output, state]`).
 */
export function primaryOutput(out: unknown): unknown {
  let value = out;
  while (Array.isArray(value) && value.length > 0) value = value[0];
  return value;
}

/** Runs `module` on zeros shaped like `input` (no gradient recorded), to learn the shape of its output. */
function sampleOutput(module: AnyModule, input: OnnxValue, typeName: string, path: string): Omit<OnnxValue, 'name'> {
  const wasEnabled = isGradEnabled();
  setGradEnabled(false);
  try {
    const out = primaryOutput(module.forward(zeros([...input.shape], { dtype: input.dtype })));
    if (!(out instanceof Tensor)) {
      throw new OnnxExportError('exportOnnx', `${typeName} at ${describePath(path)} returned a ${typeof out}, not a Tensor; its export rule must return an OnnxValue with the shape`);
    }
    return { shape: out.shape, dtype: out.dtype === 'int32' ? 'int32' : 'float32' };
  } finally {
    setGradEnabled(wasEnabled);
  }
}

/**
 * Exports `module` (at `path`) reading `input` with the rule registered for its type; returns its
 * output value. This is the exporter's recursion: container rules call it through `exportChild`.
 */
export function exportModule(module: AnyModule, path: string, input: OnnxValue, graph: OnnxGraphBuilder): OnnxValue {
  const typeName = layerTypeName(module);
  const rule = getOnnxExporter(typeName);
  if (!rule) {
    throw new OnnxExportError(
      'exportOnnx',
      `no ONNX export rule for layer type "${typeName}" (at ${describePath(path)}); register one with ` +
        `registerOnnxExporter('${typeName}', (layer, ctx) => …) from @backprop/onnx, or replace the layer`,
    );
  }
  const join = (sep: string, name: string) => (path === '' ? name : `${path}${sep}${name}`);
  const ctx: OnnxExportContext = {
    opset: graph.opset,
    path,
    input,
    graph,
    node: (opType, inputs, attributes, options) => graph.node(opType, inputs, attributes, { name: join('/', opType), outputs: options?.outputs }),
    param: (name, tensor) => graph.initializer(join('.', name), tensor),
    constant: (name, values, dims) => graph.floatConstant(join('.', name), values, dims),
    int64: (name, values, dims) => graph.int64Constant(join('.', name), values, dims),
    exportChild: (childName, childInput) => exportModule(module.getSubmodule(childName), join('.', childName), childInput, graph),
    error: (message) => new OnnxExportError('exportOnnx', `${typeName} at ${describePath(path)}: ${message}`),
  };
  const result = rule(module, ctx);
  if (typeof result !== 'string') return result;
  return { name: result, ...sampleOutput(module, input, typeName, path) };
}
