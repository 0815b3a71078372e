import { describe, expect, it } from 'vitest';
import { combineRounds } from '../src/rounds.js';

describe('combineRounds', () => {
  it('takes the median figure and step time over the rounds, and sums the repetitions', () => {
    const cell = combineRounds([
      { value: 10, reps: 4, msPerStep: 1 },
      { value: 30, reps: 5, msPerStep: 3 },
      { value: 12, reps: 6, msPerStep: 1.2 },
    ]);
    expect(cell).toEqual({ value: 12, reps: 15, msPerStep: 1.2 });
  });

  it('ignores rounds that failed when others measured, and keeps the first reason when none did', () => {
    expect(combineRounds([{ unavailable: 'error: x' }, { value: 2, reps: 1, msPerStep: 5 }])).toEqual({ value: 2, reps: 1, msPerStep: 5 });
    expect(combineRounds([{ unavailable: 'n/a: a' }, { unavailable: 'n/a: b' }])).toEqual({ unavailable: 'n/a: a' });
  });
});
