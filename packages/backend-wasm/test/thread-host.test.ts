import { describe, expect, it } from 'vitest';
import { startBrowserThread } from '../src/threads/spawn-browser.js';
import { startNodeThread } from '../src/threads/spawn-node.js';
import { threadStarter } from '../src/threads/spawn.js';
import { threadHost, type ThreadEnvironment } from '../src/threads/thread-host.js';

class Fake {}
const browser: ThreadEnvironment = {
  crossOriginIsolated: true,
  SharedArrayBuffer: Fake,
  Worker: Fake,
  Blob: Fake,
  URL: { createObjectURL: () => 'blob:x' },
};

describe('threadHost', () => {
  it('picks worker_threads in Node with SharedArrayBuffer', () => {
    expect(threadHost({ process: { versions: { node: '20.0.0' } }, SharedArrayBuffer: Fake })).toBe('node');
    expect(threadHost()).toBe('node');
  });

  it('picks Web Workers in a cross-origin isolated page or worker', () => {
    expect(threadHost(browser)).toBe('browser');
  });

  it('runs single-threaded without isolation, SharedArrayBuffer or blob workers', () => {
    expect(threadHost({ ...browser, crossOriginIsolated: false })).toBeNull();
    expect(threadHost({ ...browser, crossOriginIsolated: undefined })).toBeNull();
    expect(threadHost({ ...browser, SharedArrayBuffer: undefined })).toBeNull();
    expect(threadHost({ process: { versions: { node: '20.0.0' } } })).toBeNull();
    expect(threadHost({ ...browser, Worker: undefined })).toBeNull();
    expect(threadHost({ ...browser, URL: {} })).toBeNull();
    expect(threadHost({})).toBeNull();
  });

  it('maps each host to its starter', () => {
    expect(threadStarter('node')).toBe(startNodeThread);
    expect(threadStarter('browser')).toBe(startBrowserThread);
    expect(threadStarter(null)).toBeNull();
  });
});
