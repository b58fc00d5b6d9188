// The RTM Web API in Node.js (over the `ws` package) against a real rtmd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import RtmKit, { RtmError } from '../dist/rtmkit.js';
import { startRtmd, startProxy, waitFor, record, uid } from './support.mjs';

let rtmd;
const clients = [];
before(async () => { rtmd = await startRtmd({ grace_ms: 20000 }); });
after(async () => {
  for (const c of clients) if (c.connectionState !== 'DISCONNECTED') await c.logout();
  await rtmd?.stop();
});

function client(url = rtmd.url, extra = {}) {
  const c = RtmKit.createInstance('web-test', { url, ...extra });
  clients.push(c);
  return c;
}
async function online(name, url) {
  const c = client(url);
  const id = uid(name);
  await c.login({ uid: id });
  return [c, id];
}
const rejectsWith = (p, code) => assert.rejects(p, (e) => {
  assert.ok(e instanceof RtmError, `an RtmError, got ${e}`);
  assert.equal(e.code, code);
  return true;
});

test('login and logout report Agora Web states and reasons', async () => {
  const c = client();
  const ev = record(c, ['ConnectionStateChanged']);
  await c.login({ uid: uid('alice') });
  assert.equal(c.connectionState, 'CONNECTED');
  await rejectsWith(c.login({ uid: uid('alice') }), 8);
  await c.logout();
  assert.deepEqual(ev.ConnectionStateChanged, [
    ['CONNECTING', 'LOGIN'], ['CONNECTED', 'LOGIN_SUCCESS'], ['DISCONNECTED', 'LOGOUT']]);
  await rejectsWith(c.logout(), 102);
});

test('login arguments are checked before connecting', async () => {
  await rejectsWith(client().login({ uid: 'null' }), 3);
  await rejectsWith(client().login({ uid: 'a/b' }), 3);
  await rejectsWith(client().login({ uid: 'x'.repeat(65) }), 3);
  await rejectsWith(client().login({ uid: 42 }), 3);
  await rejectsWith(client().login({ uid: 'ok', token: 't'.repeat(2049) }), 5);
  await rejectsWith(RtmKit.createInstance('bad app', { url: rtmd.url }).login({ uid: 'ok' }), 4);
  await rejectsWith(RtmKit.createInstance('app', { url: 'http://x' }).login({ uid: 'ok' }), 4);
});

test('a first login that cannot connect times out with LOGIN_TIMEOUT', async () => {
  const proxy = await startProxy(rtmd.port);
  proxy.cut(true); // refuses every connection
  const c = client(proxy.url, { loginTimeout: 1500 });
  const ev = record(c, ['ConnectionStateChanged']);
  await rejectsWith(c.login({ uid: uid('nobody') }), 9);
  assert.deepEqual(ev.ConnectionStateChanged.at(-1), ['DISCONNECTED', 'LOGIN_TIMEOUT']);
  await proxy.close();
});

