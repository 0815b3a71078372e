import { Tensor, fmtShape, zeros, type DType } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import type { AnyModule, RemovableHandle } from './module.js';

/** One line of a `summary`: a module, what it produced, and the parameters it owns itself. */
export interface SummaryRow {
  /** Dotted name (`''` for the model itself). */
  name: string;
  /** Class name. */
  type: string;
  /** Nesting depth: 0 for the model, 1 for its children, … */
  depth: number;
  /** Shape of the output of the module's last call, or `null` if it did not run or returned no tensor. */
  outputShape: number[] | null;
  /** Number of parameter elements registered directly on this module (children count on their own rows). */
  params: number;
}

/** What `summary` returns: the rows, the totals, and the table as text. */
export interface ModelSummary {
  rows: SummaryRow[];
  /** Elements in all (distinct) parameters. */
  totalParams: number;
  /** Elements in parameters that require a gradient. */
  trainableParams: number;
  nonTrainableParams: number;
  /** The table, as Keras' `model.summary()` / torchinfo print it. */
  text: string;
}

/**
 * Runs `model` once on zeros of `inputShape` (batch dimension included) without recording gradients, and
 * tabulates every module: name and type, output shape, and parameter count, with totals.
 *
 * @example
 * const s = summary(new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1)), [1, 2]);
 * console.log(s.text);  // rows 0 (Linear) [1, 4] 12, 1 (Tanh) [1, 4] 0, 2 (Linear) [1, 1] 5; total 17
 */
export function summary(model: AnyModule, inputShape: readonly number[], options: { dtype?: DType } = {}): ModelSummary {
  const shapes = new Map<AnyModule, number[] | null>();
  const handles: RemovableHandle[] = model.modules().map((m) =>
    m.registerForwardHook((module, _inputs, output) => shapes.set(module, output instanceof Tensor ? [...output.shape] : null)),
  );
  try {
    noGrad(() => model.call(zeros(inputShape, { dtype: options.dtype ?? 'float32' })));
  } finally {
    handles.forEach((h) => h.remove());
  }
  const rows = model.namedModules().map(([name, module]): SummaryRow => ({
    name,
    type: module.constructor.name,
    depth: name === '' ? 0 : name.split('.').length,
    outputShape: shapes.get(module) ?? null,
    params: module.parameters(false).reduce((n, p) => n + p.size, 0),
  }));
  const all = model.parameters();
  const totalParams = all.reduce((n, p) => n + p.size, 0);
  const trainableParams = all.filter((p) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
  const nonTrainableParams = totalParams - trainableParams;
  return { rows, totalParams, trainableParams, nonTrainableParams, text: formatTable(rows, totalParams, trainableParams, nonTrainableParams) };
}

function formatTable(rows: SummaryRow[], total: number, trainable: number, nonTrainable: number): string {
  const cells = rows.map((r) => [
    `${'  '.repeat(r.depth)}${r.name === '' ? r.type : `${r.name.split('.').pop()} (${r.type})`}`,
    r.outputShape ? fmtShape(r.outputShape) : '--',
    r.params.toLocaleString('en-US'),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('   ');
  const rule = '='.repeat(widths.reduce((a, b) => a + b, 0) + 6);
  return [
    line(header),
    rule,
    ...cells.map(line),
    rule,
    `Total params: ${total.toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${nonTrainable.toLocaleString('en-US')}`,
  ].join('\n');
}
