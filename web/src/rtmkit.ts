// rtmkit Web SDK: an rtm.v1 client (docs/protocol.md) with the Agora RTM 1.x Web API.
// One engine per RtmClient; its behaviour follows core/client (protocol.md §18).

export const VERSION = '0.3.0';
const SDK = 'rtmkit-web/' + VERSION;

// ---- enums (Agora Web uses string enums; numbers stay in error codes) ---------------------------

export const ConnectionState = {
  DISCONNECTED: 'DISCONNECTED', CONNECTING: 'CONNECTING', CONNECTED: 'CONNECTED',
  RECONNECTING: 'RECONNECTING', ABORTED: 'ABORTED',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

export const ConnectionChangeReason = {
  LOGIN: 'LOGIN', LOGIN_SUCCESS: 'LOGIN_SUCCESS', LOGIN_FAILURE: 'LOGIN_FAILURE',
  LOGIN_TIMEOUT: 'LOGIN_TIMEOUT', INTERRUPTED: 'INTERRUPTED', LOGOUT: 'LOGOUT',
  BANNED_BY_SERVER: 'BANNED_BY_SERVER', REMOTE_LOGIN: 'REMOTE_LOGIN', TOKEN_EXPIRED: 'TOKEN_EXPIRED',
} as const;
export type ConnectionChangeReason = (typeof ConnectionChangeReason)[keyof typeof ConnectionChangeReason];

export const PeerOnlineState = { ONLINE: 'ONLINE', UNREACHABLE: 'UNREACHABLE', OFFLINE: 'OFFLINE' } as const;
export type PeerOnlineState = (typeof PeerOnlineState)[keyof typeof PeerOnlineState];
export const PeerSubscriptionOption = { ONLINE_STATUS: 'ONLINE_STATUS' } as const;
export type PeerSubscriptionOption = (typeof PeerSubscriptionOption)[keyof typeof PeerSubscriptionOption];
export const MessageType = { TEXT: 'TEXT', RAW: 'RAW' } as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const LocalInvitationState = {
  IDLE: 'IDLE', SENT_TO_REMOTE: 'SENT_TO_REMOTE', RECEIVED_BY_REMOTE: 'RECEIVED_BY_REMOTE',
  ACCEPTED_BY_REMOTE: 'ACCEPTED_BY_REMOTE', REFUSED_BY_REMOTE: 'REFUSED_BY_REMOTE', CANCELED: 'CANCELED',
  FAILURE: 'FAILURE',
} as const;
export type LocalInvitationState = (typeof LocalInvitationState)[keyof typeof LocalInvitationState];
export const RemoteInvitationState = {
  INVITATION_RECEIVED: 'INVITATION_RECEIVED', ACCEPT_SENT_TO_LOCAL: 'ACCEPT_SENT_TO_LOCAL', REFUSED: 'REFUSED',
  ACCEPTED: 'ACCEPTED', CANCELED: 'CANCELED', FAILURE: 'FAILURE',
} as const;
export type RemoteInvitationState = (typeof RemoteInvitationState)[keyof typeof RemoteInvitationState];
export const LocalInvitationFailureReason = {
  UNKNOWN: 'UNKNOWN', PEER_OFFLINE: 'PEER_OFFLINE', PEER_NO_RESPONSE: 'PEER_NO_RESPONSE',
  INVITATION_EXPIRE: 'INVITATION_EXPIRE', NOT_LOGGEDIN: 'NOT_LOGGEDIN',
} as const;
export type LocalInvitationFailureReason = (typeof LocalInvitationFailureReason)[keyof typeof LocalInvitationFailureReason];
export const RemoteInvitationFailureReason = {
  UNKNOWN: 'UNKNOWN', PEER_OFFLINE: 'PEER_OFFLINE', ACCEPT_FAILURE: 'ACCEPT_FAILURE', INVITATION_EXPIRE: 'INVITATION_EXPIRE',
} as const;
export type RemoteInvitationFailureReason = (typeof RemoteInvitationFailureReason)[keyof typeof RemoteInvitationFailureReason];

const REASONS = ['UNKNOWN', 'LOGIN', 'LOGIN_SUCCESS', 'LOGIN_FAILURE', 'LOGIN_TIMEOUT', 'INTERRUPTED', 'LOGOUT',
  'BANNED_BY_SERVER', 'REMOTE_LOGIN', 'TOKEN_EXPIRED'] as const;
const PRESENCE: PeerOnlineState[] = ['ONLINE', 'UNREACHABLE', 'OFFLINE'];
const LFAIL: LocalInvitationFailureReason[] = ['UNKNOWN', 'PEER_OFFLINE', 'PEER_NO_RESPONSE', 'INVITATION_EXPIRE', 'NOT_LOGGEDIN'];
const RFAIL: RemoteInvitationFailureReason[] = ['UNKNOWN', 'PEER_OFFLINE', 'ACCEPT_FAILURE', 'INVITATION_EXPIRE'];

/** The Agora Web `END_CALL_PREFIX`: a peer message starting with it ends a Signaling call. */
export const END_CALL_PREFIX = 'AgoraRTMLegacyEndcallCompatibleMessagePrefix';

// ---- errors ----------------------------------------------------------------------------------

/** Every rejection carries RTM's numeric result code (docs/protocol.md §13) in `code`. */
export class RtmError extends Error {
  readonly code: number;
  readonly operation: string;
  constructor(operation: string, code: number, detail?: string) {
    super(`${operation} failed with code ${code}${detail ? ': ' + detail : ''}`);
    this.name = 'RtmError';
    this.code = code;
    this.operation = operation;
  }
}

// Codes per operation: [not logged in, timeout, abandoned].
type Codes = readonly [number, number, number];
const C_PEER: Codes = [102, 2, 1], C_RENEW: Codes = [102, 1, 1], C_JOIN: Codes = [102, 4, 1],
  C_LEAVE: Codes = [102, 1, 1], C_CMSG: Codes = [102, 2, 1], C_MEMBERS: Codes = [102, 3, 1],
  C_COUNT: Codes = [102, 4, 1], C_QUERY: Codes = [102, 4, 1], C_SUB: Codes = [102, 4, 1],
  C_SUBS: Codes = [102, 2, 1], C_ATTR: Codes = [102, 7, 2], C_INV: Codes = [3, 0, 0];

// ---- validation (the rules of core/protocol and the C API) ------------------------------------

const ID_CHARS = /^[a-zA-Z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;
/** A user or channel id: 1–64 bytes from Agora's set, not "null". */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && id !== 'null' && ID_CHARS.test(id);
}
const APP_ID = /^[!-~]{1,64}$/;
const KEY = /^[!-~]{1,32}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const enc = new TextEncoder();

function wellFormed(s: string): boolean {
  const f = (s as { isWellFormed?: () => boolean }).isWellFormed;
  return f ? f.call(s) : !LONE_SURROGATE.test(s);
}
function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
const isStr = (s: unknown): s is string => typeof s === 'string';
const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const isStrArr = (a: unknown): a is string[] => Array.isArray(a) && a.every(isStr);

// ---- a small event emitter -----------------------------------------------------------------------

type Listener = (...args: any[]) => void;

/** Node-style event emitter: `on`, `once`, `off`, `removeAllListeners`, `emit`. */
export class EventEmitter<E extends Record<string, Listener> = Record<string, Listener>> {
  private _l = new Map<string, Listener[]>();
  on<K extends keyof E & string>(event: K, fn: E[K]): this {
    const a = this._l.get(event) ?? [];
    a.push(fn);
    this._l.set(event, a);
    return this;
  }
  once<K extends keyof E & string>(event: K, fn: E[K]): this {
    const w = ((...args: any[]) => { this.off(event, w as E[K]); fn(...args); }) as unknown as E[K];
    (w as any)._o = fn;
    return this.on(event, w);
  }
  off<K extends keyof E & string>(event: K, fn: E[K]): this {
    const a = this._l.get(event);
    if (a) {
      const i = a.findIndex((x) => x === fn || (x as any)._o === fn);
      if (i >= 0) a.splice(i, 1);
    }
    return this;
  }
  removeAllListeners(event?: keyof E & string): this {
    if (event) this._l.delete(event);
    else this._l.clear();
    return this;
  }
  listenerCount(event: keyof E & string): number {
    return this._l.get(event)?.length ?? 0;
  }
  /** @internal */
  emit<K extends keyof E & string>(event: K, ...args: Parameters<E[K]>): boolean {
    const a = this._l.get(event);
    if (!a || !a.length) return false;
    for (const fn of a.slice()) {
      try {
        fn(...args);
      } catch (e) {
        // An application error must not break the engine; surface it on its own.
        setTimeout(() => { throw e; });
      }
    }
    return true;
  }
}

// ---- messages ----------------------------------------------------------------------------------

export interface RtmTextMessage { text: string; messageType?: 'TEXT' }
export interface RtmRawMessage { rawMessage: Uint8Array; description?: string; messageType?: 'RAW' }
export type RtmMessage = RtmTextMessage | RtmRawMessage;
export interface SendMessageOptions { enableOfflineMessaging?: boolean; enableHistoricalMessaging?: boolean }
export interface PeerMessageSendResult { hasPeerReceived: boolean }
export interface ReceivedMessageProperties { serverReceivedTs: number; isOfflineMessage: boolean }
export interface AttributesMap { [key: string]: string }
export interface ChannelAttributeProperties { value: string; lastUpdateUserId: string; lastUpdateTs: number }
export interface ChannelAttributes { [key: string]: ChannelAttributeProperties }
export interface ChannelAttributeOptions { enableNotificationToChannelMembers?: boolean }

// ---- wire codec (protocol.md §3) -------------------------------------------------------------------

/** @internal A decoded server frame. `mid` stays a decimal string: it is 64-bit. */
export interface Frame { op: string; [k: string]: any; payload?: Uint8Array }

const MID_OUT = /"mid":"(-?\d+)"/g;
const MID_IN = /"mid":(-?\d+)/g;

/** @internal Encodes a client frame; a RAW message goes as a binary frame. */
export function encodeFrame(f: Frame): string | Uint8Array {
  const { payload, ...rest } = f;
  const json = JSON.stringify(rest).replace(MID_OUT, '"mid":$1');
  if (!payload) return json;
  const h = enc.encode(json);
  const out = new Uint8Array(4 + h.length + payload.length);
  new DataView(out.buffer).setUint32(0, h.length);
  out.set(h, 4);
  out.set(payload, 4 + h.length);
  return out;
}

const dec = new TextDecoder('utf-8', { fatal: true });
const OPT_STR = (v: unknown) => v === undefined || isStr(v);
const OPT_INT = (v: unknown) => v === undefined || isInt(v);
const MID = (v: unknown) => isStr(v) && /^-?\d+$/.test(v);
const ATTRS = (v: unknown) => v === undefined || (Array.isArray(v) && v.every(
  (a) => a && typeof a === 'object' && isStr(a.k) && OPT_STR(a.v) && OPT_STR(a.u) && OPT_INT(a.t)));
const SHAPES: Record<string, (f: Frame) => boolean> = {
  res: (f) => isInt(f.id) && f.id > 0 && isInt(f.code) && OPT_INT(f.seq) && (f.uids === undefined || isStrArr(f.uids)) &&
    (f.nums === undefined || (Array.isArray(f.nums) && f.nums.every(isInt))) && ATTRS(f.attrs),
  msg: (f) => isStr(f.from) && (f.type === 1 || f.type === 2) && OPT_STR(f.text) && MID(f.mid) && OPT_INT(f.ts),
  cmsg: (f) => isStr(f.ch) && isStr(f.from) && (f.type === 1 || f.type === 2) && OPT_STR(f.text) && MID(f.mid) &&
    isInt(f.seq) && OPT_INT(f.ts),
  member: (f) => isStr(f.ch) && isStr(f.uid),
  mcount: (f) => isStr(f.ch) && isInt(f.count),
  presence: (f) => isStrArr(f.uids) && Array.isArray(f.nums) && f.nums.length === f.uids.length &&
    f.nums.every((n: unknown) => n === 0 || n === 1 || n === 2),
  cattrs: (f) => isStr(f.ch) && ATTRS(f.attrs),
  inv: (f) => isInt(f.code) && isStr(f.from) && MID(f.mid) && OPT_STR(f.content) && OPT_STR(f.ch) &&
    OPT_STR(f.response) && OPT_INT(f.reason),
  kick: (f) => isInt(f.reason),
  token_will_expire: () => true,
  error: (f) => isInt(f.code) && OPT_INT(f.id),
};

/** @internal Decodes a server frame; null when it breaks the protocol. Unknown ops pass (§20). */
export function decodeFrame(data: string | ArrayBuffer | Uint8Array): Frame | null {
  let text: string;
  let payload: Uint8Array | undefined;
  try {
    if (typeof data === 'string') {
      text = data;
    } else {
      const b = data instanceof Uint8Array ? data : new Uint8Array(data);
      if (b.length < 4) return null;
      const n = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
      if (n > b.length - 4) return null;
      text = dec.decode(b.subarray(4, 4 + n));
      payload = b.slice(4 + n);
    }
    const f = JSON.parse(text.replace(MID_IN, '"mid":"$1"'));
    if (!f || typeof f !== 'object' || Array.isArray(f) || !isStr(f.op)) return null;
    const shape = SHAPES[f.op];
    if (shape && !shape(f)) return null;
    // rtmd sends RAW messages, and only those, as binary frames (§3.2).
    if ((f.op === 'msg' || f.op === 'cmsg') && (f.type === 2) !== (payload !== undefined)) return null;
    if (payload && f.op !== 'msg' && f.op !== 'cmsg') payload = undefined;
    if (payload) f.payload = payload;
    return f;
  } catch {
    return null;
  }
}

// ---- transport ------------------------------------------------------------------------------------

/** @internal The part of the WebSocket API the engine uses (browsers' and the `ws` package's). */
export interface Socket {
  binaryType: string;
  readonly protocol: string;
  readonly readyState: number;
  onopen: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  ping?: () => void;
  on?: (ev: string, fn: () => void) => void;
}
type SocketCtor = new (url: string, protocols: string | string[], opts?: unknown) => Socket;

let wsCtor: Promise<SocketCtor> | undefined;
function socketCtor(): Promise<SocketCtor> {
  const g = (globalThis as any).WebSocket;
  if (g) return Promise.resolve(g);
  // Node.js without a global WebSocket: the optional peer dependency `ws`.
  const name = 'ws';
  return (wsCtor ??= import(/* @vite-ignore */ name).then((m: any) => m.WebSocket ?? m.default));
}

// ---- public types ---------------------------------------------------------------------------------

export interface RtmConfig {
  /** The rtmd WebSocket URL, such as `ws://127.0.0.1:9600/` (required). */
  url?: string;
  /** Time for the first login, ms (default 6000). */
  loginTimeout?: number;
  /** Deadline of every request from the call, ms (default 10000). */
  requestTimeout?: number;
  /** Reconnect backoff bounds, ms (default 250 and 8000). */
  reconnectMin?: number;
  reconnectMax?: number;
  /** Dead-server detection: probe after `heartbeat` ms of silence, give up after twice that (default 3000). */
  heartbeat?: number;
  /** (sender, message id) pairs remembered to drop duplicates (default 4096). */
  dedupWindow?: number;
  /** @internal A Signaling-API login (`legacy: true`). */
  legacy?: boolean;
  /** Agora options without meaning here; accepted and ignored. */
  enableLogUpload?: boolean;
  logFilter?: unknown;
  enableCloudProxy?: boolean;
}

export interface RtmClientEvents {
  [k: string]: Listener;
  ConnectionStateChanged: (newState: ConnectionState, reason: ConnectionChangeReason) => void;
  MessageFromPeer: (message: RtmMessage, peerId: string, messageProps: ReceivedMessageProperties) => void;
  PeersOnlineStatusChanged: (status: { [peerId: string]: PeerOnlineState }) => void;
  RemoteInvitationReceived: (remoteInvitation: RemoteInvitation) => void;
  TokenExpired: () => void;
  TokenPrivilegeWillExpire: () => void;
}

export interface RtmChannelEvents {
  [k: string]: Listener;
  ChannelMessage: (message: RtmMessage, memberId: string, messageProps: ReceivedMessageProperties) => void;
  MemberJoined: (memberId: string) => void;
  MemberLeft: (memberId: string) => void;
  MemberCountUpdated: (memberCount: number) => void;
  AttributesUpdated: (attributes: ChannelAttributes) => void;
}

interface Req {
  id: number;
  frame: Frame;
  data: string | Uint8Array;
  deadline: number;
  codes: Codes;
  done: (code: number, res: Frame | null) => void;
  sent: boolean;
  internal: boolean;
}

const MAX_QUEUED = 8 * 1024 * 1024;
const MAX_MESSAGE = 32768;
const MAX_INV_TEXT = 8192;

function toMessage(f: Frame): RtmMessage {
  return f.type === 2
    ? { messageType: 'RAW', rawMessage: f.payload ?? new Uint8Array(0), description: f.text ?? '' }
    : { messageType: 'TEXT', text: f.text ?? '' };
}

function channelAttrs(a: any[] | undefined): ChannelAttributes {
  const out: ChannelAttributes = {};
  for (const x of a ?? []) out[x.k] = { value: x.v ?? '', lastUpdateUserId: x.u ?? '', lastUpdateTs: x.t ?? 0 };
  return out;
}

// ---- the client -------------------------------------------------------------------------------------

/** An RTM client: one login, one WebSocket connection to rtmd at a time. */
export class RtmClient extends EventEmitter<RtmClientEvents> {
  /** The app id given to `createInstance`. */
  readonly appId: string;
  private _cfg: Required<Omit<RtmConfig, 'url' | 'logFilter' | 'enableLogUpload' | 'enableCloudProxy'>> & { url: string };
  private _state: ConnectionState = 'DISCONNECTED';
  private _uid = '';
  private _token = '';
  private _sid: string;
  private _ws: Socket | null = null;
  private _gen = 0;
  private _open = false; // logged in on the current connection
  private _everLoggedIn = false;
  private _loginId = 0;
  private _loginDeadline = 0;
  private _loginWait: { resolve: () => void; reject: (e: RtmError) => void } | null = null;
  private _attempts = 0;
  private _retry: ReturnType<typeof setTimeout> | undefined;
  private _tick: ReturnType<typeof setInterval> | undefined;
  private _kick = 0;
  private _tokenWait = false;
  private _nextId = 1;
  private _reqs = new Map<number, Req>();
  private _queued = 0;
  private _received = 0;
  private _lastRx = 0;
  private _probeAt = 0;
  private _seen = new Set<string>();
  private _seenOrder: string[] = [];
  private _midPrefix: bigint;
  private _midCounter = 0;
  /** @internal */ _channels = new Map<string, RtmChannel>();
  private _attrs = new Map<string, string>();
  private _subs = new Set<string>();
  private _local = new Map<string, LocalInvitation>();
  private _remote = new Map<string, RemoteInvitation>();

  /** @internal Use `createInstance`. */
  constructor(appId: string, config: RtmConfig = {}) {
    super();
    this.appId = appId;
    this._cfg = {
      url: config.url ?? '',
      loginTimeout: config.loginTimeout ?? 6000,
      requestTimeout: config.requestTimeout ?? 10000,
      reconnectMin: config.reconnectMin ?? 250,
      reconnectMax: config.reconnectMax ?? 8000,
      heartbeat: config.heartbeat ?? 3000,
      dedupWindow: config.dedupWindow ?? 4096,
      legacy: config.legacy ?? false,
    };
    const r = new Uint32Array(5);
    crypto.getRandomValues(r);
    this._midPrefix = BigInt(r[0] & 0x7fffffff) << 32n;
    this._sid = Array.from(r.subarray(1), (x) => x.toString(16).padStart(8, '0')).join('');
  }

  /** The current connection state. */
  get connectionState(): ConnectionState { return this._state; }
  /** The logged-in (or logging-in) user id. */
  get uid(): string { return this._uid; }

  /** @internal A fresh message or invitation id (protocol.md §18). */
  _mid(): string {
    this._midCounter = (this._midCounter + 1) >>> 0;
    return (this._midPrefix | BigInt(this._midCounter)).toString();
  }

  // ---- session ----------------------------------------------------------------------------------

  /** Logs in; resolves once the server accepted the login. */
  login(options: { uid: string; token?: string }): Promise<void> {
    const uid = options?.uid;
    const token = options?.token ?? '';
    if (this._state !== 'DISCONNECTED') return reject('login', 8);
    if (!isValidUrl(this._cfg.url) || !APP_ID.test(this.appId)) return reject('login', 4);
    if (!isValidId(uid)) return reject('login', 3);
    if (!isStr(token) || token.length > 2048) return reject('login', 5);
    this._uid = uid;
    this._token = token;
    this._kick = 0;
    this._attempts = 0;
    this._everLoggedIn = false;
    this._tokenWait = false;
    this._loginDeadline = Date.now() + this._cfg.loginTimeout;
    const p = new Promise<void>((resolve, rej) => { this._loginWait = { resolve, reject: rej }; });
    this._setState('CONNECTING', 'LOGIN');
    this._startTick();
    void this._connect();
    return p;
  }

  /** Logs out and ends the session; pending requests fail. */
  logout(): Promise<void> {
    if (this._state === 'DISCONNECTED') return reject('logout', 102);
    const ws = this._ws;
    if (ws && this._open) {
      this._sendRaw(encodeFrame({ op: 'logout', id: this._nextId++ }));
      try { ws.close(1000); } catch { /* already closing */ }
    }
    this._dropSocket();
    this._open = false;
    this._tokenWait = false;
    clearTimeout(this._retry);
    this._stopTick();
    this._forgetSession();
    this._failAll();
    const w = this._loginWait;
    this._loginWait = null;
    this._setState('DISCONNECTED', 'LOGOUT');
    w?.reject(new RtmError('login', 1, 'logged out'));
    return Promise.resolve();
  }

  /** Presents a fresh token (§4.3). While waiting after TokenExpired, starts the next attempt. */
  renewToken(token: string): Promise<void> {
    if (!isStr(token) || !token.length || token.length > 2048) return reject('renewToken', 2);
    if (this._state === 'RECONNECTING' && this._tokenWait) {
      this._token = token;
      this._tokenWait = false;
      void this._connect();
      return Promise.resolve();
    }
    return this._call('renewToken', { op: 'renew', token }, C_RENEW, [0], () => { this._token = token; }).then(() => undefined);
  }

  // ---- peer messages -----------------------------------------------------------------------------

  /** Sends a peer message; resolves when the peer's SDK has it, or it was stored or refused as offline. */
  sendMessageToPeer(message: RtmMessage, peerId: string, options?: SendMessageOptions): Promise<PeerMessageSendResult> {
    if (!isValidId(peerId)) return reject('sendMessageToPeer', 6);
    const f = messageFrame(message);
    if (!f) return reject('sendMessageToPeer', 7);
    Object.assign(f, { op: 'peer', to: peerId, mid: this._mid() });
    if (options?.enableOfflineMessaging) f.offline = true;
    return this._call('sendMessageToPeer', f, C_PEER, [0, 3, 4]).then((r) => ({ hasPeerReceived: r.code === 0 }));
  }

  // ---- presence -----------------------------------------------------------------------------------

  queryPeersOnlineStatus(peerIds: string[]): Promise<{ [peerId: string]: boolean }> {
    if (!Array.isArray(peerIds) || !peerIds.length || peerIds.length > 256 || !peerIds.every(isValidId))
      return reject('queryPeersOnlineStatus', 2);
    return this._call('queryPeersOnlineStatus', { op: 'query', uids: peerIds }, C_QUERY).then((r) => {
      const out: { [k: string]: boolean } = {};
      (r.uids ?? []).forEach((u: string, i: number) => { out[u] = r.nums[i] === 0; });
      return out;
    });
  }

  subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this._subscribe('subscribePeersOnlineStatus', 'sub', peerIds);
  }

  unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this._subscribe('unsubscribePeersOnlineStatus', 'unsub', peerIds);
  }

  private _subscribe(name: string, op: string, ids: string[]): Promise<void> {
    if (!Array.isArray(ids) || !ids.length || ids.length > 512 || !ids.every(isValidId)) return reject(name, 2);
    const list = ids.slice();
    return this._call(name, { op, uids: list }, C_SUB, [0], () => {
      for (const u of list) op === 'sub' ? this._subs.add(u) : this._subs.delete(u);
    }).then(() => undefined);
  }

  queryPeersBySubscriptionOption(option: PeerSubscriptionOption): Promise<string[]> {
    if (option !== 'ONLINE_STATUS') return reject('queryPeersBySubscriptionOption', 1);
    return this._call('queryPeersBySubscriptionOption', { op: 'subs' }, C_SUBS).then((r) => r.uids ?? []);
  }

  // ---- user attributes ----------------------------------------------------------------------------

  setLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    return this._uattr('setLocalUserAttributes', 'uattr_set', attributes, (a) => {
      this._attrs.clear();
      for (const [k, v] of a) this._attrs.set(k, v);
    });
  }

  addOrUpdateLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    return this._uattr('addOrUpdateLocalUserAttributes', 'uattr_add', attributes, (a) => {
      for (const [k, v] of a) this._attrs.set(k, v);
    });
  }

  deleteLocalUserAttributesByKeys(attributeKeys: string[]): Promise<void> {
    const name = 'deleteLocalUserAttributesByKeys';
    const bad = checkKeys(attributeKeys);
    if (bad) return reject(name, bad);
    const keys = attributeKeys.slice();
    return this._call(name, { op: 'uattr_del', keys }, C_ATTR, [0], () => { for (const k of keys) this._attrs.delete(k); }).then(() => undefined);
  }

  clearLocalUserAttributes(): Promise<void> {
    return this._call('clearLocalUserAttributes', { op: 'uattr_clear' }, C_ATTR, [0], () => this._attrs.clear()).then(() => undefined);
  }

  getUserAttributes(userId: string): Promise<AttributesMap> {
    return this.getUserAttributesByKeys(userId, []);
  }

  getUserAttributesByKeys(userId: string, attributeKeys: string[]): Promise<AttributesMap> {
    const name = attributeKeys.length ? 'getUserAttributesByKeys' : 'getUserAttributes';
    if (!isValidId(userId)) return reject(name, 3);
    const bad = checkKeys(attributeKeys);
    if (bad) return reject(name, bad);
    const f: Frame = { op: 'uattr_get', uid: userId };
    if (attributeKeys.length) f.keys = attributeKeys.slice();
    return this._call(name, f, C_ATTR).then((r) => {
      const out: AttributesMap = {};
      for (const a of r.attrs ?? []) out[a.k] = a.v ?? '';
      return out;
    });
  }

  private _uattr(name: string, op: string, attributes: AttributesMap, apply: (a: [string, string][]) => void): Promise<void> {
    const a = attrEntries(attributes);
    if (typeof a === 'number') return reject(name, a);
    const bad = checkAttrs(a, 16384);
    if (bad) return reject(name, bad);
    return this._call(name, { op, attrs: a.map(([k, v]) => ({ k, v })) }, C_ATTR, [0], () => apply(a)).then(() => undefined);
  }

  // ---- channel attributes -------------------------------------------------------------------------

  setChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
    return this._cattr('setChannelAttributes', 'cattr_set', channelId, attributes, options);
  }

  addOrUpdateChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
    return this._cattr('addOrUpdateChannelAttributes', 'cattr_add', channelId, attributes, options);
  }

  deleteChannelAttributesByKeys(channelId: string, attributeKeys: string[], options?: ChannelAttributeOptions): Promise<void> {
    const name = 'deleteChannelAttributesByKeys';
    if (!isValidId(channelId)) return reject(name, 3);
    const bad = checkKeys(attributeKeys);
    if (bad) return reject(name, bad);
    const f: Frame = { op: 'cattr_del', ch: channelId, keys: attributeKeys.slice() };
    if (options?.enableNotificationToChannelMembers) f.notify = true;
    return this._call(name, f, C_ATTR).then(() => undefined);
  }

  clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void> {
    if (!isValidId(channelId)) return reject('clearChannelAttributes', 3);
    const f: Frame = { op: 'cattr_clear', ch: channelId };
    if (options?.enableNotificationToChannelMembers) f.notify = true;
    return this._call('clearChannelAttributes', f, C_ATTR).then(() => undefined);
  }

  getChannelAttributes(channelId: string): Promise<ChannelAttributes> {
    return this.getChannelAttributesByKeys(channelId, []);
  }

  getChannelAttributesByKeys(channelId: string, attributeKeys: string[]): Promise<ChannelAttributes> {
    const name = attributeKeys.length ? 'getChannelAttributesByKeys' : 'getChannelAttributes';
    if (!isValidId(channelId)) return reject(name, 3);
    const bad = checkKeys(attributeKeys);
    if (bad) return reject(name, bad);
    const f: Frame = { op: 'cattr_get', ch: channelId };
    if (attributeKeys.length) f.keys = attributeKeys.slice();
    return this._call(name, f, C_ATTR).then((r) => channelAttrs(r.attrs));
  }

  private _cattr(name: string, op: string, ch: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
    if (!isValidId(ch)) return reject(name, 3);
    const a = attrEntries(attributes);
    if (typeof a === 'number') return reject(name, a);
    const bad = checkAttrs(a, 32768);
    if (bad) return reject(name, bad);
    const f: Frame = { op, ch, attrs: a.map(([k, v]) => ({ k, v })) };
    if (options?.enableNotificationToChannelMembers) f.notify = true;
    return this._call(name, f, C_ATTR).then(() => undefined);
  }

  // ---- channels -----------------------------------------------------------------------------------

  /** Member counts of up to 32 channels; 0 for a channel that does not exist. */
  getChannelMemberCount(channelIds: string[]): Promise<{ [channelId: string]: number }> {
    const name = 'getChannelMemberCount';
    if (!Array.isArray(channelIds) || !channelIds.length || !channelIds.every(isValidId)) return reject(name, 2);
    if (channelIds.length > 32) return reject(name, 5);
    return this._call(name, { op: 'count', uids: channelIds.slice() }, C_COUNT).then((r) => {
      const out: { [k: string]: number } = {};
      (r.uids ?? []).forEach((u: string, i: number) => { out[u] = r.nums[i]; });
      return out;
    });
  }

  /** Creates the channel object for `channelId`; throws RtmError 3 for an invalid id. */
  createChannel(channelId: string): RtmChannel {
    if (!isValidId(channelId)) throw new RtmError('createChannel', 3, 'invalid channel id');
    const old = this._channels.get(channelId);
    if (old && old._joined) throw new RtmError('createChannel', 6, 'a joined channel object with this id exists');
    const c = new RtmChannel(this, channelId);
    this._channels.set(channelId, c);
    return c;
  }

  /** Creates an invitation to `calleeId`; throws RtmError 1 for an invalid id. */
  createLocalInvitation(calleeId: string): LocalInvitation {
    if (!isValidId(calleeId)) throw new RtmError('createLocalInvitation', 1, 'invalid callee id');
    return new LocalInvitation(this, calleeId);
  }

  /** Agora options without meaning here. */
  updateConfig(_config: RtmConfig): void { /* nothing to change at run time */ }
  setParameters(_config: unknown): void { /* kept for compatibility */ }

  /** Creates a message object (Agora's `createMessage`). */
  createMessage<T extends RtmMessage>(message: Partial<T>): T {
    return { ...message } as T;
  }

  // ---- requests -----------------------------------------------------------------------------------

  /** @internal Submits a request; resolves with the `res` when its code is among `ok`. */
  _call(name: string, frame: Frame, codes: Codes, ok: number[] = [0], apply?: (res: Frame) => void): Promise<Frame> {
    return new Promise((resolve, rej) => {
      const err = this._submit(frame, codes, (code, res) => {
        // `apply` runs at once, before pushes that follow the `res` in the same read are handled.
        if (ok.includes(code)) { res ??= { op: 'res', code }; apply?.(res); resolve(res); }
        else rej(new RtmError(name, code));
      });
      if (err) rej(new RtmError(name, err));
    });
  }

  /** @internal Queues or sends a request; returns a non-zero code when it cannot be made. */
  _submit(frame: Frame, codes: Codes, done: (code: number, res: Frame | null) => void, internal = false): number {
    if (this._state !== 'CONNECTED' && this._state !== 'RECONNECTING') return codes[0];
    frame.id = this._nextId++;
    const data = encodeFrame(frame);
    const size = typeof data === 'string' ? data.length : data.length;
    if (!internal && this._queued + size > MAX_QUEUED) return frame.op === 'peer' ? 5 : frame.op === 'cmsg' ? 3 : codes[2];
    const r: Req = { id: frame.id, frame, data, deadline: Date.now() + this._cfg.requestTimeout, codes, done, sent: false, internal };
    this._queued += size;
    this._reqs.set(r.id, r);
    if (this._open) this._sendReq(r);
    return 0;
  }

  private _sendReq(r: Req): void {
    r.sent = true;
    this._sendRaw(r.data);
  }

  private _sendRaw(data: string | Uint8Array): void {
    try { this._ws?.send(data); } catch { /* a closing socket: the close handler takes over */ }
  }

  private _finish(r: Req, code: number, res: Frame | null): void {
    if (!this._reqs.delete(r.id)) return;
    this._queued -= typeof r.data === 'string' ? r.data.length : r.data.length;
    r.done(code, res);
  }

  private _failAll(): void {
    for (const r of [...this._reqs.values()]) this._finish(r, r.codes[2], null);
  }

  // ---- connection -----------------------------------------------------------------------------

  private async _connect(): Promise<void> {
    const gen = ++this._gen;
    let Ctor: SocketCtor;
    try {
      Ctor = await socketCtor();
    } catch {
      if (gen === this._gen) this._onClosed(gen, 1006);
      return;
    }
    if (gen !== this._gen) return;
    let ws: Socket;
    try {
      ws = new Ctor(this._cfg.url, 'rtm.v1', { maxPayload: 1 << 20, perMessageDeflate: false });
    } catch {
      return this._onClosed(gen, 1006);
    }
    this._ws = ws;
    this._open = false;
    this._received = 0;
    ws.binaryType = 'arraybuffer';
    const connectTimer = setTimeout(() => this._dropAndRetry(gen), 5000);
    ws.onopen = () => {
      clearTimeout(connectTimer);
      if (gen !== this._gen) return;
      if (ws.protocol !== 'rtm.v1') return this._protocolError(gen);
      this._lastRx = this._probeAt = Date.now();
      const f: Frame = { op: 'login', id: (this._loginId = this._nextId++), app: this.appId, uid: this._uid, sdk: SDK, sid: this._sid };
      if (this._token) f.token = this._token;
      if (this._everLoggedIn) f.resume = true;
      if (this._cfg.legacy) f.legacy = true;
      this._sendRaw(encodeFrame(f));
    };
    ws.onmessage = (ev) => { if (gen === this._gen) this._onData(gen, ev.data); };
    ws.onclose = (ev) => { clearTimeout(connectTimer); if (gen === this._gen) this._onClosed(gen, ev.code); };
    ws.onerror = () => { /* onclose follows */ };
    // Node's `ws` exposes pings and pongs: they count as traffic, and pings replace the probe.
    if (ws.on) {
      ws.on('pong', () => { this._lastRx = Date.now(); });
      ws.on('ping', () => { this._lastRx = Date.now(); });
    }
  }

  private _dropSocket(): void {
    const ws = this._ws;
    this._gen++;
    this._ws = null;
    this._loginId = 0;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000); } catch { /* not open yet */ }
    }
  }

  private _dropAndRetry(gen: number): void {
    if (gen !== this._gen) return;
    this._dropSocket();
    this._onClosed(this._gen, 1006);
  }

  // A server frame that breaks rtm.v1: close as a protocol error and reconnect as after a drop.
  private _protocolError(gen: number): void {
    const ws = this._ws;
    this._gen++;
    this._ws = null;
    this._loginId = 0;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1002, 'protocol error'); } catch {
        try { ws.close(4002, 'protocol error'); } catch { /* closed already */ }
      }
    }
    if (gen === this._gen - 1) this._onClosed(this._gen, 1002);
  }

  private _onClosed(_gen: number, code: number): void {
    this._ws = null;
    this._loginId = 0;
    this._open = false;
    const s = this._state;
    let kick = this._kick;
    if (!kick && (code === 4007 || code === 4008 || code === 4009)) kick = code - 4000;
    if (kick && (s === 'CONNECTED' || s === 'RECONNECTING')) {
      if (kick === 9) this.emit('TokenExpired');
      return this._abort(REASONS[kick] as ConnectionChangeReason);
    }
    if (s === 'CONNECTED') {
      for (const r of this._reqs.values()) r.sent = false;
      this._setState('RECONNECTING', 'INTERRUPTED');
      this._scheduleRetry();
    } else if (s === 'CONNECTING' || s === 'RECONNECTING') {
      if (!this._tokenWait) this._scheduleRetry();
    }
  }

  private _scheduleRetry(): void {
    const min = this._cfg.reconnectMin, max = this._cfg.reconnectMax;
    let cap = min;
    for (let i = 0; i < this._attempts && cap < max; i++) cap *= 2;
    cap = Math.min(cap, max);
    let delay = min / 2 + Math.floor(Math.random() * (cap - min / 2 + 1));
    this._attempts++;
    if (this._state === 'CONNECTING') {
      const left = this._loginDeadline - Date.now();
      if (left <= 0) return this._loginTimedOut();
      delay = Math.min(delay, left);
    }
    clearTimeout(this._retry);
    this._retry = setTimeout(() => {
      if (this._ws) return;
      if (this._state === 'CONNECTING' && Date.now() >= this._loginDeadline) return this._loginTimedOut();
      if (this._state === 'CONNECTING' || this._state === 'RECONNECTING') void this._connect();
    }, delay);
  }

  private _loginTimedOut(): void {
    this._dropSocket();
    clearTimeout(this._retry);
    this._stopTick();
    this._failAll();
    this._setState('DISCONNECTED', 'LOGIN_TIMEOUT');
    this._settleLogin(9);
  }

  private _settleLogin(code: number): void {
    const w = this._loginWait;
    this._loginWait = null;
    if (!w) return;
    if (code === 0) w.resolve();
    else w.reject(new RtmError('login', code));
  }

  private _abort(reason: ConnectionChangeReason): void {
    this._dropSocket();
    clearTimeout(this._retry);
    this._stopTick();
    this._open = false;
    this._forgetSession();
    this._failAll();
    this._setState('ABORTED', reason);
    this._settleLogin(3);
  }

  // The session is over: channels are left, local copies and invitations dropped.
  private _forgetSession(): void {
    for (const c of this._channels.values()) { c._joined = false; c._lastSeq = 0; }
    this._attrs.clear();
    this._subs.clear();
    for (const i of this._local.values()) if (i.state === 'SENT_TO_REMOTE' || i.state === 'RECEIVED_BY_REMOTE') i._state = 'FAILURE';
    for (const i of this._remote.values()) if (i.state === 'INVITATION_RECEIVED' || i.state === 'ACCEPT_SENT_TO_LOCAL') i._state = 'FAILURE';
    this._local.clear();
    this._remote.clear();
  }

  private _setState(s: ConnectionState, reason: ConnectionChangeReason): void {
    this._state = s;
    this.emit('ConnectionStateChanged', s, reason);
  }

  private _startTick(): void {
    if (this._tick) return;
    this._tick = setInterval(() => this._onTick(), 250);
    (this._tick as any).unref?.();
  }

  private _stopTick(): void {
    clearInterval(this._tick);
    this._tick = undefined;
  }

  private _onTick(): void {
    const now = Date.now();
    for (const r of [...this._reqs.values()]) if (r.deadline <= now) this._finish(r, r.codes[1], null);
    if (this._state === 'CONNECTING' && !this._open && now >= this._loginDeadline) return this._loginTimedOut();
    const ws = this._ws;
    if (!ws || !this._open) return;
    const hb = this._cfg.heartbeat;
    if (now - this._lastRx >= 2 * hb) return this._dropAndRetry(this._gen);
    if (now - this._lastRx >= hb && now - this._probeAt >= hb) {
      this._probeAt = now;
      // WebSocket pings where the platform has them; otherwise a cheap request whose answer is traffic.
      if (ws.ping) { try { ws.ping(); } catch { /* closing */ } }
      else this._sendRaw(encodeFrame({ op: 'query', id: this._nextId++, uids: [this._uid] }));
    }
  }

  // ---- inbound ------------------------------------------------------------------------------------

  private _onData(gen: number, data: string | ArrayBuffer): void {
    this._lastRx = Date.now();
    const f = decodeFrame(data);
    if (!f) return this._protocolError(gen);
    switch (f.op) {
      case 'res': {
        if (f.id === this._loginId && this._loginId) return this._onLoginResult(f.code);
        const r = this._reqs.get(f.id);
        if (r) this._finish(r, f.code, f);
        return;
      }
      case 'error': {
        if (f.id && f.id === this._loginId) return this._onLoginResult(1);
        const r = f.id ? this._reqs.get(f.id) : undefined;
        if (r) this._finish(r, r.codes[2], null);
        return;
      }
      case 'msg': return this._onPeerMessage(f);
      case 'cmsg': return this._onChannelMessage(f);
      case 'kick': this._kick = f.reason; return;
      case 'member': {
        const c = this._joinedChannel(f.ch);
        if (c) c.emit(f.joined ? 'MemberJoined' : 'MemberLeft', f.uid);
        return;
      }
      case 'mcount': this._joinedChannel(f.ch)?.emit('MemberCountUpdated', f.count); return;
      case 'cattrs': this._joinedChannel(f.ch)?.emit('AttributesUpdated', channelAttrs(f.attrs)); return;
      case 'presence': {
        const st: { [k: string]: PeerOnlineState } = {};
        f.uids.forEach((u: string, i: number) => { st[u] = PRESENCE[f.nums[i]]; });
        this.emit('PeersOnlineStatusChanged', st);
        return;
      }
      case 'inv': return this._onInvitation(f);
      case 'token_will_expire': this.emit('TokenPrivilegeWillExpire'); return;
      default: return; // unknown ops are ignored (§20)
    }
  }

  private _joinedChannel(ch: string): RtmChannel | undefined {
    const c = this._channels.get(ch);
    return c && c._joined ? c : undefined;
  }

  private _onLoginResult(code: number): void {
    this._loginId = 0;
    const s = this._state;
    if (code === 0) {
      this._open = true;
      this._attempts = 0;
      const resumed = this._everLoggedIn;
      this._everLoggedIn = true;
      this._setState('CONNECTED', 'LOGIN_SUCCESS');
      if (s === 'CONNECTING') this._settleLogin(0);
      if (resumed) this._restore();
      // Every unanswered request goes (again) in id order, with its original id and frame.
      const pending = [...this._reqs.values()].filter((r) => !r.sent).sort((a, b) => a.id - b.id);
      for (const r of pending) if (this._open) this._sendReq(r);
      return;
    }
    this._dropSocket();
    if (s === 'CONNECTING') {
      clearTimeout(this._retry);
      this._stopTick();
      this._failAll();
      this._setState('DISCONNECTED', 'LOGIN_FAILURE');
      this._settleLogin(code);
    } else if (code === 6) {
      this._tokenWait = true;
      clearTimeout(this._retry);
      this.emit('TokenExpired');
    } else if (code === 10) {
      this._scheduleRetry();
    } else {
      this._abort('LOGIN_FAILURE');
    }
  }

  // After a resumed login: rejoin channels (asking for what was missed), then restore attributes
  // and subscriptions, before the queued requests.
  private _restore(): void {
    const internal = (f: Frame, done: (code: number, res: Frame | null) => void) => {
      this._submit(f, [0, 0, 0], done, true);
    };
    for (const c of this._channels.values()) {
      if (!c._joined) continue;
      const f: Frame = { op: 'join', ch: c.channelId };
      if (c._lastSeq) f.since = c._lastSeq;
      internal(f, (code, res) => {
        if (code !== 0) { c._joined = false; return; }
        // A channel that rtmd recreated meanwhile numbers its messages from the start again.
        const seq = res?.seq ?? 0;
        if (seq < c._lastSeq) c._lastSeq = seq;
      });
    }
    if (this._attrs.size) internal({ op: 'uattr_set', attrs: [...this._attrs].map(([k, v]) => ({ k, v })) }, () => {});
    if (this._subs.size) internal({ op: 'sub', uids: [...this._subs] }, () => {});
  }

  // False when the key was among the last `dedupWindow` messages.
  private _remember(key: string): boolean {
    if (this._seen.has(key)) return false;
    this._seen.add(key);
    this._seenOrder.push(key);
    if (this._seenOrder.length > this._cfg.dedupWindow) this._seen.delete(this._seenOrder.shift()!);
    return true;
  }

  private _onPeerMessage(f: Frame): void {
    // Count and acknowledge every frame, duplicates included, before the application sees it.
    this._sendRaw(encodeFrame({ op: 'ack', n: ++this._received }));
    if (!this._remember(f.from + '\n' + f.mid)) return;
    this.emit('MessageFromPeer', toMessage(f), f.from, { serverReceivedTs: f.ts ?? 0, isOfflineMessage: !!f.offline });
  }

  private _onChannelMessage(f: Frame): void {
    const c = this._joinedChannel(f.ch);
    if (!c) return;
    if (f.seq <= c._lastSeq) return; // recovery overlaps the live stream
    c._lastSeq = f.seq;
    // A message its sender resent after a reconnect has a new seq but the same message id.
    if (!this._remember(f.ch + '\n' + f.from + '\n' + f.mid)) return;
    c.emit('ChannelMessage', toMessage(f), f.from, { serverReceivedTs: f.ts ?? 0, isOfflineMessage: false });
  }

  private _onInvitation(f: Frame): void {
    if (f.code === 1) {
      this._sendRaw(encodeFrame({ op: 'inv_ack', to: f.from, mid: f.mid }));
      const key = f.from + '\n' + f.mid;
      if (this._remote.has(key)) return;
      const ri = new RemoteInvitation(this, f.from, f.mid, f.content ?? '', f.ch ?? '');
      this._remote.set(key, ri);
      this.emit('RemoteInvitationReceived', ri);
      return;
    }
    const li = this._local.get(f.mid);
    if (li && li.calleeId === f.from && [2, 3, 4, 6].includes(f.code)) {
      if (f.code === 2) {
        if (li.state !== 'SENT_TO_REMOTE') return;
        li._state = 'RECEIVED_BY_REMOTE';
        li.emit('LocalInvitationReceivedByPeer');
        return;
      }
      this._local.delete(f.mid);
      if (f.code === 3 || f.code === 4) {
        li._state = f.code === 3 ? 'ACCEPTED_BY_REMOTE' : 'REFUSED_BY_REMOTE';
        li._response = f.response ?? '';
        li.emit(f.code === 3 ? 'LocalInvitationAccepted' : 'LocalInvitationRefused', li._response);
      } else {
        li._state = 'FAILURE';
        li.emit('LocalInvitationFailure', LFAIL[f.reason] ?? 'UNKNOWN');
      }
      return;
    }
    const key = f.from + '\n' + f.mid;
    const ri = this._remote.get(key);
    if (!ri) return;
    if (f.code === 5) {
      if (ri.state === 'ACCEPTED' || ri.state === 'REFUSED') return;
      ri._state = 'CANCELED';
      this._remote.delete(key);
      ri.emit('RemoteInvitationCanceled', ri.content);
    } else if (f.code === 7) {
      ri._state = 'ACCEPTED';
      this._remote.delete(key);
      ri.emit('RemoteInvitationAccepted');
    } else if (f.code === 6) {
      ri._state = 'FAILURE';
      this._remote.delete(key);
      ri.emit('RemoteInvitationFailure', RFAIL[f.reason] ?? 'UNKNOWN');
    }
  }

  /** @internal */
  _trackLocal(i: LocalInvitation, mid: string): void { this._local.set(mid, i); }
  /** @internal */
  _untrackLocal(mid: string): void { this._local.delete(mid); }
  /** @internal */
  _untrackRemote(i: RemoteInvitation): void { this._remote.delete(i.callerId + '\n' + i._mid); }
}

