#include "core/client/client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
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

namespace {
constexpr std::size_t kMaxInvitationText = 8 * 1024;
constexpr std::size_t kMaxUserAttrBytes = 16 * 1024;
constexpr std::size_t kMaxChannelAttrBytes = 32 * 1024;
}  // namespace

struct Client::Impl : std::enable_shared_from_this<Client::Impl> {
  // A request that waits for its `res`. `done` runs on the network thread with the result code and
  // the `res` frame (null when the request timed out or failed locally).
  struct Request {
    proto::Op op = proto::Op::unknown;
    std::shared_ptr<const std::string> frame;
    bool binary = false;
    Clock::time_point deadline;
    int timeout_code = 1;
    int failure_code = 1;
    bool sent = false;  // written on the current connection
    uint64_t sent_gen = 0;  // the connection it was written on, when an application thread wrote it
    std::function<void(int code, proto::Frame* res)> done;
  };

  struct ChannelState {
    std::atomic<ChannelEventHandler*> handler{nullptr};  // null once the Channel object is gone
    std::recursive_mutex callback_mu;  // held while a callback of this channel runs
    bool joined = false;     // network thread
    std::atomic<bool> join_asked{false};  // join() was called and no leave succeeded since
    uint64_t last_seq = 0;   // network thread: the newest channel message delivered
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
  std::string sid;  // identifies this instance's session to rtmd, so only it can resume the session
  std::mutex chan_mu;
  std::map<std::string, std::shared_ptr<ChannelState>> channels;  // live Channel objects

  // Network-thread state.
  std::string token;
  std::shared_ptr<Transport> transport;
  uint64_t generation = 0;         // ignores events of replaced transports
  bool session_open = false;       // login answered OK on the current transport
  bool ever_logged_in = false;     // since login(): reconnects resume the session
  int64_t login_req = 0;
  int kicked_reason = 0;
  bool token_expired_wait = false; // reconnecting, waiting for renew_token
  Clock::time_point login_deadline;
  unsigned attempts = 0;
  net::steady_timer retry_timer{ioc};
  net::steady_timer request_timer{ioc};
  bool request_timer_armed = false;
  std::map<int64_t, Request> requests;     // by request id, so resends keep their order
  std::mutex direct_mu;                     // guards the three below, shared with application threads
  std::shared_ptr<Transport> direct;        // set while requests may be written from the calling thread
  uint64_t direct_gen = 0;                  // `generation` of that transport
  std::size_t queued_requests = 0;          // requests posted to the network thread, not yet filed
  std::vector<std::pair<int64_t, Request>> written;  // written by application threads, not yet filed
  bool ticking = false;                      // the request timer will look at `written` soon
  Clock::time_point last_written{};          // the newest direct write
  uint64_t received = 0;                   // msg frames on the current transport
  std::unordered_set<std::string> seen;    // (sender, message id) recently delivered
  std::deque<std::string> seen_order;
  std::map<std::string, std::string> local_attrs;  // restored after a reconnect
  std::set<std::string> subscriptions;             // restored after a reconnect
  std::map<int64_t, LocalInvitationPtr> local_invitations;
  std::map<std::string, RemoteInvitationPtr> remote_invitations;  // caller \n id
  std::mt19937_64 rng{std::random_device{}()};

  Impl(ClientConfig c, EventHandler* h)
      : cfg(std::move(c)), handler(h),
        dispatcher(cfg.dispatch == DispatchMode::thread, cfg.max_pending_events / 2, [this] { resume_reading(); }) {
    url_ok = parse_url(cfg.url, url);
    mid_prefix = (rng() & 0x7fffffffULL) << 32;
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    sid = buf;
  }

  void start() {
    work.emplace(ioc.get_executor());
    io_thread = std::thread([this] { ioc.run(); });
  }

  void shutdown() {
    set_direct(false);
    // Handlers that never run are destroyed with the io_context; none of them owns this Impl.
    work.reset();
    ioc.stop();
    if (io_thread.joinable()) io_thread.join();
    dispatcher.stop();
    if (transport) transport->abort();
    transport.reset();
  }

  int64_t new_message_id() { return static_cast<int64_t>(mid_prefix | mid_counter.fetch_add(1)); }

  // ---- helpers (network thread) ---------------------------------------------------------------

  template <class F>
  void emit(F&& f) {
    dispatcher.post([h = handler, f = std::forward<F>(f)]() mutable { f(*h); });
  }

  std::shared_ptr<ChannelState> channel_state(const std::string& id) {
    std::lock_guard l(chan_mu);
    auto it = channels.find(id);
    return it == channels.end() ? nullptr : it->second;
  }

  // An event for the channel object `cs`. The handler is read when the callback runs: a Channel
  // destroyed meanwhile gets nothing. The result of a request goes to the object that made it (its
  // `cs`, captured then), not to a later Channel of the same id.
  template <class F>
  void emit_to(const std::shared_ptr<ChannelState>& cs, F&& f) {
    if (!cs || !cs->handler) return;
    dispatcher.post([cs, f = std::forward<F>(f)]() mutable {
      std::lock_guard l(cs->callback_mu);
      if (auto* h = cs->handler.load()) f(*h);
    });
  }
  // A pushed event (member, message, attributes) for the channel currently open under `id`.
  template <class F>
  void emit_channel(const std::string& id, F&& f) {
    emit_to(channel_state(id), std::forward<F>(f));
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
    stop_direct();
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
    set_direct(false);
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
    ever_logged_in = false;
    token_expired_wait = false;
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
    f.sdk = "rtmkit-cpp/" RTM_PROJECT_VERSION;
    f.legacy = cfg.signaling_login;
    f.resume = ever_logged_in;
    f.sid = sid;
    send_frame(f);
  }

  void on_login_result(int code) {
    login_req = 0;
    State s = state.load();
    if (code == 0) {
      session_open = true;
      attempts = 0;
      bool resumed = ever_logged_in;
      ever_logged_in = true;
      set_state(State::CONNECTED, Reason::LOGIN_SUCCESS);
      if (s == State::CONNECTING) emit([](EventHandler& h) { h.on_login_success(); });
      if (resumed) restore_session();
      flush_requests();
      set_direct(true);
      return;
    }
    drop_transport();
    if (s == State::CONNECTING) {
      fail_all_requests();
      set_state(State::DISCONNECTED, Reason::LOGIN_FAILURE);
      emit([code](EventHandler& h) { h.on_login_failure(static_cast<LoginErr>(code)); });
    } else if (code == static_cast<int>(LoginErr::TOKEN_EXPIRED)) {
      // While reconnecting: wait for renew_token().
      token_expired_wait = true;
      retry_timer.cancel();
      emit([](EventHandler& h) { h.on_token_expired(); });
    } else if (code == static_cast<int>(LoginErr::TOO_OFTEN)) {
      schedule_retry();
    } else {
      abort_session(Reason::LOGIN_FAILURE);
    }
  }

