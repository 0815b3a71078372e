import { describe, expect, it } from 'vitest';
import { autogradGradients } from '../src/graph/autograd-check.js';
import { finiteDifferences, trace } from '../src/graph/evaluate.js';
import { ParseError, parseExpression } from '../src/graph/parse.js';
import { PRESETS } from '../src/graph/presets.js';
import { Stepper } from '../src/graph/stepper.js';

describe('graph explorer: parsing', () => {
  it('builds one node per variable however often it is used, with precedence and right-associative ^', () => {
    const g = parseExpression('(a + b) * (b + 1)');
    expect(g.variables).toEqual(['a', 'b']);
    expect(g.nodes.filter((n) => n.op === 'input')).toHaveLength(2);
    expect(g.nodes[g.output].op).toBe('mul');
    const p = parseExpression('2 ^ 3 ^ 2 * x');
    expect(trace(p, { x: 1 }).values[p.output]).toBe(512);
    expect(trace(parseExpression('-x ^ 2'), { x: 3 }).values.at(-1)).toBe(-9);
  });

  it('says what is wrong with a bad expression, and where', () => {
    expect(() => parseExpression('x +')).toThrow(ParseError);
    expect(() => parseExpression('x +')).toThrow(/ends where a value was expected/);
    expect(() => parseExpression('foo(x)')).toThrow(/unknown function 'foo'/);
    expect(() => parseExpression('(x * 2')).toThrow(/expected '\)'/);
    expect(() => parseExpression('2 * 3')).toThrow(/no variables/);
    expect(() => parseExpression('x $ y')).toThrow(/unexpected character '\$'/);
  });
});

describe('graph explorer: the stepped passes', () => {
  for (const preset of PRESETS) {
    it(`${preset.label}: stepped gradients equal autograd's and finite differences`, () => {
      const g = parseExpression(preset.expression);
      const stepper = new Stepper(g, preset.values);
      stepper.finish();
      const auto = autogradGradients(g, preset.values);
      const fd = finiteDifferences(g, preset.values);
      expect(stepper.trace.values[g.output]).toBeCloseTo(auto.value, 12);
      for (const name of g.variables) {
        const id = g.nodes.find((n) => n.op === 'input' && n.label === name)!.id;
        expect(stepper.gradOf(id)).toBeCloseTo(auto.grads[name], 12);
        expect(stepper.gradOf(id)).toBeCloseTo(fd[name], 6);
      }
    });
  }

  it('adds the gradients of the two paths where a variable is used twice', () => {
    const g = parseExpression('(a + b) * (b + 1)');
    const s = new Stepper(g, { a: 2, b: 1 });
    s.finish();
    const b = g.nodes.find((n) => n.label === 'b')!.id;
    // ∂f/∂b = (b + 1) + (a + b) = 2 + 3.
    expect(s.gradOf(b)).toBe(5);
    const contributions = s.trace.steps.flatMap((step) => step.contributions.filter((c) => c.input === b).map((c) => c.added));
    expect(contributions.sort()).toEqual([2, 3]);
  });

  it('shows values only once computed, and gradients only once the backward pass reaches them', () => {
    const g = parseExpression('x * y + sin(x)');
    const s = new Stepper(g, { x: 1, y: 2 });
    const x = g.nodes.find((n) => n.label === 'x')!.id;
    expect(s.valueOf(g.output)).toBeNull();
    expect(s.gradOf(x)).toBeNull();
    expect(s.describe()).toMatch(/3 operations forward, then 3 backward/);
    s.step();
    expect(s.describe()).toBe('Forward: v1 = x · y = 1 · 2 = 2.');
    s.step();
    s.step();
    expect(s.phase).toBe('backward');
    expect(s.valueOf(g.output)).toBeCloseTo(2 + Math.sin(1), 12);
    s.step();
    expect(s.describe()).toMatch(/^Backward at v3 = v1 \+ v2: ∂f\/∂v3 = 1\. ∂v3\/∂v1 = 1, so ∂f\/∂v1 \+= 1 × 1 = 1/);
    s.step();
    // After v2 = sin(x) passed back cos(1), x has a partial gradient: v1's path is still to come.
    expect(s.gradOf(x)).toBeCloseTo(Math.cos(1), 12);
    expect(s.gradComplete(x)).toBe(false);
    s.step();
    expect(s.phase).toBe('done');
    expect(s.gradOf(x)).toBeCloseTo(2 + Math.cos(1), 12);
    expect(s.gradComplete(x)).toBe(true);
    expect(s.step()).toBe(false);
  });
});
