import { resolve } from 'node:path';
import { Command } from 'commander';
import { Standardize } from '@backprop/datasets';
import { saveCheckpoint, saveModel } from '@backprop/io';
import {
  EarlyStopping, ModelCheckpoint, TrainingError, evaluateAsync, fit, type Callback, type EpochLogs, type TrainingState,
} from '@backprop/train';
import { setBackend } from '@backprop/tensor';
import { activateBackend, backendOption, dataBackend, threadsOption, type BackendChoice } from '../backend.js';
import { loadConfigFile, resolveConfig, type Overrides, type ResolvedConfig } from '../config/load-config.js';
import { loadData } from '../data/load-data.js';
import { splitData } from '../data/split.js';
import { CliError, UsageError } from '../errors.js';
import { buildModel, normalizeModelConfig } from '../model/build-model.js';
import { hostCopy } from '../model/host-copy.js';
import { checkModelFitsData } from '../model/check-fit.js';
import { defaultModelConfig } from '../model/default-model.js';
import { loadCheckpointFile, type ModelMeta } from '../model/model-file.js';
import { checkWritable, writeError } from '../output/destination.js';
import { formatMetric, formatSeconds, printJson } from '../output/format.js';
import { intOption, isJsonMode, numberOption, positiveIntOption, type GlobalOptions } from '../options.js';
import { interruptOnSigint, SIGINT_EXIT_CODE } from '../train/interrupt.js';
import { checkLossFitsTask, checkMonitors } from '../train/check-config.js';
import { resolveLoss, resolveMetrics } from '../train/losses-metrics.js';
import { buildOptimizer, withGradClipping } from '../train/optimizer.js';
import { jsonProgress, terminalProgress } from '../train/progress.js';
import { buildSchedule } from '../train/schedule.js';

interface TrainOptions extends GlobalOptions, Overrides {
  resume?: string;
  backend?: BackendChoice;
  threads?: number;
}

/** The config of this run: from the file, else from the checkpoint being resumed, else the defaults. */
async function runConfig(configPath: string | undefined, options: TrainOptions, resumed: Record<string, unknown> | null): Promise<ResolvedConfig> {
  if (configPath) return loadConfigFile(configPath, options);
  if (resumed) {
    if (resumed.config === undefined) throw new UsageError(`${options.resume} holds no training config; pass the config file too: backprop train <config.json> --resume ${options.resume}`);
    return resolveConfig(resumed.config, process.cwd(), options);
  }
  return resolveConfig({}, process.cwd(), options);
}

/** The shell command that continues this run. */
function resumeCommand(configPath: string | undefined, checkpoint: string): string {
  return `backprop train ${configPath ? `${configPath} ` : ''}--resume ${checkpoint}`;
}

