#include "core/server/service.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <random>

#include "core/common/log.hpp"
#include "core/protocol/ids.hpp"
#include "core/token/token.hpp"

namespace net = boost::asio;

namespace rtm::server {
namespace {

uint32_t now_s() { return static_cast<uint32_t>(now_ms() / 1000); }

constexpr int kOk = 0;

// The ops a client may send (the others are pushed by the server).
bool client_op(proto::Op op) {
  using O = proto::Op;
  switch (op) {
    case O::login: case O::logout: case O::renew: case O::peer: case O::ack: case O::join: case O::leave:
    case O::cmsg: case O::members: case O::count: case O::chinfo: case O::query: case O::sub: case O::unsub:
    case O::subs: case O::uattr_set: case O::uattr_add: case O::uattr_del: case O::uattr_clear: case O::uattr_get:
    case O::cattr_set: case O::cattr_add: case O::cattr_del: case O::cattr_clear: case O::cattr_get:
    case O::inv_send: case O::inv_cancel: case O::inv_accept: case O::inv_refuse: case O::inv_ack:
      return true;
    default:
      return false;
  }
}

}  // namespace

Conn::Conn(ServerCore& core, net::any_io_executor strand)
    : core_(core), strand_(std::move(strand)), timer_(strand_) {}

Conn::~Conn() = default;

// ---- thread-safe entry points ---------------------------------------------------------------

void Conn::deliver(std::shared_ptr<Delivery> d) {
  net::post(strand_, [self = shared_from_this(), d = std::move(d)]() mutable {
    if (self->closed_ || !self->logged_in_) {
      self->core_.undelivered(*d);
      return;
    }
    self->push_delivery(std::move(d));
  });
}

void Conn::deliver_channel(const std::string& ch, Frame frame, bool binary) {
  net::post(strand_, [self = shared_from_this(), ch, frame = std::move(frame), binary]() mutable {
    // Only channels joined on this connection: a rejoin first sends what was missed, then this.
    if (!self->closed_ && self->joined_here_.count(ch)) self->write(std::move(frame), binary);
  });
}

void Conn::send_shared(Frame frame, bool binary) {
  net::post(strand_, [self = shared_from_this(), frame = std::move(frame), binary]() mutable {
    if (!self->closed_ && self->logged_in_) self->write(std::move(frame), binary);
  });
}

void Conn::complete(int64_t req_id, int code) {
  net::post(strand_, [self = shared_from_this(), req_id, code] {
    if (!self->pending_ids_.erase(req_id) || self->closed_) return;
    self->core_.metrics.peer_messages.add(code);
    self->reply(req_id, code);
    auto& order = self->pending_order_;
    while (!order.empty() && !self->pending_ids_.count(order.front().second)) order.pop_front();
  });
}

void Conn::kick(int reason) {
  net::post(strand_, [self = shared_from_this(), reason] {
    if (self->closed_) return;
    self->logged_in_ = false;  // the new session owns the registry slot now
    self->ended_ = true;
    if (reason == 0) return self->close(close_code::REPLACED, "resumed elsewhere");
    proto::Frame k;
    k.op = proto::Op::kick;
    k.reason = reason;
    self->send_frame(k);
    self->close(static_cast<uint16_t>(4000 + reason), "kicked");
  });
}

void Conn::shutdown() {
  net::post(strand_, [self = shared_from_this()] {
    if (!self->closed_) self->close(1001, "server shutting down");
  });
}

void Conn::poke_offline() {
  net::post(strand_, [self = shared_from_this()] {
    if (!self->closed_ && self->logged_in_) self->fetch_offline();
  });
}

// ---- transport callbacks ----------------------------------------------------------------------

void Conn::on_open() {
  login_deadline_ = Clock::now() + std::chrono::milliseconds(core_.cfg.login_timeout_ms);
  rearm_timer();
}

void Conn::on_closed() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  if (!key_.empty()) core_.registry.unbind(key_, this);
  logged_in_ = false;
  if (user_) {
    // Only the connection that still carries the session decides its fate (a resume may have
    // moved it to a newer connection already).
    bool owns = false;
    {
      std::lock_guard l(user_->mu);
      owns = !user_->ended && user_->conn.lock().get() == this;
      if (owns && !ended_) {
        user_->attached = false;
        user_->conn.reset();
        user_->grace_deadline = Clock::now() + std::chrono::milliseconds(core_.cfg.grace_ms);
      }
    }
    if (owns && ended_) {
      core_.end_user(user_, true);
    } else if (owns) {
      {
        std::lock_guard l(core_.grace_mu);
        core_.in_grace.push_back(user_);
      }
      core_.notify_presence(app_, uid_, PeerState::UNREACHABLE);
    }
  }
  auto unacked = std::move(unacked_);
  unacked_.clear();
  unacked.for_each([&](std::shared_ptr<Delivery>& d) { core_.undelivered(*d); });
  pending_ids_.clear();
  pending_order_.clear();
}

