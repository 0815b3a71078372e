import { Generator, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { UNet, run, shapesSet } from '../src/unet.js';

describe('U-Net on synthetic rectangles and discs', () => {
  it('the set: binary masks of one rectangle and one disc per image, the same for the same seed', () => {
    const { images, masks } = shapesSet(8, 16, new Generator(3));
    expect(images.shape).toEqual([8, 1, 16, 16]);
    expect(new Set(masks.toFlatArray())).toEqual(new Set([0, 1]));
    const perImage = masks.sum([1, 2, 3]).toFlatArray();
    expect(Math.min(...perImage)).toBeGreaterThanOrEqual(12); // a disc of radius ≥ 2 alone covers 13 pixels
    expect(shapesSet(8, 16, new Generator(3)).images.toFlatArray()).toEqual(images.toFlatArray());
  });

  it('maps an image to one logit per pixel through its skip connections', () => {
    expect(new UNet(4, new Generator(0)).call(zeros([2, 1, 16, 16])).shape).toEqual([2, 1, 16, 16]);
  });

  it('learns: held-out IoU rises from chance to well above it', () => {
    const result = run();
    expect(result.iouBefore).toBeLessThan(0.35);
    expect(result.iou).toBeGreaterThanOrEqual(0.6);
    expect(result.iou).toBeGreaterThan(2.5 * result.chanceIou);
    expect(result.lastLoss).toBeLessThan(result.firstLoss / 2);
  });
});