// ---- argument helpers ------------------------------------------------------------------------------

function reject<T = never>(op: string, code: number): Promise<T> {
  return Promise.reject(new RtmError(op, code));
}

function isValidUrl(u: string): boolean {
  return /^wss?:\/\/[^\s/]+/i.test(u);
}

// A TEXT or RAW message as frame fields; null when it is not a valid message (INVALID_MESSAGE).
function messageFrame(m: RtmMessage): Frame | null {
  if (!m || typeof m !== 'object') return null;
  const raw = (m as RtmRawMessage).rawMessage;
  const type = m.messageType ?? (raw !== undefined ? 'RAW' : 'TEXT');
  if (type === 'TEXT') {
    const text = (m as RtmTextMessage).text;
    if (!isStr(text) || raw !== undefined || !wellFormed(text) || utf8Len(text) > MAX_MESSAGE) return null;
    return { op: '', type: 1, text };
  }
  if (type !== 'RAW' || !(raw instanceof Uint8Array) || (m as RtmTextMessage).text !== undefined) return null;
  const d = (m as RtmRawMessage).description ?? '';
  if (!isStr(d) || !wellFormed(d) || utf8Len(d) + raw.length > MAX_MESSAGE) return null;
  const f: Frame = { op: '', type: 2, payload: raw };
  if (d) f.text = d;
  return f;
}

