import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { summary } from '@backprop/layers';
import { loadConfigFile } from '../config/load-config.js';
import { loadData } from '../data/load-data.js';
import { buildModel, normalizeModelConfig } from '../model/build-model.js';
import { defaultModelConfig } from '../model/default-model.js';
import { looksLikeModelFile, loadModelFile } from '../model/model-file.js';
import { UsageError, messageOf } from '../errors.js';
import { isJsonMode, type GlobalOptions } from '../options.js';
import { printJson } from '../output/format.js';

/** A model file's model and input shape, or a config's model and the shape of its data's samples. */
async function modelAndShape(file: string) {
  if (file.endsWith('.json')) {
    const config = await loadConfigFile(file);
    const data = await loadData(config.data);
    const model = buildModel(normalizeModelConfig(config.model ?? defaultModelConfig(data, 'sequence' in config.data)), config.seed);
    return { model, inputShape: data.x.shape.slice(1) };
  }
  if (existsSync(file) && !(await looksLikeModelFile(file))) {
    throw new UsageError(`${file} is neither a model file (a .safetensors file from backprop train --save) nor a training config (.json)`);
  }
  const { model, meta } = await loadModelFile(file);
  return { model, inputShape: meta.inputShape };
}

export function summaryCommand(): Command {
  return new Command('summary')
    .description('print the layer table of a model file or a config: output shapes and parameter counts')
    .argument('<model|config>', 'a model file from backprop train --save, or a training config (.json)')
    .action(async function (this: Command, file: string) {
      const { model, inputShape } = await modelAndShape(file);
      let s;
      try {
        s = summary(model, [1, ...inputShape]);
      } catch (e) {
        throw new UsageError(`the model cannot run on samples of shape [${inputShape.join(', ')}]: ${messageOf(e)}`);
      }
      if (isJsonMode(this.optsWithGlobals<GlobalOptions>().json)) {
        printJson({ event: 'summary', inputShape, rows: s.rows, totalParams: s.totalParams, trainableParams: s.trainableParams, nonTrainableParams: s.nonTrainableParams });
      } else {
        process.stdout.write(`input: one sample of shape [${inputShape.join(', ')}] (batch of 1)\n${s.text}\n`);
      }
    });
}