  // After a reconnect: rejoin channels (asking for what was missed), and make sure the server has
  // this client's attributes and subscriptions, before any request queued meanwhile is sent.
  void restore_session() {
    std::vector<std::pair<std::string, std::shared_ptr<ChannelState>>> joined;
    {
      std::lock_guard l(chan_mu);
      for (auto& [id, cs] : channels)
        if (cs->joined) joined.emplace_back(id, cs);
    }
    for (auto& [id, cs] : joined) {
      proto::Frame f;
      f.op = proto::Op::join;
      f.ch = id;
      f.since = cs->last_seq;
      internal_request(f, [this, id, cs](int code, proto::Frame* res) {
        if (code != 0) {
          // The channel could not be rejoined: it is left, and its handler hears so.
          RTM_LOG(warn, "client", "rejoining channel '" << id << "' failed: " << code);
          cs->joined = false;
          emit_channel(id, [](ChannelEventHandler& h) { h.on_leave(LeaveChannelErr::FAILURE); });
          return;
        }
        // A channel that rtmd recreated meanwhile numbers its messages from the start again.
        if (res && res->seq < cs->last_seq) cs->last_seq = res->seq;
      });
    }
    if (!local_attrs.empty()) {
      proto::Frame f;
      f.op = proto::Op::uattr_set;
      for (auto& [k, v] : local_attrs) f.attrs.push_back({k, v, {}, 0});
      internal_request(f, [](int, proto::Frame*) {});
    }
    if (!subscriptions.empty()) {
      proto::Frame f;
      f.op = proto::Op::sub;
      f.uids.assign(subscriptions.begin(), subscriptions.end());
      internal_request(f, [](int, proto::Frame*) {});
    }
  }

  void internal_request(proto::Frame& f, std::function<void(int, proto::Frame*)> done) {
    f.id = next_id++;
    Request r;
    r.op = f.op;
    r.frame = std::make_shared<const std::string>(proto::encode(f, r.binary));
    r.deadline = Clock::now() + std::chrono::milliseconds(cfg.request_timeout_ms);
    r.done = std::move(done);
    outbound_bytes += r.frame->size();
    add_request(f.id, std::move(r));
  }

  void on_closed(int code, std::string detail) {
    RTM_LOG(debug, "client", "connection closed (" << code << "): " << detail);
    stop_direct();
    transport.reset();
    session_open = false;
    State s = state.load();
    int kick = kicked_reason;
    if (!kick && code == close_code::REMOTE_LOGIN) kick = static_cast<int>(Reason::REMOTE_LOGIN);
    if (!kick && code == close_code::BANNED) kick = static_cast<int>(Reason::BANNED_BY_SERVER);
    if (!kick && code == close_code::TOKEN_EXPIRED) kick = static_cast<int>(Reason::TOKEN_EXPIRED);
    if (kick && (s == State::CONNECTED || s == State::RECONNECTING)) {
      if (kick == static_cast<int>(Reason::TOKEN_EXPIRED)) emit([](EventHandler& h) { h.on_token_expired(); });
      abort_session(static_cast<Reason>(kick));
      return;
    }
    if (s == State::CONNECTED) {
      set_state(State::RECONNECTING, Reason::INTERRUPTED);
      schedule_retry();
    } else if (s == State::CONNECTING || s == State::RECONNECTING) {
      if (!token_expired_wait) schedule_retry();
    }
  }

  void abort_session(Reason why) {
    drop_transport();
    retry_timer.cancel();
    fail_all_requests();
    forget_session();
    set_state(State::ABORTED, why);
  }

  // The session is over: channels are left, local caches and invitations dropped.
  void forget_session() {
    std::vector<std::pair<std::string, std::shared_ptr<ChannelState>>> left;
    {
      std::lock_guard l(chan_mu);
      for (auto& [id, cs] : channels) {
        cs->join_asked = false;
        if (cs->joined) left.emplace_back(id, cs);
      }
    }
    for (auto& [id, cs] : left) {
      cs->joined = false;
      cs->last_seq = 0;
    }
    local_attrs.clear();
    subscriptions.clear();
    for (auto& [id, inv] : local_invitations) {
      std::lock_guard l(inv->mu_);
      if (inv->state_ == LocalInvitationState::SENT_TO_REMOTE || inv->state_ == LocalInvitationState::RECEIVED_BY_REMOTE)
        inv->state_ = LocalInvitationState::FAILURE;
    }
    local_invitations.clear();
    remote_invitations.clear();
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
    fail_all_requests();
    set_state(State::DISCONNECTED, Reason::LOGIN_TIMEOUT);
    emit([](EventHandler& h) { h.on_login_failure(LoginErr::TIMEOUT); });
  }

  void do_logout() {
    State s = state.load();
    if (s == State::DISCONNECTED) return;
    stop_direct();
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
    token_expired_wait = false;
    fail_all_requests();
    forget_session();
    set_state(State::DISCONNECTED, Reason::LOGOUT);
    emit([](EventHandler& h) { h.on_logout(LogoutErr::OK); });
  }

  // ---- requests -------------------------------------------------------------------------------

  // Requests an application thread may write itself: the open session's transport, while no request
  // of an earlier call is still on its way through the network thread's queue (so that requests
  // keep their order).
  // On: from the network thread, which owns `transport` and `generation`. Off: from any thread.
  void set_direct(bool on) {
    std::lock_guard l(direct_mu);
    if (on && !url.tls) {  // over TLS the network thread owns every write
      direct = transport;
      direct_gen = generation;
    } else {
      direct = nullptr;
    }
  }

  // No more direct writes; those already made are filed.
  void stop_direct() {
    set_direct(false);
    file_written();
  }

  // Work from an application thread that may write frames: counted like a queued request, so that
  // no later request overtakes it by being written directly.
  template <class F>
  void post_ordered(F&& fn) {
    {
      std::lock_guard l(direct_mu);
      ++queued_requests;
    }
    net::post(ioc, [self = this, fn = std::forward<F>(fn)]() mutable {
      fn();
      std::lock_guard l(self->direct_mu);
      --self->queued_requests;
    });
  }

  // Files the requests application threads wrote themselves. Runs before anything that looks a
  // request up (every inbound frame, the request timer, a connection's end), so an answer always
  // finds its request.
  void file_written() {
    std::vector<std::pair<int64_t, Request>> batch;
    {
      std::lock_guard l(direct_mu);
      if (written.empty()) return;
      batch.swap(written);
    }
    for (auto& [id, r] : batch) add_request(id, std::move(r));
  }