// Attribute pairs in call order, or a code: INVALID_ARGUMENT (3) for a value that is not a string.
function attrEntries(attrs: AttributesMap): [string, string][] | number {
  if (!attrs || typeof attrs !== 'object' || Array.isArray(attrs)) return 3;
  const a = Object.entries(attrs);
  for (const [, v] of a) if (!isStr(v)) return 3;
  return a as [string, string][];
}

// The server's checks (§4.14), made first so that no doomed frame is sent.
function checkAttrs(a: [string, string][], maxTotal: number): number {
  if (a.length > 32) return 4;
  let total = 0;
  for (const [k, v] of a) {
    if (!KEY.test(k) || !v.length || !wellFormed(v)) return 3;
    const n = utf8Len(v);
    if (n > 8192) return 4;
    total += k.length + n;
  }
  return total > maxTotal ? 4 : 0;
}

function checkKeys(keys: string[]): number {
  if (!Array.isArray(keys)) return 3;
  if (keys.length > 32) return 4;
  for (const k of keys) if (!isStr(k) || !KEY.test(k)) return 3;
  return 0;
}

// ---- channels ---------------------------------------------------------------------------------------

/** A channel object: join it to send and receive its messages and events. */
export class RtmChannel extends EventEmitter<RtmChannelEvents> {
  readonly channelId: string;
  private _client: RtmClient;
  /** @internal */ _joined = false;
  /** @internal */ _lastSeq = 0;

