import { Command } from 'commander';
import { isJsonMode, type GlobalOptions } from '../options.js';
import { printJson, table } from '../output/format.js';

interface Entry {
  config: string;
  kind: string;
  shape: string;
  task: string;
  notes: string;
}

/** Everything `data` in a config can name. Kept beside the loaders' options in data-schema.ts. */
const DATASETS: Entry[] = [
  { config: '{"name": "digits"}', kind: 'shipped', shape: '[1797, 64]', task: '10 classes', notes: 'UCI handwritten digits, 8x8 pixels 0..16; "shape": [1, 8, 8] for a CNN' },
  { config: '{"name": "iris"}', kind: 'shipped', shape: '[150, 4]', task: '3 classes', notes: "Fisher's Iris measurements in cm" },
  ...['circle', 'xor', 'gaussians', 'spiral', 'moons'].map((s) => ({
    config: `{"synthetic": "${s}"}`, kind: 'synthetic', shape: '[n, 2]', task: '2 classes', notes: 'options n (500), noise (0), seed (0)',
  })),
  { config: '{"synthetic": "blobs"}', kind: 'synthetic', shape: '[n, 2]', task: 'classes', notes: 'options n, noise, seed, classes (3)' },
  ...['plane', 'multiGaussian'].map((s) => ({
    config: `{"synthetic": "${s}"}`, kind: 'synthetic', shape: '[n, 2]', task: 'regression', notes: 'options n (500), noise (0), seed (0)',
  })),
  { config: '{"sequence": "parity"}', kind: 'sequence', shape: '[n, length, 1]', task: '2 classes', notes: 'random bits, class = odd number of ones; n (512), length (8), seed' },
  { config: '{"sequence": "sum"}', kind: 'sequence', shape: '[n, length, 1]', task: 'regression', notes: 'uniform values, target = their sum; n, length, seed' },
  { config: '{"csv": "file.csv", "labelColumn": "y"}', kind: 'file', shape: '[rows, columns - 1]', task: 'by labels', notes: 'header (true), delimiter (","), task to force classification/regression' },
  { config: '{"idx": {"images": "…", "labels": "…"}}', kind: 'file', shape: '[n, h*w]', task: 'classes', notes: 'MNIST-style IDX files (.gz too); "shape": [1, 28, 28] for a CNN' },
];

export function datasetsCommand(): Command {
  return new Command('datasets')
    .description('list the shipped datasets, the generators and the file formats that a config can use')
    .action(function (this: Command) {
      if (isJsonMode(this.optsWithGlobals<GlobalOptions>().json)) {
        printJson({ event: 'datasets', datasets: DATASETS });
        return;
      }
      const rows = DATASETS.map((d) => [d.config, d.kind, d.shape, d.task, d.notes]);
      process.stdout.write(`${table(['data', 'kind', 'x shape', 'task', 'notes'], rows, ['left', 'left', 'left', 'left', 'left'])}\n\nEvery dataset also takes "shape": [...] to reshape each sample. "digits" alone is short for {"name": "digits"}.\n`);
    });
}
