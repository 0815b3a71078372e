import { describe, it } from 'vitest';
import type { AnyModule } from '../src/index.js';
import { expectPassMatches, layerFromCase, readFixture, type PassCase } from './helpers.js';

const fixture = readFixture<PassCase>('conv.json');

// Configs are derived from the torch modules' own attributes, so toConfig() matching them shows that every
// option kept PyTorch's meaning; the weights come in through torch's state_dict().
describe('convolution, pooling and upsampling layers match PyTorch (float64)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => expectPassMatches(layerFromCase<AnyModule>(c), c));
  }
});