test('every method validates its arguments and refuses when not logged in', async () => {
  const c = client();
  // Not logged in: valid calls get USER_NOT_LOGGED_IN (102), invalid ones their argument code.
  await rejectsWith(c.sendMessageToPeer({ text: 'hi' }, 'bob'), 102);
  await rejectsWith(c.sendMessageToPeer({ text: 'hi' }, 'null'), 6);
  await rejectsWith(c.sendMessageToPeer({ text: 'x'.repeat(32769) }, 'bob'), 7);
  await rejectsWith(c.sendMessageToPeer({ text: '\ud800' }, 'bob'), 7);
  await rejectsWith(c.sendMessageToPeer({ text: 'a', rawMessage: new Uint8Array(1) }, 'bob'), 7);
  await rejectsWith(c.sendMessageToPeer({ rawMessage: new Uint8Array(32768), description: 'd' }, 'bob'), 7);
  await rejectsWith(c.sendMessageToPeer({ messageType: 'FILE' }, 'bob'), 7);
  await rejectsWith(c.queryPeersOnlineStatus([]), 2);
  await rejectsWith(c.queryPeersOnlineStatus(Array.from({ length: 257 }, (_, i) => 'u' + i)), 2);
  await rejectsWith(c.queryPeersOnlineStatus(['ok']), 102);
  await rejectsWith(c.subscribePeersOnlineStatus(['a', 'b c', 'null']), 2);
  await rejectsWith(c.unsubscribePeersOnlineStatus(Array.from({ length: 513 }, (_, i) => 'u' + i)), 2);
  await rejectsWith(c.queryPeersBySubscriptionOption('OTHER'), 1);
  await rejectsWith(c.setLocalUserAttributes({ k: '' }), 3);
  await rejectsWith(c.setLocalUserAttributes({ 'bad key': 'v' }), 3);
  await rejectsWith(c.setLocalUserAttributes({ k: 'v'.repeat(8193) }), 4);
  await rejectsWith(c.setLocalUserAttributes(Object.fromEntries(Array.from({ length: 33 }, (_, i) => ['k' + i, 'v']))), 4);
  await rejectsWith(c.setLocalUserAttributes(Object.fromEntries(Array.from({ length: 3 }, (_, i) => ['k' + i, 'v'.repeat(8000)]))), 4);
  await rejectsWith(c.addOrUpdateLocalUserAttributes({ k: 1 }), 3);
  await rejectsWith(c.addOrUpdateLocalUserAttributes({ k: 'v' }), 102);
  await rejectsWith(c.deleteLocalUserAttributesByKeys(['x'.repeat(33)]), 3);
  await rejectsWith(c.getUserAttributes('null'), 3);
  await rejectsWith(c.getUserAttributesByKeys('bob', Array.from({ length: 33 }, (_, i) => 'k' + i)), 4);
  await rejectsWith(c.setChannelAttributes('bad/ch', { k: 'v' }), 3);
  await rejectsWith(c.setChannelAttributes('ch', Object.fromEntries(Array.from({ length: 5 }, (_, i) => ['k' + i, 'v'.repeat(8000)]))), 4);
  await rejectsWith(c.getChannelAttributes(''), 3);
  await rejectsWith(c.clearChannelAttributes('ch'), 102);
  await rejectsWith(c.getChannelMemberCount([]), 2);
  await rejectsWith(c.getChannelMemberCount(Array.from({ length: 33 }, (_, i) => 'c' + i)), 5);
  await rejectsWith(c.renewToken(''), 2);
  await rejectsWith(c.renewToken('tok'), 102);
  assert.throws(() => c.createChannel('null'), (e) => e.code === 3);
  assert.throws(() => c.createLocalInvitation(''), (e) => e.code === 1);
  const ch = c.createChannel('room');
  await rejectsWith(ch.join(), 102);
  await rejectsWith(ch.sendMessage({ text: 'x'.repeat(32769) }), 4);
  await rejectsWith(ch.getMembers(), 102);
  const inv = c.createLocalInvitation('bob');
  inv.content = 'x'.repeat(8193);
  assert.throws(() => inv.send(), (e) => e.code === 1);
  assert.throws(() => inv.cancel(), (e) => e.code === 2);
  inv.content = 'ok';
  const failed = new Promise((r) => inv.on('LocalInvitationFailure', r));
  inv.send();
  assert.equal(await failed, 'NOT_LOGGEDIN');
  assert.equal(inv.state, 'FAILURE');
});

