import { describe, expect, it } from 'vitest';
import { run } from '../src/neural-language-model.js';

describe("Bengio's neural probabilistic language model on a second-order Markov source", () => {
  it('brings held-out perplexity far below the uniform baseline, towards the source', () => {
    const result = run();
    expect(result.initialPerplexity).toBeGreaterThan(result.uniformPerplexity * 0.7);
    expect(result.perplexity).toBeLessThan(result.uniformPerplexity / 3);
    expect(result.perplexity).toBeLessThan(2 * result.sourcePerplexity);
    expect(result.perplexity).toBeGreaterThan(result.sourcePerplexity * 0.95);
  });
});
