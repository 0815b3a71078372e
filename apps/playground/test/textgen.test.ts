import { describe, expect, it } from 'vitest';
import { CharModel, DEFAULT_TEXT } from '../src/textgen/model.js';

describe('the text page model', () => {
  it('learns the text (loss falls well below uniform guessing) and samples the same text for the same seed', async () => {
    const model = new CharModel(DEFAULT_TEXT, { hidden: 32, seed: 0 });
    const uniform = Math.log(model.vocabulary.length);
    const first = await model.trainStep();
    expect(first).toBeGreaterThan(uniform * 0.8);
    let last = first;
    for (let i = 0; i < 80; i++) last = await model.trainStep();
    expect(last).toBeLessThan(uniform * 0.7);
    const a = await model.sample('twinkle', 60, 0.8, 3);
    expect(a).toHaveLength(60);
    expect([...a].every((ch) => model.vocabulary.includes(ch))).toBe(true);
    expect(await model.sample('twinkle', 60, 0.8, 3)).toBe(a);
    expect(await model.sample('twinkle', 60, 0.8, 4)).not.toBe(a);
  });

  it('says how long a text must be', () => {
    expect(() => new CharModel('too short')).toThrow(/needs at least 34 characters to train on, got 9/);
  });
});
