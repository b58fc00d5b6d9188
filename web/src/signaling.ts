// The legacy Agora Signaling Web API (`Signal(appId)`) over the RTM engine, interoperating with RTM
// users as the C facade does (docs/migrating-from-signaling.md).
import { RtmClient, RtmChannel, LocalInvitation, RemoteInvitation, RtmError, END_CALL_PREFIX } from './rtmkit.js';

const END = END_CALL_PREFIX + '_';
const INVITE_MSG = 'RtmkitSignalingInviteMsg_';
type Cb = ((...a: any[]) => void) | undefined;
const fire = (f: Cb, ...a: any[]) => { try { f?.(...a); } catch (e) { setTimeout(() => { throw e; }); } };

/** Signaling's status values of `getStatus()`. */
export const STATUS = { NOT_LOGGED_IN: 0, LOGGING_IN: 1, LOGGED_IN: 2, RECONNECTING: 3 } as const;

/** `Signal(appId, { url })`: the Signaling entry point. */
export function Signal(appId: string, options: { url: string }) {
  return {
    getSDKVersion: () => 'rtmkit-signaling-web',
    setDoLog: (_on: boolean, _level?: number) => {},
    login: (account: string, token?: string) => new Session(appId, options.url, account, token ?? '_no_need_token'),
    login2: (account: string, token?: string) => new Session(appId, options.url, account, token ?? '_no_need_token'),
  };
}

/** A Signaling call: an RTM invitation whose channelId is the call's channel. */
export class Call {
  onInviteReceivedByPeer: Cb; onInviteAcceptedByPeer: Cb; onInviteRefusedByPeer: Cb; onInviteFailed: Cb;
  onInviteEndByPeer: Cb; onInviteEndByMyself: Cb; onInviteMsg: Cb;
  /** @internal */ _local?: LocalInvitation;
  /** @internal */ _remote?: RemoteInvitation;
  /** @internal */ _established = false;
  constructor(private _s: Session, readonly channelName: string, readonly peer: string, readonly extra: string) {}

  channelInviteAccept(extra = '') { if (this._remote) { this._remote.response = extra; this._remote.accept(); } }
  channelInviteRefuse(extra = '') { if (this._remote) { this._remote.response = extra; this._remote.refuse(); } }
  /** Ends the call at any stage: cancels a pending invitation, or sends the end-call message. */
  channelInviteEnd() {
    const l = this._local;
    if (l && (l.state === 'SENT_TO_REMOTE' || l.state === 'RECEIVED_BY_REMOTE')) return l.cancel();
    void this._s._client.sendMessageToPeer({ text: `${END}${this.channelName}_end` }, this.peer).catch(() => {});
    this._s._calls.delete(this._s._key(this.channelName, this.peer));
    fire(this.onInviteEndByMyself, '');
  }
  /** DTMF travels as a prefixed peer message. */
  channelInviteDTMF(dtmf: string) {
    const body = JSON.stringify({ channel: this.channelName, type: 'dtmf', data: dtmf, extra: '' });
    void this._s._client.sendMessageToPeer({ text: INVITE_MSG + body }, this.peer).catch(() => {});
  }
}