  void add_request(int64_t id, Request r) {
    if (r.sent && r.sent_gen != generation) r.sent = false;  // written on a connection that is gone
    auto [it, ok] = requests.emplace(id, std::move(r));
    if (!it->second.sent && session_open && transport) {
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

  void finish_request(std::map<int64_t, Request>::iterator it, int code, proto::Frame* res) {
    Request r = std::move(it->second);
    requests.erase(it);
    outbound_bytes -= r.frame->size();
    if (r.done) r.done(code, res);
  }

  void fail_all_requests() {
    file_written();
    while (!requests.empty()) {
      auto it = requests.begin();
      finish_request(it, it->second.failure_code, nullptr);
    }
  }

  void arm_request_timer() {
    if (request_timer_armed) return;
    request_timer_armed = true;
    {
      std::lock_guard l(direct_mu);
      ticking = true;
    }
    request_timer.expires_after(std::chrono::milliseconds(100));
    request_timer.async_wait([w = weak_from_this()](boost::system::error_code ec) {
      auto self = w.lock();
      if (!self) return;
      self->request_timer_armed = false;
      if (!ec) self->on_request_timer();
    });
  }

  void on_request_timer() {
    file_written();
    auto now = Clock::now();
    for (auto it = requests.begin(); it != requests.end();) {
      auto next = std::next(it);
      if (it->second.deadline <= now) finish_request(it, it->second.timeout_code, nullptr);
      it = next;
    }
    if (state.load() == State::CONNECTING && !session_open && now >= login_deadline) return login_timed_out();
    bool keep = !requests.empty() || state.load() == State::CONNECTING;
    {
      // While messages are being written directly the timer keeps ticking, so that their
      // timeouts are watched without a wake-up per message; a second after the last one it stops,
      // and the next direct write starts it again.
      std::lock_guard l(direct_mu);
      keep = keep || !written.empty() || (direct && now - last_written < std::chrono::seconds(1));
      if (!keep) ticking = false;
    }
    if (keep) arm_request_timer();
  }

  // ---- inbound ----------------------------------------------------------------------------------

  void on_frame(std::string_view data, bool binary) {
    file_written();
    proto::Frame f;
    if (int err = proto::decode(data, binary, f)) {
      RTM_LOG(warn, "client", "undecodable frame from the server (" << err << ")");
      return;
    }
    switch (f.op) {
      case proto::Op::res: {
        if (f.id == login_req && login_req) return on_login_result(f.code);
        auto it = requests.find(f.id);
        if (it != requests.end()) finish_request(it, f.code, &f);
        break;
      }
      case proto::Op::msg: on_msg(f); break;
      case proto::Op::cmsg: on_channel_msg(f); break;
      case proto::Op::kick: kicked_reason = f.reason; break;
      case proto::Op::member: {
        bool joined = f.joined;
        emit_channel(f.ch, [uid = std::move(f.uid), joined](ChannelEventHandler& h) {
          if (joined) h.on_member_joined(uid);
          else h.on_member_left(uid);
        });
        break;
      }
      case proto::Op::mcount:
        emit_channel(f.ch, [n = static_cast<int>(f.count)](ChannelEventHandler& h) { h.on_member_count_updated(n); });
        break;
      case proto::Op::cattrs:
        emit_channel(f.ch, [a = channel_attrs(f.attrs)](ChannelEventHandler& h) { h.on_attributes_updated(a); });
        break;
      case proto::Op::presence: {
        std::vector<PeerOnlineStatus> st;
        for (std::size_t i = 0; i < f.uids.size() && i < f.nums.size(); ++i) {
          auto s = static_cast<PeerOnlineState>(f.nums[i]);
          st.push_back({f.uids[i], s == PeerOnlineState::ONLINE, s});
        }
        emit([st = std::move(st)](EventHandler& h) { h.on_peers_online_status_changed(st); });
        break;
      }
      case proto::Op::inv: on_invitation_event(f); break;
      case proto::Op::token_will_expire: emit([](EventHandler& h) { h.on_token_privilege_will_expire(); }); break;
      case proto::Op::error: {
        RTM_LOG(warn, "client", "server reported protocol error " << f.code << ": " << f.detail);
        if (f.id && f.id == login_req) return on_login_result(static_cast<int>(LoginErr::UNKNOWN));
        auto it = requests.find(f.id);
        if (f.id && it != requests.end()) finish_request(it, it->second.failure_code, nullptr);
        break;
      }
      default: break;
    }
  }

  static std::vector<ChannelAttribute> channel_attrs(const std::vector<proto::Attr>& in) {
    std::vector<ChannelAttribute> out;
    out.reserve(in.size());
    for (auto& a : in) out.push_back({a.key, a.value, a.user, a.ts});
    return out;
  }

  static Message to_message(proto::Frame& f) {
    Message m;
    m.type = static_cast<MessageType>(f.type);
    m.text = std::move(f.text);
    m.raw = std::move(f.payload);
    m.message_id = f.mid;
    m.server_received_ts = f.ts;
    m.is_offline = f.offline;
    return m;
  }

  // False when `key` was seen among the last dedup_window messages.
  bool remember(std::string key) {
    if (!seen.insert(key).second) return false;
    seen_order.push_back(std::move(key));
    if (seen_order.size() > cfg.dedup_window) {
      seen.erase(seen_order.front());
      seen_order.pop_front();
    }
    return true;
  }

  void on_msg(proto::Frame& f) {
    ++received;
    proto::Frame ack;
    ack.op = proto::Op::ack;
    ack.n = received;
    send_frame(ack);
    if (!remember(f.from + '\n' + std::to_string(f.mid))) return;  // a duplicate already delivered
    emit([from = std::move(f.from), m = to_message(f)](EventHandler& h) { h.on_message_received_from_peer(from, m); });
  }

  void on_channel_msg(proto::Frame& f) {
    auto cs = channel_state(f.ch);
    if (!cs || !cs->joined) return;
    if (f.seq <= cs->last_seq) return;  // already delivered (recovery overlaps the live stream)
    cs->last_seq = f.seq;
    // A message its sender resent after a reconnect comes with a new seq but the same message id.
    if (!remember(f.ch + '\n' + f.from + '\n' + std::to_string(f.mid))) return;
    emit_channel(f.ch, [from = std::move(f.from), m = to_message(f)](ChannelEventHandler& h) {
      h.on_message_received(from, m);
    });
  }

  // ---- invitations ----------------------------------------------------------------------------

  void on_invitation_event(proto::Frame& f) {
    using LS = LocalInvitationState;
    using RS = RemoteInvitationState;
    if (f.code == inv_event::INCOMING) {
      proto::Frame ack;
      ack.op = proto::Op::inv_ack;
      ack.to = f.from;
      ack.mid = f.mid;
      send_frame(ack);
      std::string key = f.from + '\n' + std::to_string(f.mid);
      if (remote_invitations.count(key)) return;
      RemoteInvitationPtr ri(new RemoteInvitation(f.from, f.mid, f.content, f.ch));
      remote_invitations.emplace(key, ri);
      emit([ri](EventHandler& h) { h.on_remote_invitation_received(ri); });
      return;
    }
    // Events about an invitation this client sent.
    if (f.code == inv_event::RECEIVED_BY_PEER || f.code == inv_event::ACCEPTED || f.code == inv_event::REFUSED ||
        (f.code == inv_event::FAILED && local_invitations.count(f.mid) &&
         local_invitations[f.mid]->callee_id() == f.from)) {
      auto it = local_invitations.find(f.mid);
      if (it == local_invitations.end()) return;
      auto li = it->second;
      std::lock_guard l(li->mu_);
      switch (f.code) {
        case inv_event::RECEIVED_BY_PEER:
          if (li->state_ != LS::SENT_TO_REMOTE) return;
          li->state_ = LS::RECEIVED_BY_REMOTE;
          emit([li](EventHandler& h) { h.on_local_invitation_received_by_peer(li); });
          return;
        case inv_event::ACCEPTED:
          li->state_ = LS::ACCEPTED_BY_REMOTE;
          li->response_ = f.response;
          local_invitations.erase(it);
          emit([li, r = f.response](EventHandler& h) { h.on_local_invitation_accepted(li, r); });
          return;
        case inv_event::REFUSED:
          li->state_ = LS::REFUSED_BY_REMOTE;
          li->response_ = f.response;
          local_invitations.erase(it);
          emit([li, r = f.response](EventHandler& h) { h.on_local_invitation_refused(li, r); });
          return;
        default:
          li->state_ = LS::FAILURE;
          local_invitations.erase(it);
          emit([li, e = static_cast<LocalInvitationErr>(f.reason)](EventHandler& h) { h.on_local_invitation_failure(li, e); });
          return;
      }
    }
    // Events about an invitation this client received.
    auto it = remote_invitations.find(f.from + '\n' + std::to_string(f.mid));
    if (it == remote_invitations.end()) return;
    auto ri = it->second;
    std::lock_guard l(ri->mu_);
    switch (f.code) {
      case inv_event::CANCELED:
        if (ri->state_ == RS::ACCEPTED || ri->state_ == RS::REFUSED) return;
        ri->state_ = RS::CANCELED;
        remote_invitations.erase(it);
        emit([ri](EventHandler& h) { h.on_remote_invitation_canceled(ri); });
        break;
      case inv_event::ANSWER_DELIVERED:
        ri->state_ = RS::ACCEPTED;
        remote_invitations.erase(it);
        emit([ri](EventHandler& h) { h.on_remote_invitation_accepted(ri); });
        break;
      case inv_event::FAILED:
        ri->state_ = RS::FAILURE;
        remote_invitations.erase(it);
        emit([ri, e = static_cast<RemoteInvitationErr>(f.reason)](EventHandler& h) { h.on_remote_invitation_failure(ri, e); });
        break;
      default: break;
    }
  }

  // ---- requests from API threads ----------------------------------------------------------------

  int answer(const RemoteInvitationPtr& inv, bool accept) {
    using E = InvitationApiCallErr;
    using S = RemoteInvitationState;
    if (!inv) return static_cast<int>(E::INVALID_ARGUMENT);
    proto::Frame f;
    {
      std::lock_guard l(inv->mu_);
      if (inv->state_ == S::ACCEPT_SENT_TO_LOCAL || inv->state_ == S::ACCEPTED) return static_cast<int>(E::ALREADY_ACCEPT);
      if (inv->state_ != S::INVITATION_RECEIVED) return static_cast<int>(E::ALREADY_END);
      if (inv->response_.size() > kMaxInvitationText) return static_cast<int>(E::INVALID_ARGUMENT);
      f.response = inv->response_;
      if (accept) inv->state_ = S::ACCEPT_SENT_TO_LOCAL;
    }
    f.op = accept ? proto::Op::inv_accept : proto::Op::inv_refuse;
    f.to = inv->caller_id();
    f.mid = inv->id();
    Impl* self = this;
    return submit(std::move(f), static_cast<int>(E::ALREADY_END), -1, -1, [self, inv, accept](int code, proto::Frame*) {
      if (code != 0) {
        if (!accept) return;
        {
          std::lock_guard l(inv->mu_);
          if (inv->state_ != S::ACCEPT_SENT_TO_LOCAL) return;
          inv->state_ = S::FAILURE;
        }
        self->remote_invitations.erase(inv->caller_id() + '\n' + std::to_string(inv->id()));
        self->emit([inv](EventHandler& h) { h.on_remote_invitation_failure(inv, RemoteInvitationErr::ACCEPT_FAILURE); });
        return;
      }
      if (accept) return;  // ACCEPTED follows once the caller has the answer
      self->remote_invitations.erase(inv->caller_id() + '\n' + std::to_string(inv->id()));
      {
        std::lock_guard l(inv->mu_);
        inv->state_ = S::REFUSED;
      }
      self->emit([inv](EventHandler& h) { h.on_remote_invitation_refused(inv); });
    }, nullptr);
  }

  // Validated on the calling thread; queued to the network thread. `done` runs there.
  int submit(proto::Frame f, int not_logged_in, int timeout_code, int failure_code,
             std::function<void(int, proto::Frame*)> done, int64_t* request_id, int too_many = 0) {
    State s = state.load();
    if (s != State::CONNECTED && s != State::RECONNECTING) return not_logged_in;
    if (!f.id) f.id = next_id++;
    Request r;
    r.op = f.op;
    r.frame = std::make_shared<const std::string>(proto::encode(f, r.binary));
    r.timeout_code = timeout_code;
    r.failure_code = failure_code;
    r.done = std::move(done);
    if (outbound_bytes.fetch_add(r.frame->size()) + r.frame->size() > cfg.max_outbound_bytes) {
      outbound_bytes -= r.frame->size();
      return too_many ? too_many : failure_code;
    }
    if (request_id) *request_id = f.id;
    {
      // Written here and now when possible, and filed for the network thread without waking it:
      // it files the request before it reads the answer (file_written). Only messages: their
      // answers gate nothing else (a join's answer must be filed before the channel's messages
      // behind it are read, so a join goes through the network thread).
      std::lock_guard l(direct_mu);
      bool may = (f.op == proto::Op::peer || f.op == proto::Op::cmsg) && direct && queued_requests == 0;
      auto now = Clock::now();
      if (may) {
        // Listed before it is written: the answer cannot overtake it.
        r.sent = true;
        r.sent_gen = direct_gen;
        r.deadline = now + std::chrono::milliseconds(cfg.request_timeout_ms);
        written.emplace_back(f.id, std::move(r));
        auto& w = written.back().second;
        if (!direct->send_from_any_thread(w.frame, w.binary)) {
          r = std::move(w);
          r.sent = false;
          written.pop_back();
          may = false;
        }
      }
      if (may) {
        last_written = now;
        if (!ticking) {
          // Nothing would look at the request's timeout: have the network thread start its timer.
          ticking = true;
          net::post(ioc, [self = this] {
            self->file_written();
            self->arm_request_timer();
          });
        }
        return 0;
      }
    }
    post_ordered([self = this, id = f.id, r = std::move(r), not_logged_in]() mutable {
      State st = self->state.load();
      if (st != State::CONNECTED && st != State::RECONNECTING) {
        self->outbound_bytes -= r.frame->size();
        if (r.done) r.done(not_logged_in, nullptr);
        return;
      }
      r.deadline = Clock::now() + std::chrono::milliseconds(self->cfg.request_timeout_ms);
      self->add_request(id, std::move(r));
    });
    return 0;
  }
};

// ---- public API: session and peer messages -------------------------------------------------------

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
  d.post_ordered([self = impl_.get(), token] { self->begin_login(token); });
  return 0;
}

int Client::logout() {
  auto& d = *impl_;
  State s = d.state.load();
  if (s == State::DISCONNECTED) return static_cast<int>(LogoutErr::USER_NOT_LOGGED_IN);
  d.post_ordered([self = impl_.get()] { self->do_logout(); });
  return 0;
}

int Client::renew_token(const std::string& token) {
  auto& d = *impl_;
  State s = d.state.load();
  if (s != State::CONNECTED && s != State::RECONNECTING) return static_cast<int>(RenewTokenErr::USER_NOT_LOGGED_IN);
  if (token.empty() || token.size() > limits::kMaxTokenBytes) return static_cast<int>(RenewTokenErr::INVALID_ARGUMENT);
  d.post_ordered([self = impl_.get(), token] {
    State st = self->state.load();
    if (st == State::RECONNECTING && !self->session_open) {
      // Not connected: the new token is used by the next attempt, which starts now.
      self->token = token;
      self->token_expired_wait = false;
      self->emit([token](EventHandler& h) { h.on_renew_token_result(token, RenewTokenErr::OK); });
      if (!self->transport) self->open_transport();
      return;
    }
    proto::Frame f;
    f.op = proto::Op::renew;
    f.token = token;
    self->internal_request(f, [self, token](int code, proto::Frame*) {
      if (code == 0) self->token = token;
      self->emit([token, code](EventHandler& h) { h.on_renew_token_result(token, static_cast<RenewTokenErr>(code)); });
    });
    auto& r = self->requests.rbegin()->second;
    r.timeout_code = r.failure_code = static_cast<int>(RenewTokenErr::FAILURE);
  });
  return 0;
}

int Client::send_message_to_peer(const std::string& peer_id, const Message& message, const SendMessageOptions& options,
                                 int64_t* message_id) {
  auto& d = *impl_;
  using E = PeerMessageErr;
  State s = d.state.load();
  if (s != State::CONNECTED && s != State::RECONNECTING) return static_cast<int>(E::USER_NOT_LOGGED_IN);
  if (!valid_user_id(peer_id)) return static_cast<int>(E::INVALID_USERID);
  if (message.type != MessageType::TEXT && message.type != MessageType::RAW) return static_cast<int>(E::INVALID_MESSAGE);
  if (message.type == MessageType::TEXT && !message.raw.empty()) return static_cast<int>(E::INVALID_MESSAGE);
  if (message.text.size() + message.raw.size() > limits::kMaxMessageBytes || !valid_utf8(message.text))
    return static_cast<int>(E::INVALID_MESSAGE);
  proto::Frame f;
  f.op = proto::Op::peer;
  f.to = peer_id;
  f.type = static_cast<int>(message.type);
  f.text = message.text;
  f.payload = message.raw;
  f.offline = options.enable_offline_messaging;
  f.mid = d.new_message_id();
  Impl* self = impl_.get();
  int64_t mid = f.mid;
  int rc = d.submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::SENT_TIMEOUT),
                    static_cast<int>(E::FAILURE),
                    [self, mid](int code, proto::Frame*) {
                      self->emit([mid, code](EventHandler& h) { h.on_send_message_result(mid, static_cast<E>(code)); });
                    },
                    nullptr, static_cast<int>(E::TOO_OFTEN));
  if (rc == 0 && message_id) *message_id = mid;
  return rc;
}

