// End to end in Debian's Chromium (driven by playwright-core): two Web SDK clients on one page
// talk through a real rtmd; one of them goes through a TCP proxy that the test cuts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startRtmd, startProxy, waitFor, uid } from './support.mjs';

const web = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
let rtmd, proxy, http, browser, profile, base;

before(async () => {
  rtmd = await startRtmd({ grace_ms: 20000 });
  proxy = await startProxy(rtmd.port);
  // A static server for the page and the bundle.
  const types = { '.html': 'text/html', '.js': 'text/javascript' };
  http = createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    const file = p.startsWith('/dist/') ? path.join(web, p) : path.join(web, 'test', 'page.html');
    if (!file.startsWith(web) || !existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${http.address().port}/`;
  profile = mkdtempSync(path.join(tmpdir(), 'rtmkit-chromium-'));
  // A fresh profile directory (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await new Promise((r) => (http ? http.close(r) : r()));
  await rtmd?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('two browser clients: acknowledged peer message, channel events, a cut connection survived', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  await page.waitForFunction(() => window.ready === true);
  const alice = uid('alice'), bob = uid('bob'), room = uid('room');
  const log = () => page.evaluate(() => window.T.log);
  const E = (expr, ...a) => page.evaluate(expr, a);

  assert.equal(await E(([n, u, id]) => window.T.login(n, u, id), 'alice', proxy.url, alice), 'CONNECTED');
  assert.equal(await E(([n, u, id]) => window.T.login(n, u, id), 'bob', rtmd.url, bob), 'CONNECTED');
  assert.deepEqual(await E(([n, to, t]) => window.T.send(n, to, t), 'alice', bob, 'hello from the browser'), { hasPeerReceived: true });
  assert.ok((await log()).some((e) => e[0] === 'bob' && e[1] === 'peer' && e[2] === alice && e[3] === 'hello from the browser'));
  assert.deepEqual(await E(([n]) => window.T.error(n), 'alice'), ['RtmError', 6]);

  await E(([n, ch]) => window.T.join(n, ch), 'alice', room);
  await E(([n, ch]) => window.T.join(n, ch), 'bob', room);
  await waitFor(async () => (await log()).some((e) => e[0] === 'alice' && e[1] === 'joined' && e[2] === bob), 'alice to see bob join');

  let n = 0;
  const send = async (k) => { for (let i = 0; i < k; i++) await E(([nm, ch, t]) => window.T.cmsg(nm, ch, t), 'bob', room, String(n++)); };
  const aliceTexts = async () => (await log()).filter((e) => e[0] === 'alice' && e[1] === 'cmsg').map((e) => e[3]);
  await send(3);
  await waitFor(async () => (await aliceTexts()).length === 3, 'three channel messages');

  proxy.cut(true);
  await waitFor(async () => (await E(([nm]) => window.T.state(nm), 'alice')) === 'RECONNECTING', 'alice RECONNECTING');
  await send(4);
  proxy.restore();
  await waitFor(async () => (await E(([nm]) => window.T.state(nm), 'alice')) === 'CONNECTED', 'alice CONNECTED again', 15000);
  await send(3);
  await waitFor(async () => (await aliceTexts()).length >= 10, 'ten channel messages');
  assert.deepEqual(await aliceTexts(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const states = (await log()).filter((e) => e[0] === 'alice' && e[1] === 'state').map((e) => [e[2], e[3]]);
  assert.deepEqual(states, [['CONNECTING', 'LOGIN'], ['CONNECTED', 'LOGIN_SUCCESS'], ['RECONNECTING', 'INTERRUPTED'], ['CONNECTED', 'LOGIN_SUCCESS']]);
  assert.ok(!(await log()).some((e) => e[1] === 'left'), 'nobody saw a member leave');
  // Peer messages still flow both ways after the resume.
  assert.deepEqual(await E(([nm, to, t]) => window.T.send(nm, to, t), 'bob', alice, 'welcome back'), { hasPeerReceived: true });
  await E(() => window.T.logoutAll());
  assert.deepEqual(errors, []);
});