  /** @internal Use `RtmClient.createChannel`. */
  constructor(client: RtmClient, channelId: string) {
    super();
    this._client = client;
    this.channelId = channelId;
  }

  /** Joins the channel. */
  join(): Promise<void> {
    if (this._client._channels.get(this.channelId) !== this) return reject('join', 1);
    return this._client._call('join', { op: 'join', ch: this.channelId }, C_JOIN, [0], (r) => {
      this._joined = true;
      this._lastSeq = r.seq ?? 0;
    }).then(() => undefined);
  }

  /** Leaves the channel. */
  leave(): Promise<void> {
    return this._client._call('leave', { op: 'leave', ch: this.channelId }, C_LEAVE, [0], () => {
      this._joined = false;
      this._lastSeq = 0;
    }).then(() => undefined);
  }

  /** Sends a message to the other members; resolves when rtmd has sequenced it. */
  sendMessage(message: RtmMessage, _options?: SendMessageOptions): Promise<void> {
    const f = messageFrame(message);
    if (!f) return reject('sendMessage', 4);
    Object.assign(f, { op: 'cmsg', ch: this.channelId, mid: this._client._mid() });
    return this._client._call('sendMessage', f, C_CMSG).then(() => undefined);
  }

  /** Lists the members (a sample of 512 in larger channels). */
  getMembers(): Promise<string[]> {
    return this._client._call('getMembers', { op: 'members', ch: this.channelId }, C_MEMBERS).then((r) => r.uids ?? []);
  }
}

