import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { diagonal } from './diagonal.js';
import { matmul } from './matmul.js';
import { checkTensor } from './operand.js';
import { sum } from './reduce.js';
import { expand, permute, reshape } from './shape-ops.js';

// einsum is composed of diagonal, sum, expand, permute, reshape and batched matmul, so its gradient (of any
// order) comes from theirs. Labels are numbers: a letter is its char code, the ellipsis axes (right-aligned
// across operands, as broadcasting aligns them) are −1, −2, ….

interface Term {
  t: Tensor;
  labels: number[];
}

const ELLIPSIS = '...';

function parseSpec(spec: string, where: string): (number | 'ellipsis')[] {
  const out: (number | 'ellipsis')[] = [];
  for (let i = 0; i < spec.length; i++) {
    if (spec.startsWith(ELLIPSIS, i)) {
      if (out.includes('ellipsis')) throw new ValueError('einsum', `${where} '${spec}' has more than one '...'`);
      out.push('ellipsis');
      i += 2;
      continue;
    }
    const c = spec[i];
    if (!/[a-zA-Z]/.test(c)) throw new ValueError('einsum', `${where} '${spec}' has '${c}': subscripts are letters a-z, A-Z and '...'`);
    out.push(c.charCodeAt(0));
  }
  return out;
}

function labelName(l: number): string {
  return l >= 0 ? String.fromCharCode(l) : '...';
}

/** Sums out `drop` labels and takes repeated labels' diagonals, leaving each label once. */
function simplify(term: Term, keep: (label: number) => boolean): Term {
  let { t, labels } = term;
  for (;;) {
    const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (i < 0) break;
    const first = labels.indexOf(labels[i]);
    if (t.shape[first] !== t.shape[i]) {
      throw new ShapeError('einsum', `subscript '${labelName(labels[i])}' is repeated with sizes ${t.shape[first]} and ${t.shape[i]}; they must match`);
    }
    const label = labels[i];
    t = diagonal(t, 0, first, i);
    labels = [...labels.filter((_, k) => k !== first && k !== i), label];
  }
  const drop = labels.map((l, k) => (keep(l) ? -1 : k)).filter((k) => k >= 0);
  if (drop.length > 0) {
    t = sum(t, drop);
    labels = labels.filter((_, k) => !drop.includes(k));
  }
  return { t, labels };
}

/** Expands size-1 axes of `term` whose label has a larger size elsewhere (broadcasting). */
function broadcastTo(term: Term, sizes: Map<number, number>, which: readonly number[]): Tensor {
  const shape = term.t.shape.map((d, k) => (which.includes(term.labels[k]) ? (sizes.get(term.labels[k]) ?? d) : d));
  return expand(term.t, shape);
}

/** Contracts two terms over their shared labels not in `later`, with one batched matmul. */
function contract(a: Term, b: Term, later: Set<number>): Term {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => later.has(l));
  const summed = shared.filter((l) => !later.has(l));
  const left = a.labels.filter((l) => !shared.includes(l));
  const right = b.labels.filter((l) => !shared.includes(l));
  const sizes = new Map<number, number>();
  for (const term of [a, b]) {
    term.labels.forEach((l, k) => {
      const d = term.t.shape[k];
      const seen = sizes.get(l);
      if (seen !== undefined && seen !== d && seen !== 1 && d !== 1) {
        throw new ShapeError('einsum', `subscript '${labelName(l)}' has sizes ${seen} and ${d} in different operands; they must match or be 1`);
      }
      sizes.set(l, seen === undefined || seen === 1 ? d : seen);
    });
  }
  const size = (ls: number[]): number => ls.reduce((p, l) => p * (sizes.get(l) ?? 1), 1);
  const ta = permute(broadcastTo(a, sizes, shared), [...batch, ...left, ...summed].map((l) => a.labels.indexOf(l)));
  const tb = permute(broadcastTo(b, sizes, shared), [...batch, ...summed, ...right].map((l) => b.labels.indexOf(l)));
  const product = matmul(reshape(ta, [size(batch), size(left), size(summed)]), reshape(tb, [size(batch), size(summed), size(right)]));
  const labels = [...batch, ...left, ...right];
  return { t: reshape(product, labels.map((l) => sizes.get(l) ?? 1)), labels };
}

