#include "core/client/client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_set>

#include "core/client/dispatcher.hpp"
#include "core/client/transport.hpp"
#include "core/common/log.hpp"
#include "core/protocol/codec.hpp"
#include "core/protocol/ids.hpp"

namespace net = boost::asio;

namespace rtm {

using Clock = std::chrono::steady_clock;
using State = ConnectionState;
using Reason = ConnectionChangeReason;

struct Client::Impl : std::enable_shared_from_this<Client::Impl> {
  // A request that waits for its `res`.
  struct Request {
    proto::Op op;
    int64_t message_id = 0;        // peer messages
    std::string token;             // renew
    std::shared_ptr<const std::string> frame;
    bool binary = false;
    Clock::time_point deadline;
    bool sent = false;             // written on the current connection
  };

  ClientConfig cfg;
  EventHandler* handler;
  Url url;
  bool url_ok = false;

  net::io_context ioc{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::thread io_thread;
  Dispatcher dispatcher;

  // Shared with API threads.
  std::atomic<State> state{State::DISCONNECTED};
  std::atomic<std::size_t> outbound_bytes{0};
  mutable std::mutex user_mu;
  std::string user;
  std::atomic<int64_t> next_id{1};
  uint64_t mid_prefix = 0;
  std::atomic<uint32_t> mid_counter{0};

  // Network-thread state.
  std::string token;
  std::shared_ptr<Transport> transport;
  uint64_t generation = 0;         // ignores events of replaced transports
  bool session_open = false;       // login answered OK on the current transport
  int64_t login_req = 0;
  int kicked_reason = 0;
  Clock::time_point login_deadline;
  unsigned attempts = 0;
  net::steady_timer retry_timer{ioc};
  net::steady_timer request_timer{ioc};
  bool request_timer_armed = false;
  std::map<int64_t, Request> requests;     // by request id, so resends keep their order
  uint64_t received = 0;                   // msg frames on the current transport
  std::unordered_set<std::string> seen;    // (sender, message id) recently delivered
  std::deque<std::string> seen_order;
  std::mt19937_64 rng{std::random_device{}()};

  Impl(ClientConfig c, EventHandler* h)
      : cfg(std::move(c)), handler(h),
        dispatcher(cfg.dispatch == DispatchMode::thread, cfg.max_pending_events / 2, [this] { resume_reading(); }) {
    url_ok = parse_url(cfg.url, url);
    mid_prefix = (rng() & 0x7fffffffULL) << 32;
  }

  void start() {
    work.emplace(ioc.get_executor());
    io_thread = std::thread([this] { ioc.run(); });
  }

  void shutdown() {
    // Handlers that never run are destroyed with the io_context; none of them owns this Impl.
    work.reset();
    ioc.stop();
    if (io_thread.joinable()) io_thread.join();
    dispatcher.stop();
    if (transport) transport->abort();
    transport.reset();
  }

  // ---- helpers (network thread) ---------------------------------------------------------------

  template <class F>
  void emit(F&& f) {
    dispatcher.post([h = handler, f = std::forward<F>(f)]() mutable { f(*h); });
  }

  void set_state(State s, Reason r) {
    state.store(s);
    emit([s, r](EventHandler& h) { h.on_connection_state_changed(s, r); });
  }

  std::string user_id() const {
    std::lock_guard lock(user_mu);
    return user;
  }

  void resume_reading() {
    net::post(ioc, [w = weak_from_this()] {
      if (auto self = w.lock(); self && self->transport) self->transport->resume_reading();
    });
  }

  TransportOptions transport_options() const {
    TransportOptions o;
    o.ca_file = cfg.ca_file;
    o.insecure = cfg.tls_insecure_skip_verify;
    o.connect_timeout_ms = cfg.connect_timeout_ms;
    o.idle_timeout_ms = cfg.idle_timeout_ms;
    return o;
  }

  void open_transport() {
    ++generation;
    session_open = false;
    received = 0;
    for (auto& [id, r] : requests) r.sent = false;
    uint64_t gen = generation;
    TransportEvents ev;
    auto w = weak_from_this();
    ev.opened = [w, gen] { if (auto s = w.lock(); s && s->generation == gen) s->on_open(); };
    ev.frame = [w, gen](std::string_view d, bool b) { if (auto s = w.lock(); s && s->generation == gen) s->on_frame(d, b); };
    ev.closed = [w, gen](int code, std::string detail) {
      if (auto s = w.lock(); s && s->generation == gen) s->on_closed(code, std::move(detail));
    };
    ev.may_read = [w] {
      auto s = w.lock();
      return !s || s->dispatcher.size() < s->cfg.max_pending_events;
    };
    transport = make_transport(ioc, url, transport_options(), std::move(ev));
    transport->connect();
  }

  void drop_transport() {
    ++generation;
    if (transport) transport->abort();
    transport.reset();
    session_open = false;
  }

  void send_frame(const proto::Frame& f) {
    if (!transport) return;
    bool binary = false;
    auto data = std::make_shared<const std::string>(proto::encode(f, binary));
    transport->send(std::move(data), binary);
  }

  // ---- login / reconnect ----------------------------------------------------------------------

  void begin_login(std::string tok) {
    token = std::move(tok);
    kicked_reason = 0;
    attempts = 0;
    login_deadline = Clock::now() + std::chrono::milliseconds(cfg.login_timeout_ms);
    set_state(State::CONNECTING, Reason::LOGIN);
    open_transport();
    arm_request_timer();
  }

  void on_open() {
    proto::Frame f;
    f.op = proto::Op::login;
    f.id = login_req = next_id++;
    f.app = cfg.app_id;
    f.uid = user_id();
    f.token = token;
    f.sdk = "rtmkit-cpp/0.1.0";
    send_frame(f);
  }

  void on_login_result(int code) {
    login_req = 0;
    State s = state.load();
    if (code == 0) {
      session_open = true;
      attempts = 0;
      set_state(State::CONNECTED, Reason::LOGIN_SUCCESS);
      if (s == State::CONNECTING) emit([](EventHandler& h) { h.on_login_success(); });
      flush_requests();
      return;
    }
    drop_transport();
    if (s == State::CONNECTING) {
      fail_all_requests(PeerMessageErr::FAILURE);
      set_state(State::DISCONNECTED, Reason::LOGIN_FAILURE);
      emit([code](EventHandler& h) { h.on_login_failure(static_cast<LoginErr>(code)); });
    } else if (code == static_cast<int>(LoginErr::TOKEN_EXPIRED)) {
      // While reconnecting: wait for renewToken().
      emit([](EventHandler& h) { h.on_token_expired(); });
    } else {
      fail_all_requests(PeerMessageErr::FAILURE);
      set_state(State::ABORTED, Reason::LOGIN_FAILURE);
    }
  }

  void on_closed(int code, std::string detail) {
    RTM_LOG(debug, "client", "connection closed (" << code << "): " << detail);
    transport.reset();
    session_open = false;
    State s = state.load();
    int kick = kicked_reason;
    if (!kick && code == close_code::REMOTE_LOGIN) kick = static_cast<int>(Reason::REMOTE_LOGIN);
    if (!kick && code == close_code::BANNED) kick = static_cast<int>(Reason::BANNED_BY_SERVER);
    if (kick && (s == State::CONNECTED || s == State::RECONNECTING)) {
      fail_all_requests(PeerMessageErr::FAILURE);
      set_state(State::ABORTED, static_cast<Reason>(kick));
      return;
    }
    if (s == State::CONNECTED) {
      set_state(State::RECONNECTING, Reason::INTERRUPTED);
      schedule_retry();
    } else if (s == State::CONNECTING || s == State::RECONNECTING) {
      schedule_retry();
    }
  }

  void schedule_retry() {
    // Exponential backoff with full jitter between min and the current cap.
    uint64_t cap = cfg.reconnect_min_ms;
    for (unsigned i = 0; i < attempts && cap < cfg.reconnect_max_ms; ++i) cap *= 2;
    cap = std::min<uint64_t>(cap, cfg.reconnect_max_ms);
    uint64_t delay = cfg.reconnect_min_ms / 2 + rng() % (cap - cfg.reconnect_min_ms / 2 + 1);
    ++attempts;
    if (state.load() == State::CONNECTING) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(login_deadline - Clock::now()).count();
      if (left <= 0) return login_timed_out();
      delay = std::min<uint64_t>(delay, static_cast<uint64_t>(left));
    }
    retry_timer.expires_after(std::chrono::milliseconds(delay));
    retry_timer.async_wait([w = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      auto self = w.lock();
      if (!self || self->transport) return;
      State st = self->state.load();
      if (st == State::CONNECTING && Clock::now() >= self->login_deadline) return self->login_timed_out();
      if (st == State::CONNECTING || st == State::RECONNECTING) self->open_transport();
    });
  }

