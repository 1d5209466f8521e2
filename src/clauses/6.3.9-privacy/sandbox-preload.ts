/**
 * Clause 6.3.9 (5.2.9 b) instrumentation, preloaded (`node --require`) into the sandboxed inference
 * child before any other code. Node 20's permission model restricts file-system reads and writes but
 * has no network switch, and native addons (onnxruntime-node, allowed with `--allow-addons`) are
 * outside it; so this script wraps every JavaScript route to the network (net, tls, dns, http, https,
 * http2, dgram, fetch, WebSocket) and to storage (fs writes, appends, opens for writing, mkdir, rename,
 * copy, unlink, symlink; sync, callback and promise forms), records each attempt and refuses it with
 * an error. Writes to stdout/stderr (fds 1 and 2) stay allowed. At exit it prints one line
 * `PTMC_SANDBOX_REPORT <json>` with the attempts, which the parent parses.
 *
 * Not a public API: it installs its wrappers when loaded (that is its purpose).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import dgram = require('node:dgram');
import dns = require('node:dns');
import fs = require('node:fs');
import http = require('node:http');
import http2 = require('node:http2');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');

import type { SandboxAttempt } from './sandbox.js';

const attempts: SandboxAttempt[] = [];
const MARK = 'PTMC_SANDBOX_REPORT ';

function describe(args: unknown[]): string {
  const a = args[0];
  if (typeof a === 'string' || typeof a === 'number') return String(a);
  if (a instanceof URL) return a.href;
  if (a && typeof a === 'object') {
    const o = a as Record<string, unknown>;
    if (o.href || o.url) return String(o.href ?? o.url);
    if (o.host || o.hostname || o.port || o.path)
      return `${String(o.hostname ?? o.host ?? '')}:${String(o.port ?? '')}${o.path ? ` ${String(o.path)}` : ''}`;
  }
  return typeof a === 'undefined' ? '' : Object.prototype.toString.call(a);
}

function refuse(kind: SandboxAttempt['kind'], api: string, args: unknown[]): never {
  const target = describe(args);
  attempts.push({ kind, api, target });
  const e = new Error(`ptmc sandbox: ${kind} access refused (${api} ${target})`) as Error & { code: string };
  e.code = 'ERR_PTMC_SANDBOX';
  throw e;
}

function wrap(obj: any, name: string, kind: SandboxAttempt['kind'], api: string, allow?: (args: unknown[]) => boolean): void {
  const orig = obj?.[name];
  if (typeof orig !== 'function') return;
  const w = function (this: unknown, ...args: unknown[]) {
    if (allow?.(args)) return orig.apply(this, args);
    return refuse(kind, api, args);
  };
  try {
    Object.defineProperty(obj, name, { value: w, writable: true, configurable: true });
  } catch {
    /* a frozen export stays as it is */
  }
}

for (const [mod, label] of [
  [net, 'net'],
  [tls, 'tls'],
] as const)
  for (const f of ['connect', 'createConnection', 'createServer']) wrap(mod, f, 'network', `${label}.${f}`);
wrap(net.Socket.prototype, 'connect', 'network', 'net.Socket.connect');
wrap(dgram, 'createSocket', 'network', 'dgram.createSocket');
for (const f of [
  'lookup',
  'lookupService',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCname',
  'resolveMx',
  'resolveNs',
  'resolveTxt',
  'resolveSrv',
  'reverse',
]) {
  wrap(dns, f, 'network', `dns.${f}`);
  wrap(dns.promises, f, 'network', `dns.promises.${f}`);
}
for (const [mod, label] of [
  [http, 'http'],
  [https, 'https'],
] as const)
  for (const f of ['request', 'get', 'createServer']) wrap(mod, f, 'network', `${label}.${f}`);
wrap(http2, 'connect', 'network', 'http2.connect');
wrap(globalThis, 'fetch', 'network', 'fetch');
if (typeof (globalThis as any).WebSocket === 'function') wrap(globalThis, 'WebSocket', 'network', 'WebSocket');

const stdio = (args: unknown[]) => args[0] === 1 || args[0] === 2;
/* the module objects themselves (not import copies) are patched */
const readOnlyOpen = (args: unknown[]) => {
  const flags = args[1];
  if (typeof flags === 'number') return (flags & 3) === 0 && (flags & 0o100) === 0;
  return flags === undefined || flags === null || typeof flags === 'function' || flags === 'r' || flags === 'rs' || flags === 'sr';
};
const WRITES = [
  'writeFile',
  'appendFile',
  'mkdir',
  'mkdtemp',
  'rename',
  'copyFile',
  'cp',
  'unlink',
  'rm',
  'rmdir',
  'symlink',
  'link',
  'truncate',
  'chmod',
  'chown',
  'utimes',
];
for (const f of WRITES) {
  wrap(fs, f, 'storage', `fs.${f}`);
  wrap(fs, `${f}Sync`, 'storage', `fs.${f}Sync`);
  wrap(fs.promises, f, 'storage', `fs.promises.${f}`);
}
for (const f of ['write', 'writeSync', 'writev', 'writevSync']) wrap(fs, f, 'storage', `fs.${f}`, stdio);
wrap(fs, 'createWriteStream', 'storage', 'fs.createWriteStream');
wrap(fs, 'open', 'storage', 'fs.open', readOnlyOpen);
wrap(fs, 'openSync', 'storage', 'fs.openSync', readOnlyOpen);
wrap(fs.promises, 'open', 'storage', 'fs.promises.open', readOnlyOpen);

process.on('exit', () => {
  process.stdout.write(`\n${MARK}${JSON.stringify({ attempts })}\n`);
});
