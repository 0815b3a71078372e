// torchvision's ResNet BasicBlock built from the public layers, shared by this package's cnn test and
// @backprop/backend-webgpu's run of fixtures/cnn.json (written by tooling/fixtures/layers/gen_cnn.py) on the
// GPU, each passing its own instance of the layers module.

/** Options of the block: a generator for the convolutions' weights and the parameter dtype. */
export interface BasicBlockOptions {
  generator?: unknown;
  dtype?: string;
}

/**
 * The BasicBlock class over the layers module `L`, with torchvision's attribute names (so its state_dict
 * matches): relu(bn2(conv2(relu(bn1(conv1(x))))) + skip), where skip is x, or a 1×1 conv + batch norm
 * (`downsample`) when the stride or the channel count changes.
 */
export function basicBlockClass(L: any): new (inPlanes: number, planes: number, stride?: number, options?: BasicBlockOptions) => any {
  return class BasicBlock extends L.Module {
    constructor(inPlanes: number, planes: number, stride = 1, options: BasicBlockOptions = {}) {
      super();
      const { generator, dtype } = options;
      this.registerModule('conv1', new L.Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false, generator, dtype }));
      this.registerModule('bn1', new L.BatchNorm2d(planes, { dtype }));
      this.registerModule('relu', new L.ReLU());
      this.registerModule('conv2', new L.Conv2d(planes, planes, 3, { padding: 1, bias: false, generator, dtype }));
      this.registerModule('bn2', new L.BatchNorm2d(planes, { dtype }));
      const downsample = stride !== 1 || inPlanes !== planes;
      this.registerModule(
        'downsample',
        downsample ? new L.Sequential(new L.Conv2d(inPlanes, planes, 1, { stride, bias: false, generator, dtype }), new L.BatchNorm2d(planes, { dtype })) : null,
      );
    }

    private child(name: string): any {
      return this.getSubmodule(name);
    }

    forward(x: any): any {
      const relu = this.child('relu');
      const out = this.child('bn2').call(this.child('conv2').call(relu.call(this.child('bn1').call(this.child('conv1').call(x)))));
      const skip = this.namedChildren().some(([name]: [string]) => name === 'downsample') ? this.child('downsample').call(x) : x;
      return relu.call(out.add(skip));
    }
  };
}

/** The block a cnn.json case without a config describes, read off its state's and shapes' sizes. */
export function basicBlockFor(L: any, c: { input: { shape: number[] }; output: { shape: number[] }; state: Record<string, { shape: number[] }> }, dtype: string): any {
  const BasicBlock = basicBlockClass(L);
  const stride = c.output.shape[2] < c.input.shape[2] ? 2 : 1;
  return new BasicBlock(c.input.shape[1], c.state['conv1.weight'].shape[0], stride, { dtype });
}