  void login_timed_out() {
    drop_transport();
    retry_timer.cancel();
    fail_all_requests(PeerMessageErr::FAILURE);
    set_state(State::DISCONNECTED, Reason::LOGIN_TIMEOUT);
    emit([](EventHandler& h) { h.on_login_failure(LoginErr::TIMEOUT); });
  }

  void do_logout() {
    State s = state.load();
    if (s == State::DISCONNECTED) return;
    if (transport && session_open) {
      proto::Frame f;
      f.op = proto::Op::logout;
      f.id = next_id++;
      send_frame(f);
      transport->close();  // the logout frame is written first; the server then closes too
      ++generation;        // its events no longer concern this session
      transport.reset();
    } else {
      drop_transport();
    }
    retry_timer.cancel();
    session_open = false;
    fail_all_requests(PeerMessageErr::FAILURE);
    set_state(State::DISCONNECTED, Reason::LOGOUT);
    emit([](EventHandler& h) { h.on_logout(LogoutErr::OK); });
  }

  // ---- requests -------------------------------------------------------------------------------

  void add_request(int64_t id, Request r) {
    auto [it, ok] = requests.emplace(id, std::move(r));
    if (session_open && transport) {
      transport->send(it->second.frame, it->second.binary);
      it->second.sent = true;
    }
    arm_request_timer();
  }

