import { describe, expect, it } from 'vitest';
import { layerFromConfig } from '../src/index.js';
import { decodeState, expectPassMatches, readFixture, type PassCase } from './helpers.js';

const fixture = readFixture<PassCase>('mlp.json');

// Weights come in through torch's state_dict(), so a pass also proves that parameter names and layouts match.
// These configs give only what differs from the defaults, so toConfig() (which lists every option) is not
// compared with them here.
describe('forward values and gradients match PyTorch (float64)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = layerFromConfig(c.config);
      expect(model.loadStateDict(decodeState(c.state))).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expectPassMatches(model, c);
    });
  }
});