export async function train(configPath: string | undefined, options: TrainOptions): Promise<number> {
  const started = Date.now();
  const active = await activateBackend(options.backend, options.threads);
  const { name: backend, threads } = active;
  if (backend === 'webgpu' && options.resume) throw new UsageError('--resume needs --backend cpu or wasm: checkpoints hold optimizer state, which is read synchronously and so not yet from a GPU');
  // The model's backend is switched on just before training; data, standardization and the model are built on the host.
  setBackend(dataBackend(active));
  const checkpoint = options.resume ? await loadCheckpointFile(resolve(options.resume)) : null;
  const config = await runConfig(configPath, options, checkpoint?.metadata ?? null);
  const data = await loadData(config.data);
  const { train: trainSet, test: testSet } = splitData(data, config.testSplit, config.seed);
  const scaler = config.standardize ? new Standardize().fit(trainSet.x) : null;
  const scale = (x: typeof trainSet.x) => (scaler ? scaler.transform(x) : x);
  const xTrain = scale(trainSet.x);
  const xTest = testSet ? scale(testSet.x) : null;

  const modelConfig = normalizeModelConfig(config.model ?? defaultModelConfig(data, 'sequence' in config.data));
  const model = buildModel(modelConfig, config.seed);
  checkModelFitsData(model, xTrain, trainSet.y, data.task, data.numClasses);
  const loss = resolveLoss(config.loss, data.task);
  checkLossFitsTask(loss.spec, data.task);
  const metrics = resolveMetrics(config.metrics, data.task);
  checkMonitors(config, metrics);
  const optimizer = buildOptimizer(config.optimizer, model);
  const json = isJsonMode(options.json);
  const terminal = json ? null : terminalProgress(model, metrics[0]);
  const progress = terminal ?? jsonProgress();
  const table = terminal?.epochTable;

  const meta: ModelMeta = {
    backpropCli: 1,
    task: data.task,
    numClasses: data.numClasses,
    classNames: data.classNames,
    featureNames: data.featureNames,
    inputShape: xTrain.shape.slice(1),
    standardize: scaler ? scaler.toJSON() : null,
    data: config.data,
    testSplit: config.testSplit,
    seed: config.seed,
    loss: loss.spec,
    plugins: options.plugin ?? [],
  };
  // Errors name the flag or the config field the destination came from.
  const saveField = options.save !== undefined ? '--save' : '$.save';
  const checkpointField = options.checkpoint !== undefined ? '--checkpoint' : '$.checkpoint';
  if (config.checkpoint && backend === 'webgpu') {
    throw new UsageError(`${checkpointField} needs --backend cpu or wasm: checkpoints hold optimizer state, which is read synchronously and so not yet from a GPU`);
  }
  const interrupt = interruptOnSigint();
  if (terminal) interrupt.onInterrupt(terminal.interrupted);
  const callbacks: Callback[] = [progress.callback];
  if (config.schedule) callbacks.push(buildSchedule(config.schedule, optimizer, config.epochs));
  if (config.earlyStopping) {
    const { monitor, ...rest } = config.earlyStopping;
    callbacks.push(new EarlyStopping({ monitor: monitor ?? (config.validationSplit ? 'valLoss' : 'loss'), ...rest }));
  }
  let savedEpochs = checkpoint?.state.epoch ?? 0;
  if (config.checkpoint) {
    const path = config.checkpoint;
    const stored = { ...meta, config: { ...config, model: modelConfig } };
    callbacks.push(
      new ModelCheckpoint({
        // An aborted epoch is cut short; saving it as complete would make a resumed run skip its rest.
        save: async (state) => {
          if (interrupt.signal.aborted) return;
          try {
            await saveCheckpoint(path, model, state, { metadata: stored });
          } catch (e) {
            throw writeError(checkpointField, path, e);
          }
          savedEpochs = state.epoch;
        },
      }),
    );
  }

  // Where the results go is checked now, not after the whole run.
  if (config.save) await checkWritable(config.save, saveField);
  if (config.checkpoint) await checkWritable(config.checkpoint, checkpointField);

  let history;
  setBackend(backend);
  try {
    history = await fit(model, {
      loss: progress.wrapLoss(loss.fn),
      optimizer: config.clipGradNorm ? withGradClipping(optimizer, () => model.parameters(), config.clipGradNorm) : optimizer,
      data: { x: xTrain, y: trainSet.y },
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      validation: config.validationSplit,
      metrics,
      callbacks,
      initialState: checkpoint ? (checkpoint.state as TrainingState) : undefined,
      signal: interrupt.signal,
    });
  } catch (e) {
    if (e instanceof TrainingError) {
      const hint = config.checkpoint ? `; the last checkpoint ${config.checkpoint} is intact` : '';
      throw new CliError(`training failed: ${e.message}${hint}`);
    }
    throw e;
  } finally {
    interrupt.dispose();
  }

  if (interrupt.signal.aborted) {
    const where = config.checkpoint
      ? `the checkpoint ${config.checkpoint} holds ${savedEpochs} complete epoch(s); continue with: ${resumeCommand(configPath, config.checkpoint)}`
      : 'no checkpoint was written (pass --checkpoint <file> to make a run resumable)';
    if (json) printJson({ event: 'interrupted', checkpointEpochs: config.checkpoint ? savedEpochs : null, checkpoint: config.checkpoint ?? null });
    process.stderr.write(`interrupted: ${where}\n`);
    return SIGINT_EXIT_CODE;
  }

  // Asynchronous reads serve every backend, a GPU included; on cpu the logs are those of evaluate.
  const test = testSet && xTest ? await evaluateAsync(model, { x: xTest, y: testSet.y }, { loss: loss.fn, metrics }) : null;
  if (config.save) {
    // The model file is written from host memory: a GPU's weights are copied into a model built on cpu.
    const saved = backend === 'webgpu' ? await hostCopy(model, () => buildModel(modelConfig, config.seed)) : model;
    try {
      await saveModel(saved, config.save, { metadata: { ...meta } });
    } catch (e) {
      throw writeError(saveField, config.save, e);
    }
  }
  const last: EpochLogs = history.epochs[history.epochs.length - 1] ?? {};
  const result = {
    event: 'result',
    task: data.task,
    data: data.description,
    backend,
    threads,
    epochs: history.lastEpoch + 1,
    stoppedEarly: history.stoppedEarly,
    train: last,
    test,
    testSamples: testSet ? testSet.x.shape[0] : 0,
    timeMs: Date.now() - started,
    saved: config.save ?? null,
    checkpoint: config.checkpoint ?? null,
  };
  if (json) {
    printJson(result);
  } else {
    if (table) process.stdout.write(`\n${table()}\n\n`);
    const scores = test
      ? Object.entries(test).map(([k, v]) => `test ${k} ${formatMetric(k, v)}`).join(', ') + ` (${result.testSamples} samples)`
      : 'no test split (testSplit 0)';
    process.stdout.write(`${scores}; ${result.epochs} epochs in ${formatSeconds(result.timeMs)}${backend === 'cpu' ? '' : ` on ${backend}${threads > 1 ? ` (${threads} threads)` : ''}`}${history.stoppedEarly ? ', stopped early' : ''}\n`);
    if (config.save) process.stdout.write(`model saved to ${config.save}\n`);
  }
  return 0;
}

export function trainCommand(): Command {
  return new Command('train')
    .description('train a network; without a config, an MLP on the shipped digits (prints test accuracy)')
    .argument('[config]', 'training config (JSON); see the README for the fields')
    .option('--epochs <n>', 'number of epochs (overrides the config)', positiveIntOption)
    .option('--batch-size <n>', 'samples per step', positiveIntOption)
    .option('--lr <rate>', "the optimizer's learning rate", numberOption({ positive: true }))
    .option('--seed <n>', 'seed of the weights, the split and the data order', intOption)
    .option('--save <file>', 'write the trained model (safetensors) here')
    .option('--checkpoint <file>', 'save a resumable checkpoint here after every epoch')
    .option('--resume <checkpoint>', 'continue a run exactly from its checkpoint')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(async function (this: Command, configPath: string | undefined) {
      process.exitCode = await train(configPath, this.optsWithGlobals<TrainOptions>());
    });
}