// ---- invitations -------------------------------------------------------------------------------------

export interface LocalInvitationEvents {
  [k: string]: Listener;
  LocalInvitationReceivedByPeer: () => void;
  LocalInvitationAccepted: (response: string) => void;
  LocalInvitationRefused: (response: string) => void;
  LocalInvitationCanceled: () => void;
  LocalInvitationFailure: (reason: LocalInvitationFailureReason) => void;
}

/** The caller's side of a call invitation. */
export class LocalInvitation extends EventEmitter<LocalInvitationEvents> {
  readonly calleeId: string;
  /** Content for the callee, at most 8192 bytes. */
  content = '';
  /** A channel id handed to the callee (nothing is joined). */
  channelId = '';
  /** @internal */ _state: LocalInvitationState = 'IDLE';
  /** @internal */ _response = '';
  /** @internal */ _mid = '';
  /** @internal Signaling extras: `online`, `ttl` (protocol.md §4.20). */ _extra: Frame = { op: '' };
  private _client: RtmClient;

  /** @internal Use `RtmClient.createLocalInvitation`. */
  constructor(client: RtmClient, calleeId: string) {
    super();
    this._client = client;
    this.calleeId = calleeId;
  }
  get state(): LocalInvitationState { return this._state; }
  get response(): string { return this._response; }