void Conn::on_message(std::string_view data, bool binary) {
  if (closed_) return;
  proto::Frame f;
  int err = proto::decode(data, binary, f);
  if (err) {
    // A server-to-client op is refused as such even when its fields are missing or wrong.
    if (f.op != proto::Op::unknown && !client_op(f.op)) err = static_cast<int>(ProtocolErr::UNKNOWN_OP);
    protocol_error(f.id, err, name(static_cast<ProtocolErr>(err)));
    return;
  }
  if (proto::is_request(f.op) && f.id <= 0)
    return protocol_error(0, static_cast<int>(ProtocolErr::INVALID_FIELD), "a request needs a positive id");
  if (!logged_in_ && f.op != proto::Op::login) {
    protocol_error(f.id, static_cast<int>(ProtocolErr::NOT_LOGGED_IN), "log in first");
    return;
  }
  switch (f.op) {
    case proto::Op::login: handle_login(f); break;
    case proto::Op::logout: handle_logout(f); break;
    case proto::Op::renew: handle_renew(f); break;
    case proto::Op::peer: handle_peer(f); break;
    case proto::Op::ack: handle_ack(f); break;
    case proto::Op::join: handle_join(f); break;
    case proto::Op::leave: handle_leave(f); break;
    case proto::Op::cmsg: handle_cmsg(f); break;
    case proto::Op::members: handle_members(f); break;
    case proto::Op::count: handle_count(f); break;
    case proto::Op::chinfo: handle_chinfo(f); break;
    case proto::Op::query:
    case proto::Op::sub:
    case proto::Op::unsub:
    case proto::Op::subs: handle_presence(f); break;
    case proto::Op::uattr_set:
    case proto::Op::uattr_add:
    case proto::Op::uattr_del:
    case proto::Op::uattr_clear:
    case proto::Op::uattr_get: handle_user_attrs(f); break;
    case proto::Op::cattr_set:
    case proto::Op::cattr_add:
    case proto::Op::cattr_del:
    case proto::Op::cattr_clear:
    case proto::Op::cattr_get: handle_channel_attrs(f); break;
    case proto::Op::inv_send:
    case proto::Op::inv_cancel:
    case proto::Op::inv_accept:
    case proto::Op::inv_refuse: handle_invitation(f); break;
    case proto::Op::inv_ack: handle_inv_ack(f); break;
    default:
      // Server-to-client ops sent by a client.
      protocol_error(f.id, static_cast<int>(ProtocolErr::UNKNOWN_OP), "not a client operation");
  }
}

// ---- operations -------------------------------------------------------------------------------

void Conn::handle_login(proto::Frame& f) {
  if (logged_in_ || user_) return login_refused(f.id, LoginErr::ALREADY_LOGGED_IN);
  if (!valid_app_id(f.app)) return login_refused(f.id, LoginErr::INVALID_APP_ID);
  const AppConfig* app = nullptr;
  if (!core_.apps.empty()) {
    auto it = core_.apps.find(f.app);
    if (it == core_.apps.end()) return login_refused(f.id, LoginErr::INVALID_APP_ID);
    app = &it->second;
  }
  if (!valid_user_id(f.uid)) return login_refused(f.id, LoginErr::INVALID_ARGUMENT);
  std::string key = Registry::key(f.app, f.uid);
  {
    std::lock_guard l(core_.login_mu);
    const Rate& login_rate = app && app->has_rate ? app->rate.login : core_.cfg.rate.login;
    if (!core_.login_rates[key].allow(login_rate, Clock::now())) {
      Metrics::inc(core_.metrics.rate_limited[rate_limit_index(app && app->has_rate ? app->rate : core_.cfg.rate, login_rate)]);
      return login_refused(f.id, LoginErr::TOO_OFTEN);
    }
  }
  uint32_t expires_at = 0;
  if (app && !app->certificate.empty()) {
    if (f.token.empty() || f.token.size() > limits::kMaxTokenBytes)
      return login_refused(f.id, LoginErr::INVALID_TOKEN);
    // A Signaling-API login may also present a legacy "1:appId:expiredTs:md5" token; such sessions,
    // like 006 ones, are not ended by expiry (Signaling checked the token at login only).
    bool legacy_token = f.legacy && f.token.size() > 2 && f.token[0] == '1' && f.token[1] == ':';
    auto v = legacy_token ? token::verify_signaling_token(f.token, app->app_id, app->certificate, f.uid, now_s())
                          : token::verify_rtm_token(f.token, app->app_id, app->certificate, f.uid, now_s());
    if (v.status == token::Status::expired) return login_refused(f.id, LoginErr::TOKEN_EXPIRED);
    if (v.status != token::Status::ok) return login_refused(f.id, LoginErr::INVALID_TOKEN);
    if (v.version == 7) expires_at = v.expires_at;  // 006 sessions are not ended by expiry
  }
  app_ = f.app;
  uid_ = f.uid;
  key_ = key;

  // A resuming SDK takes its session (channels, attributes, subscriptions) back; a fresh login
  // replaces whatever session the user had.
  auto self = shared_from_this();
  std::shared_ptr<UserRecord> previous;
  bool resumed = false, was_unreachable = false;
  user_ = core_.users.with(key_, [&](std::shared_ptr<UserRecord>& slot) {
    if (slot && f.resume && !f.sid.empty()) {
      std::lock_guard l(slot->mu);
      if (!slot->ended && slot->sid == f.sid) {
        resumed = true;
        was_unreachable = !slot->attached;
        slot->attached = true;
        slot->conn = self;
        return slot;
      }
    }
    previous = slot;
    slot = std::make_shared<UserRecord>();
    slot->app = app_;
    slot->uid = uid_;
    slot->key = key_;
    slot->sid = f.sid;
    slot->conn = self;
    return slot;
  });
  logged_in_ = true;
  if (auto prev = core_.registry.bind(key_, self); prev && prev.get() != this) {
    if (resumed) {
      prev->kick(0);  // the same SDK on a newer connection: the old one is stale
    } else {
      RTM_LOG(info, "session", "user '" << uid_ << "' logged in again; the earlier session is kicked");
      prev->kick(static_cast<int>(ConnectionChangeReason::REMOTE_LOGIN));
    }
  }
  if (previous) core_.end_user(previous, false);
  if (!resumed) core_.events.add_user(app_, "Login", uid_, core_.cfg.rest.events_kept);
  RTM_LOG(debug, "session", "login app=" << app_ << " uid=" << uid_ << " sdk=" << f.sdk << (resumed ? " (resumed)" : ""));
  reply_login_ok(f.id);
  if (resumed) {
    std::vector<std::pair<Frame, bool>> held;
    {
      std::lock_guard l(user_->mu);
      held.swap(user_->held);
    }
    for (auto& [frame, binary] : held) write(frame, binary);
  }
  set_token_expiry(expires_at);
  if (!resumed || was_unreachable) core_.notify_presence(app_, uid_, PeerState::ONLINE);
  fetch_offline();
  core_.deliver_pending_invitations(app_, uid_);
}

