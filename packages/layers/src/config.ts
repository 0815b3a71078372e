import { ValueError, type DType } from '@backprop/tensor';

/** A JSON value: what a layer config may hold. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/**
 * A layer's description as plain JSON: `type` is the name it is registered under (see `registerLayer`),
 * the other fields are its constructor options, e.g. `{ type: 'Linear', inFeatures: 2, outFeatures: 4, bias: true, dtype: 'float32' }`.
 */
export interface LayerConfig {
  type: string;
  [option: string]: ConfigValue;
}

/**
 * The options of `config`, after checking that it has no field `layer` does not know: a typo such as
 * `outFeature` must not silently fall back to a default.
 */
export function configOptions(layer: string, config: LayerConfig, allowed: readonly string[]): Record<string, unknown> {
  const unknown = Object.keys(config).filter((k) => k !== 'type' && !allowed.includes(k));
  if (unknown.length > 0) {
    const expected = allowed.length > 0 ? allowed.join(', ') : 'no options';
    throw new ValueError(layer, `unknown option ${unknown.map((k) => JSON.stringify(k)).join(', ')} in config; expected ${expected}`);
  }
  return config;
}

/** `value` if it is an integer ≥ `min`, else an error naming the layer and field. */
export function checkInt(layer: string, field: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(layer, `${field} must be an integer${min === -Infinity ? '' : ` ≥ ${min}`}, got ${show(value)}`);
  }
  return value;
}

/** `value` if it is a finite number ≥ `min`, else an error naming the layer and field. */
export function checkNumber(layer: string, field: string, value: unknown, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ValueError(layer, `${field} must be a finite number${min === -Infinity ? '' : ` ≥ ${min}`}, got ${show(value)}`);
  }
  return value;
}

/** `value` if it is a boolean, else an error naming the layer and field. */
export function checkBoolean(layer: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(layer, `${field} must be true or false, got ${show(value)}`);
  return value;
}

/** `value` if it is one of `choices`, else an error naming the layer, the field and the choices. */
export function checkChoice<T extends string>(layer: string, field: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new ValueError(layer, `${field} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** `value` if it is an array of integers (each ≥ `min`), else an error naming the layer and field. */
export function checkIntArray(layer: string, field: string, value: unknown, min: number): number[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    throw new ValueError(layer, `${field} must be an array of integers ≥ ${min}, got ${show(value)}`);
  }
  return [...value] as number[];
}

/** Parameter dtypes: gradients need floats. */
export type ParamDType = Extract<DType, 'float32' | 'float64'>;

/** The parameter dtype option (default float32). */
export function checkDtype(layer: string, value: unknown): ParamDType {
  return checkChoice(layer, 'dtype', value ?? 'float32', ['float32', 'float64'] as const);
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}