/**
 * Einstein summation, as `torch.einsum`: `equation` names each operand's axes with letters, e.g.
 * 'ij,jk->ik' (matmul), 'bij,bjk->bik' (batched), 'ii->i' (diagonal), 'ii' (trace), 'i,j->ij' (outer),
 * '...ij->...ji' (batched transpose; '...' broadcasts). Without '->', the output has the ellipsis axes,
 * then the letters used once, in alphabetical order (uppercase before lowercase). Labels absent from the
 * output are summed. Operands contract left to right with batched matmuls, and every step is
 * differentiable.
 *
 * @example
 * einsum('ij,jk->ik', a, b);  // matmul(a, b)
 * einsum('ii', tensor([[1, 2], [3, 4]])).item(); // 5
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  if (typeof equation !== 'string') throw new ValueError('einsum', `the equation must be a string, got ${typeof equation}`);
  operands.forEach((t) => checkTensor('einsum', t));
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const specs = lhs.split(',').map((s, i) => parseSpec(s, `operand ${i}'s subscripts`));
  if (specs.length !== operands.length) {
    throw new ValueError('einsum', `'${equation}' names ${specs.length} operand(s) but ${operands.length} were given`);
  }
  const ellipsisCounts = specs.map((spec, i) => {
    const letters = spec.filter((s) => s !== 'ellipsis').length;
    const e = operands[i].rank - letters;
    if (spec.includes('ellipsis') ? e < 0 : e !== 0) {
      throw new ShapeError('einsum', `operand ${i} of shape ${fmtShape(operands[i].shape)} does not fit subscripts '${lhs.split(',')[i]}'`);
    }
    return e;
  });
  const ellipsisRank = Math.max(0, ...ellipsisCounts);
  const ellipsisLabels = Array.from({ length: ellipsisRank }, (_, q) => -1 - q);
  const terms: Term[] = specs.map((spec, i) => ({
    t: operands[i],
    labels: spec.flatMap((s) => (s === 'ellipsis' ? ellipsisLabels.slice(ellipsisRank - ellipsisCounts[i]) : [s])),
  }));
  let output: number[];
  if (arrow >= 0) {
    const spec = parseSpec(eq.slice(arrow + 2), 'the output subscripts');
    output = spec.flatMap((s) => (s === 'ellipsis' ? ellipsisLabels : [s]));
    output.forEach((l, k) => {
      if (output.indexOf(l) !== k) throw new ValueError('einsum', `output subscript '${labelName(l)}' appears more than once`);
      if (l >= 0 && !terms.some((t) => t.labels.includes(l))) throw new ValueError('einsum', `output subscript '${labelName(l)}' is not in any operand`);
    });
  } else {
    const counts = new Map<number, number>();
    for (const t of terms) for (const l of t.labels) if (l >= 0) counts.set(l, (counts.get(l) ?? 0) + 1);
    output = [...ellipsisLabels, ...[...counts].filter(([, n]) => n === 1).map(([l]) => l).sort((a, b) => a - b)];
  }
  const neededAfter = (k: number): Set<number> => new Set([...output, ...terms.slice(k + 1).flatMap((t) => t.labels)]);
  const inOthers = (k: number, l: number): boolean => terms.some((t, j) => j !== k && t.labels.includes(l));
  let acc = simplify(terms[0], (l) => output.includes(l) || inOthers(0, l));
  for (let k = 1; k < terms.length; k++) {
    const next = simplify(terms[k], (l) => output.includes(l) || inOthers(k, l));
    acc = contract(acc, next, neededAfter(k));
  }
  acc = simplify(acc, (l) => output.includes(l));
  // Output labels missing from the result can only be ellipsis axes that every operand lacked: none, as the
  // ellipsis rank is the largest operand's.
  return permute(acc.t, output.map((l) => acc.labels.indexOf(l)));
}
