// The ops of fixtures/conv.json (written by tooling/fixtures/tensor/gen_conv.py) as calls of the JS API with
// the fixture's (camelCase) options. Shared by this package's golden test and @backprop/backend-webgpu's run
// of the convolution value and gradient cases on the GPU, each passing its own instance of the tensor module.

type Op = (xs: any[], o: any) => any;

/** A case of conv.json over the caller's tensor encoding `E`: value, max pooling's indices, and torch's gradients of (op(inputs) · projection).sum(). */
export interface ConvCase<E> {
  name: string;
  op: string;
  options: any;
  inputs: E[];
  output: E;
  indices?: E;
  projection: E;
  grads: E[];
  tolerance: { rtol: number; atol: number };
}

/** The op table over the tensor module `T`. */
export function convOps(T: any): Record<string, Op> {
  return {
    conv1d: ([x, w, b], o) => T.conv1d(x, w, b ?? null, o),
    conv2d: ([x, w, b], o) => T.conv2d(x, w, b ?? null, o),
    convTranspose2d: ([x, w, b], o) => T.convTranspose2d(x, w, b ?? null, o),
    maxPool1d: ([x], o) => T.maxPool1d(x, o),
    maxPool2d: ([x], o) => T.maxPool2d(x, o),
    avgPool2d: ([x], o) => T.avgPool2d(x, o),
    adaptiveAvgPool2d: ([x], o) => T.adaptiveAvgPool2d(x, o),
    upsampleNearest2d: ([x], o) => T.upsampleNearest2d(x, o),
  };
}

/** The index-returning variants of the max-pooling ops. */
export function convWithIndices(T: any): Record<string, (x: any, o: any) => { values: any; indices: any }> {
  return {
    maxPool1d: T.maxPool1dWithIndices,
    maxPool2d: T.maxPool2dWithIndices,
  };
}
