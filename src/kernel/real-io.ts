/**
 * Node's own modules, as simulated code finds them (SPEC §3.2). Libraries often take these
 * functions when they load (`const { randomUUID } = require('crypto')`), long before a
 * run, so they are wrapped here once, when syncsim loads, for good; outside a run each
 * wrapper is the original, unchanged. Inside one:
 * - `timers` and `timers/promises` are the caller's virtual timers, `crypto`'s randoms its
 *   seeded stream;
 * - what talks to the real world on its own time — files, sockets, DNS, processes, worker
 *   threads — fails the run with a DeterminismViolation naming the function. Synchronous
 *   file access is left alone: it happens at a fixed point of the run (module loading
 *   needs it).
 */

import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fillRandom, randomUuid } from './virtual-crypto.ts';
import { refusing, simulatedPlatform, virtualTimers } from './virtual-globals.ts';

const require = createRequire(import.meta.url);
type Module = Record<string, unknown>;
type Callback = (...args: unknown[]) => unknown;

/** Marks a process whose modules are wrapped already (by this copy of syncsim or another). */
const WRAPPED = Symbol.for('syncsim.realIoWrapped');

/** Replaces `module[name]` by a refusing wrapper, keeping the original's own properties (fs.realpath.native). */
function refuseIn(module: Module, moduleName: string, name: string): void {
  const original = module[name];
  if (typeof original !== 'function') return;
  const wrapper = refusing(original, `${moduleName}.${name}`);
  for (const key of Object.keys(original)) (wrapper as unknown as Module)[key] = (original as unknown as Module)[key];
  module[name] = wrapper;
}

/** Every asynchronous function of a module (the ones named `*Sync` and the classes stay). */
function refuseAsyncFunctions(module: Module, moduleName: string): void {
  for (const name of Object.keys(module)) {
    if (name.endsWith('Sync') || !/^[a-z]/.test(name)) continue;
    refuseIn(module, moduleName, name);
  }
}

function wrapFileSystem(): void {
  const fs = require('node:fs') as Module;
  refuseAsyncFunctions(fs.promises as Module, 'fs.promises');
  refuseAsyncFunctions(fs, 'fs');
  const promises = require('node:fs/promises') as Module;
  if (promises !== fs.promises) refuseAsyncFunctions(promises, 'fs/promises');
}

function wrapNetwork(): void {
  const table: Record<string, string[]> = {
    'node:net': ['connect', 'createConnection', 'createServer'],
    'node:tls': ['connect', 'createServer'],
    'node:http': ['request', 'get', 'createServer'],
    'node:https': ['request', 'get', 'createServer'],
    'node:http2': ['connect', 'createServer', 'createSecureServer'],
    'node:dgram': ['createSocket'],
    'node:dns': ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse'],
    'node:child_process': ['spawn', 'exec', 'execFile', 'fork'],
    'node:worker_threads': ['Worker'],
  };
  for (const [id, names] of Object.entries(table)) {
    const module = require(id) as Module;
    for (const name of names) refuseIn(module, id.slice('node:'.length), name);
  }
  refuseAsyncFunctions((require('node:dns') as Module).promises as Module, 'dns.promises');
  const net = require('node:net') as { Socket: { prototype: Module } };
  refuseIn(net.Socket.prototype, 'net.Socket', 'connect');
}

/** `timers` as the globals are: the caller's virtual timers inside a run. */
function wrapTimers(): void {
  const timers = require('node:timers') as Module;
  Object.assign(timers, virtualTimers);
  const promises = require('node:timers/promises') as Module;
  const realSleep = promises.setTimeout as Callback;
  const realImmediate = promises.setImmediate as Callback;
  promises.setTimeout = (ms?: number, value?: unknown, options?: unknown) =>
    simulatedPlatform() === null ? realSleep(ms, value, options) : new Promise((resolve) => virtualTimers.setTimeout(() => resolve(value), ms));
  promises.setImmediate = (value?: unknown, options?: unknown) =>
    simulatedPlatform() === null ? realImmediate(value, options) : new Promise((resolve) => virtualTimers.setImmediate(() => resolve(value)));
  refuseIn(promises, 'timers/promises', 'setInterval');
}

/** `crypto`'s randoms from the caller's seeded stream inside a run. */
function wrapCrypto(): void {
  const crypto = require('node:crypto') as Module;
  const real = {
    randomUUID: crypto.randomUUID as () => string,
    randomBytes: crypto.randomBytes as Callback,
    randomFillSync: crypto.randomFillSync as Callback,
    randomFill: crypto.randomFill as Callback,
    randomInt: crypto.randomInt as Callback,
  };
  const stream = () => {
    const platform = simulatedPlatform();
    return platform === null ? null : () => platform.world().random();
  };
  crypto.randomUUID = (options?: unknown) => {
    const random = stream();
    return random === null ? (real.randomUUID as Callback)(options) : randomUuid(random);
  };
  crypto.randomBytes = (size: number, callback?: Callback) => {
    const random = stream();
    if (random === null) return real.randomBytes(size, callback);
    const bytes = fillBytes(Buffer.alloc(size), random);
    if (callback === undefined) return bytes;
    virtualTimers.setImmediate(() => callback(null, bytes));
    return undefined;
  };
  crypto.randomFillSync = (buffer: ArrayBufferView, offset?: number, size?: number) => {
    const random = stream();
    if (random === null) return real.randomFillSync(buffer, offset, size);
    const start = offset ?? 0;
    const view = new Uint8Array(buffer.buffer, buffer.byteOffset + start, size ?? buffer.byteLength - start);
    fillBytes(view, random);
    return buffer;
  };
  crypto.randomFill = (buffer: ArrayBufferView, ...rest: unknown[]) => {
    const random = stream();
    if (random === null) return real.randomFill(buffer, ...rest);
    const callback = rest.pop() as Callback;
    const [offset, size] = rest as [number | undefined, number | undefined];
    (crypto.randomFillSync as Callback)(buffer, offset, size);
    virtualTimers.setImmediate(() => callback(null, buffer));
    return undefined;
  };
  crypto.randomInt = (...args: unknown[]) => {
    const random = stream();
    if (random === null) return real.randomInt(...args);
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined;
    const [min, max] = args.length === 1 ? [0, args[0] as number] : (args as [number, number]);
    const value = min + Math.floor(random() * (max - min));
    if (callback === undefined) return value;
    virtualTimers.setImmediate(() => callback(null, value));
    return undefined;
  };
}

/** getRandomValues' 64 KiB quota does not apply to Node's own functions: fill in chunks. */
function fillBytes<T extends Uint8Array>(bytes: T, random: () => number): T {
  for (let at = 0; at < bytes.length; at += 65_536) fillRandom(bytes.subarray(at, at + 65_536), random);
  return bytes;
}

/** Wraps Node's modules once per process; later calls do nothing. */
export function wrapNodeModules(): void {
  const flags = process as unknown as Record<symbol, boolean>;
  if (flags[WRAPPED]) return;
  flags[WRAPPED] = true;
  wrapFileSystem();
  wrapNetwork();
  wrapTimers();
  wrapCrypto();
  // ES modules that import Node's built-ins by name see the wrappers too.
  syncBuiltinESMExports();
}

