import { access, open } from 'node:fs/promises';
import { loadCheckpoint, loadModel, type LoadedCheckpoint } from '@backprop/io';
import type { Module } from '@backprop/layers';
import type { StandardizeJSON } from '@backprop/datasets';
import type { DatasetConfig } from '../config/data-schema.js';
import type { Task } from '../data/load-data.js';
import { UsageError, messageOf } from '../errors.js';

/** What `backprop train` stores in a model file's metadata, for `eval` and `predict`. */
export interface ModelMeta {
  /** Marks files written by this CLI; the number is the version of this layout. */
  backpropCli: 1;
  task: Task;
  numClasses?: number;
  classNames?: string[];
  /** CSV columns the model reads, in order. */
  featureNames?: string[];
  /** Shape of one sample as the model takes it (batch dimension excluded). */
  inputShape: number[];
  /** Input standardization fitted on the training split, or null. */
  standardize: StandardizeJSON | null;
  /** The training data and its split, so `eval` without `--data` scores the same test samples. */
  data: DatasetConfig;
  testSplit: number;
  seed: number;
  loss: string | { name: string };
  /** Plugins that were loaded when training, named in errors when a layer type is unknown. */
  plugins: string[];
}

async function mustExist(path: string, what: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`${what} ${path} does not exist`);
  }
}

/**
 * Whether a file starts as a safetensors file does: an 8-byte little-endian header length that fits in
 * the file, then the JSON header's `{`. Lets commands say "not a model file" for a CSV or a config
 * instead of a complaint about its header.
 */
export async function looksLikeModelFile(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return false;
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(9);
    const { bytesRead } = await file.read(head, 0, 9, 0);
    if (bytesRead < 9) return false;
    const headerLength = new DataView(head.buffer).getBigUint64(0, true);
    return headerLength >= 2n && headerLength <= BigInt(size - 8) && head[8] === 0x7b;
  } catch {
    // A folder, or a file that cannot be read, is no model file either.
    return false;
  } finally {
    await file.close();
  }
}

async function mustBeModelFile(path: string, what: string): Promise<void> {
  await mustExist(path, what);
  if (!(await looksLikeModelFile(path))) {
    throw new UsageError(`${path} is not a ${what} (a .safetensors file written by backprop train --save or --checkpoint)`);
  }
}

function explain(e: unknown, path: string): UsageError {
  const message = messageOf(e);
  const hint = /unknown layer type/.test(message) ? ' (a plugin layer? load its plugin with --plugin <module>)' : '';
  return new UsageError(`cannot read ${path}: ${message}${hint}`);
}

/**
 * Loads any backprop model file, or the model of a checkpoint, with its metadata (whatever wrote it).
 * A missing file or one that cannot be read is a usage error naming it.
 */
export async function loadAnyModelFile(path: string): Promise<{ model: Module; metadata: Record<string, unknown> }> {
  await mustBeModelFile(path, 'model file');
  try {
    const { model, metadata } = await loadModel(path);
    return { model: model as Module, metadata };
  } catch (e) {
    if (/expected a checkpoint|'checkpoint' file/.test(messageOf(e))) throw explain(e, path);
    // A checkpoint is a model file too; eval and predict accept one.
    try {
      const ckpt = await loadCheckpoint(path);
      return { model: ckpt.model as Module, metadata: ckpt.metadata };
    } catch {
      throw explain(e, path);
    }
  }
}

/** The CLI's metadata of a model file, or null when something else wrote it. */
export function cliMeta(metadata: Record<string, unknown>): ModelMeta | null {
  const meta = metadata as Partial<ModelMeta>;
  return meta.backpropCli === 1 && Array.isArray(meta.inputShape) ? (meta as ModelMeta) : null;
}

/** Loads a model file written by `backprop train --save`, checking that it carries the CLI's metadata. */
export async function loadModelFile(path: string): Promise<{ model: Module; meta: ModelMeta }> {
  const { model, metadata } = await loadAnyModelFile(path);
  const meta = cliMeta(metadata);
  if (!meta) {
    throw new UsageError(`${path} is a backprop model without the metadata that backprop train writes (task, input shape, standardization); save it with backprop train --save`);
  }
  return { model, meta };
}

/** Loads a checkpoint written by `backprop train --checkpoint`. */
export async function loadCheckpointFile(path: string): Promise<LoadedCheckpoint> {
  await mustBeModelFile(path, 'checkpoint');
  try {
    return await loadCheckpoint(path);
  } catch (e) {
    throw explain(e, path);
  }
}