  // After a (re)login: send every request not yet answered. A peer message that reached its receiver
  // before the drop is recognised there by its message id and not delivered twice.
  void flush_requests() {
    for (auto& [id, r] : requests) {
      if (r.sent || !transport) continue;
      transport->send(r.frame, r.binary);
      r.sent = true;
    }
  }

  void finish_request(std::map<int64_t, Request>::iterator it, int code) {
    Request r = std::move(it->second);
    requests.erase(it);
    outbound_bytes -= r.frame->size();
    if (r.op == proto::Op::peer) {
      emit([mid = r.message_id, code](EventHandler& h) {
        h.on_send_message_result(mid, static_cast<PeerMessageErr>(code));
      });
    } else if (r.op == proto::Op::renew) {
      if (code == 0) token = r.token;
      emit([tok = std::move(r.token), code](EventHandler& h) {
        h.on_renew_token_result(tok, static_cast<RenewTokenErr>(code));
      });
    }
  }

  void fail_all_requests(PeerMessageErr code) {
    while (!requests.empty()) {
      auto it = requests.begin();
      int c = it->second.op == proto::Op::renew ? static_cast<int>(RenewTokenErr::FAILURE) : static_cast<int>(code);
      finish_request(it, c);
    }
  }

  void arm_request_timer() {
    if (request_timer_armed) return;
    request_timer_armed = true;
    request_timer.expires_after(std::chrono::milliseconds(100));
    request_timer.async_wait([w = weak_from_this()](boost::system::error_code ec) {
      auto self = w.lock();
      if (!self) return;
      self->request_timer_armed = false;
      if (!ec) self->on_request_timer();
    });
  }