void Conn::set_token_expiry(uint32_t expires_at) {
  if (!expires_at) {
    token_warn_at_ = token_expire_at_ = Clock::time_point::max();
  } else {
    auto left = std::chrono::seconds(static_cast<int64_t>(expires_at) - static_cast<int64_t>(now_s()));
    token_expire_at_ = Clock::now() + left;
    token_warn_at_ = token_expire_at_ - std::chrono::milliseconds(core_.cfg.token_warning_ms);
  }
  rearm_timer();
}

void Conn::handle_logout(proto::Frame& f) {
  reply(f.id, static_cast<int>(LogoutErr::OK));
  core_.registry.unbind(key_, this);
  logged_in_ = false;
  ended_ = true;
  close(close_code::LOGGED_OUT, "logged out");
}

void Conn::handle_renew(proto::Frame& f) {
  if (!allow(limits().renew, rates().renew)) return reply(f.id, static_cast<int>(RenewTokenErr::TOO_OFTEN));
  const AppConfig* app = nullptr;
  if (auto it = core_.apps.find(app_); it != core_.apps.end()) app = &it->second;
  if (!app || app->certificate.empty()) return reply(f.id, static_cast<int>(RenewTokenErr::OK));
  if (f.token.empty() || f.token.size() > limits::kMaxTokenBytes)
    return reply(f.id, static_cast<int>(RenewTokenErr::INVALID_ARGUMENT));
  auto v = token::verify_rtm_token(f.token, app->app_id, app->certificate, uid_, now_s());
  if (v.status == token::Status::expired) return reply(f.id, static_cast<int>(RenewTokenErr::TOKEN_EXPIRED));
  if (v.status != token::Status::ok) return reply(f.id, static_cast<int>(RenewTokenErr::INVALID_TOKEN));
  set_token_expiry(v.version == 7 ? v.expires_at : 0);
  reply(f.id, static_cast<int>(RenewTokenErr::OK));
}

const RateLimits& Conn::limits() const {
  if (auto it = core_.apps.find(app_); it != core_.apps.end() && it->second.has_rate) return it->second.rate;
  return core_.cfg.rate;
}

bool Conn::allow(const Rate& r, RateWindow& w) {
  if (w.allow(r, Clock::now())) return true;
  Metrics::inc(core_.metrics.rate_limited[rate_limit_index(limits(), r)]);
  return false;
}

void Conn::handle_peer(proto::Frame& f) {
  if (!valid_user_id(f.to)) return peer_result(f.id, PeerMessageErr::INVALID_USERID);
  if (proto::message_size(f) > limits::kMaxMessageBytes)
    return peer_result(f.id, PeerMessageErr::INVALID_MESSAGE);
  if (!allow(limits().messages, rates().messages)) return peer_result(f.id, PeerMessageErr::TOO_OFTEN);
  if (pending_ids_.size() >= core_.cfg.max_pending_requests)
    return peer_result(f.id, PeerMessageErr::TOO_OFTEN);
  if (!pending_ids_.insert(f.id).second)
    return protocol_error(f.id, static_cast<int>(ProtocolErr::INVALID_FIELD), "duplicate request id");

  // Serialize the message for its receiver exactly once.
  proto::Frame m;
  m.op = proto::Op::msg;
  m.from = uid_;
  m.type = f.type;
  m.text = std::move(f.text);
  m.payload = std::move(f.payload);
  m.mid = f.mid;
  m.ts = now_ms();
  auto d = std::make_shared<Delivery>();
  d->frame = std::make_shared<const std::string>(proto::encode(m, d->binary));
  d->sender = weak_from_this();
  d->req_id = f.id;
  if (f.offline) d->offline = offline_record(app_, f.to, m);
  pending_order_.emplace_back(Clock::now() + std::chrono::milliseconds(core_.cfg.peer_timeout_ms), f.id);
  if (pending_order_.size() == 1) rearm_timer();

  core_.deliver_peer(app_, f.to, std::move(d));
}

void Conn::handle_ack(proto::Frame& f) {
  if (f.n > msgs_written_ || f.n < msgs_acked_)
    return protocol_error(0, static_cast<int>(ProtocolErr::INVALID_FIELD), "ack out of range");
  std::vector<int64_t> rows;
  while (msgs_acked_ < f.n && !unacked_.empty()) {
    auto d = std::move(unacked_.front());
    unacked_.pop_front();
    ++msgs_acked_;
    if (d->rowid) rows.push_back(d->rowid);
    else resolve(*d);
  }
  if (!rows.empty()) core_.store->remove(std::move(rows));
}

