// The webgpu tests train through fit on SwiftShader where there is no GPU (set up before the test forks start).
import shared from '@backprop/vitest-config';
import { useSwiftShader } from '@backprop/vitest-config/swiftshader';

useSwiftShader();

export default shared;
