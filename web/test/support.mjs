// Test support: a real rtmd on an ephemeral port, a cuttable TCP proxy, and condition waits.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const rtmdPath = process.env.RTMD ?? path.join(root, 'build', 'server', 'rtmd');

/** Starts rtmd with `config` (configuration.md keys) on 127.0.0.1:0; resolves once it reports its port. */
export async function startRtmd(config = {}, args = []) {
  if (!existsSync(rtmdPath)) throw new Error(`rtmd not found at ${rtmdPath} (build it with scripts/build, or set RTMD)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'rtmkit-web-'));
  const conf = path.join(dir, 'rtmd.json');
  writeFileSync(conf, JSON.stringify(config));
  const proc = spawn(rtmdPath, ['--listen', '127.0.0.1:0', '--data-dir', dir, '--threads', '1', '--log-level', 'warn',
    '--config', conf, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('rtmd did not start: ' + log)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /rtmd ready: ws port (\d+)/.exec(out);
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(t); reject(new Error(`rtmd exited (${code}): ${log}`)); });
  });
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy to `port` whose connections the test can cut at once. */
export async function startProxy(port) {
  const conns = new Set();
  let refuse = false;
  const server = net.createServer((c) => {
    if (refuse) return c.destroy();
    const up = net.connect(port, '127.0.0.1');
    const pair = [c, up];
    conns.add(pair);
    c.pipe(up); up.pipe(c);
    const end = () => { c.destroy(); up.destroy(); conns.delete(pair); };
    c.on('error', end); up.on('error', end); c.on('close', end); up.on('close', end);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const p = server.address().port;
  return {
    port: p,
    url: `ws://127.0.0.1:${p}/`,
    get connections() { return conns.size; },
    /** Cuts every connection (TCP reset both ways); with `hold`, refuses new ones until `restore()`. */
    cut(hold = false) {
      refuse = hold;
      for (const [a, b] of conns) { a.resetAndDestroy?.() ?? a.destroy(); b.resetAndDestroy?.() ?? b.destroy(); }
      conns.clear();
    },
    restore() { refuse = false; },
    close() { this.cut(); return new Promise((r) => server.close(r)); },
  };
}

/** Resolves once `cond()` is truthy (polled), rejects after `ms` with `what`. */
export async function waitFor(cond, what = 'condition', ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects events of an emitter into arrays by name. */
export function record(emitter, names) {
  const log = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) emitter.on(n, (...a) => log[n].push(a));
  return log;
}

let uidSeq = 0;
/** A user id unique to this test run. */
export const uid = (base) => `${base}-${process.pid}-${++uidSeq}`;