// ---- channels ---------------------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxChannelsPerUser = 20;
constexpr std::size_t kMaxMembersReturned = 512;
constexpr std::size_t kMaxRecentMembers = 512;         // chinfo: recent members returned at most
constexpr int64_t kMaxInvitationTtlMs = 24 * 3600 * 1000;
constexpr std::size_t kMaxCountChannels = 32;
constexpr std::size_t kMaxQueryPeers = 256;
constexpr std::size_t kMaxSubscriptions = 512;
constexpr std::size_t kMaxAttrKey = 32;
constexpr std::size_t kMaxAttrValue = 8 * 1024;
constexpr std::size_t kMaxAttrsPerCall = 32;
constexpr std::size_t kMaxAttrEntries = 32;
constexpr std::size_t kMaxUserAttrBytes = 16 * 1024;
constexpr std::size_t kMaxChannelAttrBytes = 32 * 1024;
constexpr std::size_t kMaxInvitationText = 8 * 1024;

bool valid_attr_key(const std::string& k) {
  if (k.empty() || k.size() > kMaxAttrKey) return false;
  for (unsigned char c : k)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

using AttrErr = AttributeOperationErr;

// Checks the key/value pairs of one set or add call.
AttrErr check_pairs(const std::vector<proto::Attr>& attrs, bool need_values) {
  if (attrs.size() > kMaxAttrsPerCall) return AttrErr::SIZE_OVERFLOW;
  std::set<std::string> seen;
  for (auto& a : attrs) {
    if (!valid_attr_key(a.key) || !seen.insert(a.key).second) return AttrErr::INVALID_ARGUMENT;
    if (need_values && a.value.empty()) return AttrErr::INVALID_ARGUMENT;
    if (a.value.size() > kMaxAttrValue) return AttrErr::SIZE_OVERFLOW;
  }
  return AttrErr::OK;
}

AttrErr check_keys(const std::vector<std::string>& keys) {
  if (keys.size() > kMaxAttrsPerCall) return AttrErr::SIZE_OVERFLOW;
  for (auto& k : keys)
    if (!valid_attr_key(k)) return AttrErr::INVALID_ARGUMENT;
  return AttrErr::OK;
}

template <class Map, class Size>
bool within(const Map& m, std::size_t max_bytes, Size bytes_of) {
  if (m.size() > kMaxAttrEntries) return false;
  std::size_t total = 0;
  for (auto& [k, v] : m) total += k.size() + bytes_of(v);
  return total <= max_bytes;
}

}  // namespace

