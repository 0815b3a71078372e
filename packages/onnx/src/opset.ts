/**
 * What each ONNX opset allows, as far as the exporter and its validator need it. Sources: ONNX's
 * `docs/Operators.md` (the version each op appeared in) and `docs/Versioning.md` (IR version of each
 * opset).
 */

/** The oldest opset we export to: Softmax and LogSoftmax normalize over one axis only from opset 13 on. */
export const MIN_OPSET = 13;
/** The newest opset we export to (onnxruntime 1.20 and later run it). */
export const MAX_OPSET = 21;

/** The IR version that goes with each opset (the lowest that allows it, so older runtimes read the file). */
const IR_VERSION_OF_OPSET: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** The IR version for `opset`. */
export function irVersionFor(opset: number): number {
  return IR_VERSION_OF_OPSET[opset];
}

/**
 * Ops of the default domain with the opset that introduced them. An op missing here is reported by the
 * validator; a plugin rule that uses another op extends this with `registerOnnxOp`.
 */
const OP_SINCE = new Map<string, number>(
  Object.entries({
    Abs: 1, Add: 1, And: 1, ArgMax: 1, ArgMin: 1, AveragePool: 1, BatchNormalization: 1, Cast: 1, Ceil: 1,
    Clip: 1, Concat: 1, Constant: 1, ConstantOfShape: 9, Conv: 1, ConvTranspose: 1, Cos: 1, Div: 1,
    Dropout: 1, Einsum: 12, Elu: 1, Equal: 1, Erf: 9, Exp: 1, Expand: 8, Flatten: 1, Floor: 1, GRU: 1,
    Gather: 1, GatherElements: 11, Gelu: 20, Gemm: 1, GlobalAveragePool: 1, GlobalMaxPool: 1, Greater: 1,
    HardSigmoid: 1, HardSwish: 14, Identity: 1, InstanceNormalization: 1, LSTM: 1, LayerNormalization: 17,
    LeakyRelu: 1, Less: 1, Log: 1, LogSoftmax: 1, MatMul: 1, Max: 1, MaxPool: 1, Mean: 1, Min: 1, Mish: 18,
    Mul: 1, Neg: 1, Not: 1, Or: 1, PRelu: 1, Pad: 1, Pow: 1, RNN: 1, Reciprocal: 1, ReduceL2: 1,
    ReduceLogSumExp: 1, ReduceMax: 1, ReduceMean: 1, ReduceMin: 1, ReduceProd: 1, ReduceSum: 1, Relu: 1,
    Reshape: 1, Resize: 10, Selu: 1, Shape: 1, Sigmoid: 1, Sign: 9, Sin: 1, Size: 1, Slice: 1, Softmax: 1,
    Softplus: 1, Softsign: 1, Split: 1, Sqrt: 1, Squeeze: 1, Sub: 1, Sum: 1, Tanh: 1, Tile: 1, TopK: 1,
    Transpose: 1, Unsqueeze: 1, Where: 9,
  }),
);

/**
 * Attributes that later opsets turned into inputs: using one at or after that opset is an error in
 * onnxruntime ("Unrecognized attribute"), the commonest mistake when one exporter targets several opsets.
 */
const ATTRIBUTE_REMOVED_IN: Record<string, Record<string, number>> = {
  Clip: { min: 11, max: 11 },
  Dropout: { ratio: 12 },
  Pad: { pads: 11, value: 11 },
  ReduceL2: { axes: 18 },
  ReduceLogSumExp: { axes: 18 },
  ReduceMax: { axes: 18 },
  ReduceMean: { axes: 18 },
  ReduceMin: { axes: 18 },
  ReduceProd: { axes: 18 },
  ReduceSum: { axes: 13 },
  Split: { split: 13 },
  Squeeze: { axes: 13 },
  Unsqueeze: { axes: 13 },
};

/**
 * Declares an op of the default domain (and the opset that introduced it) so that the validator accepts
 * it: for plugin export rules using an op the built-in rules do not.
 *
 * @example registerOnnxOp('Celu', 12);
 */
export function registerOnnxOp(opType: string, sinceOpset: number): void {
  OP_SINCE.set(opType, sinceOpset);
}

/** Why `opType` cannot be used in `opset`, or `undefined` if it can. */
export function opProblem(opType: string, opset: number): string | undefined {
  const since = OP_SINCE.get(opType);
  if (since === undefined) return `op "${opType}" is not a known ONNX op (declare a plugin's op with registerOnnxOp)`;
  if (since > opset) return `op "${opType}" needs opset ${since} or later, but the model declares opset ${opset}`;
  return undefined;
}

/** Why attribute `name` of `opType` cannot be used in `opset`, or `undefined` if it can. */
export function attributeProblem(opType: string, name: string, opset: number): string | undefined {
  const removedIn = ATTRIBUTE_REMOVED_IN[opType]?.[name];
  if (removedIn !== undefined && opset >= removedIn) {
    return `attribute "${name}" of ${opType} was replaced by an input in opset ${removedIn}; the model declares opset ${opset}`;
  }
  return undefined;
}
