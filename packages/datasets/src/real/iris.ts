import { Tensor } from '@backprop/tensor';
import { decodeBase64 } from '../base64.js';
import { IRIS_CLASS_NAMES, IRIS_FEATURES_X10, IRIS_LABELS } from './iris-data.js';
import type { LabelledSet } from './labelled-set.js';

/**
 * Fisher's Iris data, shipped with the package (no download, works in browsers): 150 flowers, 4
 * measurements in cm (sepal length, sepal width, petal length, petal width) as float32 [150, 4], and
 * species labels int32 [150], 50 of each of setosa, versicolor and virginica, in that order. From the UCI
 * Machine Learning Repository (CC BY 4.0), with the values of Fisher's paper as scikit-learn and R have them
 * (the UCI file differs in samples 35 and 38).
 *
 * @example
 * const { x, y, classNames } = loadIris(); // x [150, 4], y [150], classNames[y[0]] === 'setosa'
 */
export function loadIris(): LabelledSet & { featureNames: string[] } {
  const tenths = decodeBase64(IRIS_FEATURES_X10);
  const x = new Float32Array(tenths.length);
  // Stored ×10 as bytes; dividing in float64 and rounding to float32 gives the same float32 as parsing "5.1".
  for (let i = 0; i < tenths.length; i++) x[i] = tenths[i] / 10;
  return {
    x: new Tensor(x, [150, 4], 'float32'),
    y: new Tensor(Int32Array.from(decodeBase64(IRIS_LABELS)), [150], 'int32'),
    classNames: [...IRIS_CLASS_NAMES],
    featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    description:
      "Iris plants (R. A. Fisher, 1936): 150 samples, 4 features, 3 classes. UCI Machine Learning Repository, CC BY 4.0.",
  };
}
