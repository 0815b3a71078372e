import { Tensor, ValueError, fmtShape } from '@backprop/tensor';

/** Which fan variance-scaling initializers divide by: inputs (`'fanIn'`, preserves forward variance) or outputs. */
export type FanMode = 'fanIn' | 'fanOut';

/** Number of inputs and outputs each weight element connects, as PyTorch counts them. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fan-in and fan-out of a weight, exactly as `torch.nn.init._calculate_fan_in_and_fan_out`: a weight has
 * layout `[out, in, ...kernel]` (Linear `[out, in]`, Conv2d `[out, in/groups, kH, kW]`), so with
 * `receptive = ∏ kernel` (1 for a matrix), `fanIn = in · receptive` and `fanOut = out · receptive`.
 *
 * @example
 * calculateFanInAndFanOut([16, 3, 5, 5]); // { fanIn: 75, fanOut: 400 }
 * calculateFanInAndFanOut(zeros([4, 3])); // { fanIn: 3, fanOut: 4 }
 */
export function calculateFanInAndFanOut(weight: Tensor | readonly number[]): Fans {
  const shape = weight instanceof Tensor ? weight.shape : weight;
  if (shape.length < 2) {
    throw new ValueError(
      'calculateFanInAndFanOut',
      `fan in and fan out need a weight with at least 2 dimensions [out, in, ...kernel], got shape ${fmtShape(shape)}`,
    );
  }
  let receptive = 1;
  for (let d = 2; d < shape.length; d++) receptive *= shape[d];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/** The fan `mode` selects, with the error naming the initializer that asked. */
export function fanOf(op: string, shape: readonly number[], mode: FanMode): number {
  if (mode !== 'fanIn' && mode !== 'fanOut') {
    throw new ValueError(op, `mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`);
  }
  const fans = calculateFanInAndFanOut(shape);
  return mode === 'fanIn' ? fans.fanIn : fans.fanOut;
}
