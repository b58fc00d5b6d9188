#include "core/server/service.hpp"

#include <boost/asio/post.hpp>

#include "core/common/log.hpp"
#include "core/protocol/ids.hpp"
#include "core/token/token.hpp"

namespace net = boost::asio;

namespace rtm::server {
namespace {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
uint32_t now_s() { return static_cast<uint32_t>(now_ms() / 1000); }

constexpr int kOk = 0;

}  // namespace

Conn::Conn(ServerCore& core, net::any_io_executor strand)
    : core_(core), strand_(std::move(strand)), timer_(strand_) {}

Conn::~Conn() = default;

// ---- thread-safe entry points ---------------------------------------------------------------

void Conn::deliver(std::shared_ptr<Delivery> d) {
  net::post(strand_, [self = shared_from_this(), d = std::move(d)]() mutable {
    if (self->closed_ || !self->logged_in_) {
      self->fail_undelivered(*d);
      return;
    }
    self->push_delivery(std::move(d));
  });
}

void Conn::complete(int64_t req_id, int code) {
  net::post(strand_, [self = shared_from_this(), req_id, code] {
    if (!self->pending_ids_.erase(req_id) || self->closed_) return;
    self->reply(req_id, code);
    auto& order = self->pending_order_;
    while (!order.empty() && !self->pending_ids_.count(order.front().second)) order.pop_front();
  });
}

void Conn::kick(int reason) {
  net::post(strand_, [self = shared_from_this(), reason] {
    if (self->closed_) return;
    proto::Frame k;
    k.op = proto::Op::kick;
    k.reason = reason;
    self->send_frame(k);
    self->logged_in_ = false;  // the new session owns the registry slot now
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
  auto unacked = std::move(unacked_);
  unacked_.clear();
  for (auto& d : unacked) fail_undelivered(*d);
  pending_ids_.clear();
  pending_order_.clear();
}

void Conn::on_message(std::string_view data, bool binary) {
  if (closed_) return;
  proto::Frame f;
  int err = proto::decode(data, binary, f);
  if (err) {
    protocol_error(f.id, err, name(static_cast<ProtocolErr>(err)));
    return;
  }
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
    default:
      // Server-to-client ops sent by a client.
      protocol_error(f.id, static_cast<int>(ProtocolErr::UNKNOWN_OP), "not a client operation");
  }
}

// ---- operations -------------------------------------------------------------------------------

void Conn::handle_login(proto::Frame& f) {
  if (logged_in_) return reply(f.id, static_cast<int>(LoginErr::ALREADY_LOGGED_IN));
  if (!valid_app_id(f.app)) return reply(f.id, static_cast<int>(LoginErr::INVALID_APP_ID));
  const AppConfig* app = nullptr;
  if (!core_.apps.empty()) {
    auto it = core_.apps.find(f.app);
    if (it == core_.apps.end()) return reply(f.id, static_cast<int>(LoginErr::INVALID_APP_ID));
    app = &it->second;
  }
  if (!valid_user_id(f.uid)) return reply(f.id, static_cast<int>(LoginErr::INVALID_ARGUMENT));
  if (app && !app->certificate.empty()) {
    if (f.token.empty() || f.token.size() > limits::kMaxTokenBytes)
      return reply(f.id, static_cast<int>(LoginErr::INVALID_TOKEN));
    auto v = token::verify_rtm_token(f.token, app->app_id, app->certificate, f.uid, now_s());
    if (v.status == token::Status::expired) return reply(f.id, static_cast<int>(LoginErr::TOKEN_EXPIRED));
    if (v.status != token::Status::ok) return reply(f.id, static_cast<int>(LoginErr::INVALID_TOKEN));
  }
  app_ = f.app;
  uid_ = f.uid;
  key_ = Registry::key(app_, uid_);
  logged_in_ = true;
  if (auto prev = core_.registry.bind(key_, shared_from_this()); prev && prev.get() != this) {
    RTM_LOG(info, "session", "user '" << uid_ << "' logged in again; the earlier session is kicked");
    prev->kick(static_cast<int>(ConnectionChangeReason::REMOTE_LOGIN));
  }
  RTM_LOG(debug, "session", "login app=" << app_ << " uid=" << uid_ << " sdk=" << f.sdk);
  reply_login_ok(f.id);
  rearm_timer();
  fetch_offline();
}

void Conn::handle_logout(proto::Frame& f) {
  reply(f.id, static_cast<int>(LogoutErr::OK));
  core_.registry.unbind(key_, this);
  logged_in_ = false;
  close(close_code::LOGGED_OUT, "logged out");
}

void Conn::handle_renew(proto::Frame& f) {
  const AppConfig* app = nullptr;
  if (auto it = core_.apps.find(app_); it != core_.apps.end()) app = &it->second;
  if (!app || app->certificate.empty()) return reply(f.id, static_cast<int>(RenewTokenErr::OK));
  if (f.token.empty() || f.token.size() > limits::kMaxTokenBytes)
    return reply(f.id, static_cast<int>(RenewTokenErr::INVALID_ARGUMENT));
  auto v = token::verify_rtm_token(f.token, app->app_id, app->certificate, uid_, now_s());
  if (v.status == token::Status::expired) return reply(f.id, static_cast<int>(RenewTokenErr::TOKEN_EXPIRED));
  if (v.status != token::Status::ok) return reply(f.id, static_cast<int>(RenewTokenErr::INVALID_TOKEN));
  reply(f.id, static_cast<int>(RenewTokenErr::OK));
}

void Conn::handle_peer(proto::Frame& f) {
  if (!valid_user_id(f.to)) return reply(f.id, static_cast<int>(PeerMessageErr::INVALID_USERID));
  if (proto::message_size(f) > limits::kMaxMessageBytes)
    return reply(f.id, static_cast<int>(PeerMessageErr::INVALID_MESSAGE));
  if (pending_ids_.size() >= core_.cfg.max_pending_requests)
    return reply(f.id, static_cast<int>(PeerMessageErr::TOO_OFTEN));
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
  if (f.offline) {
    d->offline = std::make_shared<StoredMessage>();
    auto& s = *d->offline;
    s.app = app_;
    s.to = f.to;
    s.from = uid_;
    s.type = m.type;
    s.text = std::move(m.text);
    s.payload = std::move(m.payload);
    s.mid = m.mid;
    s.ts = m.ts;
  }
  pending_order_.emplace_back(Clock::now() + std::chrono::milliseconds(core_.cfg.peer_timeout_ms), f.id);
  if (pending_order_.size() == 1) rearm_timer();

  if (auto receiver = core_.registry.find(Registry::key(app_, f.to))) {
    receiver->deliver(std::move(d));
  } else {
    fail_undelivered(*d);
  }
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

// ---- delivery ---------------------------------------------------------------------------------

void Conn::push_delivery(std::shared_ptr<Delivery> d) {
  write(d->frame, d->binary);
  ++msgs_written_;
  unacked_.push_back(std::move(d));
}

// The receiver acknowledged: the sender learns OK.
void Conn::resolve(Delivery& d) {
  if (auto s = d.sender.lock()) s->complete(d.req_id, kOk);
}

// The receiver is not (or no longer) connected: keep the message if the sender asked for it.
void Conn::fail_undelivered(Delivery& d) {
  if (d.rowid) return;  // still in the store; delivered at the next login
  auto sender = d.sender;
  int64_t req = d.req_id;
  if (!d.offline) {
    if (auto s = sender.lock()) s->complete(req, static_cast<int>(PeerMessageErr::PEER_UNREACHABLE));
    return;
  }
  auto rec = d.offline;
  ServerCore* core = &core_;
  core_.store->put(*rec, [core, sender, req, app = rec->app, to = rec->to](bool ok) {
    if (auto s = sender.lock())
      s->complete(req, ok ? static_cast<int>(PeerMessageErr::CACHED_BY_SERVER) : static_cast<int>(PeerMessageErr::FAILURE));
    // The receiver may have logged in while the message was being stored.
    if (ok)
      if (auto r = core->registry.find(Registry::key(app, to))) r->poke_offline();
  });
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

void Conn::reply_login_ok(int64_t id) {
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
  while (!pending_order_.empty() && pending_order_.front().first <= now) {
    int64_t id = pending_order_.front().second;
    pending_order_.pop_front();
    if (pending_ids_.erase(id)) reply(id, static_cast<int>(PeerMessageErr::SENT_TIMEOUT));
  }
  // Drop order entries whose requests already completed, so the timer does not wake for them.
  while (!pending_order_.empty() && !pending_ids_.count(pending_order_.front().second)) pending_order_.pop_front();
  rearm_timer();
}

}  // namespace rtm::server
