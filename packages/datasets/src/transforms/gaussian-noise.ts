import { Tensor, ValueError, type Generator } from '@backprop/tensor';
import { resolveGenerator, type SeedOptions } from '../random-source.js';

/**
 * Augmentation that adds independent normal noise with standard deviation `std` to every value, as Keras's
 * `GaussianNoise`. Each call draws new noise from the transform's generator, so a fixed seed gives the same
 * sequence of noisy batches. The result is float (float32 unless x is float64).
 *
 * @example
 * const noise = new GaussianNoise(0.1, { seed: 0 });
 * const noisy = noise.transform(xb);
 */
export class GaussianNoise {
  private readonly generator: Generator;

  constructor(
    readonly std: number,
    options: SeedOptions = {},
  ) {
    if (!(std >= 0)) throw new ValueError('GaussianNoise', `std must be ≥ 0, got ${std}`);
    this.generator = resolveGenerator('GaussianNoise', options);
  }

  transform(x: Tensor): Tensor {
    const out = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
    for (let i = 0; i < x.size; i++) out[i] = x.dataSync()[i] + this.std * this.generator.normal();
    return new Tensor(out, x.shape, x.dtype === 'float64' ? 'float64' : 'float32');
  }
}
