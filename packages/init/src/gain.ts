import { ValueError } from '@backprop/tensor';

/** The nonlinearities `calculateGain` knows, spelled as in `torch.nn.init.calculate_gain`. */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

const UNIT_GAIN = new Set<string>([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
]);

/**
 * The recommended gain for a nonlinearity, exactly as `torch.nn.init.calculate_gain`:
 *
 * | nonlinearity | gain |
 * | --- | --- |
 * | linear, conv*d, conv_transpose*d, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leaky_relu | √(2 / (1 + negative_slope²)), `param` = negative_slope, default 0.01 |
 * | selu | 3/4 |
 *
 * @example
 * calculateGain('relu');            // 1.4142…
 * calculateGain('leaky_relu', 0.2); // √(2 / 1.04) = 1.3867…
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (UNIT_GAIN.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new ValueError('calculateGain', `negative slope of leaky_relu must be a finite number, got ${String(param)}`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      // Not self-normalizing theory: PyTorch picked 3/4 empirically so that SELU nets train with kaiming/xavier.
      return 3 / 4;
    default:
      throw new ValueError(
        'calculateGain',
        `unsupported nonlinearity ${JSON.stringify(nonlinearity)}, expected one of ${[...UNIT_GAIN, 'tanh', 'relu', 'leaky_relu', 'selu'].join(', ')}`,
      );
  }
}
