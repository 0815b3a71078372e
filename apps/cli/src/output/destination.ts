import { randomBytes } from 'node:crypto';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError, messageOf } from '../errors.js';

/** Why a write failed, in words, from Node's error code. */
export function writeFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  // @backprop/io reports a failed save as its own error, with Node's code in the message.
  const code = err?.code ?? /\b(E[A-Z]{3,})\b/.exec(messageOf(e))?.[1];
  switch (code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of its folder path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder; give a file name';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    default:
      return messageOf(e);
  }
}

/** The error for a failed write of `path`, named by its field (`--save`, `$.checkpoint`), as one sentence; exit code 2. */
export function writeError(field: string, path: string, e: unknown): UsageError {
  return new UsageError(`${field}: cannot write ${path}: ${writeFailure(e)}`);
}

/**
 * Checks before training that `path` can be written, so that a wrong `--save` or `--checkpoint` fails in
 * the first second rather than after the run: its folder must exist, the path must not be a folder or a
 * device, and a probe file must be writable beside it (which finds read-only places and a full disk).
 */
export async function checkWritable(path: string, field: string): Promise<void> {
  const fail = (why: string) => new UsageError(`${field}: cannot write ${path}: ${why}`);
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw fail(`it is a folder; give a file name inside it, e.g. ${join(path, 'model.safetensors')}`);
  if (existing && !existing.isFile()) throw fail('it exists and is not a regular file');
  const folder = dirname(path);
  const dir = await stat(folder).catch(() => null);
  if (!dir) throw fail(`the folder ${folder} does not exist`);
  if (!dir.isDirectory()) throw fail(`${folder} is not a folder`);
  const probe = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.probe`;
  try {
    // A few kilobytes, so that a disk with no room left fails here as the real save would.
    await writeFile(probe, new Uint8Array(4096), { flag: 'wx' });
  } catch (e) {
    throw writeError(field, path, e);
  } finally {
    await unlink(probe).catch(() => {});
  }
}