  /** Sends the invitation; results arrive as events. Throws RtmError 1 or 5 for a bad call. */
  send(): void {
    if (this._state !== 'IDLE') throw new RtmError('send', 5, 'already sent');
    if (!isStr(this.content) || !wellFormed(this.content) || utf8Len(this.content) > MAX_INV_TEXT ||
        !isStr(this.channelId) || (this.channelId && !isValidId(this.channelId)))
      throw new RtmError('send', 1, 'invalid content or channel id');
    const mid = (this._mid = this._client._mid());
    const f: Frame = { ...this._extra, op: 'inv_send', to: this.calleeId, mid };
    if (this.content) f.content = this.content;
    if (this.channelId) f.ch = this.channelId;
    const fail = () => {
      this._client._untrackLocal(mid);
      this._state = 'FAILURE';
      this.emit('LocalInvitationFailure', 'NOT_LOGGEDIN');
    };
    this._state = 'SENT_TO_REMOTE';
    this._client._trackLocal(this, mid);
    const err = this._client._submit(f, C_INV, (code) => { if (code && this._state === 'SENT_TO_REMOTE' && code !== C_INV[1]) fail(); });
    if (err) queueMicrotask(fail);
  }

  /** Cancels a sent invitation. Throws RtmError 2 (never sent) or 3 (over). */
  cancel(): void {
    if (this._state === 'IDLE') throw new RtmError('cancel', 2, 'not sent');
    if (this._state !== 'SENT_TO_REMOTE' && this._state !== 'RECEIVED_BY_REMOTE') throw new RtmError('cancel', 3, 'already ended');
    const mid = this._mid;
    const err = this._client._submit({ op: 'inv_cancel', to: this.calleeId, mid }, C_INV, (code, res) => {
      // A timed-out cancel reports CANCELED too (protocol.md §18).
      if ((code === 0 || !res) && (this._state === 'SENT_TO_REMOTE' || this._state === 'RECEIVED_BY_REMOTE')) {
        this._client._untrackLocal(mid);
        this._state = 'CANCELED';
        this.emit('LocalInvitationCanceled');
      }
    });
    if (err) throw new RtmError('cancel', 3, 'not logged in');
  }
}

