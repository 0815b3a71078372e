import { ShapeError, Tensor, ValueError, fmtShape } from '@backprop/tensor';
import { resolveGenerator, type SeedOptions } from '../random-source.js';
import { allocFor } from '../rows.js';

/** How one output image reads its source: out[r][c] = src[r + top][flip ? left − c : left + c], zero outside. */
interface Placement {
  top: number;
  left: number;
  flip: boolean;
}

/**
 * Applies a per-image placement to [C, H, W] or [N, C, H, W] images, drawing a new placement for every
 * image; pixels that fall outside the source are zero (the padding torchvision and Keras use by default).
 */
function resample(op: string, x: Tensor, outH: number, outW: number, place: (h: number, w: number) => Placement): Tensor {
  if (x.rank !== 3 && x.rank !== 4) throw new ShapeError(op, `expected images [C, H, W] or [N, C, H, W], got ${fmtShape(x.shape)}`);
  const [n, c, h, w] = x.rank === 3 ? [1, ...x.shape] : x.shape;
  const out = allocFor(x.dtype, n * c * outH * outW);
  for (let i = 0; i < n; i++) {
    const { top, left, flip } = place(h, w);
    for (let ch = 0; ch < c; ch++) {
      const src = (i * c + ch) * h * w;
      const dst = (i * c + ch) * outH * outW;
      for (let r = 0; r < outH; r++) {
        const sr = r + top;
        if (sr < 0 || sr >= h) continue;
        for (let col = 0; col < outW; col++) {
          const sc = flip ? left - col : left + col;
          if (sc >= 0 && sc < w) out[dst + r * outW + col] = x.dataSync()[src + sr * w + sc];
        }
      }
    }
  }
  return new Tensor(out, x.rank === 3 ? [c, outH, outW] : [n, c, outH, outW], x.dtype);
}

function checkNonNegativeInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new ValueError(op, `${name} must be a non-negative integer, got ${v}`);
}

/**
 * Random crops of `size` ([h, w] or one number for a square) after zero-padding every side by `padding`,
 * as torchvision's `RandomCrop` (the classic CIFAR augmentation is `randomCrop(32, 4)`). Returns a function
 * for [C, H, W] or [N, C, H, W] images; each image gets its own crop.
 *
 * @example
 * const crop = randomCrop(8, 1, { seed: 0 });
 * crop(images).shape; // [N, 1, 8, 8]
 */
export function randomCrop(size: number | [number, number], padding = 0, options: SeedOptions = {}): (x: Tensor) => Tensor {
  const op = 'randomCrop';
  const [ch, cw] = typeof size === 'number' ? [size, size] : size;
  checkNonNegativeInt(op, 'padding', padding);
  if (!(Number.isInteger(ch) && ch > 0 && Number.isInteger(cw) && cw > 0)) {
    throw new ValueError(op, `size must be positive integers, got ${JSON.stringify(size)}`);
  }
  const g = resolveGenerator(op, options);
  return (x) =>
    resample(op, x, ch, cw, (h, w) => {
      if (ch > h + 2 * padding || cw > w + 2 * padding) {
        throw new ShapeError(op, `crop ${ch}×${cw} is larger than the padded image ${h + 2 * padding}×${w + 2 * padding}`);
      }
      return { top: g.integer(0, h + 2 * padding - ch + 1) - padding, left: g.integer(0, w + 2 * padding - cw + 1) - padding, flip: false };
    });
}

/**
 * Mirrors each image left–right with probability `p` (default 0.5), as torchvision's `RandomHorizontalFlip`.
 *
 * @example
 * randomHorizontalFlip(0.5, { seed: 0 })(images);
 */
export function randomHorizontalFlip(p = 0.5, options: SeedOptions = {}): (x: Tensor) => Tensor {
  const op = 'randomHorizontalFlip';
  if (!(p >= 0 && p <= 1)) throw new ValueError(op, `p must be a probability in [0, 1], got ${p}`);
  const g = resolveGenerator(op, options);
  return (x) =>
    resample(op, x, x.shape[x.rank - 2], x.shape[x.rank - 1], (_h, w) => {
      const flip = g.random() < p;
      return { top: 0, left: flip ? w - 1 : 0, flip };
    });
}

/**
 * Translates each image by a random whole number of pixels in [−maxShift, maxShift] along each axis,
 * filling the uncovered border with zeros, like Keras's `RandomTranslation` with constant fill.
 *
 * @example
 * randomShift(2, { seed: 0 })(images); // same shape, content moved by up to 2 pixels
 */
export function randomShift(maxShift: number, options: SeedOptions = {}): (x: Tensor) => Tensor {
  const op = 'randomShift';
  checkNonNegativeInt(op, 'maxShift', maxShift);
  const g = resolveGenerator(op, options);
  return (x) =>
    resample(op, x, x.shape[x.rank - 2], x.shape[x.rank - 1], () => ({
      top: -g.integer(-maxShift, maxShift + 1),
      left: -g.integer(-maxShift, maxShift + 1),
      flip: false,
    }));
}
