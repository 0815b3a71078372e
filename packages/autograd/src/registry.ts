import type { Tensor } from '@backprop/tensor';
import { AutogradError } from './errors.js';

/** What a gradient rule sees of the op it differentiates. */
export interface GradientContext {
  /** The op's inputs, as recorded. */
  readonly inputs: readonly Tensor[];
  /** The op's output. */
  readonly output: Tensor;
  /** The attributes the op was called with (axes, flags, …). */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** `needsGrad[i]` is false when input i needs no gradient, so a rule may skip computing it. */
  readonly needsGrad: readonly boolean[];
}

/**
 * Computes the gradients of an op's inputs from the gradient of its output: one entry per input, `null`
 * where there is none. Rules are written with tensor ops, so that they are themselves differentiable and
 * second derivatives work.
 */
export type GradientRule = (grad: Tensor, ctx: GradientContext) => readonly (Tensor | null)[];

const rules = new Map<string, GradientRule>();
const nonDifferentiable = new Set<string>();

/**
 * Registers the gradient of the op named `op`. Registering an op twice is an error, so that two plugins
 * cannot silently replace each other's rule.
 *
 * @example
 * registerGradient('myScale', (g, { attrs }) => [g.mul(attrs.factor as number)]);
 */
export function registerGradient(op: string, rule: GradientRule): void {
  if (rules.has(op) || nonDifferentiable.has(op)) {
    throw new AutogradError(`registerGradient: op '${op}' already has a gradient rule`);
  }
  rules.set(op, rule);
}

/** Declares that `op` has no gradient: asking for one through it is an error that names it. */
export function registerNonDifferentiable(op: string): void {
  nonDifferentiable.add(op);
}

export function gradientRule(op: string): GradientRule | undefined {
  return rules.get(op);
}

export function isNonDifferentiable(op: string): boolean {
  return nonDifferentiable.has(op);
}

export function hasGradient(op: string): boolean {
  return rules.has(op);
}
