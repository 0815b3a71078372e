import { InvalidArgumentError } from 'commander';

/** Options every command accepts (set on the program, read with `optsWithGlobals()`). */
export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  plugin?: string[];
}

/**
 * Whether output is JSON lines: asked for with `--json`, and the default when stdout is not a terminal
 * (a pipe or a file), so that scripts always get something to parse; `--no-json` asks for text anyway.
 */
export function isJsonMode(json: boolean | undefined): boolean {
  return json ?? !process.stdout.isTTY;
}

export function positiveIntOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  return n;
}

export function intOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got '${value}'.`);
  return n;
}

export function numberOption({ positive = false } = {}): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (positive && n <= 0)) {
      throw new InvalidArgumentError(`expected a ${positive ? 'positive ' : ''}number, got '${value}'.`);
    }
    return n;
  };
}

/** Repeatable option: `--plugin a --plugin b`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A shape such as `1,64` or `1x1x8x8`: positive integers separated by commas or x. */
export function shapeOption(value: string): number[] {
  const dims = value.split(/[,x]/).map((d) => d.trim());
  if (dims.some((d) => !/^\d+$/.test(d) || Number(d) < 1)) {
    throw new InvalidArgumentError(`expected positive integers separated by commas, batch first (e.g. 1,64), got '${value}'.`);
  }
  return dims.map(Number);
}
