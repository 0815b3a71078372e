// The losses of fixtures/pairwise.json, sampled.json and ctc.json (written by tooling/fixtures/losses/) as
// calls of the JS API, from a case's loss name, named inputs and options. Shared by this package's golden
// tests and @backprop/backend-webgpu's run of the same cases on the GPU, each passing its own instance of
// the losses module (and of the tensor module, for ctc's log-softmax).

type Call = (loss: string, x: Record<string, any>, options: Record<string, unknown>) => any;

/** The pairwise and likelihood losses over the losses module `L`. */
export function pairwiseCall(L: any): Call {
  return (loss, x, options) => {
    switch (loss) {
      case 'tripletMarginLoss': return L.tripletMarginLoss(x.anchor, x.positive, x.negative, options);
      case 'marginRankingLoss': return L.marginRankingLoss(x.input1, x.input2, x.target, options);
      case 'cosineEmbeddingLoss': return L.cosineEmbeddingLoss(x.input1, x.input2, x.target, options);
      case 'poissonNllLoss': return L.poissonNllLoss(x.input, x.target, options);
      case 'gaussianNllLoss': return L.gaussianNllLoss(x.input, x.target, x.var, options);
      default: throw new Error(`no call for ${loss}`);
    }
  };
}

/** The sampled and hierarchical softmax losses over the losses module `L` (the Huffman tree from the case's counts). */
export function sampledCall(L: any): Call {
  return (loss, x, options) => {
    const { counts, codes: _codes, points: _points, ...rest } = options as { counts?: number[]; codes?: unknown; points?: unknown };
    switch (loss) {
      case 'negativeSamplingLoss': return L.negativeSamplingLoss(x.input, x.positive, x.negative, rest);
      case 'sampledSoftmaxLoss': return L.sampledSoftmaxLoss(x.input, x.weight, x.target, x.sampled, { ...rest, bias: x.bias, logQ: x.logQ });
      case 'nceLoss': return L.nceLoss(x.input, x.weight, x.target, x.noise, { ...rest, bias: x.bias, noiseLogProbs: x.noiseLogProbs });
      case 'hierarchicalSoftmaxLoss': return L.hierarchicalSoftmaxLoss(x.input, x.weight, x.target, L.buildHuffmanTree(counts ?? []), rest);
      case 'hierarchicalSoftmaxLogProbs': return L.hierarchicalSoftmaxLogProbs(x.input, x.weight, L.buildHuffmanTree(counts ?? []));
      default: throw new Error(`no call for ${loss}`);
    }
  };
}

/** ctcLoss over the losses module `L`, on the log-softmax (tensor module `T`) of the case's logits. */
export function ctcCall(L: any, T: any): Call {
  return (_loss, x, options) => L.ctcLoss(T.logSoftmax(x.logits, x.logits.rank - 1), x.targets, x.inputLengths, x.targetLengths, options);
}
