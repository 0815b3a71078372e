import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { figure, pca, run } from '../src/embeddings.js';
import { renderSvg } from '../src/plot.js';

describe('embeddings projected by PCA', () => {
  it('PCA finds the direction of largest variance', () => {
    // Points on the line y = 2x (plus a little off it): PC 1 carries nearly all the variance.
    const { coordinates, explained } = pca(tensor([[0, 0.1], [1, 2], [2, 3.9], [3, 6.1], [4, 8]], [5, 2], 'float64'), 2);
    expect(explained[0]).toBeGreaterThan(0.99);
    expect(coordinates.shape).toEqual([5, 2]);
  });

  it('the word2vec embeddings of each topic cluster in the first two principal components', async () => {
    const result = run({ epochs: 4 });
    expect(result.points).toHaveLength(24);
    expect(result.explained[0] + result.explained[1]).toBeGreaterThan(0.5);
    expect(result.nearestInTopic2d).toBeGreaterThanOrEqual(0.9);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
