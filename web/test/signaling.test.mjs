// The Signaling Web facade against a real rtmd, interoperating with an RTM Web user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import RtmKit from '../dist/rtmkit.js';
import { Signal } from '../dist/signaling.js';
import { startRtmd, waitFor, uid } from './support.mjs';

let rtmd;
before(async () => { rtmd = await startRtmd(); });
after(async () => { await rtmd?.stop(); });

test('a Signaling user and an RTM user: messages, channel, calls and the end-call message', async () => {
  const alice = uid('sig'), bob = uid('rtm'), room = uid('room');
  const s = Signal('sig-test', { url: rtmd.url }).login(alice, '_no_need_token');
  const ev = [];
  s.onLoginSuccess = () => ev.push(['login']);
  s.onMessageInstantReceive = (from, _uid, msg) => ev.push(['msg', from, msg]);
  await waitFor(() => s.getStatus() === 2, 'the Signaling login');
  const b = RtmKit.createInstance('sig-test', { url: rtmd.url });
  const bobGot = [];
  b.on('MessageFromPeer', (m, from) => bobGot.push([from, m.text]));
  await b.login({ uid: bob });

  // Instant messages both ways.
  const sent = await new Promise((r) => s.messageInstantSend(bob, 'hi rtm', r));
  assert.equal(sent, true);
  assert.deepEqual(bobGot.shift(), [alice, 'hi rtm']);
  await b.sendMessageToPeer({ text: 'hi signaling' }, alice);
  await waitFor(() => ev.some((e) => e[0] === 'msg'), 'the instant message');
  assert.deepEqual(ev.find((e) => e[0] === 'msg'), ['msg', bob, 'hi signaling']);

  // A channel: the Signaling sender sees its own message, the RTM member gets it.
  const bc = b.createChannel(room);
  const bobCh = [];
  bc.on('ChannelMessage', (m, from) => bobCh.push([from, m.text]));
  await bc.join();
  const ch = s.channelJoin(room);
  const chEv = [];
  ch.onChannelJoined = () => chEv.push(['joined']);
  ch.onChannelUserList = (list) => chEv.push(['list', list.map((x) => x[0]).sort()]);
  ch.onMessageChannelReceive = (from, _u, msg) => chEv.push(['cmsg', from, msg]);
  ch.onChannelAttrUpdated = (k, v, t) => chEv.push(['attr', k, v, t]);
  await waitFor(() => chEv.some((e) => e[0] === 'list'), 'the user list');
  assert.deepEqual(chEv.find((e) => e[0] === 'list')[1], [alice, bob].sort());
  ch.messageChannelSend('hello room');
  await waitFor(() => bobCh.length === 1 && chEv.some((e) => e[0] === 'cmsg'), 'the channel message');
  assert.deepEqual(bobCh[0], [alice, 'hello room']);
  ch.channelSetAttr('topic', 'calls');
  await waitFor(() => chEv.some((e) => e[0] === 'attr'), 'the attribute event');
  assert.deepEqual(chEv.find((e) => e[0] === 'attr'), ['attr', 'topic', 'calls', 'update']);

  // Signaling calls RTM: the channel is the invitation's channelId, extra keys its content.
  const invs = [];
  b.on('RemoteInvitationReceived', (ri) => invs.push(ri));
  const call = s.channelInviteUser2('call-1', bob, JSON.stringify({ _require_peer_online: 1, topic: 'demo' }));
  const callEv = [];
  call.onInviteReceivedByPeer = () => callEv.push('received');
  call.onInviteAcceptedByPeer = (x) => callEv.push('accepted:' + x);
  await waitFor(() => invs.length === 1, 'the RTM side to get the call');
  assert.equal(invs[0].channelId, 'call-1');
  assert.deepEqual(JSON.parse(invs[0].content), { topic: 'demo' });
  invs[0].response = 'ok';
  invs[0].accept();
  await waitFor(() => callEv.includes('accepted:ok'), 'accepted');
  // Hanging up an established call sends the end-call message to the RTM peer.
  call.channelInviteEnd();
  await waitFor(() => bobGot.length === 1, 'the end-call message');
  assert.deepEqual(bobGot[0], [alice, 'AgoraRTMLegacyEndcallCompatibleMessagePrefix_call-1_end']);

  // RTM calls Signaling; RTM hangs up with the end-call prefix.
  const calls = [];
  s.onInviteReceived = (c) => calls.push(c);
  const li = b.createLocalInvitation(alice);
  li.channelId = 'call-2';
  const accepted = new Promise((r) => li.on('LocalInvitationAccepted', r));
  li.send();
  await waitFor(() => calls.length === 1, 'the Signaling side to get the call');
  assert.equal(calls[0].channelName, 'call-2');
  assert.equal(calls[0].peer, bob);
  const ended = new Promise((r) => { calls[0].onInviteEndByPeer = r; });
  calls[0].channelInviteAccept('yes');
  assert.equal(await accepted, 'yes');
  await b.sendMessageToPeer({ text: `${RtmKit.END_CALL_PREFIX}_call-2_bye` }, alice);
  assert.equal(await ended, 'bye');

  // A user-status query through invoke.
  const st = await new Promise((r) => s.invoke('io.agora.signal.user_query_user_status', { account: bob }, (e, v) => r([e, v])));
  assert.deepEqual(st, [null, { status: 1 }]);
  const out = new Promise((r) => { s.onLogout = r; });
  s.logout();
  assert.equal(await out, 101);
  assert.equal(s.getStatus(), 0);
  await b.logout();
});