int Client::poll(int timeout_ms) { return impl_->dispatcher.poll(timeout_ms); }
void Client::wakeup() { impl_->dispatcher.wakeup(); }
void Client::run_on_dispatcher(uint32_t delay_ms, std::function<void()> fn) {
  Impl* self = impl_.get();
  if (delay_ms == 0) {
    self->dispatcher.post(std::move(fn));
    return;
  }
  net::post(self->ioc, [self, delay_ms, fn = std::move(fn)]() mutable {
    auto t = std::make_shared<net::steady_timer>(self->ioc, std::chrono::milliseconds(delay_ms));
    t->async_wait([self, t, fn = std::move(fn)](const boost::system::error_code& ec) mutable {
      if (!ec) self->dispatcher.post(std::move(fn));
    });
  });
}

int Client::event_fd() const { return impl_->dispatcher.fd(); }

// ---- channels --------------------------------------------------------------------------------------

std::shared_ptr<Channel> Client::create_channel(const std::string& channel_id, ChannelEventHandler* handler) {
  if (!valid_user_id(channel_id) || !handler) return nullptr;
  auto& d = *impl_;
  {
    std::lock_guard l(d.chan_mu);
    auto& cs = d.channels[channel_id];
    if (cs) return nullptr;  // a live Channel object already has this id
    cs = std::make_shared<Impl::ChannelState>();
    cs->handler = handler;
  }
  return std::shared_ptr<Channel>(new Channel(std::shared_ptr<void>(impl_, impl_.get()), channel_id));
}

