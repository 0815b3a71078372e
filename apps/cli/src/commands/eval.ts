import { Command } from 'commander';
import { lossFromConfig } from '@backprop/losses';
import { setBackend } from '@backprop/tensor';
import { ConfusionMatrix, evaluateAsync, predict, type LossFn } from '@backprop/train';
import { activateBackend, backendOption, dataBackend, threadsOption, type BackendChoice } from '../backend.js';
import { parseDataSpec } from '../data/data-spec.js';
import { loadData, type LoadedData } from '../data/load-data.js';
import { splitData } from '../data/split.js';
import { UsageError } from '../errors.js';
import { prepareInputs } from '../model/inputs.js';
import { loadModelFile, type ModelMeta } from '../model/model-file.js';
import { isJsonMode, type GlobalOptions } from '../options.js';
import { formatMetric, printJson, table } from '../output/format.js';

interface EvalOptions extends GlobalOptions {
  data?: string;
  labelColumn?: string;
  backend?: BackendChoice;
  threads?: number;
}

/** The samples to score: all of `--data`, or without it the test split the model was trained beside. */
async function evaluationSet(meta: ModelMeta, options: EvalOptions): Promise<{ data: LoadedData; x: LoadedData['x']; y: LoadedData['y']; label: string }> {
  if (options.data) {
    const data = await loadData(await parseDataSpec(options.data, options.labelColumn), '--data');
    return { data, x: data.x, y: data.y, label: `${data.description} (all ${data.x.shape[0]} samples)` };
  }
  const data = await loadData(meta.data);
  const { test } = splitData(data, meta.testSplit, meta.seed);
  if (!test) throw new UsageError('the model was trained without a test split (testSplit 0); pass --data <dataset>');
  return { data, x: test.x, y: test.y, label: `${data.description} (the ${test.x.shape[0]} test samples held out in training)` };
}

function checkLabels(data: LoadedData, meta: ModelMeta): void {
  if (data.task !== meta.task) throw new UsageError(`the model does ${meta.task} but the data has ${data.task} targets`);
  if (meta.task === 'classification' && (data.numClasses ?? 0) > (meta.numClasses ?? Infinity)) {
    throw new UsageError(`the data has labels up to ${(data.numClasses ?? 0) - 1} but the model knows ${meta.numClasses} classes (0..${(meta.numClasses ?? 1) - 1})`);
  }
}

export function evalCommand(): Command {
  return new Command('eval')
    .description('loss and metrics of a saved model on a dataset; a confusion matrix for classifiers')
    .argument('<model>', 'a model file from backprop train --save')
    .option('--data <spec>', 'a dataset name (digits, moons, …), inline JSON, a .csv or a .json file; default: the test split used in training')
    .option('--label-column <column>', 'the target column of a CSV (name or 0-based index)')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async function (this: Command, file: string) {
      const options = this.optsWithGlobals<EvalOptions>();
      const active = await activateBackend(options.backend, options.threads);
      const { name: backend, threads } = active;
      // The model file and the data are read and standardized on the host; the model runs on the backend.
      setBackend(dataBackend(active));
      const { model, meta } = await loadModelFile(file);
      const set = await evaluationSet(meta, options);
      checkLabels(set.data, meta);
      const x = prepareInputs(set.x, meta, 'the data');
      const classification = meta.task === 'classification';
      const metrics = classification ? ['accuracy', 'precision', 'recall', 'f1'] : ['mse', 'mae', 'r2'];
      const loss = lossFromConfig(typeof meta.loss === 'string' ? { name: meta.loss } : meta.loss) as LossFn;
      setBackend(backend);
      // Asynchronous reads serve every backend, a GPU included; on cpu these are evaluate's numbers.
      const scores = await evaluateAsync(model, { x, y: set.y }, { loss, metrics });
      let matrix: number[][] | null = null;
      if (classification) {
        const counts = new ConfusionMatrix(meta.numClasses);
        await counts.update(predict(model, x), set.y);
        matrix = counts.counts;
      }
      const names = Array.from({ length: meta.numClasses ?? 0 }, (_, k) => meta.classNames?.[k] ?? String(k));
      if (isJsonMode(options.json)) {
        printJson({ event: 'eval', model: file, backend, threads, data: set.label, samples: set.x.shape[0], ...scores, confusionMatrix: matrix, classNames: classification ? names : undefined });
        return;
      }
      const rows = Object.entries(scores).map(([k, v]) => [k, formatMetric(k, v)]);
      process.stdout.write(`${file} on ${set.label}\n\n${table(['metric', 'value'], rows)}\n`);
      if (matrix) {
        const body = matrix.map((row, k) => [names[k], ...row.map(String)]);
        process.stdout.write(`\nconfusion matrix (rows: true class, columns: predicted)\n${table(['', ...names], body)}\n`);
      }
    });
}