/** A Signaling channel (one at a time per session). */
export class SignalChannel {
  onChannelJoined: Cb; onChannelJoinFailed: Cb; onChannelLeaved: Cb; onChannelUserJoined: Cb; onChannelUserLeaved: Cb;
  onChannelUserList: Cb; onChannelAttrUpdated: Cb; onMessageChannelReceive: Cb;
  private _attrs: Record<string, string> = {};
  constructor(private _s: Session, readonly name: string, private _ch: RtmChannel) {
    _ch.on('ChannelMessage', (m, from) => { if ('text' in m) fire(this.onMessageChannelReceive, from, 0, m.text); });
    _ch.on('MemberJoined', (u) => fire(this.onChannelUserJoined, u, 0));
    _ch.on('MemberLeft', (u) => fire(this.onChannelUserLeaved, u, 0));
    _ch.on('AttributesUpdated', (a) => this._attrsChanged(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.value]))));
    _ch.join().then(async () => {
      fire(this.onChannelJoined);
      const members = await _ch.getMembers().catch(() => [] as string[]);
      fire(this.onChannelUserList, members.slice(0, 200).map((u) => [u, 0]));
      const a = await _s._client.getChannelAttributes(name).catch(() => ({}));
      this._attrsChanged(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v.value])));
    }, (e: RtmError) => fire(this.onChannelJoinFailed, e.code));
  }
  // Whole-set updates become per-key events, as in the C facade.
  private _attrsChanged(now: Record<string, string>) {
    const keys = Object.keys(now);
    for (const k of Object.keys(this._attrs)) if (!(k in now)) fire(this.onChannelAttrUpdated, k, '', 'del');
    for (const k of keys) if (this._attrs[k] !== now[k]) fire(this.onChannelAttrUpdated, k, now[k], 'update');
    this._attrs = now;
  }
  messageChannelSend(msg: string, cb?: Cb) {
    // Signaling's sender sees its own channel message too.
    this._ch.sendMessage({ text: msg }).then(() => { fire(this.onMessageChannelReceive, this._s.account, 0, msg); fire(cb, true); },
      () => fire(cb, false));
  }
  channelLeave(cb?: Cb) {
    this._ch.leave().then(() => { fire(this.onChannelLeaved, 0); fire(cb, true); }, () => fire(cb, false));
    if (this._s._channel === this) this._s._channel = undefined;
  }
  channelSetAttr(k: string, v: string, cb?: Cb) { this._attr(this._s._client.addOrUpdateChannelAttributes(this.name, { [k]: v }, N), cb); }
  channelDelAttr(k: string, cb?: Cb) { this._attr(this._s._client.deleteChannelAttributesByKeys(this.name, [k], N), cb); }
  channelClearAttr(cb?: Cb) { this._attr(this._s._client.clearChannelAttributes(this.name, N), cb); }
  private _attr(p: Promise<void>, cb: Cb) { p.then(() => fire(cb, true), () => fire(cb, false)); }
}
const N = { enableNotificationToChannelMembers: true };

/** A Signaling session: one login of `account`. */
export class Session {
  onLoginSuccess: Cb; onLoginFailed: Cb; onLogout: Cb; onMessageInstantReceive: Cb; onInviteReceived: Cb; onError: Cb;
  onReconnecting: Cb; onReconnected: Cb;
  /** @internal */ _client: RtmClient;
  /** @internal */ _calls = new Map<string, Call>();
  /** @internal */ _channel?: SignalChannel;
  private _status: number = STATUS.LOGGING_IN;

  constructor(appId: string, url: string, readonly account: string, token: string) {
    const c = (this._client = new RtmClient(appId, { url, legacy: true }));
    c.on('ConnectionStateChanged', (s) => {
      if (s === 'RECONNECTING' && this._status === STATUS.LOGGED_IN) { this._status = STATUS.RECONNECTING; fire(this.onReconnecting, 1); }
      if (s === 'CONNECTED' && this._status === STATUS.RECONNECTING) { this._status = STATUS.LOGGED_IN; fire(this.onReconnected, 0); }
      if (s === 'ABORTED') { this._status = STATUS.NOT_LOGGED_IN; fire(this.onLogout, 102); }
    });
    c.on('MessageFromPeer', (m, peer) => this._onPeer(m, peer));
    c.on('RemoteInvitationReceived', (ri) => {
      const call = new Call(this, ri.channelId, ri.callerId, ri.content);
      call._remote = ri;
      this._calls.set(this._key(ri.channelId, ri.callerId), call);
      ri.on('RemoteInvitationCanceled', () => { this._calls.delete(this._key(ri.channelId, ri.callerId)); fire(call.onInviteEndByPeer, ''); });
      ri.on('RemoteInvitationAccepted', () => { call._established = true; });
      fire(this.onInviteReceived, call);
    });
    // Signaling tokens are `1:app:expiredTs:md5`; rtmd also takes RTM tokens and `_no_need_token`.
    queueMicrotask(() => c.login({ uid: account, token }).then(
      () => { this._status = STATUS.LOGGED_IN; fire(this.onLoginSuccess, 0); },
      (e: RtmError) => { this._status = STATUS.NOT_LOGGED_IN; fire(this.onLoginFailed, e.code); }));
  }

