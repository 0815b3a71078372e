import type { ParamDType } from '../config.js';
import type { BuildContext } from '../registry.js';
import type { RecurrentOptions } from './rnn-base.js';

/** The config fields of every recurrent layer. */
export const RECURRENT_OPTIONS = ['inputSize', 'hiddenSize', 'numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'dtype', 'outputOnly', 'learnInitialState'];

/** The shared recurrent options of a checked config, with the build context's generator. */
export function recurrentOptions(o: Record<string, unknown>, context: BuildContext): RecurrentOptions {
  return {
    numLayers: o.numLayers as number | undefined,
    bias: o.bias as boolean | undefined,
    batchFirst: o.batchFirst as boolean | undefined,
    dropout: o.dropout as number | undefined,
    bidirectional: o.bidirectional as boolean | undefined,
    dtype: o.dtype as ParamDType | undefined,
    outputOnly: o.outputOnly as boolean | undefined,
    learnInitialState: o.learnInitialState as boolean | undefined,
    generator: context.generator,
  };
}
