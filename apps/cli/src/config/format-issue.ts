import type { z } from 'zod';
import { jsonPath } from './schema.js';

type Issue = z.core.$ZodIssue;

const ARTICLE: Record<string, string> = {
  number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'an object',
  array: 'an array', undefined: 'nothing',
};

/** A value as the person wrote it in JSON, shortened. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would show as null.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : `${value} (a number too large to represent, such as 1e400)`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function bound(issue: { inclusive?: boolean }, strictWord: string, looseWord: string): string {
  return issue.inclusive === false ? strictWord : looseWord;
}

/** What was expected, in words, for one zod issue. */
function expectation(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) return `expected a finite number, got ${showValue(issue.input)}`;
      return `expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${showValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'array') return `expected at least ${issue.minimum} entries`;
      if (issue.origin === 'string') return 'expected a non-empty string';
      return `expected a number ${bound(issue, '>', '≥')} ${issue.minimum}, got ${showValue(issue.input)}`;
    case 'too_big':
      return `expected a number ${bound(issue, '<', '≤')} ${issue.maximum}, got ${showValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${showValue(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      return `expected ${issue.errors.length > 0 ? 'one of several forms' : 'a single form'}, got ${showValue(issue.input)}`;
    default:
      return issue.message;
  }
}

/** One line per issue: `$.optimizer.lr: expected a number, got "fast"`. */
export function formatIssue(issue: Issue, prefix: readonly PropertyKey[] = []): string {
  // A union of a string and an object (the loss): report the branch that matches the value's type.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const deeper = issue.errors.flat().find((i) => i.path.length > 0);
    if (deeper) return formatIssue(deeper, [...prefix, ...issue.path]);
  }
  return `${jsonPath([...prefix, ...issue.path])}: ${expectation(issue)}`;
}