test('a peer message resolves once the peer SDK has it; offline messages are stored', async () => {
  const [a, alice] = await online('alice');
  const [b, bob] = await online('bob');
  const got = record(b, ['MessageFromPeer']);
  assert.deepEqual(await a.sendMessageToPeer({ text: 'hello bob' }, bob), { hasPeerReceived: true });
  assert.equal(got.MessageFromPeer.length, 1);
  const [m, from, props] = got.MessageFromPeer[0];
  assert.deepEqual(m, { messageType: 'TEXT', text: 'hello bob' });
  assert.equal(from, alice);
  assert.equal(props.isOfflineMessage, false);
  assert.ok(props.serverReceivedTs > 1.7e12);

  const bytes = new Uint8Array([0, 1, 2, 0xde, 0xad, 0xbe, 0xef, 255]);
  assert.deepEqual(await a.sendMessageToPeer({ rawMessage: bytes, description: 'blob' }, bob), { hasPeerReceived: true });
  const [raw] = got.MessageFromPeer[1];
  assert.equal(raw.messageType, 'RAW');
  assert.deepEqual([...raw.rawMessage], [...bytes]);
  assert.equal(raw.description, 'blob');

  // An empty text and 32 KB of multi-byte text are both legal.
  assert.deepEqual(await a.sendMessageToPeer({ text: '' }, bob), { hasPeerReceived: true });
  assert.deepEqual(await a.sendMessageToPeer({ text: 'é'.repeat(16384) }, bob), { hasPeerReceived: true });
  assert.equal(got.MessageFromPeer.at(-1)[0].text.length, 16384);

  const carol = uid('carol');
  assert.deepEqual(await a.sendMessageToPeer({ text: 'ping' }, carol), { hasPeerReceived: false });
  assert.deepEqual(await a.sendMessageToPeer({ text: 'stored' }, carol, { enableOfflineMessaging: true }), { hasPeerReceived: false });
  const c = client();
  const cg = record(c, ['MessageFromPeer']);
  await c.login({ uid: carol });
  await waitFor(() => cg.MessageFromPeer.length === 1, 'the offline message');
  assert.equal(cg.MessageFromPeer[0][0].text, 'stored');
  assert.equal(cg.MessageFromPeer[0][2].isOfflineMessage, true);
});

test('channels: join, member events, counts, messages, members, leave', async () => {
  const [a, alice] = await online('alice');
  const [b, bob] = await online('bob');
  const name = uid('room');
  const ca = a.createChannel(name);
  const ea = record(ca, ['MemberJoined', 'MemberLeft', 'MemberCountUpdated', 'ChannelMessage']);
  await ca.join();
  await waitFor(() => ea.MemberCountUpdated.length >= 1, 'the first member count');
  const cb = b.createChannel(name);
  const eb = record(cb, ['ChannelMessage', 'MemberCountUpdated']);
  await cb.join();
  await waitFor(() => ea.MemberJoined.length === 1, 'MemberJoined');
  assert.deepEqual(ea.MemberJoined[0], [bob]);
  await waitFor(() => ea.MemberCountUpdated.some(([n]) => n === 2), 'a count of 2');
  assert.deepEqual((await cb.getMembers()).sort(), [alice, bob].sort());
  const empty = uid('empty');
  assert.deepEqual(await a.getChannelMemberCount([name, empty]), { [name]: 2, [empty]: 0 });
  for (let i = 0; i < 5; i++) await ca.sendMessage({ text: 'm' + i });
  await waitFor(() => eb.ChannelMessage.length === 5, 'five channel messages');
  assert.deepEqual(eb.ChannelMessage.map(([m, from]) => [m.text, from]), [0, 1, 2, 3, 4].map((i) => ['m' + i, alice]));
  assert.equal(ea.ChannelMessage.length, 0, 'the sender does not get its own message');
  await cb.leave();
  await waitFor(() => ea.MemberLeft.length === 1, 'MemberLeft');
  assert.deepEqual(ea.MemberLeft[0], [bob]);
  await rejectsWith(cb.sendMessage({ text: 'gone' }), 5);
  await rejectsWith(cb.leave(), 3);
});

test('presence: query, subscribe and changes', async () => {
  const [a] = await online('alice');
  const bob = uid('bob');
  const ev = record(a, ['PeersOnlineStatusChanged']);
  assert.deepEqual(await a.queryPeersOnlineStatus([bob]), { [bob]: false });
  await a.subscribePeersOnlineStatus([bob]);
  await waitFor(() => ev.PeersOnlineStatusChanged.length === 1, 'the snapshot');
  assert.deepEqual(ev.PeersOnlineStatusChanged[0][0], { [bob]: 'OFFLINE' });
  assert.deepEqual(await a.queryPeersBySubscriptionOption('ONLINE_STATUS'), [bob]);
  const b = client();
  await b.login({ uid: bob });
  await waitFor(() => ev.PeersOnlineStatusChanged.length === 2, 'ONLINE');
  assert.deepEqual(ev.PeersOnlineStatusChanged[1][0], { [bob]: 'ONLINE' });
  assert.deepEqual(await a.queryPeersOnlineStatus([bob]), { [bob]: true });
  await b.logout();
  await waitFor(() => ev.PeersOnlineStatusChanged.length === 3, 'OFFLINE');
  assert.deepEqual(ev.PeersOnlineStatusChanged[2][0], { [bob]: 'OFFLINE' });
  await a.unsubscribePeersOnlineStatus([bob]);
  assert.deepEqual(await a.queryPeersBySubscriptionOption('ONLINE_STATUS'), []);
});