  /** @internal */ _key(ch: string, peer: string) { return ch + '\n' + peer; }

  private _onPeer(m: any, peer: string) {
    if (!('text' in m)) return; // Signaling carried text only
    const text: string = m.text;
    if (text.startsWith(END)) {
      // <prefix>_<channel>_<info>; info has no '_', the channel may.
      const rest = text.slice(END.length);
      const cut = rest.lastIndexOf('_');
      const ch = cut < 0 ? rest : rest.slice(0, cut);
      const call = this._calls.get(this._key(ch, peer));
      this._calls.delete(this._key(ch, peer));
      fire(call?.onInviteEndByPeer, cut < 0 ? '' : rest.slice(cut + 1));
      return;
    }
    if (text.startsWith(INVITE_MSG)) {
      try {
        const d = JSON.parse(text.slice(INVITE_MSG.length));
        fire(this._calls.get(this._key(d.channel ?? '', peer))?.onInviteMsg, d.data ?? '', d.type ?? '');
      } catch { /* not ours */ }
      return;
    }
    fire(this.onMessageInstantReceive, peer, 0, text);
  }

  getStatus() { return this._status; }
  logout() {
    if (this._status === STATUS.NOT_LOGGED_IN) return;
    this._status = STATUS.NOT_LOGGED_IN;
    void this._client.logout().finally(() => fire(this.onLogout, 101));
  }
  /** Sends with offline messaging on: success once rtmd has the message (delivered or stored). */
  messageInstantSend(peer: string, msg: string, cb?: Cb) {
    this._client.sendMessageToPeer({ text: msg }, peer, { enableOfflineMessaging: true })
      .then(() => fire(cb, true), () => fire(cb, false));
  }
  channelJoin(name: string): SignalChannel {
    this._channel?.channelLeave();
    const ch = new SignalChannel(this, name, this._client.createChannel(name));
    this._channel = ch;
    return ch;
  }
  /** Invites `peer` to `channelID`; `extra` is a JSON object: `_require_peer_online`, `_timeout` (s), the rest is content. */
  channelInviteUser2(channelID: string, peer: string, extra = ''): Call {
    const call = new Call(this, channelID, peer, extra);
    const inv = (call._local = this._client.createLocalInvitation(peer));
    inv.channelId = channelID;
    let content = extra;
    try {
      const o = extra ? JSON.parse(extra) : {};
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        if (o._require_peer_online) inv._extra.online = true;
        if (o._timeout > 0) inv._extra.ttl = Math.min(30, o._timeout) * 1000;
        const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_')));
        content = Object.keys(rest).length ? JSON.stringify(rest) : '';
      }
    } catch { /* plain text content */ }
    inv.content = content;
    this._calls.set(this._key(channelID, peer), call);
    inv.on('LocalInvitationReceivedByPeer', () => fire(call.onInviteReceivedByPeer, ''));
    inv.on('LocalInvitationAccepted', (r) => { call._established = true; fire(call.onInviteAcceptedByPeer, r); });
    inv.on('LocalInvitationRefused', (r) => { this._calls.delete(this._key(channelID, peer)); fire(call.onInviteRefusedByPeer, r); });
    inv.on('LocalInvitationCanceled', () => { this._calls.delete(this._key(channelID, peer)); fire(call.onInviteEndByMyself, ''); });
    inv.on('LocalInvitationFailure', (reason) => {
      this._calls.delete(this._key(channelID, peer));
      fire(call.onInviteFailed, reason === 'PEER_OFFLINE' ? 703 : reason === 'INVITATION_EXPIRE' ? 704 : 701);
    });
    inv.send();
    return call;
  }
  /** `invoke(func, args, cb(err, resp))` for the user-status query. */
  invoke(func: string, args: { account?: string }, cb?: Cb) {
    if (func === 'io.agora.signal.user_query_user_status' && args?.account) {
      this._client.queryPeersOnlineStatus([args.account]).then(
        (r) => fire(cb, null, { status: r[args.account!] ? 1 : 0 }), (e: RtmError) => fire(cb, e.code, null));
    } else {
      fire(cb, 'unsupported', null);
    }
  }
}

export default Signal;