  void on_request_timer() {
    auto now = Clock::now();
    for (auto it = requests.begin(); it != requests.end();) {
      auto next = std::next(it);
      if (it->second.deadline <= now) finish_request(it, static_cast<int>(PeerMessageErr::SENT_TIMEOUT));
      it = next;
    }
    if (state.load() == State::CONNECTING && !session_open && now >= login_deadline) return login_timed_out();
    if (!requests.empty() || state.load() == State::CONNECTING) arm_request_timer();
  }

  // ---- inbound ----------------------------------------------------------------------------------

  void on_frame(std::string_view data, bool binary) {
    proto::Frame f;
    if (int err = proto::decode(data, binary, f)) {
      RTM_LOG(warn, "client", "undecodable frame from the server (" << err << ")");
      return;
    }
    switch (f.op) {
      case proto::Op::res: {
        if (f.id == login_req && login_req) return on_login_result(f.code);
        auto it = requests.find(f.id);
        if (it != requests.end()) finish_request(it, f.code);
        break;
      }
      case proto::Op::msg: on_msg(f); break;
      case proto::Op::kick: kicked_reason = f.reason; break;
      case proto::Op::error: {
        RTM_LOG(warn, "client", "server reported protocol error " << f.code << ": " << f.detail);
        auto it = requests.find(f.id);
        if (f.id && it != requests.end()) finish_request(it, static_cast<int>(PeerMessageErr::FAILURE));
        break;
      }
      default: break;
    }
  }