test('user and channel attributes', async () => {
  const [a, alice] = await online('alice');
  const [b] = await online('bob');
  await a.setLocalUserAttributes({ mood: 'happy', city: 'Lyon' });
  await a.addOrUpdateLocalUserAttributes({ mood: 'busy' });
  assert.deepEqual(await b.getUserAttributes(alice), { city: 'Lyon', mood: 'busy' });
  assert.deepEqual(await b.getUserAttributesByKeys(alice, ['mood']), { mood: 'busy' });
  await a.deleteLocalUserAttributesByKeys(['city']);
  assert.deepEqual(await b.getUserAttributes(alice), { mood: 'busy' });
  await a.clearLocalUserAttributes();
  assert.deepEqual(await b.getUserAttributes(alice), {});
  await rejectsWith(b.getUserAttributes(uid('ghost')), 6);

  const name = uid('attrs');
  const cb = b.createChannel(name);
  const ev = record(cb, ['AttributesUpdated']);
  await cb.join();
  await a.setChannelAttributes(name, { topic: 'release' }, { enableNotificationToChannelMembers: true });
  await waitFor(() => ev.AttributesUpdated.length === 1, 'AttributesUpdated');
  const got = ev.AttributesUpdated[0][0];
  assert.equal(got.topic.value, 'release');
  assert.equal(got.topic.lastUpdateUserId, alice);
  assert.ok(got.topic.lastUpdateTs > 1.7e12);
  await a.addOrUpdateChannelAttributes(name, { host: alice });
  const all = await b.getChannelAttributes(name);
  assert.deepEqual(Object.keys(all), ['host', 'topic']);
  assert.deepEqual(Object.keys(await b.getChannelAttributesByKeys(name, ['topic'])), ['topic']);
  await a.deleteChannelAttributesByKeys(name, ['host'], { enableNotificationToChannelMembers: true });
  await waitFor(() => ev.AttributesUpdated.length === 2, 'the second AttributesUpdated');
  assert.deepEqual(Object.keys(ev.AttributesUpdated[1][0]), ['topic']);
  await a.clearChannelAttributes(name, { enableNotificationToChannelMembers: true });
  await waitFor(() => ev.AttributesUpdated.length === 3, 'the cleared set');
  assert.deepEqual(ev.AttributesUpdated[2][0], {});
});

test('invitations: accepted, refused, canceled', async () => {
  const [a, alice] = await online('alice');
  const [b, bob] = await online('bob');
  const received = [];
  b.on('RemoteInvitationReceived', (ri) => received.push(ri));

  const inv = a.createLocalInvitation(bob);
  inv.content = 'video call?';
  inv.channelId = 'call-77';
  const la = record(inv, ['LocalInvitationReceivedByPeer', 'LocalInvitationAccepted']);
  inv.send();
  assert.throws(() => inv.send(), (e) => e.code === 5);
  await waitFor(() => received.length === 1 && la.LocalInvitationReceivedByPeer.length === 1, 'the invitation');
  const ri = received[0];
  assert.equal(ri.callerId, alice);
  assert.equal(ri.content, 'video call?');
  assert.equal(ri.channelId, 'call-77');
  assert.equal(ri.state, 'INVITATION_RECEIVED');
  const ra = record(ri, ['RemoteInvitationAccepted']);
  ri.response = 'joining';
  ri.accept();
  assert.throws(() => ri.accept(), (e) => e.code === 4);
  await waitFor(() => la.LocalInvitationAccepted.length === 1 && ra.RemoteInvitationAccepted.length === 1, 'accepted');
  assert.deepEqual(la.LocalInvitationAccepted[0], ['joining']);
  assert.equal(inv.state, 'ACCEPTED_BY_REMOTE');
  assert.equal(inv.response, 'joining');
  assert.equal(ri.state, 'ACCEPTED');

  const inv2 = a.createLocalInvitation(bob);
  const l2 = record(inv2, ['LocalInvitationRefused']);
  inv2.send();
  await waitFor(() => received.length === 2, 'the second invitation');
  const r2 = record(received[1], ['RemoteInvitationRefused']);
  received[1].response = 'busy';
  received[1].refuse();
  await waitFor(() => l2.LocalInvitationRefused.length === 1 && r2.RemoteInvitationRefused.length === 1, 'refused');
  assert.deepEqual(l2.LocalInvitationRefused[0], ['busy']);
  assert.throws(() => received[1].accept(), (e) => e.code === 3);

  const inv3 = a.createLocalInvitation(bob);
  const l3 = record(inv3, ['LocalInvitationCanceled', 'LocalInvitationReceivedByPeer']);
  inv3.send();
  await waitFor(() => received.length === 3 && l3.LocalInvitationReceivedByPeer.length === 1, 'the third invitation');
  const r3 = record(received[2], ['RemoteInvitationCanceled']);
  inv3.cancel();
  await waitFor(() => l3.LocalInvitationCanceled.length === 1 && r3.RemoteInvitationCanceled.length === 1, 'canceled');
  assert.equal(inv3.state, 'CANCELED');
  assert.equal(received[2].state, 'CANCELED');
  assert.throws(() => inv3.cancel(), (e) => e.code === 3);
});