void Conn::handle_join(proto::Frame& f) {
  using E = JoinChannelErr;
  if (!valid_user_id(f.ch)) return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
  if (joined_here_.count(f.ch)) return reply(f.id, static_cast<int>(E::ALREADY_JOINED));
  if (!allow(limits().join, rates().join)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
  if (!allow(limits().join_same, rates().join_same[f.ch]))
    return reply(f.id, static_cast<int>(E::JOIN_SAME_CHANNEL_TOO_OFTEN));
  bool rejoin = false;
  {
    std::lock_guard l(user_->mu);
    rejoin = user_->channels.count(f.ch) > 0;
    if (!rejoin && user_->channels.size() >= kMaxChannelsPerUser) return reply(f.id, static_cast<int>(E::EXCEED_LIMIT));
    user_->channels.insert(f.ch);
  }
  std::vector<RecentMessage> missed;
  std::shared_ptr<const std::vector<std::string>> keys;
  bool announce = false;
  uint64_t head = 0;
  int64_t count = 0;
  std::unique_lock<std::mutex> l;
  auto ch = core_.lock_channel(app_, f.ch, l);
  {
    bool member = ch->members.count(uid_) > 0;
    if (!member) {
      core_.events.add_channel(app_, "Join", f.ch, uid_, core_.cfg.rest.events_kept);
      ch->members.emplace(uid_, ++ch->join_counter);
      ch->rebuild_keys();
      announce = ch->members.size() <= core_.cfg.member_events_max;
      core_.mark_count_dirty(ch);
    }
    if (member && rejoin && f.since) {
      // Messages the SDK missed while its connection was down, if still within the window.
      auto oldest = Clock::now() - std::chrono::milliseconds(core_.cfg.recovery_age_ms);
      for (auto& m : ch->recent)
        if (m.seq > f.since && m.at >= oldest) missed.push_back(m);
    }
    head = ch->next_seq;
    count = static_cast<int64_t>(ch->members.size());
    keys = ch->member_keys;
    l.unlock();
  }
  // Announce before answering: once the joiner knows it is in, every member has the event queued,
  // so members see joins in the order the joins completed.
  if (announce) {
    proto::Frame m;
    m.op = proto::Op::member;
    m.ch = f.ch;
    m.uid = uid_;
    m.joined = true;
    bool binary = false;
    core_.broadcast(*ch, keys, std::make_shared<const std::string>(proto::encode(m, binary)), binary, key_);
  }
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = f.id;
  r.code = 0;
  r.seq = head;
  reply(r);
  for (auto& m : missed) {
    Metrics::inc(core_.metrics.deliveries_channel);
    write(m.frame, m.binary);
  }
  joined_here_.insert(f.ch);
  proto::Frame c;
  c.op = proto::Op::mcount;
  c.ch = f.ch;
  c.count = count;
  send_frame(c);
}

void Conn::handle_leave(proto::Frame& f) {
  using E = LeaveChannelErr;
  // A channel of the session counts even if this connection has not rejoined it since a resume.
  bool here = joined_here_.erase(f.ch) > 0;
  bool member = false;
  {
    std::lock_guard l(user_->mu);
    member = user_->channels.erase(f.ch) > 0;
  }
  if (!here && !member) return reply(f.id, static_cast<int>(E::NOT_IN_CHANNEL));
  core_.leave_channel(app_, uid_, f.ch);  // before the answer: once told, the client is out
  reply(f.id, static_cast<int>(E::OK));
}

void Conn::handle_cmsg(proto::Frame& f) {
  using E = ChannelMessageErr;
  if (!joined_here_.count(f.ch)) return channel_result(f.id, E::NOT_IN_CHANNEL);
  if (proto::message_size(f) > limits::kMaxMessageBytes) return channel_result(f.id, E::INVALID_MESSAGE);
  if (!allow(limits().messages, rates().messages)) return channel_result(f.id, E::TOO_OFTEN);
  auto ch = core_.channel(app_, f.ch, false);
  if (!ch) return channel_result(f.id, E::FAILURE);
  proto::Frame m;
  m.op = proto::Op::cmsg;
  m.ch = f.ch;
  m.from = uid_;
  m.type = f.type;
  m.text = std::move(f.text);
  m.payload = std::move(f.payload);
  m.mid = f.mid;
  m.ts = now_ms();
  std::shared_ptr<const std::vector<std::string>> keys;
  bool binary = false;
  Frame frame = core_.sequence_channel_message(*ch, m, binary, keys);
  channel_result(f.id, E::OK);
  auto n = core_.broadcast(*ch, keys, frame, binary, key_);
  core_.metrics.deliveries_channel.fetch_add(n, std::memory_order_relaxed);
}

void Conn::handle_members(proto::Frame& f) {
  using E = GetMembersErr;
  if (!joined_here_.count(f.ch)) return reply(f.id, static_cast<int>(E::NOT_IN_CHANNEL));
  if (!allow(limits().members, rates().members)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = f.id;
  if (auto ch = core_.channel(app_, f.ch, false)) {
    std::lock_guard l(ch->mu);
    for (auto& [uid, order] : ch->members) r.uids.push_back(uid);
  }
  if (r.uids.size() > kMaxMembersReturned) {
    // A uniform random sample when the channel is larger than one answer.
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::shuffle(r.uids.begin(), r.uids.end(), rng);
    r.uids.resize(kMaxMembersReturned);
  }
  reply(r);
}

void Conn::handle_count(proto::Frame& f) {
  using E = GetChannelMemberCountErr;
  if (f.uids.size() > kMaxCountChannels) return reply(f.id, static_cast<int>(E::EXCEED_LIMIT));
  for (auto& c : f.uids)
    if (!valid_user_id(c)) return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
  if (!allow(limits().count, rates().count)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = f.id;
  r.uids = std::move(f.uids);
  for (auto& c : r.uids) {
    int64_t n = 0;
    if (auto ch = core_.channel(app_, c, false)) {
      std::lock_guard l(ch->mu);
      n = static_cast<int64_t>(ch->members.size());
    }
    r.nums.push_back(n);
  }
  reply(r);
}

// Signaling's channel queries, for any channel of the app: the member count, whether `uid` is a member,
// and the `n` (at most kMaxRecentMembers) members who joined last, newest first. Answer: nums = [count,
// is member], uids = the recent members.
void Conn::handle_chinfo(proto::Frame& f) {
  using E = GetChannelMemberCountErr;
  if (!valid_user_id(f.ch) || (!f.uid.empty() && !valid_user_id(f.uid)))
    return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
  if (!allow(limits().count, rates().count)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = f.id;
  int64_t count = 0, is_member = 0;
  std::size_t n = std::min<uint64_t>(f.n, kMaxRecentMembers);
  if (auto ch = core_.channel(app_, f.ch, false)) {
    std::lock_guard l(ch->mu);
    count = static_cast<int64_t>(ch->members.size());
    if (!f.uid.empty()) is_member = ch->members.count(f.uid) ? 1 : 0;
    if (n) {
      std::vector<std::pair<uint64_t, const std::string*>> order;
      order.reserve(ch->members.size());
      for (auto& [uid, joined] : ch->members) order.emplace_back(joined, &uid);
      n = std::min(n, order.size());
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                        [](auto& a, auto& b) { return a.first > b.first; });
      for (std::size_t i = 0; i < n; ++i) r.uids.push_back(*order[i].second);
    }
  }
  r.nums = {count, is_member};
  reply(r);
}

// ---- presence ---------------------------------------------------------------------------------

void Conn::handle_presence(proto::Frame& f) {
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = f.id;
  if (f.op == proto::Op::subs) {
    using E = QueryPeersBySubscriptionOptionErr;
    if (!allow(limits().subscribe, rates().subs)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
    std::lock_guard l(user_->mu);
    r.uids.assign(user_->subscriptions.begin(), user_->subscriptions.end());
    return reply(r);
  }
  if (f.op == proto::Op::query) {
    using E = QueryPeersOnlineStatusErr;
    if (f.uids.empty() || f.uids.size() > kMaxQueryPeers) return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
    for (auto& u : f.uids)
      if (!valid_user_id(u)) return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
    if (!allow(limits().query, rates().query)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
    r.uids = std::move(f.uids);
    // A query answers online or offline; only subscriptions see UNREACHABLE.
    for (auto& u : r.uids)
      r.nums.push_back(core_.presence_of(app_, u) == PeerState::ONLINE ? 0 : static_cast<int64_t>(PeerState::OFFLINE));
    return reply(r);
  }
  using E = PeerSubscriptionStatusErr;
  bool subscribe = f.op == proto::Op::sub;
  std::sort(f.uids.begin(), f.uids.end());
  f.uids.erase(std::unique(f.uids.begin(), f.uids.end()), f.uids.end());
  if (f.uids.empty() || f.uids.size() > kMaxSubscriptions) return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
  for (auto& u : f.uids)
    if (!valid_user_id(u)) return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
  if (!allow(limits().subscribe, subscribe ? rates().sub : rates().unsub)) return reply(f.id, static_cast<int>(E::TOO_OFTEN));
  {
    std::lock_guard l(user_->mu);
    if (subscribe) {
      std::size_t added = 0;
      for (auto& u : f.uids) added += !user_->subscriptions.count(u);
      if (user_->subscriptions.size() + added > kMaxSubscriptions) return reply(f.id, static_cast<int>(E::OVERFLOW));
      for (auto& u : f.uids) user_->subscriptions.insert(u);
    } else {
      for (auto& u : f.uids) user_->subscriptions.erase(u);
    }
  }
  for (auto& u : f.uids) {
    if (subscribe) core_.watchers.with(Registry::key(app_, u), [&](std::set<std::string>& w) { w.insert(uid_); });
    else core_.unwatch(app_, u, uid_);
  }
  reply(f.id, static_cast<int>(E::OK));
  if (subscribe) {
    // The current state right after subscribing.
    proto::Frame p;
    p.op = proto::Op::presence;
    for (auto& u : f.uids) {
      p.uids.push_back(u);
      p.nums.push_back(static_cast<int64_t>(core_.presence_of(app_, u)));
    }
    send_frame(p);
  }
}

// ---- user attributes --------------------------------------------------------------------------

void Conn::handle_user_attrs(proto::Frame& f) {
  bool read = f.op == proto::Op::uattr_get;
  if (!allow(read ? limits().user_attr_read : limits().user_attr_write, read ? rates().uattr_r : rates().uattr_w))
    return reply(f.id, static_cast<int>(AttrErr::TOO_OFTEN));
  if (read) {
    if (!valid_user_id(f.uid)) return reply(f.id, static_cast<int>(AttrErr::INVALID_ARGUMENT));
    if (auto e = check_keys(f.keys); e != AttrErr::OK) return reply(f.id, static_cast<int>(e));
    auto u = core_.users.find(Registry::key(app_, f.uid));
    if (!u) return reply(f.id, static_cast<int>(AttrErr::USER_NOT_FOUND));
    proto::Frame r;
    r.op = proto::Op::res;
    r.id = f.id;
    {
      std::lock_guard l(u->mu);
      if (u->ended) return reply(f.id, static_cast<int>(AttrErr::USER_NOT_FOUND));
      if (f.keys.empty()) {
        for (auto& [k, v] : u->attrs) r.attrs.push_back({k, v, {}, 0});
      } else {
        for (auto& k : f.keys)
          if (auto it = u->attrs.find(k); it != u->attrs.end()) r.attrs.push_back({k, it->second, {}, 0});
      }
    }
    return reply(r);
  }
  AttrErr e = AttrErr::OK;
  if (f.op == proto::Op::uattr_set || f.op == proto::Op::uattr_add) e = check_pairs(f.attrs, true);
  if (f.op == proto::Op::uattr_del) e = check_keys(f.keys);
  if (e != AttrErr::OK) return reply(f.id, static_cast<int>(e));
  {
    std::lock_guard l(user_->mu);
    auto next = f.op == proto::Op::uattr_set || f.op == proto::Op::uattr_clear ? std::map<std::string, std::string>{}
                                                                                 : user_->attrs;
    for (auto& a : f.attrs) next[a.key] = a.value;
    for (auto& k : f.keys) next.erase(k);
    if (!within(next, kMaxUserAttrBytes, [](const std::string& v) { return v.size(); }))
      return reply(f.id, static_cast<int>(AttrErr::SIZE_OVERFLOW));
    user_->attrs = std::move(next);
  }
  reply(f.id, static_cast<int>(AttrErr::OK));
}

// ---- channel attributes -----------------------------------------------------------------------

void Conn::handle_channel_attrs(proto::Frame& f) {
  bool read = f.op == proto::Op::cattr_get;
  if (!valid_user_id(f.ch)) return reply(f.id, static_cast<int>(AttrErr::INVALID_ARGUMENT));
  if (!allow(read ? limits().channel_attr_read : limits().channel_attr_write, read ? rates().cattr_r : rates().cattr_w))
    return reply(f.id, static_cast<int>(AttrErr::TOO_OFTEN));
  if (read) {
    if (auto e = check_keys(f.keys); e != AttrErr::OK) return reply(f.id, static_cast<int>(e));
    proto::Frame r;
    r.op = proto::Op::res;
    r.id = f.id;
    if (auto ch = core_.channel(app_, f.ch, false)) {
      std::lock_guard l(ch->mu);
      if (f.keys.empty()) {
        for (auto& [k, a] : ch->attrs) r.attrs.push_back(a);
      } else {
        for (auto& k : f.keys)
          if (auto it = ch->attrs.find(k); it != ch->attrs.end()) r.attrs.push_back(it->second);
      }
    }
    return reply(r);
  }
  AttrErr e = AttrErr::OK;
  if (f.op == proto::Op::cattr_set || f.op == proto::Op::cattr_add) e = check_pairs(f.attrs, true);
  if (f.op == proto::Op::cattr_del) e = check_keys(f.keys);
  if (e != AttrErr::OK) return reply(f.id, static_cast<int>(e));
  proto::Frame n;
  n.op = proto::Op::cattrs;
  n.ch = f.ch;
  std::shared_ptr<const std::vector<std::string>> keys;
  bool overflow = false;
  std::unique_lock<std::mutex> l;
  auto ch = core_.lock_channel(app_, f.ch, l);
  {
    auto next = f.op == proto::Op::cattr_set || f.op == proto::Op::cattr_clear ? std::map<std::string, proto::Attr>{}
                                                                                 : ch->attrs;
    int64_t ts = now_ms();
    for (auto& a : f.attrs) next[a.key] = proto::Attr{a.key, a.value, uid_, ts};
    for (auto& k : f.keys) next.erase(k);
    overflow = !within(next, kMaxChannelAttrBytes, [](const proto::Attr& a) { return a.value.size(); });
    if (!overflow) ch->attrs = std::move(next);
    if (ch->members.empty()) ch->empty_since = Clock::now();
    for (auto& [k, a] : ch->attrs) n.attrs.push_back(a);
    keys = ch->member_keys;
    l.unlock();
  }
  if (overflow) return reply(f.id, static_cast<int>(AttrErr::SIZE_OVERFLOW));
  reply(f.id, static_cast<int>(AttrErr::OK));
  if (f.notify) {
    bool binary = false;
    auto frame = std::make_shared<const std::string>(proto::encode(n, binary));
    core_.broadcast(*ch, keys, frame, binary, {});
  }
}

// ---- invitations ------------------------------------------------------------------------------

void Conn::handle_invitation(proto::Frame& f) {
  using E = InvitationApiCallErr;
  if (!valid_user_id(f.to) || f.content.size() > kMaxInvitationText || f.response.size() > kMaxInvitationText ||
      (!f.ch.empty() && !valid_user_id(f.ch)))
    return reply(f.id, static_cast<int>(E::INVALID_ARGUMENT));
  auto now = Clock::now();
  bool caller_side = f.op == proto::Op::inv_send || f.op == proto::Op::inv_cancel;
  std::string k = app_ + '\n' + (caller_side ? uid_ : f.to) + '\n' + std::to_string(f.mid);
  proto::Frame e;
  e.op = proto::Op::inv;
  e.mid = f.mid;
  std::string target;  // who gets `e`
  bool fail_now = false;
  {
    std::lock_guard l(core_.inv_mu);
    auto it = core_.invitations.find(k);
    switch (f.op) {
      case proto::Op::inv_send: {
        if (it != core_.invitations.end()) return reply(f.id, static_cast<int>(E::ALREADY_SENT));
        Invitation inv;
        inv.app = app_;
        inv.caller = uid_;
        inv.callee = f.to;
        inv.content = f.content;
        inv.channel = f.ch;
        inv.id = f.mid;
        bool online = core_.registry.find(Registry::key(app_, f.to)) != nullptr;
        if (!online && f.online) {
          // The caller asked to fail at once when the callee is offline.
          fail_now = true;
          break;
        }
        inv.stage = online ? Invitation::Stage::delivered : Invitation::Stage::waiting_online;
        inv.deadline = now + std::chrono::milliseconds(online ? core_.cfg.invitation_ack_ms : core_.cfg.invitation_offline_ms);
        if (f.ttl > 0) {
          inv.end_by = now + std::chrono::milliseconds(std::min<int64_t>(f.ttl, kMaxInvitationTtlMs));
          inv.deadline = std::min(inv.deadline, inv.end_by);
        }
        core_.invitations.emplace(k, inv);
        if (online) {
          e.code = inv_event::INCOMING;
          e.from = uid_;
          e.content = f.content;
          e.ch = f.ch;
          target = f.to;
        }
        break;
      }
      case proto::Op::inv_cancel: {
        if (it == core_.invitations.end()) return reply(f.id, static_cast<int>(E::ALREADY_END));
        if (it->second.stage != Invitation::Stage::waiting_online) {
          e.code = inv_event::CANCELED;
          e.from = uid_;
          target = it->second.callee;
        }
        core_.invitations.erase(it);
        break;
      }
      case proto::Op::inv_accept:
      case proto::Op::inv_refuse: {
        if (it == core_.invitations.end() || it->second.callee != uid_) return reply(f.id, static_cast<int>(E::ALREADY_END));
        if (it->second.stage != Invitation::Stage::acknowledged) return reply(f.id, static_cast<int>(E::NOT_STARTED));
        e.code = f.op == proto::Op::inv_accept ? inv_event::ACCEPTED : inv_event::REFUSED;
        e.from = uid_;
        e.response = f.response;
        target = it->second.caller;
        core_.invitations.erase(it);
        break;
      }
      default: break;
    }
  }
  // The request was taken, and the invitation failed at once for this side: `reason`.
  auto taken_but_failed = [&](int reason) {
    reply(f.id, 0);
    proto::Frame fail;
    fail.op = proto::Op::inv;
    fail.code = inv_event::FAILED;
    fail.from = f.to;
    fail.mid = f.mid;
    fail.reason = reason;
    send_frame(fail);
  };
  if (fail_now) return taken_but_failed(static_cast<int>(LocalInvitationErr::PEER_OFFLINE));
  bool delivered = true;
  if (!target.empty()) {
    bool binary = false;
    auto frame = std::make_shared<const std::string>(proto::encode(e, binary));
    auto key = Registry::key(app_, target);
    delivered = core_.registry.find(key) != nullptr;
    // An accept needs the caller now; other answers wait for a caller in its grace period.
    if (delivered || f.op != proto::Op::inv_accept) core_.send_to(key, frame, binary);
  }
  if (f.op == proto::Op::inv_accept && !delivered)  // the caller is gone: the accept cannot reach it
    return taken_but_failed(static_cast<int>(RemoteInvitationErr::ACCEPT_FAILURE));
  reply(f.id, 0);
  if (f.op == proto::Op::inv_accept) {
    proto::Frame done;
    done.op = proto::Op::inv;
    done.code = inv_event::ANSWER_DELIVERED;
    done.from = f.to;
    done.mid = f.mid;
    send_frame(done);
  }
}

// The callee's SDK has the invitation.
void Conn::handle_inv_ack(proto::Frame& f) {
  std::string k = app_ + '\n' + f.to + '\n' + std::to_string(f.mid);
  {
    std::lock_guard l(core_.inv_mu);
    auto it = core_.invitations.find(k);
    if (it == core_.invitations.end() || it->second.callee != uid_ || it->second.stage != Invitation::Stage::delivered)
      return;
    it->second.stage = Invitation::Stage::acknowledged;
    it->second.deadline =
        std::min(it->second.end_by, Clock::now() + std::chrono::milliseconds(core_.cfg.invitation_expire_ms));
  }
  proto::Frame e;
  e.op = proto::Op::inv;
  e.code = inv_event::RECEIVED_BY_PEER;
  e.from = uid_;
  e.mid = f.mid;
  bool binary = false;
  core_.send_to(Registry::key(app_, f.to), std::make_shared<const std::string>(proto::encode(e, binary)), binary);
}

// ---- delivery ---------------------------------------------------------------------------------

void Conn::push_delivery(std::shared_ptr<Delivery> d) {
  Metrics::inc(d->rowid ? core_.metrics.deliveries_offline : core_.metrics.deliveries_peer);
  write(d->frame, d->binary);
  ++msgs_written_;
  unacked_.push_back(std::move(d));
}

// The receiver acknowledged: the sender learns OK.
void Conn::resolve(Delivery& d) {
  if (auto s = d.sender.lock()) s->complete(d.req_id, kOk);
}

void Conn::fetch_offline() {
  core_.store->fetch(app_, uid_, [self = shared_from_this()](std::vector<StoredMessage> msgs) {
    if (msgs.empty()) return;
    net::post(self->strand_, [self, msgs = std::move(msgs)]() mutable {
      if (self->closed_ || !self->logged_in_) return;
      for (auto& s : msgs) {
        if (!self->offline_seen_.insert(s.rowid).second) continue;
        proto::Frame m;
        m.op = proto::Op::msg;
        m.from = std::move(s.from);
        m.type = s.type;
        m.text = std::move(s.text);
        m.payload = std::move(s.payload);
        m.mid = s.mid;
        m.ts = s.ts;
        m.offline = true;
        auto d = std::make_shared<Delivery>();
        d->frame = std::make_shared<const std::string>(proto::encode(m, d->binary));
        d->rowid = s.rowid;
        self->push_delivery(std::move(d));
      }
    });
  });
}

// ---- replies ----------------------------------------------------------------------------------

void Conn::send_frame(const proto::Frame& f) {
  bool binary = false;
  auto s = std::make_shared<const std::string>(proto::encode(f, binary));
  write(std::move(s), binary);
}

void Conn::reply(int64_t id, int code) {
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = id;
  r.code = code;
  send_frame(r);
}

void Conn::reply(proto::Frame& r) { send_frame(r); }

void Conn::channel_result(int64_t id, ChannelMessageErr e) {
  core_.metrics.channel_messages.add(static_cast<int>(e));
  reply(id, static_cast<int>(e));
}

void Conn::peer_result(int64_t id, PeerMessageErr e) {
  core_.metrics.peer_messages.add(static_cast<int>(e));
  reply(id, static_cast<int>(e));
}

void Conn::login_refused(int64_t id, LoginErr e) {
  core_.metrics.logins.add(static_cast<int>(e));
  reply(id, static_cast<int>(e));
}

void Conn::reply_login_ok(int64_t id) {
  core_.metrics.logins.add(0);
  proto::Frame r;
  r.op = proto::Op::res;
  r.id = id;
  r.code = kOk;
  r.ts = now_ms();
  r.hb = core_.cfg.idle_timeout_ms;
  r.version = core_.version;
  send_frame(r);
}

void Conn::protocol_error(int64_t id, int code, std::string_view detail) {
  Metrics::inc(core_.metrics.protocol_errors);
  RTM_LOG(debug, "session", "protocol error " << code << ": " << detail);
  proto::Frame e;
  e.op = proto::Op::error;
  e.id = id;
  e.code = code;
  e.detail = std::string(detail);
  send_frame(e);
}

// ---- timers: login deadline and request deadlines share one timer ------------------------------

void Conn::rearm_timer() {
  if (closed_) return;
  Clock::time_point next = Clock::time_point::max();
  if (!logged_in_ && key_.empty()) next = login_deadline_;
  if (!pending_order_.empty()) next = std::min(next, pending_order_.front().first);
  if (logged_in_) next = std::min({next, token_warn_at_, token_expire_at_});
  if (next == Clock::time_point::max()) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(next);
  timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = w.lock()) self->on_timer();
  });
}

void Conn::on_timer() {
  if (closed_) return;
  auto now = Clock::now();
  if (!logged_in_ && key_.empty() && now >= login_deadline_) {
    close(close_code::LOGIN_TIMEOUT, "no login");
    return;
  }
  if (logged_in_ && now >= token_expire_at_) {
    RTM_LOG(info, "session", "token of '" << uid_ << "' expired");
    token_expire_at_ = token_warn_at_ = Clock::time_point::max();
    kick(static_cast<int>(ConnectionChangeReason::TOKEN_EXPIRED));
    return;
  }
  if (logged_in_ && now >= token_warn_at_) {
    token_warn_at_ = Clock::time_point::max();
    proto::Frame w;
    w.op = proto::Op::token_will_expire;
    send_frame(w);
  }
  while (!pending_order_.empty() && pending_order_.front().first <= now) {
    int64_t id = pending_order_.front().second;
    pending_order_.pop_front();
    if (pending_ids_.erase(id)) peer_result(id, PeerMessageErr::SENT_TIMEOUT);
  }
  // Drop order entries whose requests already completed, so the timer does not wake for them.
  while (!pending_order_.empty() && !pending_ids_.count(pending_order_.front().second)) pending_order_.pop_front();
  rearm_timer();
}

}  // namespace rtm::server