namespace {
Client::Impl& engine(const std::shared_ptr<void>& p) { return *static_cast<Client::Impl*>(p.get()); }
}  // namespace

Channel::~Channel() {
  auto& d = engine(client_);
  std::shared_ptr<Client::Impl::ChannelState> cs;
  {
    std::lock_guard l(d.chan_mu);
    auto it = d.channels.find(id_);
    if (it == d.channels.end()) return;
    cs = it->second;
    d.channels.erase(it);
  }
  {
    // Waits for a callback of this channel that is running on the dispatcher (unless that callback
    // is the one destroying it); queued ones are dropped (see emit_channel).
    std::lock_guard l(cs->callback_mu);
    cs->handler = nullptr;
  }
  // Leaving is part of releasing a joined channel.
  // A join still in flight counts: its leave goes out behind it.
  // While reconnecting the leave is held like any request and follows the join once the session is
  // back.
  d.post_ordered([self = &d, id = id_, cs] {
    State st = self->state.load();
    if (!(cs->joined || cs->join_asked) || (st != State::CONNECTED && st != State::RECONNECTING)) return;
    proto::Frame f;
    f.op = proto::Op::leave;
    f.ch = id;
    self->internal_request(f, [](int, proto::Frame*) {});
  });
}

int Channel::join() {
  auto& d = engine(client_);
  using E = JoinChannelErr;
  auto cs = d.channel_state(id_);
  proto::Frame f;
  f.op = proto::Op::join;
  f.ch = id_;
  Client::Impl* self = &d;
  cs->join_asked = true;
  return d.submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                  static_cast<int>(E::FAILURE), [self, cs](int code, proto::Frame* res) {
                    if (code == 0) {
                      cs->joined = true;
                      cs->last_seq = res ? res->seq : 0;
                    } else if (code != static_cast<int>(E::ALREADY_JOINED)) {
                      cs->join_asked = false;
                    }
                    self->emit_to(cs, [code](ChannelEventHandler& h) {
                      if (code == 0) h.on_join_success();
                      else h.on_join_failure(static_cast<E>(code));
                    });
                  }, nullptr);
}

