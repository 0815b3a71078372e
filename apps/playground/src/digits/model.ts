// The digits classifier: a small convolutional network on [N, 1, 8, 8] images scaled to [0, 1].
//   Conv2d 1 → 16, 3×3, 'same' → ReLU → MaxPool2d 2 → Flatten (16·4·4 = 256) → Linear(256, 10)
// Parameter names follow PyTorch's nn.Sequential: 0.weight, 0.bias, 4.weight, 4.bias.
import type { Generator } from '@backprop/tensor';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@backprop/layers';

export function buildDigitNet(generator: Generator): Sequential {
  return new Sequential(
    new Conv2d(1, 16, 3, { padding: 'same', generator }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 4 * 4, 10, { generator }),
  );
}
