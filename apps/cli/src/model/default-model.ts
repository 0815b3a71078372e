import type { LayerConfig } from '@backprop/layers';
import { sizeOf } from '@backprop/tensor';
import type { LoadedData } from '../data/load-data.js';

/** Hidden units of the default networks: enough for the digits (≥ 97 %) and fast on two cores. */
const HIDDEN = 128;
const RECURRENT_HIDDEN = 32;

/**
 * The network used when a config has no `model`: for flat features an MLP `in → 128 → ReLU → out` (the
 * README's digits network), for images the same after a Flatten, and for sequences `[T, F]` an LSTM
 * whose last step feeds a Linear layer.
 */
export function defaultModelConfig(data: LoadedData, sequence: boolean): LayerConfig {
  const sample = data.x.shape.slice(1);
  const outputs = data.task === 'classification' ? data.numClasses ?? 2 : data.y.shape[1];
  if (sequence && sample.length === 2) {
    return {
      type: 'Sequential',
      layers: [
        { type: 'LSTM', inputSize: sample[1], hiddenSize: RECURRENT_HIDDEN, batchFirst: true },
        { type: 'LastTimeStep' },
        { type: 'Linear', inFeatures: RECURRENT_HIDDEN, outFeatures: outputs },
      ],
    };
  }
  const mlp: LayerConfig[] = [
    { type: 'Linear', inFeatures: sizeOf(sample), outFeatures: HIDDEN },
    { type: 'ReLU' },
    { type: 'Linear', inFeatures: HIDDEN, outFeatures: outputs },
  ];
  return { type: 'Sequential', layers: sample.length > 1 ? [{ type: 'Flatten' }, ...mlp] : mlp };
}