int Channel::leave() {
  auto& d = engine(client_);
  using E = LeaveChannelErr;
  auto cs = d.channel_state(id_);
  proto::Frame f;
  f.op = proto::Op::leave;
  f.ch = id_;
  Client::Impl* self = &d;
  return d.submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::FAILURE),
                  static_cast<int>(E::FAILURE), [self, cs](int code, proto::Frame*) {
                    if (code == 0) cs->joined = cs->join_asked = false;
                    self->emit_to(cs, [code](ChannelEventHandler& h) { h.on_leave(static_cast<E>(code)); });
                  }, nullptr);
}

int Channel::send_message(const Message& message, const SendMessageOptions&, int64_t* message_id) {
  auto& d = engine(client_);
  using E = ChannelMessageErr;
  if (message.type != MessageType::TEXT && message.type != MessageType::RAW) return static_cast<int>(E::INVALID_MESSAGE);
  if (message.type == MessageType::TEXT && !message.raw.empty()) return static_cast<int>(E::INVALID_MESSAGE);
  if (message.text.size() + message.raw.size() > limits::kMaxMessageBytes || !valid_utf8(message.text))
    return static_cast<int>(E::INVALID_MESSAGE);
  proto::Frame f;
  f.op = proto::Op::cmsg;
  f.ch = id_;
  f.type = static_cast<int>(message.type);
  f.text = message.text;
  f.payload = message.raw;
  f.mid = d.new_message_id();
  int64_t mid = f.mid;
  Client::Impl* self = &d;
  auto cs = d.channel_state(id_);
  int rc = d.submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::SENT_TIMEOUT),
                    static_cast<int>(E::FAILURE), [self, cs, mid](int code, proto::Frame*) {
                      self->emit_to(cs, [mid, code](ChannelEventHandler& h) {
                        h.on_send_message_result(mid, static_cast<E>(code));
                      });
                    }, nullptr, static_cast<int>(E::TOO_OFTEN));
  if (rc == 0 && message_id) *message_id = mid;
  return rc;
}

int Channel::get_members() {
  auto& d = engine(client_);
  using E = GetMembersErr;
  proto::Frame f;
  f.op = proto::Op::members;
  f.ch = id_;
  Client::Impl* self = &d;
  auto cs = d.channel_state(id_);
  return d.submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                  static_cast<int>(E::FAILURE), [self, cs](int code, proto::Frame* res) {
                    std::vector<std::string> m;
                    if (res) m = std::move(res->uids);
                    self->emit_to(cs, [m = std::move(m), code](ChannelEventHandler& h) {
                      h.on_get_members(m, static_cast<E>(code));
                    });
                  }, nullptr);
}

// ---- presence ------------------------------------------------------------------------------------

namespace {
bool all_valid(const std::vector<std::string>& ids) {
  for (auto& i : ids)
    if (!valid_user_id(i)) return false;
  return true;
}
}  // namespace

int Client::query_peers_online_status(const std::vector<std::string>& peer_ids, int64_t* request_id) {
  using E = QueryPeersOnlineStatusErr;
  if (peer_ids.empty() || peer_ids.size() > 256 || !all_valid(peer_ids)) return static_cast<int>(E::INVALID_ARGUMENT);
  proto::Frame f;
  f.op = proto::Op::query;
  f.uids = peer_ids;
  f.id = impl_->next_id++;
  Impl* self = impl_.get();
  int64_t rid = f.id;
  return impl_->submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                       static_cast<int>(E::FAILURE), [self, rid](int code, proto::Frame* res) {
                         std::vector<PeerOnlineStatus> st;
                         if (res)
                           for (std::size_t i = 0; i < res->uids.size() && i < res->nums.size(); ++i) {
                             auto s = static_cast<PeerOnlineState>(res->nums[i]);
                             st.push_back({res->uids[i], s == PeerOnlineState::ONLINE, s});
                           }
                         self->emit([rid, st = std::move(st), code](EventHandler& h) {
                           h.on_query_peers_online_status_result(rid, st, static_cast<E>(code));
                         });
                       }, request_id);
}

namespace {
int subscription(Client::Impl& d, proto::Op op, const std::vector<std::string>& peer_ids, int64_t* request_id) {
  using E = PeerSubscriptionStatusErr;
  if (peer_ids.empty() || peer_ids.size() > 512 || !all_valid(peer_ids)) return static_cast<int>(E::INVALID_ARGUMENT);
  proto::Frame f;
  f.op = op;
  f.uids = peer_ids;
  f.id = d.next_id++;
  Client::Impl* self = &d;
  int64_t rid = f.id;
  return d.submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                  static_cast<int>(E::FAILURE), [self, rid, op, peer_ids](int code, proto::Frame*) {
                    if (code == 0)
                      for (auto& p : peer_ids) {
                        if (op == proto::Op::sub) self->subscriptions.insert(p);
                        else self->subscriptions.erase(p);
                      }
                    self->emit([rid, code](EventHandler& h) { h.on_subscription_request_result(rid, static_cast<E>(code)); });
                  }, request_id);
}
}  // namespace

int Client::subscribe_peers_online_status(const std::vector<std::string>& peer_ids, int64_t* request_id) {
  return subscription(*impl_, proto::Op::sub, peer_ids, request_id);
}

int Client::unsubscribe_peers_online_status(const std::vector<std::string>& peer_ids, int64_t* request_id) {
  return subscription(*impl_, proto::Op::unsub, peer_ids, request_id);
}

int Client::query_peers_by_subscription_option(PeerSubscriptionOption option, int64_t* request_id) {
  using E = QueryPeersBySubscriptionOptionErr;
  if (option != PeerSubscriptionOption::ONLINE_STATUS) return static_cast<int>(E::FAILURE);
  proto::Frame f;
  f.op = proto::Op::subs;
  f.id = impl_->next_id++;
  Impl* self = impl_.get();
  int64_t rid = f.id;
  return impl_->submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                       static_cast<int>(E::FAILURE), [self, rid](int code, proto::Frame* res) {
                         std::vector<std::string> ids;
                         if (res) ids = std::move(res->uids);
                         self->emit([rid, ids = std::move(ids), code](EventHandler& h) {
                           h.on_query_peers_by_subscription_option_result(rid, ids, static_cast<E>(code));
                         });
                       }, request_id);
}

// ---- attributes -----------------------------------------------------------------------------------

