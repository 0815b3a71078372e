import { Tensor } from '@backprop/tensor';
import type { OnnxAttributeValue } from './attributes.js';
import { OnnxExportError } from './errors.js';
import { OnnxDataType, type OnnxNodeProto, type OnnxTensorProto } from './onnx-model.js';

/** Little-endian bytes of a typed array (ONNX's `raw_data` layout, whatever the host's byte order). */
function littleEndianBytes(values: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(values.length * values.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  values.forEach((v: number | bigint, i: number) => {
    if (values instanceof Float32Array) view.setFloat32(i * 4, v as number, true);
    else if (values instanceof Int32Array) view.setInt32(i * 4, v as number, true);
    else view.setBigInt64(i * 8, v as bigint, true);
  });
  return bytes;
}

/**
 * The graph under construction, shared by every export rule: it hands out unique value names and
 * collects nodes (in the order they are added, which is a topological order because a rule can only
 * use values that exist) and initializers.
 *
 * @example
 * const w = graph.initializer('fc.weight', layer.weight);
 * const [y] = graph.node('Gemm', [x, w], { transB: attr.int(1) });
 */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNodeProto[] = [];
  readonly initializers: OnnxTensorProto[] = [];
  private readonly used = new Set<string>();

  constructor(readonly opset: number) {}

  /** Reserves a value name: `base` itself if it is free, else `base_1`, `base_2`, … */
  uniqueName(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /**
   * Adds a constant tensor (a weight) under a unique name derived from `name`, stored as float32 (or
   * int32 for an int32 tensor); returns the name to use as a node input.
   */
  initializer(name: string, tensor: Tensor): string {
    if (tensor.dtype === 'int32') return this.addInitializer(name, [...tensor.shape], OnnxDataType.INT32, Int32Array.from(tensor.dataSync() as Int32Array));
    if (tensor.dtype === 'bool') throw new OnnxExportError('exportOnnx', `initializer "${name}" is a bool tensor; only float and int32 weights are exported`);
    // float64 parameters (used for gradient checks) are rounded: ONNX models run in float32 here.
    return this.addInitializer(name, [...tensor.shape], OnnxDataType.FLOAT, Float32Array.from(tensor.dataSync() as ArrayLike<number>));
  }

  /** Adds a float32 constant of shape `dims` (`[]` for a scalar). */
  floatConstant(name: string, values: readonly number[] | Float32Array, dims: readonly number[] = [values.length]): string {
    return this.addInitializer(name, [...dims], OnnxDataType.FLOAT, Float32Array.from(values));
  }

  /** Adds an int64 constant of shape `dims` (default 1-D): shapes, axes and indices inputs. */
  int64Constant(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.addInitializer(name, [...dims], OnnxDataType.INT64, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  private addInitializer(name: string, dims: number[], dataType: number, values: Float32Array | Int32Array | BigInt64Array): string {
    const unique = this.uniqueName(name);
    this.initializers.push({ name: unique, dims, dataType, rawData: littleEndianBytes(values) });
    return unique;
  }

  /**
   * Appends a node `opType(inputs)` with typed `attributes` and returns the names of its outputs (one
   * unless `outputs` says how many, or names them). Output names derive from `name`, which defaults to
   * the op type.
   */
  node(opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttributeValue> = {}, options: { name?: string; outputs?: number } = {}): string[] {
    const nodeName = this.uniqueName(options.name ?? opType);
    const count = options.outputs ?? 1;
    const outputs = Array.from({ length: count }, (_, k) => this.uniqueName(count === 1 ? `${nodeName}:out` : `${nodeName}:out${k}`));
    const attribute = Object.entries(attributes).map(([attrName, value]) => ({ name: attrName, ...value }));
    this.nodes.push({ name: nodeName, opType, input: [...inputs], output: outputs, attribute });
    return outputs;
  }
}
