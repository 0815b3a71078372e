import { Command } from 'commander';
import { Standardize } from '@backprop/datasets';
import { gradCheck } from '@backprop/autograd';
import { Dropout, functionalCall, type Module } from '@backprop/layers';
import { Tensor, fmtShape, isFloat } from '@backprop/tensor';
import { loadConfigFile } from '../config/load-config.js';
import { loadData } from '../data/load-data.js';
import { splitData } from '../data/split.js';
import { CliError } from '../errors.js';
import { buildModel, normalizeModelConfig } from '../model/build-model.js';
import { checkModelFitsData } from '../model/check-fit.js';
import { defaultModelConfig } from '../model/default-model.js';
import { isJsonMode, positiveIntOption, type GlobalOptions } from '../options.js';
import { printJson, table } from '../output/format.js';
import { resolveLoss } from '../train/losses-metrics.js';

interface GradcheckOptions extends GlobalOptions {
  samples: number;
}

const toFloat64 = (t: Tensor) => new Tensor(Float64Array.from(t.dataSync() as ArrayLike<number>), t.shape, 'float64');

/** |a − n| / max(|a|, |n|): 0 when they agree, about 1 when the gradient is wrong; tiny values count as 0. */
function relativeError(analytic: number, numeric: number): number {
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
  return scale < 1e-10 ? 0 : Math.abs(analytic - numeric) / scale;
}

export function gradcheckCommand(): Command {
  return new Command('gradcheck')
    .description("compare the model's backpropagated gradients with central differences in float64, per parameter")
    .argument('<config>', 'training config (JSON): its model, data and loss are checked')
    .option('--samples <n>', 'samples in the batch the loss is computed on', positiveIntOption, 4)
    .action(async function (this: Command, configPath: string) {
      const options = this.optsWithGlobals<GradcheckOptions>();
      const config = await loadConfigFile(configPath);
      const data = await loadData(config.data);
      const { train } = splitData(data, config.testSplit, config.seed);
      const n = Math.min(options.samples, train.x.shape[0]);
      let x = train.x.narrow(0, 0, n);
      if (config.standardize) x = new Standardize().fit(train.x).transform(x);
      const model = buildModel(normalizeModelConfig(config.model ?? defaultModelConfig(data, 'sequence' in config.data)), config.seed) as Module;
      checkModelFitsData(model, x, train.y, data.task, data.numClasses);
      // Dropout draws new masks on every call, which no finite difference can follow: switch it off.
      for (const m of model.modules()) if (m instanceof Dropout) m.eval();
      const loss = resolveLoss(config.loss, data.task).fn;
      const x64 = toFloat64(x);
      const yb = train.y.narrow(0, 0, n);
      const y = isFloat(yb.dtype) ? toFloat64(yb) : yb;
      // A float64 copy of every parameter; each check varies one of them and holds the others fixed.
      const params = new Map(model.namedParameters().map(([name, p]) => [name, toFloat64(p)]));
      const results = [...params.keys()].map((name) => {
        const r = gradCheck((p) => loss(functionalCall(model, new Map([...params, [name, p]]), x64) as Tensor, y), [params.get(name)!]);
        const worst = r.worst;
        return {
          parameter: name,
          shape: params.get(name)!.shape,
          ok: r.ok,
          relativeError: worst ? relativeError(worst.analytic, worst.numeric) : 0,
          maxAbsError: r.maxAbsError,
          worst: worst ? { position: worst.position, analytic: worst.analytic, numeric: worst.numeric } : null,
        };
      });
      const failed = results.filter((r) => !r.ok);
      if (isJsonMode(options.json)) {
        printJson({ event: 'gradcheck', samples: n, ok: failed.length === 0, parameters: results });
      } else {
        const rows = results.map((r) => [r.parameter, fmtShape(r.shape), r.relativeError.toExponential(2), r.maxAbsError.toExponential(2), r.ok ? 'ok' : 'FAIL']);
        process.stdout.write(`gradient check on ${n} samples in float64\n${table(['parameter', 'shape', 'worst rel. error', 'max abs. error', ''], rows)}\n`);
      }
      if (failed.length > 0) {
        const f = failed[0];
        throw new CliError(
          `gradient check failed for ${failed.map((r) => r.parameter).join(', ')}: ${f.parameter} at [${f.worst?.position.join(', ')}] has analytic ${f.worst?.analytic.toPrecision(6)} vs numeric ${f.worst?.numeric.toPrecision(6)}`,
        );
      }
    });
}