namespace {
using AE = AttributeOperationErr;
using AttrCallback = void (EventHandler::*)(int64_t, AttributeOperationErr);

std::vector<proto::Attr> to_wire(const std::vector<Attribute>& a) {
  std::vector<proto::Attr> out;
  out.reserve(a.size());
  for (auto& x : a) out.push_back({x.key, x.value, {}, 0});
  return out;
}

// A write of user or channel attributes; `apply` updates the local copy on success. Sizes that can
// never fit are refused here, before anything is sent.
int attr_write(Client::Impl& d, proto::Frame f, AttrCallback cb, std::function<void()> apply, int64_t* request_id,
               std::size_t max_total) {
  std::size_t total = 0;
  for (auto& a : f.attrs) total += a.key.size() + a.value.size();
  if (f.attrs.size() > 32 || f.keys.size() > 32 || total > max_total) return static_cast<int>(AE::SIZE_OVERFLOW);
  for (auto& a : f.attrs)
    if (!valid_utf8(a.key) || !valid_utf8(a.value)) return static_cast<int>(AE::INVALID_ARGUMENT);
  f.id = d.next_id++;
  Client::Impl* self = &d;
  int64_t rid = f.id;
  return d.submit(std::move(f), static_cast<int>(AE::USER_NOT_LOGGED_IN), static_cast<int>(AE::TIMEOUT),
                  static_cast<int>(AE::FAILURE), [self, rid, cb, apply](int code, proto::Frame*) {
                    if (code == 0 && apply) apply();
                    self->emit([rid, code, cb](EventHandler& h) { (h.*cb)(rid, static_cast<AE>(code)); });
                  }, request_id);
}
}  // namespace

int Client::set_local_user_attributes(const std::vector<Attribute>& attributes, int64_t* request_id) {
  proto::Frame f;
  f.op = proto::Op::uattr_set;
  f.attrs = to_wire(attributes);
  Impl* self = impl_.get();
  return attr_write(*impl_, std::move(f), &EventHandler::on_set_local_user_attributes_result, [self, attributes] {
    self->local_attrs.clear();
    for (auto& a : attributes) self->local_attrs[a.key] = a.value;
  }, request_id, kMaxUserAttrBytes);
}

int Client::add_or_update_local_user_attributes(const std::vector<Attribute>& attributes, int64_t* request_id) {
  proto::Frame f;
  f.op = proto::Op::uattr_add;
  f.attrs = to_wire(attributes);
  Impl* self = impl_.get();
  return attr_write(*impl_, std::move(f), &EventHandler::on_add_or_update_local_user_attributes_result,
                    [self, attributes] {
                      for (auto& a : attributes) self->local_attrs[a.key] = a.value;
                    }, request_id, kMaxUserAttrBytes);
}

int Client::delete_local_user_attributes_by_keys(const std::vector<std::string>& keys, int64_t* request_id) {
  proto::Frame f;
  f.op = proto::Op::uattr_del;
  f.keys = keys;
  Impl* self = impl_.get();
  return attr_write(*impl_, std::move(f), &EventHandler::on_delete_local_user_attributes_result, [self, keys] {
    for (auto& k : keys) self->local_attrs.erase(k);
  }, request_id, kMaxUserAttrBytes);
}

int Client::clear_local_user_attributes(int64_t* request_id) {
  proto::Frame f;
  f.op = proto::Op::uattr_clear;
  Impl* self = impl_.get();
  return attr_write(*impl_, std::move(f), &EventHandler::on_clear_local_user_attributes_result,
                    [self] { self->local_attrs.clear(); }, request_id, kMaxUserAttrBytes);
}

int Client::get_user_attributes(const std::string& user_id, int64_t* request_id) {
  return get_user_attributes_by_keys(user_id, {}, request_id);
}

int Client::get_user_attributes_by_keys(const std::string& user_id, const std::vector<std::string>& keys,
                                        int64_t* request_id) {
  if (!valid_user_id(user_id)) return static_cast<int>(AE::INVALID_ARGUMENT);
  proto::Frame f;
  f.op = proto::Op::uattr_get;
  f.uid = user_id;
  f.keys = keys;
  f.id = impl_->next_id++;
  Impl* self = impl_.get();
  int64_t rid = f.id;
  return impl_->submit(std::move(f), static_cast<int>(AE::USER_NOT_LOGGED_IN), static_cast<int>(AE::TIMEOUT),
                       static_cast<int>(AE::FAILURE), [self, rid, user_id](int code, proto::Frame* res) {
                         std::vector<Attribute> a;
                         if (res)
                           for (auto& x : res->attrs) a.push_back({x.key, x.value});
                         self->emit([rid, user_id, a = std::move(a), code](EventHandler& h) {
                           h.on_get_user_attributes_result(rid, user_id, a, static_cast<AE>(code));
                         });
                       }, request_id);
}

namespace {
int channel_attr_write(Client::Impl& d, proto::Op op, const std::string& ch, const std::vector<Attribute>& attrs,
                       const std::vector<std::string>& keys, const ChannelAttributeOptions& o, AttrCallback cb,
                       int64_t* request_id) {
  if (!valid_user_id(ch)) return static_cast<int>(AE::INVALID_ARGUMENT);
  proto::Frame f;
  f.op = op;
  f.ch = ch;
  f.attrs = to_wire(attrs);
  f.keys = keys;
  f.notify = o.enable_notification_to_channel_members;
  return attr_write(d, std::move(f), cb, {}, request_id, kMaxChannelAttrBytes);
}
}  // namespace

int Client::set_channel_attributes(const std::string& channel_id, const std::vector<Attribute>& attributes,
                                   const ChannelAttributeOptions& options, int64_t* request_id) {
  return channel_attr_write(*impl_, proto::Op::cattr_set, channel_id, attributes, {}, options,
                            &EventHandler::on_set_channel_attributes_result, request_id);
}

int Client::add_or_update_channel_attributes(const std::string& channel_id, const std::vector<Attribute>& attributes,
                                             const ChannelAttributeOptions& options, int64_t* request_id) {
  return channel_attr_write(*impl_, proto::Op::cattr_add, channel_id, attributes, {}, options,
                            &EventHandler::on_add_or_update_channel_attributes_result, request_id);
}

int Client::delete_channel_attributes_by_keys(const std::string& channel_id, const std::vector<std::string>& keys,
                                              const ChannelAttributeOptions& options, int64_t* request_id) {
  return channel_attr_write(*impl_, proto::Op::cattr_del, channel_id, {}, keys, options,
                            &EventHandler::on_delete_channel_attributes_result, request_id);
}

int Client::clear_channel_attributes(const std::string& channel_id, const ChannelAttributeOptions& options,
                                     int64_t* request_id) {
  return channel_attr_write(*impl_, proto::Op::cattr_clear, channel_id, {}, {}, options,
                            &EventHandler::on_clear_channel_attributes_result, request_id);
}

int Client::get_channel_attributes(const std::string& channel_id, int64_t* request_id) {
  return get_channel_attributes_by_keys(channel_id, {}, request_id);
}

int Client::get_channel_attributes_by_keys(const std::string& channel_id, const std::vector<std::string>& keys,
                                           int64_t* request_id) {
  if (!valid_user_id(channel_id)) return static_cast<int>(AE::INVALID_ARGUMENT);
  proto::Frame f;
  f.op = proto::Op::cattr_get;
  f.ch = channel_id;
  f.keys = keys;
  f.id = impl_->next_id++;
  Impl* self = impl_.get();
  int64_t rid = f.id;
  return impl_->submit(std::move(f), static_cast<int>(AE::USER_NOT_LOGGED_IN), static_cast<int>(AE::TIMEOUT),
                       static_cast<int>(AE::FAILURE), [self, rid](int code, proto::Frame* res) {
                         std::vector<ChannelAttribute> a;
                         if (res) a = Impl::channel_attrs(res->attrs);
                         self->emit([rid, a = std::move(a), code](EventHandler& h) {
                           h.on_get_channel_attributes_result(rid, a, static_cast<AE>(code));
                         });
                       }, request_id);
}