  void on_msg(proto::Frame& f) {
    ++received;
    proto::Frame ack;
    ack.op = proto::Op::ack;
    ack.n = received;
    send_frame(ack);
    std::string key = f.from + '\n' + std::to_string(f.mid);
    if (!seen.insert(key).second) return;  // a duplicate of a message already delivered
    seen_order.push_back(std::move(key));
    if (seen_order.size() > cfg.dedup_window) {
      seen.erase(seen_order.front());
      seen_order.pop_front();
    }
    Message m;
    m.type = static_cast<MessageType>(f.type);
    m.text = std::move(f.text);
    m.raw = std::move(f.payload);
    m.message_id = f.mid;
    m.server_received_ts = f.ts;
    m.is_offline = f.offline;
    emit([from = std::move(f.from), m = std::move(m)](EventHandler& h) { h.on_message_received_from_peer(from, m); });
  }
};

// ---- public API -------------------------------------------------------------------------------

Client::Client(ClientConfig cfg, EventHandler* handler) : impl_(std::make_shared<Impl>(std::move(cfg), handler)) {
  impl_->start();
}

Client::~Client() { impl_->shutdown(); }

ConnectionState Client::state() const { return impl_->state.load(); }
std::string Client::user_id() const { return impl_->user_id(); }

int Client::login(const std::string& token, const std::string& user_id) {
  auto& d = *impl_;
  if (!d.url_ok || !valid_app_id(d.cfg.app_id)) return static_cast<int>(LoginErr::INVALID_APP_ID);
  if (!valid_user_id(user_id)) return static_cast<int>(LoginErr::INVALID_ARGUMENT);
  if (token.size() > limits::kMaxTokenBytes) return static_cast<int>(LoginErr::INVALID_TOKEN);
  // Claim the DISCONNECTED -> CONNECTING transition here so that two concurrent logins cannot both pass.
  State expected = State::DISCONNECTED;
  if (!d.state.compare_exchange_strong(expected, State::CONNECTING)) return static_cast<int>(LoginErr::ALREADY_LOGGED_IN);
  {
    std::lock_guard lock(d.user_mu);
    d.user = user_id;
  }
  net::post(d.ioc, [self = impl_.get(), token] { self->begin_login(token); });
  return 0;
}

int Client::logout() {
  auto& d = *impl_;
  State s = d.state.load();
  if (s == State::DISCONNECTED) return static_cast<int>(LogoutErr::USER_NOT_LOGGED_IN);
  net::post(d.ioc, [self = impl_.get()] { self->do_logout(); });
  return 0;
}

int Client::renew_token(const std::string& token) {
  auto& d = *impl_;
  State s = d.state.load();
  if (s != State::CONNECTED && s != State::RECONNECTING) return static_cast<int>(RenewTokenErr::USER_NOT_LOGGED_IN);
  if (token.empty() || token.size() > limits::kMaxTokenBytes) return static_cast<int>(RenewTokenErr::INVALID_ARGUMENT);
  net::post(d.ioc, [self = impl_.get(), token] {
    State st = self->state.load();
    if (st == State::RECONNECTING && !self->session_open) {
      // Not connected: the new token is used by the next attempt, which is started now.
      self->token = token;
      self->emit([token](EventHandler& h) { h.on_renew_token_result(token, RenewTokenErr::OK); });
      if (!self->transport) self->open_transport();
      return;
    }
    Impl::Request r;
    r.op = proto::Op::renew;
    r.token = token;
    proto::Frame f;
    f.op = proto::Op::renew;
    f.id = self->next_id++;
    f.token = token;
    bool binary = false;
    r.frame = std::make_shared<const std::string>(proto::encode(f, binary));
    r.deadline = Clock::now() + std::chrono::milliseconds(self->cfg.request_timeout_ms);
    self->outbound_bytes += r.frame->size();
    self->add_request(f.id, std::move(r));
  });
  return 0;
}

int Client::send_message_to_peer(const std::string& peer_id, const Message& message, const SendMessageOptions& options,
                                 int64_t* message_id) {
  auto& d = *impl_;
  State s = d.state.load();
  if (s != State::CONNECTED && s != State::RECONNECTING) return static_cast<int>(PeerMessageErr::USER_NOT_LOGGED_IN);
  if (!valid_user_id(peer_id)) return static_cast<int>(PeerMessageErr::INVALID_USERID);
  if (message.type != MessageType::TEXT && message.type != MessageType::RAW)
    return static_cast<int>(PeerMessageErr::INVALID_MESSAGE);
  if (message.type == MessageType::TEXT && !message.raw.empty()) return static_cast<int>(PeerMessageErr::INVALID_MESSAGE);
  if (message.text.size() + message.raw.size() > limits::kMaxMessageBytes)
    return static_cast<int>(PeerMessageErr::INVALID_MESSAGE);

  proto::Frame f;
  f.op = proto::Op::peer;
  f.id = d.next_id++;
  f.to = peer_id;
  f.type = static_cast<int>(message.type);
  f.text = message.text;
  f.payload = message.raw;
  f.offline = options.enable_offline_messaging;
  f.mid = static_cast<int64_t>(d.mid_prefix | d.mid_counter.fetch_add(1));
  Impl::Request r;
  r.op = proto::Op::peer;
  r.message_id = f.mid;
  r.frame = std::make_shared<const std::string>(proto::encode(f, r.binary));
  r.deadline = Clock::now() + std::chrono::milliseconds(d.cfg.request_timeout_ms);
  if (d.outbound_bytes.fetch_add(r.frame->size()) + r.frame->size() > d.cfg.max_outbound_bytes) {
    d.outbound_bytes -= r.frame->size();
    return static_cast<int>(PeerMessageErr::TOO_OFTEN);
  }
  if (message_id) *message_id = f.mid;
  net::post(d.ioc, [self = impl_.get(), id = f.id, r = std::move(r)]() mutable {
    State st = self->state.load();
    if (st != State::CONNECTED && st != State::RECONNECTING) {
      self->outbound_bytes -= r.frame->size();
      self->emit([mid = r.message_id](EventHandler& h) {
        h.on_send_message_result(mid, PeerMessageErr::USER_NOT_LOGGED_IN);
      });
      return;
    }
    self->add_request(id, std::move(r));
  });
  return 0;
}

int Client::poll(int timeout_ms) { return impl_->dispatcher.poll(timeout_ms); }
void Client::wakeup() { impl_->dispatcher.wakeup(); }
int Client::event_fd() const { return impl_->dispatcher.fd(); }

}  // namespace rtm
