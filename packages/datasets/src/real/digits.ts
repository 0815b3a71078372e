import { Tensor } from '@backprop/tensor';
import { decodeBase64 } from '../base64.js';
import { DIGITS_LABELS, DIGITS_PIXELS } from './digits-data.js';
import type { LabelledSet } from './labelled-set.js';

/**
 * The UCI optical recognition of handwritten digits (Alpaydin & Kaynak, 1998; the test set, as in
 * scikit-learn's `load_digits`), shipped with the package: 1,797 images of 8×8 pixels and labels int32
 * [1797] in 0..9 (174 to 183 per digit). Each pixel counts the ink in a 4×4 block of a 32×32 bitmap, so
 * values are integers 0..16; they are **not** scaled: divide by 16 for [0, 1]. x is float32 [1797, 64], or
 * [1797, 1, 8, 8] (N, C, H, W) with `flatten: false` for convolutional nets. CC BY 4.0.
 *
 * @example
 * const { x, y } = loadDigits();                       // x [1797, 64], values 0..16
 * const images = loadDigits({ flatten: false }).x.div(16); // [1797, 1, 8, 8] in [0, 1]
 */
export function loadDigits(options: { flatten?: boolean } = {}): LabelledSet {
  const pixels = decodeBase64(DIGITS_PIXELS);
  const n = pixels.length / 64;
  return {
    x: new Tensor(Float32Array.from(pixels), options.flatten === false ? [n, 1, 8, 8] : [n, 64], 'float32'),
    y: new Tensor(Int32Array.from(decodeBase64(DIGITS_LABELS)), [n], 'int32'),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    description:
      'Optical recognition of handwritten digits (E. Alpaydin and C. Kaynak, 1998): 1,797 8×8 images with ' +
      'pixel values 0..16, 10 classes. UCI Machine Learning Repository, CC BY 4.0.',
  };
}
