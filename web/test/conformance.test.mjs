// Replays the shared rtm.v1 client vectors (tests/conformance/*.json) against the Web engine:
// the test plays the scripted server side over a real WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import RtmKit from '../dist/rtmkit.js';
import { root, waitFor } from './support.mjs';

const dir = path.join(root, 'tests', 'conformance');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

// Server-side view of a client frame, with 64-bit mids kept as decimal strings.
function parseClientFrame(data, isBinary) {
  let text = data;
  if (isBinary) {
    const n = data.readUInt32BE(0);
    text = data.subarray(4, 4 + n).toString('utf8');
  }
  return JSON.parse(String(text).replace(/"mid":(-?\d+)/g, '"mid":"$1"'));
}

function match(frame, want, vars, where) {
  for (const [k, v] of Object.entries(want)) {
    const got = frame[k];
    if (v === null) assert.equal(got, undefined, `${where}: field ${k} must be absent in ${JSON.stringify(frame)}`);
    else if (v === '*') assert.notEqual(got, undefined, `${where}: field ${k} missing in ${JSON.stringify(frame)}`);
    else if (typeof v === 'string' && v.startsWith('$')) {
      assert.notEqual(got, undefined, `${where}: field ${k} missing in ${JSON.stringify(frame)}`);
      if (v in vars) assert.deepEqual(got, vars[v], `${where}: ${k} must repeat ${v}`);
      else vars[v] = got;
    } else assert.deepEqual(got, v, `${where}: field ${k} in ${JSON.stringify(frame)}`);
  }
}

const subst = (text, vars) => text.replace(/\$[a-zA-Z0-9_]+/g, (name) => {
  assert.ok(name in vars, `unbound ${name}`);
  const v = vars[name];
  return typeof v === 'string' && !/^-?\d+$/.test(v) ? JSON.stringify(v) : String(v);
});

function observe(client, events) {
  client.on('ConnectionStateChanged', (s, r) => events.push(['state', s, r]));
  client.on('MessageFromPeer', (m, from, p) => events.push(['peer_message', from,
    m.messageType === 'RAW' ? 'hex:' + Buffer.from(m.rawMessage).toString('hex') : m.text, p.isOfflineMessage]));
  client.on('PeersOnlineStatusChanged', (st) => events.push(['presence', st]));
  client.on('TokenExpired', () => events.push(['token_expired']));
  client.on('TokenPrivilegeWillExpire', () => events.push(['token_will_expire']));
  client.on('RemoteInvitationReceived', (ri) => {
    events.push(['invitation_received', ri.callerId, ri.content, ri.channelId]);
    ri.on('RemoteInvitationAccepted', () => events.push(['invitation_accepted', ri.callerId]));
  });
}

for (const file of files) {
  const vector = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  test(`conformance: ${vector.name}`, async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('rtm.v1') ? 'rtm.v1' : false) });
    await new Promise((r) => wss.once('listening', r));
    const conns = [];
    const inbox = [];
    const closes = [];
    wss.on('connection', (ws) => {
      conns.push(ws);
      ws.on('message', (data, isBinary) => inbox.push(parseClientFrame(data, isBinary)));
      ws.on('close', (code) => closes.push({ ws, code }));
    });
    const client = RtmKit.createInstance('conf', { url: `ws://127.0.0.1:${wss.address().port}/`, reconnectMin: 10, reconnectMax: 40 });
    const events = [];
    observe(client, events);
    const channels = new Map();
    const received = new Map();
    client.on('RemoteInvitationReceived', (ri) => received.set(ri.callerId, ri));
    const calls = new Map();
    const vars = {};
    let seen = 0;
    const conn = () => conns.at(-1);
    try {
      for (const [i, step] of vector.steps.entries()) {
        const where = `${file} step ${i + 1}`;
        if (step.call) {
          const a = step.args ?? {};
          const run = {
            login: () => client.login({ uid: a.uid, token: a.token }),
            logout: () => client.logout(),
            send_peer: () => client.sendMessageToPeer({ text: a.text }, a.to, { enableOfflineMessaging: !!a.offline }),
            join: () => {
              const ch = client.createChannel(a.ch);
              channels.set(a.ch, ch);
              ch.on('ChannelMessage', (m, from) => events.push(['channel_message', a.ch, from, m.text]));
              ch.on('MemberJoined', (u) => events.push(['member_joined', a.ch, u]));
              ch.on('MemberLeft', (u) => events.push(['member_left', a.ch, u]));
              ch.on('MemberCountUpdated', (n) => events.push(['member_count', a.ch, n]));
              return ch.join();
            },
            leave: () => channels.get(a.ch).leave(),
            send_channel: () => channels.get(a.ch).sendMessage({ text: a.text }),
            accept: () => { const ri = received.get(a.from); ri.response = a.response ?? ''; ri.accept(); },
          }[step.call];
          assert.ok(run, `${where}: unknown call ${step.call}`);
          const outcome = { done: false };
          Promise.resolve().then(run).then((value) => Object.assign(outcome, { done: true, ok: true, value }),
            (e) => Object.assign(outcome, { done: true, ok: false, code: e.code }));
          if (step.tag) calls.set(step.tag, outcome);
        } else if (step.expect_send) {
          await waitFor(() => inbox.length > 0, `${where}: a frame ${JSON.stringify(step.expect_send)}`, 5000);
          match(inbox.shift(), step.expect_send, vars, where);
        } else if (step.server !== undefined) {
          conn().send(subst(step.server, vars));
        } else if (step.server_binary) {
          const h = Buffer.from(subst(step.server_binary.header, vars));
          const len = Buffer.alloc(4);
          len.writeUInt32BE(h.length);
          conn().send(Buffer.concat([len, h, Buffer.from(step.server_binary.payload_hex, 'hex')]), { binary: true });
        } else if (step.server_close !== undefined) {
          conn().close(step.server_close);
        } else if (step.server_drop) {
          conn().terminate();
        } else if (step.expect_client_close !== undefined) {
          const ws = conn();
          const c = await waitFor(() => closes.find((x) => x.ws === ws), `${where}: the client closing`, 5000);
          assert.equal(c.code, step.expect_client_close, `${where}: close code`);
        } else if (step.expect_connection !== undefined) {
          await waitFor(() => conns.length >= step.expect_connection, `${where}: connection ${step.expect_connection}`, 5000);
          assert.equal(conns.length, step.expect_connection, `${where}: connection count`);
        } else if (step.expect_events) {
          const want = step.expect_events;
          await waitFor(() => events.length >= seen + want.length, `${where}: events ${JSON.stringify(want)}, got ${JSON.stringify(events.slice(seen))}`, 5000);
          assert.deepEqual(events.slice(seen), want, `${where}: events`);
          seen += want.length;
        } else if (step.result !== undefined) {
          const o = calls.get(step.result);
          assert.ok(o, `${where}: no call tagged ${step.result}`);
          await waitFor(() => o.done, `${where}: the result of ${step.result}`, 5000);
          if (step.ok) {
            assert.equal(o.ok, true, `${where}: ${step.result} failed with ${o.code}`);
            if ('value' in step) assert.deepEqual(o.value, step.value, `${where}: value`);
          } else {
            assert.equal(o.ok, false, `${where}: ${step.result} should fail`);
            assert.equal(o.code, step.code, `${where}: code`);
          }
        } else {
          assert.fail(`${where}: unknown step ${JSON.stringify(step)}`);
        }
      }
    } finally {
      if (client.connectionState !== 'DISCONNECTED') await client.logout();
      for (const ws of conns) ws.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
}