export interface RemoteInvitationEvents {
  [k: string]: Listener;
  RemoteInvitationAccepted: () => void;
  RemoteInvitationRefused: () => void;
  RemoteInvitationCanceled: (content: string) => void;
  RemoteInvitationFailure: (reason: RemoteInvitationFailureReason) => void;
}

/** The callee's side of a call invitation. */
export class RemoteInvitation extends EventEmitter<RemoteInvitationEvents> {
  readonly callerId: string;
  readonly content: string;
  readonly channelId: string;
  /** The answer for the caller, at most 8192 bytes. */
  response = '';
  /** @internal */ _state: RemoteInvitationState = 'INVITATION_RECEIVED';
  /** @internal */ readonly _mid: string;
  private _client: RtmClient;

  /** @internal */
  constructor(client: RtmClient, callerId: string, mid: string, content: string, channelId: string) {
    super();
    this._client = client;
    this.callerId = callerId;
    this._mid = mid;
    this.content = content;
    this.channelId = channelId;
  }
  get state(): RemoteInvitationState { return this._state; }

  /** Accepts; RemoteInvitationAccepted follows once the caller has the answer. */
  accept(): void { this._answer(true); }
  /** Refuses; RemoteInvitationRefused follows. */
  refuse(): void { this._answer(false); }

