// What the cases of fixtures/attention.json and fixtures/transformer.json (written by
// tooling/fixtures/layers/gen_attention.py) call, as calls of the JS API. Shared by this package's golden
// test and @backprop/backend-webgpu's run of the same cases on the GPU, each passing its own instance of the
// layers module and its own tensor decoding.

/** A case over the caller's tensor encoding `E`: what to call, its inputs and options, torch's outputs and gradients. */
export interface AttentionCase<E> {
  name: string;
  kind: 'sdpa' | 'mha' | 'mhaSelf' | 'encoderLayer' | 'decoderLayer' | 'encoder' | 'transformer';
  config?: Record<string, unknown>;
  state?: Record<string, E>;
  inputs: E[];
  options: Record<string, E | number | boolean>;
  outputs: E[];
  gradOutput: E;
  inputGrads: E[];
  paramGrads: Record<string, E>;
  rtol: number;
  atol: number;
}

/** The case's options with its tensors decoded (masks), numbers and flags as they are. */
export function attentionOptions<E>(c: AttentionCase<E>, decode: (e: E) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, typeof v === 'object' ? decode(v) : v]));
}

/**
 * Calls what the case describes with the layers module `L`; returns its outputs (a layer's weights after
 * its output, when it returns them).
 */
export function runAttention(L: any, c: AttentionCase<unknown>, model: any, x: any[], o: Record<string, unknown>): any[] {
  switch (c.kind) {
    case 'sdpa':
      return [L.scaledDotProductAttention(x[0], x[1], x[2], o)];
    case 'mha':
    case 'mhaSelf': {
      const [q, k, v] = c.kind === 'mha' ? x : [x[0], x[0], x[0]];
      const [out, weights] = model.call(q, k, v, o);
      return weights ? [out, weights] : [out];
    }
    case 'encoderLayer':
    case 'encoder':
      return [model.call(x[0], o)];
    case 'decoderLayer':
    case 'transformer':
      return [model.call(x[0], x[1], o)];
  }
}