int Client::get_channel_member_count(const std::vector<std::string>& channel_ids, int64_t* request_id) {
  using E = GetChannelMemberCountErr;
  if (channel_ids.empty() || !all_valid(channel_ids)) return static_cast<int>(E::INVALID_ARGUMENT);
  if (channel_ids.size() > 32) return static_cast<int>(E::EXCEED_LIMIT);
  proto::Frame f;
  f.op = proto::Op::count;
  f.uids = channel_ids;
  f.id = impl_->next_id++;
  Impl* self = impl_.get();
  int64_t rid = f.id;
  return impl_->submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                       static_cast<int>(E::FAILURE), [self, rid](int code, proto::Frame* res) {
                         std::vector<ChannelMemberCount> c;
                         if (res)
                           for (std::size_t i = 0; i < res->uids.size() && i < res->nums.size(); ++i)
                             c.push_back({res->uids[i], static_cast<int>(res->nums[i])});
                         self->emit([rid, c = std::move(c), code](EventHandler& h) {
                           h.on_get_channel_member_count_result(rid, c, static_cast<E>(code));
                         });
                       }, request_id);
}

int Client::query_channel_info(const std::string& channel_id, const std::string& user_id, uint32_t recent,
                               int64_t* request_id) {
  using E = GetChannelMemberCountErr;
  if (!valid_user_id(channel_id) || (!user_id.empty() && !valid_user_id(user_id)))
    return static_cast<int>(E::INVALID_ARGUMENT);
  proto::Frame f;
  f.op = proto::Op::chinfo;
  f.ch = channel_id;
  f.uid = user_id;
  f.n = recent;
  f.id = impl_->next_id++;
  Impl* self = impl_.get();
  int64_t rid = f.id;
  return impl_->submit(std::move(f), static_cast<int>(E::USER_NOT_LOGGED_IN), static_cast<int>(E::TIMEOUT),
                       static_cast<int>(E::FAILURE), [self, rid, channel_id](int code, proto::Frame* res) {
                         int count = 0;
                         bool member = false;
                         std::vector<std::string> recent_members;
                         if (res && res->nums.size() >= 2) {
                           count = static_cast<int>(res->nums[0]);
                           member = res->nums[1] != 0;
                           recent_members = std::move(res->uids);
                         }
                         self->emit([rid, channel_id, count, member, r = std::move(recent_members), code](EventHandler& h) {
                           h.on_query_channel_info_result(rid, channel_id, count, member, r, static_cast<E>(code));
                         });
                       }, request_id);
}

// ---- invitations ---------------------------------------------------------------------------------

LocalInvitationPtr Client::create_local_invitation(const std::string& callee_id) {
  if (!valid_user_id(callee_id)) return nullptr;
  return LocalInvitationPtr(new LocalInvitation(callee_id, impl_->new_message_id()));
}

int Client::send_local_invitation(const LocalInvitationPtr& inv) {
  using E = InvitationApiCallErr;
  if (!inv) return static_cast<int>(E::INVALID_ARGUMENT);
  proto::Frame f;
  {
    std::lock_guard l(inv->mu_);
    if (inv->state_ != LocalInvitationState::IDLE) return static_cast<int>(E::ALREADY_SENT);
    if (inv->content_.size() > kMaxInvitationText || (!inv->channel_.empty() && !valid_user_id(inv->channel_)))
      return static_cast<int>(E::INVALID_ARGUMENT);
    f.content = inv->content_;
    f.ch = inv->channel_;
    f.online = inv->require_online_;
    f.ttl = inv->ttl_ms_;
  }
  Impl* self = impl_.get();
  State s = impl_->state.load();
  if (s != State::CONNECTED && s != State::RECONNECTING) {
    {
      std::lock_guard l(inv->mu_);
      inv->state_ = LocalInvitationState::FAILURE;
    }
    impl_->post_ordered([self, inv] {
      self->emit([inv](EventHandler& h) { h.on_local_invitation_failure(inv, LocalInvitationErr::NOT_LOGGEDIN); });
    });
    return 0;
  }
  f.op = proto::Op::inv_send;
  f.to = inv->callee_id();
  f.mid = inv->id();
  {
    std::lock_guard l(inv->mu_);
    inv->state_ = LocalInvitationState::SENT_TO_REMOTE;
  }
  impl_->post_ordered([self, inv] { self->local_invitations[inv->id()] = inv; });
  return impl_->submit(std::move(f), static_cast<int>(E::INVALID_ARGUMENT), -1, -1, [self, inv](int code, proto::Frame*) {
    // ALREADY_SENT answers a resend after a reconnect: the invitation is still live.
    if (code == 0 || code == static_cast<int>(E::ALREADY_SENT)) return;
    self->local_invitations.erase(inv->id());
    {
      std::lock_guard l(inv->mu_);
      inv->state_ = LocalInvitationState::FAILURE;
    }
    self->emit([inv](EventHandler& h) { h.on_local_invitation_failure(inv, LocalInvitationErr::NOT_LOGGEDIN); });
  }, nullptr);
}

int Client::cancel_local_invitation(const LocalInvitationPtr& inv) {
  using E = InvitationApiCallErr;
  using S = LocalInvitationState;
  if (!inv) return static_cast<int>(E::INVALID_ARGUMENT);
  {
    std::lock_guard l(inv->mu_);
    if (inv->state_ == S::IDLE) return static_cast<int>(E::NOT_STARTED);
    if (inv->state_ != S::SENT_TO_REMOTE && inv->state_ != S::RECEIVED_BY_REMOTE) return static_cast<int>(E::ALREADY_END);
  }
  proto::Frame f;
  f.op = proto::Op::inv_cancel;
  f.to = inv->callee_id();
  f.mid = inv->id();
  Impl* self = impl_.get();
  return impl_->submit(std::move(f), static_cast<int>(E::ALREADY_END), -1, -1, [self, inv](int code, proto::Frame*) {
    if (code != 0) return;  // it ended first (its own event says how) or the cancel was lost
    self->local_invitations.erase(inv->id());
    {
      std::lock_guard l(inv->mu_);
      inv->state_ = LocalInvitationState::CANCELED;
    }
    self->emit([inv](EventHandler& h) { h.on_local_invitation_canceled(inv); });
  }, nullptr);
}


int Client::accept_remote_invitation(const RemoteInvitationPtr& inv) { return impl_->answer(inv, true); }
int Client::refuse_remote_invitation(const RemoteInvitationPtr& inv) { return impl_->answer(inv, false); }

}  // namespace rtm
