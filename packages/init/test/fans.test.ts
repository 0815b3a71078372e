import { readFileSync } from 'node:fs';
import { zeros, ValueError } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { calculateFanInAndFanOut, calculateGain, type Nonlinearity } from '../src/index.js';

interface FanCase { name: string; kind: 'fans'; shape: number[]; fanIn: number; fanOut: number }
interface GainCase { name: string; kind: 'gain'; nonlinearity: Nonlinearity; param?: number | null; gain: number }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/fans.json', import.meta.url), 'utf8')) as {
  cases: (FanCase | GainCase)[];
};

describe('calculateFanInAndFanOut and calculateGain match torch.nn.init', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      if (c.kind === 'fans') {
        expect(calculateFanInAndFanOut(c.shape)).toEqual({ fanIn: c.fanIn, fanOut: c.fanOut });
        expect(calculateFanInAndFanOut(zeros(c.shape))).toEqual({ fanIn: c.fanIn, fanOut: c.fanOut });
      } else {
        expect(calculateGain(c.nonlinearity, c.param ?? undefined)).toBeCloseTo(c.gain, 14);
      }
    });
  }

  it('rejects weights with fewer than 2 dimensions', () => {
    expect(() => calculateFanInAndFanOut([5])).toThrow(ValueError);
    expect(() => calculateFanInAndFanOut([5])).toThrow(/calculateFanInAndFanOut: .*at least 2 dimensions.*\[5\]/);
  });

  it('rejects unknown nonlinearities, listing the known ones', () => {
    expect(() => calculateGain('swish' as Nonlinearity)).toThrow(/unsupported nonlinearity "swish", expected one of linear, .*selu/);
    expect(() => calculateGain('leaky_relu', Number.NaN)).toThrow(/negative slope/);
  });
});