  private _answer(accept: boolean): void {
    const name = accept ? 'accept' : 'refuse';
    if (this._state === 'ACCEPT_SENT_TO_LOCAL' || this._state === 'ACCEPTED') throw new RtmError(name, 4, 'already accepted');
    if (this._state !== 'INVITATION_RECEIVED') throw new RtmError(name, 3, 'already ended');
    if (!isStr(this.response) || !wellFormed(this.response) || utf8Len(this.response) > MAX_INV_TEXT)
      throw new RtmError(name, 1, 'invalid response');
    const f: Frame = { op: accept ? 'inv_accept' : 'inv_refuse', to: this.callerId, mid: this._mid };
    if (this.response) f.response = this.response;
    const err = this._client._submit(f, C_INV, (code, res) => {
      if (accept) {
        if (code !== 0 && res && this._state === 'ACCEPT_SENT_TO_LOCAL') {
          this._state = 'FAILURE';
          this._client._untrackRemote(this);
        }
      } else if ((code === 0 || !res) && this._state === 'INVITATION_RECEIVED') {
        this._state = 'REFUSED';
        this._client._untrackRemote(this);
        this.emit('RemoteInvitationRefused');
      }
    });
    if (err) throw new RtmError(name, 3, 'not logged in');
    if (accept) this._state = 'ACCEPT_SENT_TO_LOCAL';
  }
}

// ---- entry points -----------------------------------------------------------------------------------

/** Creates a client for `appId`; `config.url` names the rtmd server. */
export function createInstance(appId: string, config?: RtmConfig): RtmClient {
  return new RtmClient(appId, config);
}

const RtmKit = {
  createInstance, VERSION, END_CALL_PREFIX, ConnectionState, ConnectionChangeReason, PeerOnlineState,
  PeerSubscriptionOption, MessageType, LocalInvitationState, RemoteInvitationState, LocalInvitationFailureReason,
  RemoteInvitationFailureReason, RtmError, isValidId,
};
export { RtmKit };
export default RtmKit;
