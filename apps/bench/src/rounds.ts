import { median } from './measure.js';
import type { Cell } from './types.js';

/**
 * One figure from the same (workload, library) pair measured in several rounds. Libraries take turns
 * within each round, so a burst of load from another tenant of the machine lands on one round of every
 * library rather than on all of one library's steps; the median over rounds then drops it. A cell that was
 * unavailable in every round stays unavailable with its first reason.
 */
export function combineRounds(cells: readonly Cell[]): Cell {
  const measured = cells.filter((c): c is Extract<Cell, { value: number }> => 'value' in c);
  if (measured.length === 0) return cells[0];
  return {
    value: median(measured.map((c) => c.value)),
    reps: measured.reduce((n, c) => n + c.reps, 0),
    msPerStep: median(measured.map((c) => c.msPerStep)),
  };
}
