/**
 * @backprop/datasets: datasets and data loaders for @backprop/tensor. Map-style and streaming datasets, a
 * `DataLoader` with seeded per-epoch shuffling, seeded splits, fitted transforms (`Standardize`,
 * `MinMaxScale`, `PCAWhitening`) and augmentations, TensorFlow Playground and scikit-learn style synthetic
 * sets, the Iris and UCI digits data shipped inside the package, and IDX (MNIST) and CSV loaders.
 *
 * @packageDocumentation
 */
export { type Dataset, TensorDataset, Subset } from './dataset.js';
export { IterableDataset, type IterableSource } from './iterable-dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
export { type WorkerDatasetSpec } from './workers/worker-pool.js';
export {
  type Sampler, SequentialSampler, RandomSampler, type RandomSamplerOptions, SubsetRandomSampler, WeightedRandomSampler,
  StratifiedSampler, BatchSampler,
} from './sampling/samplers.js';
export { Pipeline, type PipelineSource, type Unbatched } from './pipeline.js';
export { defaultCollate, type Collated } from './collate.js';
export { type SeedOptions } from './random-source.js';
export { randomSplit, stratifiedSplit, trainTestSplit, type TrainTestSplitOptions } from './splits.js';
export { DataFormatError, ChecksumError } from './errors.js';

export { Standardize, type StandardizeJSON } from './transforms/standardize.js';
export { MinMaxScale, type MinMaxScaleJSON } from './transforms/min-max-scale.js';
export { PCAWhitening, type PCAWhiteningJSON, type PCAWhiteningOptions } from './transforms/pca-whitening.js';
export { symmetricEigen, type SymmetricEigen } from './transforms/symmetric-eigen.js';
export { oneHot } from './transforms/one-hot.js';
export { GaussianNoise } from './transforms/gaussian-noise.js';
export { randomCrop, randomHorizontalFlip, randomShift } from './transforms/image-augment.js';
export { compose, type Transform } from './transforms/compose.js';

export { type SyntheticData, type SyntheticOptions } from './synthetic/synthetic-data.js';
export { circle, xor, gaussians, spiral } from './synthetic/playground-classification.js';
export { plane, multiGaussian } from './synthetic/playground-regression.js';
export { moons, blobs } from './synthetic/moons-blobs.js';

export { type LabelledSet } from './real/labelled-set.js';
export { loadIris } from './real/iris.js';
export { loadDigits } from './real/digits.js';

export { type ByteSource, type SourceOptions } from './loaders/read-source.js';
export { loadIdx, parseIdx, encodeIdx, type IdxType } from './loaders/idx.js';
export { loadCsv, parseCsv, type CsvOptions, type CsvColumnType, type CsvData } from './loaders/csv.js';
export { type StreamSource, type StreamSourceOptions } from './loaders/byte-stream.js';
export { streamCsv, type CsvStreamOptions } from './loaders/csv-stream.js';
export { streamIdx, type IdxStreamOptions } from './loaders/idx-stream.js';
export { writeShards, readShards, type WriteShardsOptions, type ReadShardsOptions } from './loaders/shards.js';
export { loadMnist, streamMnist, type MnistOptions } from './loaders/mnist.js';
export { loadCifar10, loadCifar100, type CifarOptions } from './loaders/cifar.js';
export { decodeImage, type ImageChannels } from './images/decode-image.js';
export { ImageFolder, type ImageFolderOptions, type ImageFolderSample } from './images/image-folder.js';
export { Vocabulary, PAD_TOKEN, UNK_TOKEN, type VocabularyOptions } from './text/vocabulary.js';
export { CharTokenizer, WordTokenizer, BPETokenizer, tokenizerFromJSON, type Tokenizer, type TokenizerJSON } from './text/tokenizers.js';
export { padSequences, SequenceWindows, type PadOptions } from './text/sequences.js';
export { readTextFolder } from './text/text-folder.js';