test('a dropped connection is resumed: channels recovered without loss or duplicates', async () => {
  const proxy = await startProxy(rtmd.port);
  const [a, alice] = await online('alice', proxy.url);
  const [b, bob] = await online('bob');
  const name = uid('lobby');
  const ca = a.createChannel(name);
  const ea = record(ca, ['ChannelMessage', 'MemberLeft', 'MemberJoined']);
  const states = record(a, ['ConnectionStateChanged', 'MessageFromPeer']);
  await ca.join();
  const cb = b.createChannel(name);
  const eb = record(cb, ['MemberLeft', 'MemberJoined']);
  await cb.join();
  await a.setLocalUserAttributes({ mood: 'happy' });
  let n = 0;
  const send = async (k) => { for (let i = 0; i < k; i++) await cb.sendMessage({ text: String(n++) }); };
  await send(3);
  await waitFor(() => ea.ChannelMessage.length === 3, 'the first three messages');

  proxy.cut(true); // the network fails, and stays down for a while
  await waitFor(() => a.connectionState === 'RECONNECTING', 'RECONNECTING');
  await send(4); // missed by alice, kept by rtmd for recovery
  const pending = a.sendMessageToPeer({ text: 'queued while away' }, bob);
  const bobGot = record(b, ['MessageFromPeer']);
  proxy.restore();
  await waitFor(() => a.connectionState === 'CONNECTED', 'CONNECTED again', 15000);
  await send(3);
  assert.deepEqual(await pending, { hasPeerReceived: true });
  await waitFor(() => ea.ChannelMessage.length >= 10, 'ten messages');
  assert.deepEqual(ea.ChannelMessage.map(([m]) => m.text), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(states.ConnectionStateChanged.slice(-2), [['RECONNECTING', 'INTERRUPTED'], ['CONNECTED', 'LOGIN_SUCCESS']]);
  assert.equal(bobGot.MessageFromPeer[0][0].text, 'queued while away');
  assert.deepEqual(eb.MemberLeft, [], 'the others never saw alice leave');
  assert.deepEqual(await b.getUserAttributes(alice), { mood: 'happy' });
  // Still a working member after the resume.
  await ca.sendMessage({ text: 'back' });
  await proxy.close();
});

test('a login of the same user elsewhere aborts the session with REMOTE_LOGIN', async () => {
  const [a, alice] = await online('alice');
  const ev = record(a, ['ConnectionStateChanged']);
  const other = client();
  await other.login({ uid: alice });
  await waitFor(() => a.connectionState === 'ABORTED', 'ABORTED');
  assert.deepEqual(ev.ConnectionStateChanged.at(-1), ['ABORTED', 'REMOTE_LOGIN']);
  await rejectsWith(a.sendMessageToPeer({ text: 'x' }, 'bob'), 102);
  await rejectsWith(a.login({ uid: alice }), 8);
  await a.logout();
  assert.equal(a.connectionState, 'DISCONNECTED');
});
