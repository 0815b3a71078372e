import { z } from 'zod';

/** Per-sample shape to reshape the features to, e.g. `[1, 8, 8]` for a CNN on the digits. */
const shape = z.array(z.number().int().positive()).min(1).optional();
/** Overrides the task read from the targets (int targets mean classification, float ones regression). */
const task = z.enum(['classification', 'regression']).optional();

export const SHIPPED = ['digits', 'iris'] as const;
export const SYNTHETIC = ['circle', 'xor', 'gaussians', 'spiral', 'moons', 'blobs', 'plane', 'multiGaussian'] as const;
export const SEQUENCES = ['parity', 'sum'] as const;

const shipped = z.strictObject({ name: z.enum(SHIPPED), shape });
const synthetic = z.strictObject({
  synthetic: z.enum(SYNTHETIC),
  n: z.number().int().positive().default(500),
  noise: z.number().min(0).default(0),
  seed: z.number().int().default(0),
  /** Number of classes of `blobs`. */
  classes: z.number().int().min(2).default(3),
  shape,
});
const csv = z.strictObject({
  csv: z.string().min(1),
  labelColumn: z.union([z.string().min(1), z.number().int().nonnegative()]),
  header: z.boolean().default(true),
  delimiter: z.string().min(1).default(','),
  task,
  shape,
});
const idx = z.strictObject({ idx: z.strictObject({ images: z.string().min(1), labels: z.string().min(1) }), shape });
const sequence = z.strictObject({
  sequence: z.enum(SEQUENCES),
  n: z.number().int().positive().default(512),
  length: z.number().int().positive().default(8),
  seed: z.number().int().default(0),
});

/**
 * One schema per kind of dataset, chosen by the key that names the kind. Validating the chosen one alone
 * gives messages about the fields the person wrote, where a union would report every branch's complaints.
 */
export const DATA_KINDS = { name: shipped, synthetic, csv, idx, sequence } as const;

export type DatasetConfig =
  | z.infer<typeof shipped>
  | z.infer<typeof synthetic>
  | z.infer<typeof csv>
  | z.infer<typeof idx>
  | z.infer<typeof sequence>;

export const DATA_EXPECTED =
  'a dataset name ("digits", "iris", a synthetic set such as "moons") or an object with one of the keys ' +
  '"name", "synthetic", "csv", "idx", "sequence"';

/** `"digits"` and `"moons"` are short for `{ "name": "digits" }` and `{ "synthetic": "moons" }`. */
export function expandDataShorthand(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if ((SHIPPED as readonly string[]).includes(value)) return { name: value };
  if ((SYNTHETIC as readonly string[]).includes(value)) return { synthetic: value };
  if ((SEQUENCES as readonly string[]).includes(value)) return { sequence: value };
  return value;
}

/** The schema for `value`, by the key that names its kind, or null when it names none. */
export function dataSchemaFor(value: unknown): z.ZodType<DatasetConfig> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const kind = (Object.keys(DATA_KINDS) as (keyof typeof DATA_KINDS)[]).find((k) => k in value);
  return kind ? (DATA_KINDS[kind] as z.ZodType<DatasetConfig>) : null;
}
