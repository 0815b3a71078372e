// The webgpu test trains through fit on Debian chromium's SwiftShader when there is no GPU: the Vulkan
// loader reads LD_LIBRARY_PATH only when a process starts, so it is set here, before the test forks start
// (a machine with its own Vulkan driver in VK_ICD_FILENAMES keeps it).
import { existsSync } from 'node:fs';
import shared from '@backprop/vitest-config';

const CHROMIUM_LIB = process.env.CHROMIUM_LIB ?? '/usr/lib/chromium';
const ICD = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
if (!process.env.VK_ICD_FILENAMES && existsSync(ICD)) {
  process.env.VK_ICD_FILENAMES = ICD;
  process.env.LD_LIBRARY_PATH = [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

export default shared;
