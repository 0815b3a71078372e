import { listLayers, registerLayer } from '@backprop/layers';
import { Permute } from './permute.js';
import { SamePad2d } from './same-pad.js';

/**
 * Registers the layers imported TensorFlow.js models use (`Permute`, `SamePad2d`) with the layer
 * registry once, so those models save and load like any other (`decodeModelFile` calls it too).
 */
export function registerTfjsLayers(): void {
  for (const [name, cls] of [['Permute', Permute], ['SamePad2d', SamePad2d]] as const) {
    if (!listLayers().includes(name)) registerLayer(name, cls);
  }
}
