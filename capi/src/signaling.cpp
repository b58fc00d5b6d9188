// rtm_sig_t: the Signaling compatibility API (signaling.h) on the RTM engine.
//
// A Signal instance is an rtm::Client (in poll mode underneath, like rtm_client_t) plus the legacy
// state the RTM API does not have: one current channel with its known attributes (to turn RTM's
// whole-set attribute updates into per-key "update"/"del"/"clear" events), the calls by (channel,
// account), legacy message ids, pending queries, and timers (login2 retries, the reconnect limit,
// callbacks that must not run on the caller's thread). Every callback, timer and deferred answer runs
// on the instance's dispatcher, one at a time. `mu` guards the state; it is never held while a user
// callback runs, so callbacks may call back into the API.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <functional>
#include <map>
#include <optional>
#include <array>

#if defined(__linux__)
#include <pthread.h>
#endif

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "capi/src/objects.hpp"
#include "core/common/log.hpp"
#include "core/protocol/ids.hpp"
#include "core/token/token.hpp"

namespace rtmc {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kEndCallPrefix = "AgoraRTMLegacyEndcallCompatibleMessagePrefix_";
// Call control that RTM has no counterpart for (DTMF) travels as a peer message with this prefix.
constexpr std::string_view kInviteMsgPrefix = "RtmkitSignalingInviteMsg_";
constexpr std::string_view kInvokePrefix = "io.agora.signal.";
constexpr std::size_t kMaxExtraBytes = 8 * 1024;
constexpr std::size_t kMaxDtmf = 256;
constexpr uint32_t kUserListSize = 200;
constexpr int kDefaultRetryTimeS = 30;
constexpr int kDefaultRetryCount = 3;
constexpr int kRetryDelayMs = 1000;


std::string json_of(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return {b.GetString(), b.GetSize()};
}

// A JSON object of string values, in key order.
std::string json_object(const std::vector<std::pair<std::string, std::string>>& kv) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  for (auto& [k, v] : kv) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

int login_ecode(rtm::LoginErr e) {
  using E = rtm::LoginErr;
  switch (e) {
    case E::TOKEN_EXPIRED: return RTM_SIG_LOGIN_E_TOKENEXPIRED;
    case E::INVALID_TOKEN:
    case E::NOT_AUTHORIZED: return RTM_SIG_LOGIN_E_TOKENWRONG;
    case E::TIMEOUT: return RTM_SIG_LOGIN_E_NET;
    case E::REJECTED:
    case E::INVALID_APP_ID:
    case E::TOO_OFTEN: return RTM_SIG_LOGIN_E_FAILED;
    case E::INVALID_ARGUMENT: return RTM_SIG_LOGIN_E_INVALID_USER;
    case E::ALREADY_LOGGED_IN: return RTM_SIG_LOGIN_E_ALREADY_LOGIN;
    default: return RTM_SIG_LOGIN_E_OTHER;
  }
}

// Failures worth another attempt within login2's limits.
bool retriable(rtm::LoginErr e) {
  return e == rtm::LoginErr::TIMEOUT || e == rtm::LoginErr::UNKNOWN || e == rtm::LoginErr::TOO_OFTEN;
}

int invite_ecode(rtm::LocalInvitationErr e) {
  using E = rtm::LocalInvitationErr;
  switch (e) {
    case E::PEER_OFFLINE: return RTM_SIG_INVITE_E_PEEROFFLINE;
    case E::PEER_NO_RESPONSE:
    case E::INVITATION_EXPIRE: return RTM_SIG_INVITE_E_TIMEOUT;
    case E::NOT_LOGGEDIN: return RTM_SIG_INVITE_E_NET;
    default: return RTM_SIG_INVITE_E_OTHER;
  }
}

int attr_ecode(rtm::AttributeOperationErr e) {
  using E = rtm::AttributeOperationErr;
  switch (e) {
    case E::OK: return 0;
    case E::INVALID_ARGUMENT: return RTM_SIG_GENERAL_E_WRONG_PARAM;
    case E::SIZE_OVERFLOW: return RTM_SIG_GENERAL_E_LARGE_PARAM;
    case E::USER_NOT_LOGGED_IN:
    case E::NOT_READY: return RTM_SIG_GENERAL_E_NOT_LOGIN;
    default: return RTM_SIG_GENERAL_E_FAILED;
  }
}

// General errors of other RTM operations: not logged in, bad argument, or a failure.
template <class E>
int general_ecode(E e) {
  int v = static_cast<int>(e);
  if (v == 0) return 0;
  if (v == 102 || v == 101) return RTM_SIG_GENERAL_E_NOT_LOGIN;
  if (v == static_cast<int>(E::INVALID_ARGUMENT)) return RTM_SIG_GENERAL_E_WRONG_PARAM;
  return RTM_SIG_GENERAL_E_FAILED;
}

}  // namespace

struct Sig;

// The handler of one channel's engine object: forwards its events with the channel id, so that a late
// event of a channel already left is recognised and ignored.
struct SigChannel final : rtm::ChannelEventHandler {
  Sig* sig;
  std::string id;
  SigChannel(Sig* s, std::string i) : sig(s), id(std::move(i)) {}
  void on_join_success() noexcept override;
  void on_join_failure(rtm::JoinChannelErr e) noexcept override;
  void on_leave(rtm::LeaveChannelErr e) noexcept override;
  void on_message_received(const std::string& member, const rtm::Message& m) noexcept override;
  void on_send_message_result(int64_t mid, rtm::ChannelMessageErr e) noexcept override;
  void on_member_joined(const std::string& member) noexcept override;
  void on_member_left(const std::string& member) noexcept override;
  void on_attributes_updated(const std::vector<rtm::ChannelAttribute>& attrs) noexcept override;
};

// A channel's engine object and its handler; the handler outlives the object.
struct ChannelSlot {
  std::unique_ptr<SigChannel> handler;
  std::shared_ptr<rtm::Channel> core;
  ChannelSlot() = default;
  ChannelSlot(ChannelSlot&&) = default;
  ChannelSlot& operator=(ChannelSlot&& o) noexcept {
    core.reset();
    handler = std::move(o.handler);
    core = std::move(o.core);
    return *this;
  }
  ~ChannelSlot() { core.reset(); }
};

struct Sig final : rtm::EventHandler {
  // What a pending request answers.
  enum class Kind {
    invoke_status, invoke_set_attr, invoke_get_attr, invoke_get_attr_all, invoke_num, invoke_isin,
    invoke_userlist, invoke_channel_attr, query_user_status, set_attr, get_user_attr, get_user_attr_all,
    query_user_num, query_user_is_in, user_list, channel_attrs_on_join, channel_attr_op,
  };
  struct Pending {
    Kind kind;
    std::string call_id, account, name, channel, op;
  };
  struct Call {
    bool accepted = false;
    bool ending = false;  // channelInviteEnd canceled or refused it; the answer ends it
    rtm::LocalInvitationPtr local;
    rtm::RemoteInvitationPtr remote;
  };
  using CallKey = std::pair<std::string, std::string>;  // (channel, peer account)

  SigCallbacks cb;
  rtm_thread_start_cb thread_start = nullptr;  // the conf's thread-start hook (client argument NULL)
  UserData ud;
  bool poll_mode = false;
  std::atomic<bool> closing{false};
  std::unique_ptr<rtm::Client> core;
  std::thread thread;

  std::mutex mu;
  std::condition_variable cv;
  bool polling = false;
  std::atomic<int> status{RTM_SIG_STATUS_NOT_LOGGED_IN};
  std::string account, token;
  int retry_time_s = kDefaultRetryTimeS, retry_count = kDefaultRetryCount, attempts = 0;
  Clock::time_point login_started;
  uint64_t gen = 0;            // bumped by login and logout: stale timers see a new value
  int logout_reason = RTM_SIG_LOGOUT_E_USER;
  uint32_t nretry = 0;
  bool canceling = false;
  uint64_t msg_counter = 0;
  std::string ch_id;           // the current channel ("" when none)
  ChannelSlot ch;
  std::map<std::string, std::string> ch_attrs;  // known attributes of the current channel
  std::vector<ChannelSlot> retired;             // released outside any callback
  std::map<int64_t, std::string> peer_msgs;     // RTM message id -> legacy id
  std::map<int64_t, std::pair<std::string, std::string>> ch_msgs;  // -> (legacy id, text)
  std::map<CallKey, Call> calls;
  std::map<int64_t, Pending> pending;

  // ---- plumbing -----------------------------------------------------------------------------------

  // Runs a user callback: not once destroy began; recorded so that destroy from inside is refused.
  template <class F>
  void call(F&& f) noexcept {
    rtmc::invoke(this, std::forward<F>(f));
  }
  rtm_sig_t* h() noexcept { return reinterpret_cast<rtm_sig_t*>(this); }

  // Deferred work and timers run on the engine's dispatcher, in order with its callbacks (and make
  // the event fd readable in poll mode). Safe under mu.
  void post(std::function<void()> fn) { core->run_on_dispatcher(0, std::move(fn)); }
  void after(uint32_t ms, std::function<void()> fn) { core->run_on_dispatcher(ms, std::move(fn)); }

  // One round of the dispatcher: engine events and deferred work, then the release of left channels.
  int pump(int timeout_ms) {
    int n = core->poll(timeout_ms);
    std::vector<ChannelSlot> gone;
    {
      std::lock_guard l(mu);
      gone.swap(retired);
    }
    return n;
  }
  void run_dispatcher() noexcept {
#if defined(__linux__)
    pthread_setname_np(pthread_self(), "rtm-sig");
#endif
    if (auto f = thread_start) call([&] { f(nullptr, "rtm-sig", ud.data); });
    while (!closing.load(std::memory_order_acquire)) {
      try {
        pump(-1);
      } catch (...) {
        RTM_LOG(error, "capi", "the Signaling dispatcher caught an exception; it goes on");
      }
    }
  }

  // ---- helpers (dispatcher) -----------------------------------------------------------------------

  void fire_error(const char* name, int ecode, const std::string& desc) {
    if (auto f = cb.error) call([&] { f(h(), name, ecode, desc.c_str(), ud.data); });
  }
  void fire_invoke(const std::string& call_id, int err, const std::string& resp) {
    if (auto f = cb.invoke_ret) call([&] { f(h(), call_id.c_str(), err, resp.c_str(), ud.data); });
  }
  void fire_invite_failed(const CallKey& k, int ecode, const std::string& extra) {
    if (auto f = cb.invite_failed)
      call([&] { f(h(), k.first.c_str(), k.second.c_str(), 0, ecode, extra.c_str(), ud.data); });
  }
  void fire_end_by_myself(const CallKey& k) {
    if (auto f = cb.invite_end_by_myself) call([&] { f(h(), k.first.c_str(), k.second.c_str(), 0, ud.data); });
  }
  void fire_end_by_peer(const CallKey& k, const std::string& extra) {
    if (auto f = cb.invite_end_by_peer)
      call([&] { f(h(), k.first.c_str(), k.second.c_str(), 0, extra.c_str(), ud.data); });
  }
  void fire_send_error(const std::string& id, int ecode) {
    if (auto f = cb.message_send_error) call([&] { f(h(), id.c_str(), ecode, ud.data); });
  }
  void fire_channel_leaved(const std::string& channel, int ecode) {
    if (auto f = cb.channel_leaved) call([&] { f(h(), channel.c_str(), ecode, ud.data); });
  }

  // Drops the current channel (the engine object is released outside callbacks). Returns its id.
  std::string drop_channel_locked() {
    std::string id;
    id.swap(ch_id);
    if (ch.core) retired.push_back(std::move(ch));
    ch = ChannelSlot();
    ch_attrs.clear();
    return id;
  }

  // The session ended (logout, kick, give-up): the channel and the calls end with it.
  void session_ended(int leave_ecode, int logout_ecode) {
    std::string left;
    {
      std::lock_guard l(mu);
      ++gen;
      left = drop_channel_locked();
      calls.clear();
      pending.clear();
      peer_msgs.clear();
      ch_msgs.clear();
      nretry = 0;
    }
    status = RTM_SIG_STATUS_NOT_LOGGED_IN;
    if (!left.empty()) fire_channel_leaved(left, leave_ecode);
    if (logout_ecode >= 0)
      if (auto f = cb.logout) call([&] { f(h(), logout_ecode, ud.data); });
  }

  // Records a request for its result callback; `rc` is the engine's immediate answer. Under mu.
  void track(int rc, int64_t rid, Pending p) {
    if (rc == 0) {
      pending.emplace(rid, std::move(p));
      return;
    }
    // Refused at once: answer on the dispatcher like any other result.
    post([this, p = std::move(p), rc] { answer_refused(p, rc); });
  }
  // The engine refused a request at once with `rc`, a code of the operation's own enumeration.
  void answer_refused(const Pending& p, int rc) {
    switch (p.kind) {
      case Kind::invoke_status:
      case Kind::query_user_status:
        return deliver_failure(p, general_ecode(static_cast<rtm::QueryPeersOnlineStatusErr>(rc)));
      case Kind::invoke_num: case Kind::invoke_isin: case Kind::invoke_userlist:
      case Kind::query_user_num: case Kind::query_user_is_in: case Kind::user_list:
        return deliver_failure(p, general_ecode(static_cast<rtm::GetChannelMemberCountErr>(rc)));
      default:  // user and channel attribute operations
        return deliver_failure(p, attr_ecode(static_cast<rtm::AttributeOperationErr>(rc)));
    }
  }
  void deliver_failure(const Pending& p, int e) {
    switch (p.kind) {
      case Kind::invoke_status: case Kind::invoke_set_attr: case Kind::invoke_get_attr:
      case Kind::invoke_get_attr_all: case Kind::invoke_num: case Kind::invoke_isin:
      case Kind::invoke_userlist: case Kind::invoke_channel_attr:
        fire_invoke(p.call_id, e, "{}");
        break;
      case Kind::query_user_num:
        if (auto f = cb.channel_query_user_num_result)
          call([&] { f(h(), p.channel.c_str(), RTM_SIG_QUERYUSERNUM_E_OTHER, 0, ud.data); });
        break;
      case Kind::user_list:
      case Kind::channel_attrs_on_join:
        break;  // the join itself succeeded; nothing to replay
      default:
        fire_error(p.op.c_str(), e, "the request failed");
    }
  }
  std::optional<Pending> take(int64_t rid) {
    std::lock_guard l(mu);
    auto it = pending.find(rid);
    if (it == pending.end()) return std::nullopt;
    Pending p = std::move(it->second);
    pending.erase(it);
    return p;
  }

  void send_control(const std::string& peer, const std::string& text) {
    int64_t id = 0;
    rtm::SendMessageOptions o;
    core->send_message_to_peer(peer, rtm::Message::from_text(text), o, &id);  // best effort, not reported
  }

  void try_login() {
    std::string a, t;
    {
      std::lock_guard l(mu);
      a = account;
      t = token;
      ++attempts;
    }
    int rc = core->login(t, a);
    if (rc != 0) post([this, rc] { on_login_failure(static_cast<rtm::LoginErr>(rc)); });
  }

  // ---- engine events (dispatcher) -----------------------------------------------------------------

  void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason r) noexcept override {
    using S = rtm::ConnectionState;
    using R = rtm::ConnectionChangeReason;
    if (s == S::RECONNECTING && status.load() == RTM_SIG_STATUS_LOGGED_IN) {
      uint32_t n;
      uint64_t g;
      int limit;
      {
        std::lock_guard l(mu);
        n = ++nretry;
        g = gen;
        limit = retry_time_s;
      }
      status = RTM_SIG_STATUS_RECONNECTING;
      // Give up when reconnecting outlasts login2's retry time.
      after(static_cast<uint32_t>(limit) * 1000u, [this, g] {
        {
          std::lock_guard l(mu);
          if (g != gen || status.load() != RTM_SIG_STATUS_RECONNECTING) return;
          logout_reason = RTM_SIG_LOGOUT_E_NET;
        }
        core->logout();
      });
      if (auto f = cb.reconnecting) call([&] { f(h(), n, ud.data); });
    } else if (s == S::CONNECTED && status.load() == RTM_SIG_STATUS_RECONNECTING) {
      status = RTM_SIG_STATUS_LOGGED_IN;
      {
        std::lock_guard l(mu);
        nretry = 0;
      }
      if (auto f = cb.reconnected) call([&] { f(h(), 0, ud.data); });
    } else if (s == S::ABORTED) {
      int e = r == R::TOKEN_EXPIRED ? RTM_SIG_LOGOUT_E_TOKENEXPIRED : RTM_SIG_LOGOUT_E_KICKED;
      session_ended(RTM_SIG_LEAVECHANNEL_E_KICKED, e);
    }
  }

  void on_login_success() noexcept override {
    int expected = RTM_SIG_STATUS_LOGGING_IN;
    if (!status.compare_exchange_strong(expected, RTM_SIG_STATUS_LOGGED_IN)) return;  // canceled by logout
    if (auto f = cb.login_success) call([&] { f(h(), 0, 0, ud.data); });
  }

  void on_login_failure(rtm::LoginErr e) noexcept override {
    bool retry = false;
    uint64_t g = 0;
    {
      std::lock_guard l(mu);
      if (status.load() != RTM_SIG_STATUS_LOGGING_IN) return;  // canceled by logout
      auto elapsed = Clock::now() - login_started;
      retry = retriable(e) && attempts < retry_count &&
              elapsed + std::chrono::milliseconds(kRetryDelayMs) < std::chrono::seconds(retry_time_s);
      g = gen;
    }
    if (retry) {
      after(kRetryDelayMs, [this, g] {
        {
          std::lock_guard l(mu);
          if (g != gen || status.load() != RTM_SIG_STATUS_LOGGING_IN) return;
        }
        try_login();
      });
      return;
    }
    status = RTM_SIG_STATUS_NOT_LOGGED_IN;
    if (auto f = cb.login_failed) call([&] { f(h(), login_ecode(e), ud.data); });
  }

  void on_logout(rtm::LogoutErr) noexcept override {
    int reason;
    {
      std::lock_guard l(mu);
      if (canceling) {  // a logout while logging in: login_failed(LOGIN_E_CANCEL) said it all
        canceling = false;
        return;
      }
      reason = logout_reason;
      logout_reason = RTM_SIG_LOGOUT_E_USER;
    }
    session_ended(RTM_SIG_LEAVECHANNEL_E_LOGOUT, reason);
  }

  void on_send_message_result(int64_t id, rtm::PeerMessageErr e) noexcept override {
    std::string legacy;
    {
      std::lock_guard l(mu);
      auto it = peer_msgs.find(id);
      if (it == peer_msgs.end()) return;  // call control
      legacy = std::move(it->second);
      peer_msgs.erase(it);
    }
    using E = rtm::PeerMessageErr;
    if (e == E::OK || e == E::CACHED_BY_SERVER) {
      if (auto f = cb.message_send_success) call([&] { f(h(), legacy.c_str(), ud.data); });
      return;
    }
    int ecode = e == E::SENT_TIMEOUT ? RTM_SIG_SENDMESSAGE_E_TIMEOUT
                : e == E::USER_NOT_LOGGED_IN ? RTM_SIG_GENERAL_E_NOT_LOGIN
                : e == E::INVALID_USERID ? RTM_SIG_GENERAL_E_WRONG_PARAM
                : e == E::INVALID_MESSAGE ? RTM_SIG_GENERAL_E_LARGE_PARAM
                                          : RTM_SIG_SENDMESSAGE_E_OTHER;
    fire_send_error(legacy, ecode);
  }

  void on_message_received_from_peer(const std::string& peer, const rtm::Message& m) noexcept override {
    if (m.type != rtm::MessageType::TEXT) return;  // Signaling carried text only
    std::string_view text = m.text;
    if (text.starts_with(kEndCallPrefix)) {
      // <prefix><channel>_<info>; info has no '_', the channel may.
      std::string_view rest = text.substr(kEndCallPrefix.size());
      auto cut = rest.rfind('_');
      std::string channel(cut == std::string_view::npos ? rest : rest.substr(0, cut));
      std::string info(cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1));
      CallKey k{channel, peer};
      {
        std::lock_guard l(mu);
        calls.erase(k);
      }
      fire_end_by_peer(k, info);
      return;
    }
    if (text.starts_with(kInviteMsgPrefix)) {
      rapidjson::Document d;
      std::string_view body = text.substr(kInviteMsgPrefix.size());
      d.Parse(body.data(), body.size());
      if (d.HasParseError() || !d.IsObject()) return;
      auto str = [&](const char* k) {
        auto it = d.FindMember(k);
        return it != d.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                          : std::string();
      };
      std::string channel = str("channel"), type = str("type"), data = str("data"), extra = str("extra");
      if (auto f = cb.invite_msg)
        call([&] { f(h(), channel.c_str(), peer.c_str(), 0, type.c_str(), data.c_str(), extra.c_str(), ud.data); });
      return;
    }
    if (auto f = cb.message_instant_receive) call([&] { f(h(), peer.c_str(), 0, m.text.c_str(), ud.data); });
  }

  // Channel events (through SigChannel): ignored unless `id` is still the current channel.
  bool is_current(const std::string& id) {
    std::lock_guard l(mu);
    return !id.empty() && ch_id == id;
  }

  void ch_join_success(const std::string& id) {
    if (!is_current(id)) return;
    if (auto f = cb.channel_joined) call([&] { f(h(), id.c_str(), ud.data); });
    // Then the member list and the existing attributes, in that order (answers come in request order).
    std::lock_guard l(mu);
    if (ch_id != id) return;
    int64_t rid = 0;
    int rc = core->query_channel_info(id, {}, kUserListSize, &rid);
    if (rc == 0) pending.emplace(rid, Pending{Kind::user_list, {}, {}, {}, id, {}});
    rc = core->get_channel_attributes(id, &rid);
    if (rc == 0) pending.emplace(rid, Pending{Kind::channel_attrs_on_join, {}, {}, {}, id, {}});
  }

  void ch_join_failure(const std::string& cid, rtm::JoinChannelErr e) {
    std::string id;
    {
      std::lock_guard l(mu);
      if (ch_id != cid) return;
      id = drop_channel_locked();
    }
    int ecode = e == rtm::JoinChannelErr::USER_NOT_LOGGED_IN ? RTM_SIG_GENERAL_E_NOT_LOGIN : RTM_SIG_JOINCHANNEL_E_OTHER;
    if (auto f = cb.channel_join_failed) call([&] { f(h(), id.c_str(), ecode, ud.data); });
  }

  void ch_leave(const std::string& cid, rtm::LeaveChannelErr e) {
    std::string id;
    {
      std::lock_guard l(mu);
      if (ch_id != cid) return;
      id = drop_channel_locked();
    }
    fire_channel_leaved(id, e == rtm::LeaveChannelErr::OK ? RTM_SIG_LEAVECHANNEL_E_BYUSER : RTM_SIG_LEAVECHANNEL_E_OTHER);
  }

  void ch_message(const std::string& id, const std::string& member, const rtm::Message& m) {
    if (m.type != rtm::MessageType::TEXT || !is_current(id)) return;
    if (auto f = cb.message_channel_receive) call([&] { f(h(), id.c_str(), member.c_str(), 0, m.text.c_str(), ud.data); });
  }

  void ch_send_result(int64_t mid, rtm::ChannelMessageErr e) {
    std::pair<std::string, std::string> legacy;
    std::string id, me;
    {
      std::lock_guard l(mu);
      auto it = ch_msgs.find(mid);
      if (it == ch_msgs.end()) return;
      legacy = std::move(it->second);
      ch_msgs.erase(it);
      id = ch_id;
      me = account;
    }
    using E = rtm::ChannelMessageErr;
    if (e != E::OK) {
      fire_send_error(legacy.first, e == E::SENT_TIMEOUT ? RTM_SIG_SENDMESSAGE_E_TIMEOUT
                                    : e == E::USER_NOT_LOGGED_IN ? RTM_SIG_GENERAL_E_NOT_LOGIN
                                    : e == E::INVALID_MESSAGE ? RTM_SIG_GENERAL_E_LARGE_PARAM
                                                              : RTM_SIG_SENDMESSAGE_E_OTHER);
      return;
    }
    if (auto f = cb.message_send_success) call([&] { f(h(), legacy.first.c_str(), ud.data); });
    // Signaling delivered a channel message to its sender too.
    if (!id.empty())
      if (auto f = cb.message_channel_receive)
        call([&] { f(h(), id.c_str(), me.c_str(), 0, legacy.second.c_str(), ud.data); });
  }

  void ch_member(const std::string& id, const std::string& member, bool joined) {
    if (!is_current(id)) return;
    if (auto f = joined ? cb.channel_user_joined : cb.channel_user_leaved) call([&] { f(h(), member.c_str(), 0, ud.data); });
  }

  // RTM reports the whole attribute set; Signaling reported each change.
  void ch_attributes(const std::string& id, const std::vector<rtm::ChannelAttribute>& attrs) {
    std::vector<std::array<std::string, 3>> events;  // name, value, type
    {
      std::lock_guard l(mu);
      if (ch_id.empty() || ch_id != id) return;
      std::map<std::string, std::string> now;
      for (auto& a : attrs) now[a.key] = a.value;
      // A whole set gone at once is a clear; when only one key was left, its deletion and a clear
      // look alike, and it is reported as the deletion.
      if (now.empty() && ch_attrs.size() > 1) {
        events.push_back({"", "", "clear"});
      } else {
        for (auto& [k, v] : ch_attrs)
          if (!now.count(k)) events.push_back({k, "", "del"});
        for (auto& [k, v] : now) {
          auto it = ch_attrs.find(k);
          if (it == ch_attrs.end() || it->second != v) events.push_back({k, v, "update"});
        }
      }
      ch_attrs = std::move(now);
    }
    if (auto f = cb.channel_attr_updated)
      for (auto& e : events) call([&] { f(h(), id.c_str(), e[0].c_str(), e[1].c_str(), e[2].c_str(), ud.data); });
  }

  // ---- query results ------------------------------------------------------------------------------

  void on_query_peers_online_status_result(int64_t rid, const std::vector<rtm::PeerOnlineStatus>& s,
                                           rtm::QueryPeersOnlineStatusErr e) noexcept override {
    auto p = take(rid);
    if (!p) return;
    if (e != rtm::QueryPeersOnlineStatusErr::OK) return deliver_failure(*p, general_ecode(e));
    bool online = !s.empty() && s[0].is_online;
    if (p->kind == Kind::invoke_status) return fire_invoke(p->call_id, 0, online ? "{\"status\":1}" : "{\"status\":0}");
    if (auto f = cb.query_user_status_result) call([&] { f(h(), p->account.c_str(), online ? "1" : "0", ud.data); });
  }

  void attr_result(int64_t rid, rtm::AttributeOperationErr e) {
    auto p = take(rid);
    if (!p) return;
    int ecode = attr_ecode(e);
    if (p->kind == Kind::invoke_set_attr || p->kind == Kind::invoke_channel_attr)
      return fire_invoke(p->call_id, ecode, "{}");
    if (ecode) fire_error(p->op.c_str(), ecode, "the attribute operation failed");
  }
  void on_add_or_update_local_user_attributes_result(int64_t rid, rtm::AttributeOperationErr e) noexcept override {
    attr_result(rid, e);
  }
  void on_delete_local_user_attributes_result(int64_t rid, rtm::AttributeOperationErr e) noexcept override {
    attr_result(rid, e);
  }
  void on_add_or_update_channel_attributes_result(int64_t rid, rtm::AttributeOperationErr e) noexcept override {
    attr_result(rid, e);
  }
  void on_delete_channel_attributes_result(int64_t rid, rtm::AttributeOperationErr e) noexcept override {
    attr_result(rid, e);
  }
  void on_clear_channel_attributes_result(int64_t rid, rtm::AttributeOperationErr e) noexcept override {
    attr_result(rid, e);
  }

  void on_get_user_attributes_result(int64_t rid, const std::string& user, const std::vector<rtm::Attribute>& attrs,
                                     rtm::AttributeOperationErr e) noexcept override {
    auto p = take(rid);
    if (!p) return;
    if (e != rtm::AttributeOperationErr::OK) return deliver_failure(*p, attr_ecode(e));
    if (p->kind == Kind::invoke_get_attr || p->kind == Kind::get_user_attr) {
      std::string value;
      for (auto& a : attrs)
        if (a.key == p->name) value = a.value;
      if (p->kind == Kind::invoke_get_attr) return fire_invoke(p->call_id, 0, json_object({{"value", value}}));
      if (auto f = cb.user_attr_result) call([&] { f(h(), user.c_str(), p->name.c_str(), value.c_str(), ud.data); });
      return;
    }
    std::vector<std::pair<std::string, std::string>> kv;
    for (auto& a : attrs) kv.emplace_back(a.key, a.value);
    std::sort(kv.begin(), kv.end());
    std::string all = json_object(kv);
    if (p->kind == Kind::invoke_get_attr_all) return fire_invoke(p->call_id, 0, json_object({{"json", all}}));
    if (auto f = cb.user_attr_all_result) call([&] { f(h(), user.c_str(), all.c_str(), ud.data); });
  }

  void on_get_channel_attributes_result(int64_t rid, const std::vector<rtm::ChannelAttribute>& attrs,
                                        rtm::AttributeOperationErr e) noexcept override {
    auto p = take(rid);
    if (!p || e != rtm::AttributeOperationErr::OK) return;
    // On join: replay the existing attributes as updates, as Signaling did.
    std::vector<std::pair<std::string, std::string>> replay;
    {
      std::lock_guard l(mu);
      if (ch_id != p->channel) return;
      for (auto& a : attrs)
        if (ch_attrs.emplace(a.key, a.value).second) replay.emplace_back(a.key, a.value);
    }
    if (auto f = cb.channel_attr_updated)
      for (auto& [k, v] : replay) call([&] { f(h(), p->channel.c_str(), k.c_str(), v.c_str(), "update", ud.data); });
  }

  void on_query_channel_info_result(int64_t rid, const std::string& channel, int count, bool member,
                                    const std::vector<std::string>& recent,
                                    rtm::GetChannelMemberCountErr e) noexcept override {
    auto p = take(rid);
    if (!p) return;
    if (e != rtm::GetChannelMemberCountErr::OK) return deliver_failure(*p, general_ecode(e));
    switch (p->kind) {
      case Kind::user_list: {
        {
          std::lock_guard l(mu);
          if (ch_id != channel) return;
        }
        std::vector<const char*> names;
        std::vector<uint32_t> uids(recent.size(), 0);
        for (auto& r : recent) names.push_back(r.c_str());
        if (auto f = cb.channel_user_list) call([&] { f(h(), names.size(), names.data(), uids.data(), ud.data); });
        return;
      }
      case Kind::invoke_num: return fire_invoke(p->call_id, 0, "{\"num\":" + std::to_string(count) + "}");
      case Kind::invoke_isin: return fire_invoke(p->call_id, 0, member ? "{\"isin\":1}" : "{\"isin\":0}");
      case Kind::invoke_userlist: {
        rapidjson::StringBuffer b;
        rapidjson::Writer<rapidjson::StringBuffer> w(b);
        w.StartObject();
        w.Key("num");
        w.Int(count);
        w.Key("list");
        w.StartArray();
        for (auto& r : recent) {
          w.StartArray();
          w.String(r.data(), static_cast<rapidjson::SizeType>(r.size()));
          w.Int(0);
          w.EndArray();
        }
        w.EndArray();
        w.EndObject();
        return fire_invoke(p->call_id, 0, std::string(b.GetString(), b.GetSize()));
      }
      case Kind::query_user_num:
        if (auto f = cb.channel_query_user_num_result) call([&] { f(h(), channel.c_str(), 0, count, ud.data); });
        return;
      case Kind::query_user_is_in:
        if (auto f = cb.channel_query_user_is_in)
          call([&] { f(h(), channel.c_str(), p->account.c_str(), member ? 1 : 0, ud.data); });
        return;
      default: return;
    }
  }

  // ---- calls --------------------------------------------------------------------------------------

  // The call an engine invitation belongs to (its key), if it is still the live one.
  std::optional<CallKey> local_call(const rtm::LocalInvitationPtr& inv, bool erase) {
    std::lock_guard l(mu);
    CallKey k{inv->channel_id(), inv->callee_id()};
    auto it = calls.find(k);
    if (it == calls.end() || it->second.local != inv) return std::nullopt;
    if (erase) calls.erase(it);
    return k;
  }
  std::optional<CallKey> remote_call(const rtm::RemoteInvitationPtr& inv, bool erase, bool* ending = nullptr) {
    std::lock_guard l(mu);
    CallKey k{inv->channel_id(), inv->caller_id()};
    auto it = calls.find(k);
    if (it == calls.end() || it->second.remote != inv) return std::nullopt;
    if (ending) *ending = it->second.ending;
    if (erase) calls.erase(it);
    return k;
  }

  void on_local_invitation_received_by_peer(const rtm::LocalInvitationPtr& inv) noexcept override {
    if (auto k = local_call(inv, false))
      if (auto f = cb.invite_received_by_peer) call([&] { f(h(), k->first.c_str(), k->second.c_str(), 0, ud.data); });
  }
  void on_local_invitation_accepted(const rtm::LocalInvitationPtr& inv, const std::string& response) noexcept override {
    std::optional<CallKey> k;
    bool ending = false;
    {
      std::lock_guard l(mu);
      CallKey key{inv->channel_id(), inv->callee_id()};
      auto it = calls.find(key);
      if (it == calls.end() || it->second.local != inv) return;
      it->second.accepted = true;
      ending = it->second.ending;
      if (ending) calls.erase(it);
      k = key;
    }
    if (ending) {
      // channelInviteEnd raced with the accept: hang up the established call.
      send_control(k->second, std::string(kEndCallPrefix) + k->first + "_end");
      return fire_end_by_myself(*k);
    }
    if (auto f = cb.invite_accepted_by_peer)
      call([&] { f(h(), k->first.c_str(), k->second.c_str(), 0, response.c_str(), ud.data); });
  }
  void on_local_invitation_refused(const rtm::LocalInvitationPtr& inv, const std::string& response) noexcept override {
    if (auto k = local_call(inv, true))
      if (auto f = cb.invite_refused_by_peer)
        call([&] { f(h(), k->first.c_str(), k->second.c_str(), 0, response.c_str(), ud.data); });
  }
  void on_local_invitation_canceled(const rtm::LocalInvitationPtr& inv) noexcept override {
    if (auto k = local_call(inv, true)) fire_end_by_myself(*k);
  }
  void on_local_invitation_failure(const rtm::LocalInvitationPtr& inv, rtm::LocalInvitationErr e) noexcept override {
    if (auto k = local_call(inv, true)) fire_invite_failed(*k, invite_ecode(e), "");
  }

  void on_remote_invitation_received(const rtm::RemoteInvitationPtr& inv) noexcept override {
    CallKey k{inv->channel_id(), inv->caller_id()};
    {
      std::lock_guard l(mu);
      Call c;
      c.remote = inv;
      calls[k] = std::move(c);  // a new invitation replaces a stale one of the same key
    }
    if (auto f = cb.invite_received)
      call([&] { f(h(), k.first.c_str(), k.second.c_str(), 0, inv->content().c_str(), ud.data); });
  }
  void on_remote_invitation_accepted(const rtm::RemoteInvitationPtr& inv) noexcept override {
    std::lock_guard l(mu);
    auto it = calls.find({inv->channel_id(), inv->caller_id()});
    if (it != calls.end() && it->second.remote == inv) it->second.accepted = true;
  }
  void on_remote_invitation_refused(const rtm::RemoteInvitationPtr& inv) noexcept override {
    bool ending = false;
    if (auto k = remote_call(inv, true, &ending))
      if (ending) fire_end_by_myself(*k);
  }
  void on_remote_invitation_canceled(const rtm::RemoteInvitationPtr& inv) noexcept override {
    if (auto k = remote_call(inv, true)) fire_end_by_peer(*k, "");
  }
  void on_remote_invitation_failure(const rtm::RemoteInvitationPtr& inv, rtm::RemoteInvitationErr e) noexcept override {
    bool ending = false;
    if (auto k = remote_call(inv, true, &ending)) {
      if (ending) return fire_end_by_myself(*k);
      fire_invite_failed(*k, e == rtm::RemoteInvitationErr::INVITATION_EXPIRE ? RTM_SIG_INVITE_E_TIMEOUT
                                                                               : RTM_SIG_INVITE_E_OTHER, "");
    }
  }
};

void SigChannel::on_join_success() noexcept { sig->ch_join_success(id); }
void SigChannel::on_join_failure(rtm::JoinChannelErr e) noexcept { sig->ch_join_failure(id, e); }
void SigChannel::on_leave(rtm::LeaveChannelErr e) noexcept { sig->ch_leave(id, e); }
void SigChannel::on_message_received(const std::string& member, const rtm::Message& m) noexcept {
  sig->ch_message(id, member, m);
}
void SigChannel::on_send_message_result(int64_t mid, rtm::ChannelMessageErr e) noexcept { sig->ch_send_result(mid, e); }
void SigChannel::on_member_joined(const std::string& member) noexcept { sig->ch_member(id, member, true); }
void SigChannel::on_member_left(const std::string& member) noexcept { sig->ch_member(id, member, false); }
void SigChannel::on_attributes_updated(const std::vector<rtm::ChannelAttribute>& attrs) noexcept {
  sig->ch_attributes(id, attrs);
}

inline Sig* impl(rtm_sig_t* p) noexcept { return reinterpret_cast<Sig*>(p); }
inline const Sig* impl(const rtm_sig_t* p) noexcept { return reinterpret_cast<const Sig*>(p); }

}  // namespace rtmc

// ---- API ------------------------------------------------------------------------------------------

using namespace rtmc;  // NOLINT: this file's own internals

namespace {

rtm_result_t null_arg(const char* fn) { return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: a required argument is NULL", fn); }

// The legacy message id: the caller's, or a new one.
std::string legacy_id(Sig* s, const char* msg_id) {
  if (msg_id && *msg_id) return msg_id;
  return "m" + std::to_string(++s->msg_counter);
}

int peer_send_ecode(int rc) {
  using E = rtm::PeerMessageErr;
  switch (static_cast<E>(rc)) {
    case E::USER_NOT_LOGGED_IN:
    case E::NOT_INITIALIZED: return RTM_SIG_GENERAL_E_NOT_LOGIN;
    case E::INVALID_USERID: return RTM_SIG_GENERAL_E_WRONG_PARAM;
    case E::INVALID_MESSAGE: return RTM_SIG_GENERAL_E_LARGE_PARAM;
    default: return RTM_SIG_SENDMESSAGE_E_OTHER;
  }
}

// Runs an operation that records a pending query; `start` returns the engine's answer.
template <class F>
rtm_result_t request(const char* fn, rtm_sig_t* handle, Sig::Pending p, F&& start) {
  return rtmc::guarded(fn, [&](const char*) {
    if (!handle) return null_arg(fn);
    Sig* s = rtmc::impl(handle);
    std::lock_guard l(s->mu);
    int64_t rid = 0;
    int rc = start(s, rid);
    s->track(rc, rid, std::move(p));
    return rtmc::ok();
  });
}

std::string str_field(const rapidjson::Value& o, const char* key, bool& ok) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsString()) {
    ok = false;
    return {};
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

bool valid_dtmf(std::string_view d) {
  if (d.empty() || d.size() > kMaxDtmf) return false;
  for (char c : d)
    if (!((c >= '0' && c <= '9') || c == '*' || c == '#')) return false;
  return true;
}

}  // namespace

using rtmc::impl;

extern "C" {

RTM_API const char* RTM_CALL rtm_sig_ecode_name(int ecode) {
  switch (ecode) {
#define RTM_SIG_NAME(v, n) case v: return n;
    RTM_SIG_NAME(RTM_SIG_E_SUCCESS, "SUCCESS")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_OTHER, "LOGOUT_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_USER, "LOGOUT_E_USER")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_NET, "LOGOUT_E_NET")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_KICKED, "LOGOUT_E_KICKED")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_PACKET, "LOGOUT_E_PACKET")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_TOKENEXPIRED, "LOGOUT_E_TOKENEXPIRED")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_OLDVERSION, "LOGOUT_E_OLDVERSION")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_TOKENWRONG, "LOGOUT_E_TOKENWRONG")
    RTM_SIG_NAME(RTM_SIG_LOGOUT_E_ALREADY_LOGOUT, "LOGOUT_E_ALREADY_LOGOUT")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_OTHER, "LOGIN_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_NET, "LOGIN_E_NET")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_FAILED, "LOGIN_E_FAILED")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_CANCEL, "LOGIN_E_CANCEL")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_TOKENEXPIRED, "LOGIN_E_TOKENEXPIRED")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_OLDVERSION, "LOGIN_E_OLDVERSION")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_TOKENWRONG, "LOGIN_E_TOKENWRONG")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_TOKEN_KICKED, "LOGIN_E_TOKEN_KICKED")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_ALREADY_LOGIN, "LOGIN_E_ALREADY_LOGIN")
    RTM_SIG_NAME(RTM_SIG_LOGIN_E_INVALID_USER, "LOGIN_E_INVALID_USER")
    RTM_SIG_NAME(RTM_SIG_JOINCHANNEL_E_OTHER, "JOINCHANNEL_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_SENDMESSAGE_E_OTHER, "SENDMESSAGE_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_SENDMESSAGE_E_TIMEOUT, "SENDMESSAGE_E_TIMEOUT")
    RTM_SIG_NAME(RTM_SIG_QUERYUSERNUM_E_OTHER, "QUERYUSERNUM_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_QUERYUSERNUM_E_TIMEOUT, "QUERYUSERNUM_E_TIMEOUT")
    RTM_SIG_NAME(RTM_SIG_QUERYUSERNUM_E_BYUSER, "QUERYUSERNUM_E_BYUSER")
    RTM_SIG_NAME(RTM_SIG_LEAVECHANNEL_E_OTHER, "LEAVECHANNEL_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_LEAVECHANNEL_E_KICKED, "LEAVECHANNEL_E_KICKED")
    RTM_SIG_NAME(RTM_SIG_LEAVECHANNEL_E_BYUSER, "LEAVECHANNEL_E_BYUSER")
    RTM_SIG_NAME(RTM_SIG_LEAVECHANNEL_E_LOGOUT, "LEAVECHANNEL_E_LOGOUT")
    RTM_SIG_NAME(RTM_SIG_LEAVECHANNEL_E_DISCONN, "LEAVECHANNEL_E_DISCONN")
    RTM_SIG_NAME(RTM_SIG_INVITE_E_OTHER, "INVITE_E_OTHER")
    RTM_SIG_NAME(RTM_SIG_INVITE_E_REINVITE, "INVITE_E_REINVITE")
    RTM_SIG_NAME(RTM_SIG_INVITE_E_NET, "INVITE_E_NET")
    RTM_SIG_NAME(RTM_SIG_INVITE_E_PEEROFFLINE, "INVITE_E_PEEROFFLINE")
    RTM_SIG_NAME(RTM_SIG_INVITE_E_TIMEOUT, "INVITE_E_TIMEOUT")
    RTM_SIG_NAME(RTM_SIG_INVITE_E_CANTRECV, "INVITE_E_CANTRECV")
    RTM_SIG_NAME(RTM_SIG_GENERAL_E, "GENERAL_E")
    RTM_SIG_NAME(RTM_SIG_GENERAL_E_FAILED, "GENERAL_E_FAILED")
    RTM_SIG_NAME(RTM_SIG_GENERAL_E_UNKNOWN, "GENERAL_E_UNKNOWN")
    RTM_SIG_NAME(RTM_SIG_GENERAL_E_NOT_LOGIN, "GENERAL_E_NOT_LOGIN")
    RTM_SIG_NAME(RTM_SIG_GENERAL_E_WRONG_PARAM, "GENERAL_E_WRONG_PARAM")
    RTM_SIG_NAME(RTM_SIG_GENERAL_E_LARGE_PARAM, "GENERAL_E_LARGE_PARAM")
#undef RTM_SIG_NAME
    default: return "UNKNOWN";
  }
}

RTM_API rtm_result_t RTM_CALL rtm_sig_new(rtm_sig_t** out, rtm_conf_t* conf) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!out || !conf) return null_arg(fn);
    auto* cf = impl(conf);
    if (cf->cfg.reconnect_min_ms > cf->cfg.reconnect_max_ms)
      return rtmc::fail(RTM_ERR_INVALID_VALUE, "%s: reconnect_min_ms exceeds reconnect_max_ms", fn);
    auto s = std::make_unique<Sig>();
    s->cb = cf->sig;
    s->thread_start = cf->cb.thread_start;
    s->poll_mode = cf->poll_mode;
    s->ud.data = cf->ud.data;
    rtm::ClientConfig cfg = cf->cfg;
    cfg.dispatch = rtm::DispatchMode::poll;  // the instance runs its own dispatcher (timers included)
    cfg.signaling_login = true;
    s->core = std::make_unique<rtm::Client>(std::move(cfg), s.get());
    if (!s->poll_mode) {
      try {
        s->thread = std::thread([p = s.get()] { p->run_dispatcher(); });
      } catch (...) {
        s->core.reset();
        s->ud.data = nullptr;
        throw;
      }
    }
    s->ud.free_fn = cf->ud.free_fn;
    cf->ud.free_fn = nullptr;
    cf->ud.data = nullptr;
    delete cf;
    *out = reinterpret_cast<rtm_sig_t*>(s.release());
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_destroy(rtm_sig_t* handle) {
  if (!handle) return rtmc::ok();
  Sig* s = impl(handle);
  if (rtmc::CallbackScope::active(s))
    return rtmc::fail(RTM_ERR_INVALID_STATE,
                      "rtm_sig_destroy: called from inside a callback of the same instance; destroy it from "
                      "another thread after the callback returned");
  return rtmc::guarded(__func__, [&](const char*) {
    {
      std::lock_guard l(s->mu);
      s->closing.store(true, std::memory_order_release);
    }
    s->core->wakeup();
    if (s->thread.joinable()) {
      s->thread.join();
    } else {
      std::unique_lock l(s->mu);
      while (s->polling) {
        s->cv.wait_for(l, std::chrono::milliseconds(10));
        if (s->polling) s->core->wakeup();
      }
    }
    if (s->status.load() != RTM_SIG_STATUS_NOT_LOGGED_IN) s->core->logout();
    // Released outside `mu`, which a channel callback takes while holding its callback lock.
    rtmc::ChannelSlot current;
    std::vector<rtmc::ChannelSlot> retired;
    {
      std::lock_guard l(s->mu);
      current = std::move(s->ch);
      s->ch = rtmc::ChannelSlot();
      retired.swap(s->retired);
    }
    current = rtmc::ChannelSlot();
    retired.clear();
    s->core.reset();  // joins the network thread
    s->ch = rtmc::ChannelSlot();
    s->ud.release();
    delete s;
    return rtmc::ok();
  });
}

RTM_API void* RTM_CALL rtm_sig_user_data(const rtm_sig_t* s) { return s ? impl(s)->ud.data : nullptr; }

RTM_API int RTM_CALL rtm_sig_poll(rtm_sig_t* handle, int timeout_ms) {
  return rtmc::guarded(__func__, [&](const char* fn) -> int {
    if (!handle) return null_arg(fn);
    Sig* s = impl(handle);
    if (!s->poll_mode)
      return rtmc::fail(RTM_ERR_INVALID_STATE, "%s: the instance dispatches on its own thread (set callback.dispatch=poll)", fn);
    if (rtmc::CallbackScope::active(s))
      return rtmc::fail(RTM_ERR_INVALID_STATE, "%s: called from inside a callback of the same instance", fn);
    {
      std::lock_guard l(s->mu);
      if (s->closing.load()) return rtmc::fail(RTM_ERR_INVALID_STATE, "%s: the instance is being destroyed", fn);
      if (s->polling) return rtmc::fail(RTM_ERR_INVALID_STATE, "%s: another thread is polling this instance", fn);
      s->polling = true;
    }
    int n = 0;
    try {
      rtmc::CallbackScope scope(s);
      n = s->pump(timeout_ms < 0 ? -1 : timeout_ms);
    } catch (...) {
      std::lock_guard l(s->mu);
      s->polling = false;
      s->cv.notify_all();
      throw;
    }
    {
      // Notified under the lock: once a destroy waiting in another thread sees `polling` false it
      // may free the object, so nothing here touches it after the unlock.
      std::lock_guard l(s->mu);
      s->polling = false;
      s->cv.notify_all();
    }
    rtmc::clear_error();
    return n;
  });
}

RTM_API void RTM_CALL rtm_sig_wakeup(rtm_sig_t* s) {
  if (s) {
    try {
      impl(s)->core->wakeup();
    } catch (...) {
    }
  }
}

RTM_API int RTM_CALL rtm_sig_event_fd(const rtm_sig_t* s) { return s ? impl(s)->core->event_fd() : -1; }

RTM_API rtm_result_t RTM_CALL rtm_sig_login2(rtm_sig_t* handle, const char* account, const char* token,
                                             int retry_time_s, int retry_count) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !account || !token) return null_arg(fn);
    Sig* s = impl(handle);
    {
      std::lock_guard l(s->mu);
      int expected = RTM_SIG_STATUS_NOT_LOGGED_IN;
      if (!s->status.compare_exchange_strong(expected, RTM_SIG_STATUS_LOGGING_IN)) return rtmc::ok();  // ignored
      s->account = account;
      s->token = token;
      s->retry_time_s = retry_time_s > 0 ? retry_time_s : kDefaultRetryTimeS;
      s->retry_count = retry_count > 0 ? retry_count : kDefaultRetryCount;
      s->attempts = 0;
      s->login_started = Clock::now();
      s->logout_reason = RTM_SIG_LOGOUT_E_USER;
      s->canceling = false;
      ++s->gen;
    }
    if (!rtm::valid_user_id(account)) {
      s->status = RTM_SIG_STATUS_NOT_LOGGED_IN;
      s->post([s] {
        if (auto f = s->cb.login_failed) s->call([&] { f(s->h(), RTM_SIG_LOGIN_E_INVALID_USER, s->ud.data); });
      });
      return rtmc::ok();
    }
    s->try_login();
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_login(rtm_sig_t* s, const char* account, const char* token) {
  return rtm_sig_login2(s, account, token, kDefaultRetryTimeS, kDefaultRetryCount);
}

RTM_API rtm_result_t RTM_CALL rtm_sig_logout(rtm_sig_t* handle) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle) return null_arg(fn);
    Sig* s = impl(handle);
    int st = s->status.load();
    if (st == RTM_SIG_STATUS_NOT_LOGGED_IN) {
      s->post([s] {
        if (auto f = s->cb.logout) s->call([&] { f(s->h(), RTM_SIG_LOGOUT_E_ALREADY_LOGOUT, s->ud.data); });
      });
      return rtmc::ok();
    }
    if (st == RTM_SIG_STATUS_LOGGING_IN) {
      {
        std::lock_guard l(s->mu);
        ++s->gen;
        s->status = RTM_SIG_STATUS_NOT_LOGGED_IN;
        s->canceling = s->core->logout() == 0;
      }
      s->post([s] {
        if (auto f = s->cb.login_failed) s->call([&] { f(s->h(), RTM_SIG_LOGIN_E_CANCEL, s->ud.data); });
      });
      return rtmc::ok();
    }
    {
      std::lock_guard l(s->mu);
      s->logout_reason = RTM_SIG_LOGOUT_E_USER;
    }
    if (s->core->logout() != 0)
      s->post([s] { s->session_ended(RTM_SIG_LEAVECHANNEL_E_LOGOUT, RTM_SIG_LOGOUT_E_USER); });
    return rtmc::ok();
  });
}

RTM_API int RTM_CALL rtm_sig_get_status(const rtm_sig_t* s) { return s ? impl(s)->status.load() : 0; }

RTM_API const char* RTM_CALL rtm_sig_account(const rtm_sig_t* s) { return s ? impl(s)->account.c_str() : ""; }

RTM_API rtm_result_t RTM_CALL rtm_sig_message_instant_send(rtm_sig_t* handle, const char* account, const char* msg,
                                                           const char* msg_id) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !account || !msg) return null_arg(fn);
    Sig* s = impl(handle);
    std::lock_guard l(s->mu);
    std::string id = legacy_id(s, msg_id);
    rtm::SendMessageOptions o;
    o.enable_offline_messaging = true;  // "success" means rtmd has it, as Signaling reported
    int64_t rid = 0;
    int rc = s->core->send_message_to_peer(account, rtm::Message::from_text(msg), o, &rid);
    if (rc == 0) {
      s->peer_msgs.emplace(rid, id);
    } else {
      int e = peer_send_ecode(rc);
      s->post([s, id, e] { s->fire_send_error(id, e); });
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_message_channel_send(rtm_sig_t* handle, const char* channel, const char* msg,
                                                           const char* msg_id) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !channel || !msg) return null_arg(fn);
    Sig* s = impl(handle);
    std::lock_guard l(s->mu);
    std::string id = legacy_id(s, msg_id);
    int rc = -1;
    int64_t rid = 0;
    if (s->ch.core && s->ch_id == channel) rc = s->ch.core->send_message(rtm::Message::from_text(msg), {}, &rid);
    if (rc == 0) {
      s->ch_msgs.emplace(rid, std::make_pair(id, std::string(msg)));
    } else {
      using E = rtm::ChannelMessageErr;
      int e = rc == static_cast<int>(E::USER_NOT_LOGGED_IN) ? RTM_SIG_GENERAL_E_NOT_LOGIN
              : rc == static_cast<int>(E::INVALID_MESSAGE)   ? RTM_SIG_GENERAL_E_LARGE_PARAM
                                                              : RTM_SIG_SENDMESSAGE_E_OTHER;
      s->post([s, id, e] { s->fire_send_error(id, e); });
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_join(rtm_sig_t* handle, const char* channel) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !channel) return null_arg(fn);
    Sig* s = impl(handle);
    std::string id = channel;
    std::vector<rtmc::ChannelSlot> stale;  // a left channel of the same id: gone before it is reopened
    {
      std::lock_guard l(s->mu);
      if (s->ch_id == id) return rtmc::ok();  // already in it
      for (auto it = s->retired.begin(); it != s->retired.end();) {
        if (it->handler && it->handler->id == id) {
          stale.push_back(std::move(*it));
          it = s->retired.erase(it);
        } else {
          ++it;
        }
      }
    }
    stale.clear();
    std::string left;
    int fail = 0;
    {
      std::lock_guard l(s->mu);
      if (!s->ch_id.empty()) {
        if (s->ch.core) s->ch.core->leave();
        left = s->drop_channel_locked();
      }
      rtmc::ChannelSlot slot;
      slot.handler = std::make_unique<rtmc::SigChannel>(s, id);
      slot.core = s->core->create_channel(id, slot.handler.get());
      if (!slot.core) {
        fail = RTM_SIG_GENERAL_E_WRONG_PARAM;
      } else {
        s->ch = std::move(slot);
        s->ch_id = id;
        int rc = s->ch.core->join();
        if (rc != 0) {
          s->drop_channel_locked();
          fail = rc == static_cast<int>(rtm::JoinChannelErr::USER_NOT_LOGGED_IN) ? RTM_SIG_GENERAL_E_NOT_LOGIN
                                                                                 : RTM_SIG_JOINCHANNEL_E_OTHER;
        }
      }
    }
    if (!left.empty()) s->post([s, left] { s->fire_channel_leaved(left, RTM_SIG_LEAVECHANNEL_E_BYUSER); });
    if (fail)
      s->post([s, id, fail] {
        if (auto f = s->cb.channel_join_failed) s->call([&] { f(s->h(), id.c_str(), fail, s->ud.data); });
      });
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_leave(rtm_sig_t* handle, const char* channel) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !channel) return null_arg(fn);
    Sig* s = impl(handle);
    std::string id = channel;
    int code = 0;
    {
      std::lock_guard l(s->mu);
      if (s->ch_id != id || !s->ch.core) {
        code = RTM_SIG_LEAVECHANNEL_E_OTHER;  // not in that channel
      } else if (s->ch.core->leave() != 0) {
        s->drop_channel_locked();  // not logged in: the channel is gone anyway
        code = RTM_SIG_LEAVECHANNEL_E_BYUSER;
      }
    }
    if (code) s->post([s, id, code] { s->fire_channel_leaved(id, code); });
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_set_attr(rtm_sig_t* handle, const char* channel, const char* name,
                                                       const char* value) {
  if (!channel || !name || !value) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::channel_attr_op, {}, {}, {}, channel, "channelSetAttr"},
                 [&](Sig* s, int64_t& rid) {
                   rtm::ChannelAttributeOptions o;
                   o.enable_notification_to_channel_members = true;
                   return s->core->add_or_update_channel_attributes(channel, {{name, value}}, o, &rid);
                 });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_del_attr(rtm_sig_t* handle, const char* channel, const char* name) {
  if (!channel || !name) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::channel_attr_op, {}, {}, {}, channel, "channelDelAttr"},
                 [&](Sig* s, int64_t& rid) {
                   rtm::ChannelAttributeOptions o;
                   o.enable_notification_to_channel_members = true;
                   return s->core->delete_channel_attributes_by_keys(channel, {name}, o, &rid);
                 });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_clear_attr(rtm_sig_t* handle, const char* channel) {
  if (!channel) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::channel_attr_op, {}, {}, {}, channel, "channelClearAttr"},
                 [&](Sig* s, int64_t& rid) {
                   rtm::ChannelAttributeOptions o;
                   o.enable_notification_to_channel_members = true;
                   return s->core->clear_channel_attributes(channel, o, &rid);
                 });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_query_user_num(rtm_sig_t* handle, const char* channel) {
  if (!channel) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::query_user_num, {}, {}, {}, channel, "channelQueryUserNum"},
                 [&](Sig* s, int64_t& rid) { return s->core->query_channel_info(channel, {}, 0, &rid); });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_query_user_is_in(rtm_sig_t* handle, const char* channel,
                                                               const char* account) {
  if (!channel || !account) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::query_user_is_in, {}, account, {}, channel, "channelQueryUserIsIn"},
                 [&](Sig* s, int64_t& rid) { return s->core->query_channel_info(channel, account, 0, &rid); });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_user2(rtm_sig_t* handle, const char* channel, const char* account,
                                                           const char* extra) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !channel || !account) return null_arg(fn);
    Sig* s = impl(handle);
    Sig::CallKey k{channel, account};
    std::string_view ex = rtmc::sv(extra);
    auto failed = [&](int e) {
      s->post([s, k, e] { s->fire_invite_failed(k, e, ""); });
      return rtmc::ok();
    };
    // extra: system keys (leading '_') configure the call; the others travel to the callee.
    bool require_online = false;
    uint32_t ttl_ms = 0;
    std::string content;
    if (!ex.empty()) {
      if (ex.size() > kMaxExtraBytes) return failed(RTM_SIG_GENERAL_E_LARGE_PARAM);
      rapidjson::Document d;
      d.Parse(ex.data(), ex.size());
      if (d.HasParseError() || !d.IsObject()) return failed(RTM_SIG_GENERAL_E_WRONG_PARAM);
      rapidjson::Document pass(rapidjson::kObjectType);
      for (auto& m : d.GetObject()) {
        std::string_view key(m.name.GetString(), m.name.GetStringLength());
        if (key == "_require_peer_online") {
          if (!m.value.IsInt() || (m.value.GetInt() != 0 && m.value.GetInt() != 1)) return failed(RTM_SIG_GENERAL_E_WRONG_PARAM);
          require_online = m.value.GetInt() == 1;
        } else if (key == "_timeout") {
          if (!m.value.IsInt() || m.value.GetInt() < 0 || m.value.GetInt() > 30) return failed(RTM_SIG_GENERAL_E_WRONG_PARAM);
          ttl_ms = static_cast<uint32_t>(m.value.GetInt()) * 1000;
        } else if (!key.empty() && key[0] == '_') {
          continue;  // other system keys (destMediaUid, srcNum: media and SIP) have no meaning here
        } else {
          rapidjson::Value name(m.name, pass.GetAllocator());
          rapidjson::Value value(m.value, pass.GetAllocator());
          pass.AddMember(name, value, pass.GetAllocator());
        }
      }
      if (pass.MemberCount()) content = json_of(pass);
    }
    auto inv = s->core->create_local_invitation(account);
    if (!inv) return failed(RTM_SIG_GENERAL_E_WRONG_PARAM);
    inv->set_channel_id(channel);
    inv->set_content(content);
    inv->set_require_peer_online(require_online);
    inv->set_ttl_ms(ttl_ms);
    std::lock_guard l(s->mu);
    if (s->calls.count(k)) {
      s->post([s, k] { s->fire_invite_failed(k, RTM_SIG_INVITE_E_REINVITE, ""); });
      return rtmc::ok();
    }
    Sig::Call c;
    c.local = inv;
    s->calls[k] = c;
    int rc = s->core->send_local_invitation(inv);
    if (rc != 0) {
      s->calls.erase(k);
      int e = rc == static_cast<int>(rtm::InvitationApiCallErr::INVALID_ARGUMENT) ? RTM_SIG_GENERAL_E_WRONG_PARAM
                                                                                 : RTM_SIG_INVITE_E_OTHER;
      s->post([s, k, e] { s->fire_invite_failed(k, e, ""); });
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_user(rtm_sig_t* s, const char* channel, const char* account) {
  return rtm_sig_channel_invite_user2(s, channel, account, "");
}

// accept (true) or refuse an incoming call.
static rtm_result_t answer_call(const char* fn, rtm_sig_t* handle, const char* channel, const char* account,
                                const char* extra, bool accept) {
  return rtmc::guarded(fn, [&](const char*) {
    if (!handle || !channel || !account) return null_arg(fn);
    Sig* s = impl(handle);
    Sig::CallKey k{channel, account};
    std::lock_guard l(s->mu);
    auto it = s->calls.find(k);
    int rc = -1;
    if (it != s->calls.end() && it->second.remote) {
      it->second.remote->set_response(std::string(rtmc::sv(extra)));
      rc = accept ? s->core->accept_remote_invitation(it->second.remote)
                  : s->core->refuse_remote_invitation(it->second.remote);
    }
    if (rc != 0) {
      if (it != s->calls.end() && it->second.remote) s->calls.erase(it);
      s->post([s, k] { s->fire_invite_failed(k, RTM_SIG_INVITE_E_OTHER, ""); });
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_accept(rtm_sig_t* s, const char* channel, const char* account,
                                                            const char* extra) {
  return answer_call(__func__, s, channel, account, extra, true);
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_refuse(rtm_sig_t* s, const char* channel, const char* account,
                                                            const char* extra) {
  return answer_call(__func__, s, channel, account, extra, false);
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_end(rtm_sig_t* handle, const char* channel, const char* account) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !channel || !account) return null_arg(fn);
    Sig* s = impl(handle);
    Sig::CallKey k{channel, account};
    bool hang_up = true;  // tell the peer with the end-call message, then end_by_myself at once
    {
      std::lock_guard l(s->mu);
      auto it = s->calls.find(k);
      if (it != s->calls.end() && !it->second.accepted) {
        // Not established: cancel our invitation, or refuse theirs; the answer ends the call.
        int rc = it->second.local ? s->core->cancel_local_invitation(it->second.local)
                                   : s->core->refuse_remote_invitation(it->second.remote);
        if (rc == 0) {
          it->second.ending = true;
          hang_up = false;
        }
      }
      if (hang_up && it != s->calls.end()) s->calls.erase(it);
    }
    if (hang_up) {
      s->send_control(account, std::string(kEndCallPrefix) + channel + "_end");
      s->post([s, k] { s->fire_end_by_myself(k); });
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_channel_invite_dtmf(rtm_sig_t* handle, const char* channel, const char* account,
                                                          const char* dtmf) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !channel || !account || !dtmf) return null_arg(fn);
    Sig* s = impl(handle);
    auto error = [&](int e, const char* desc) {
      std::string d = desc;
      s->post([s, e, d] { s->fire_error("channelInviteDTMF", e, d); });
      return rtmc::ok();
    };
    if (!valid_dtmf(dtmf)) return error(RTM_SIG_GENERAL_E_WRONG_PARAM, "DTMF digits are 0-9, '*' and '#' (at most 256)");
    if (s->status.load() != RTM_SIG_STATUS_LOGGED_IN && s->status.load() != RTM_SIG_STATUS_RECONNECTING)
      return error(RTM_SIG_GENERAL_E_NOT_LOGIN, "not logged in");
    std::string extra = json_object({{"msgtype", "dtmf"}, {"msgdata", dtmf}});
    s->send_control(account, std::string(kInviteMsgPrefix) +
                                 json_object({{"channel", channel}, {"type", "dtmf"}, {"data", dtmf}, {"extra", extra}}));
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_query_user_status(rtm_sig_t* handle, const char* account) {
  if (!account) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::query_user_status, {}, account, {}, {}, "queryUserStatus"},
                 [&](Sig* s, int64_t& rid) { return s->core->query_peers_online_status({account}, &rid); });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_set_attr(rtm_sig_t* handle, const char* name, const char* value) {
  if (!name || !value) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::set_attr, {}, {}, name, {}, "setAttr"}, [&](Sig* s, int64_t& rid) {
    if (!*value) return s->core->delete_local_user_attributes_by_keys({name}, &rid);
    return s->core->add_or_update_local_user_attributes({{name, value}}, &rid);
  });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_get_user_attr(rtm_sig_t* handle, const char* account, const char* name) {
  if (!account || !name) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::get_user_attr, {}, account, name, {}, "getUserAttr"},
                 [&](Sig* s, int64_t& rid) { return s->core->get_user_attributes_by_keys(account, {name}, &rid); });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_get_user_attr_all(rtm_sig_t* handle, const char* account) {
  if (!account) return null_arg(__func__);
  return request(__func__, handle, {Sig::Kind::get_user_attr_all, {}, account, {}, {}, "getUserAttrAll"},
                 [&](Sig* s, int64_t& rid) { return s->core->get_user_attributes(account, &rid); });
}

RTM_API rtm_result_t RTM_CALL rtm_sig_get_attr(rtm_sig_t* handle, const char* name) {
  if (!handle || !name) return null_arg(__func__);
  std::string me = impl(handle)->core->user_id();
  return rtm_sig_get_user_attr(handle, me.c_str(), name);
}

RTM_API rtm_result_t RTM_CALL rtm_sig_get_attr_all(rtm_sig_t* handle) {
  if (!handle) return null_arg(__func__);
  std::string me = impl(handle)->core->user_id();
  return rtm_sig_get_user_attr_all(handle, me.c_str());
}

RTM_API rtm_result_t RTM_CALL rtm_sig_invoke(rtm_sig_t* handle, const char* name, const char* req_json,
                                             const char* call_id) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!handle || !name) return null_arg(fn);
    Sig* s = impl(handle);
    std::string cid(rtmc::sv(call_id));
    auto answer = [&](int err) {
      s->post([s, cid, err] { s->fire_invoke(cid, err, "{}"); });
      return rtmc::ok();
    };
    std::string_view n = name;
    if (!n.starts_with(kInvokePrefix)) return answer(RTM_SIG_GENERAL_E_UNKNOWN);
    std::string cmd(n.substr(kInvokePrefix.size()));
    rapidjson::Document d;
    std::string_view body = rtmc::sv(req_json);
    if (body.empty()) body = "{}";
    d.Parse(body.data(), body.size());
    if (d.HasParseError() || !d.IsObject()) return answer(RTM_SIG_GENERAL_E_WRONG_PARAM);
    bool ok = true;
    Sig::Pending p{Sig::Kind::invoke_status, cid, {}, {}, {}, cmd};
    std::lock_guard l(s->mu);
    int64_t rid = 0;
    int rc = 0;
    rtm::ChannelAttributeOptions notify;
    notify.enable_notification_to_channel_members = true;
    if (cmd == "user_query_user_status") {
      p.account = str_field(d, "account", ok);
      if (ok) rc = s->core->query_peers_online_status({p.account}, &rid);
    } else if (cmd == "user_set_attr") {
      p.kind = Sig::Kind::invoke_set_attr;
      std::string k = str_field(d, "name", ok), v = str_field(d, "value", ok);
      if (ok)
        rc = v.empty() ? s->core->delete_local_user_attributes_by_keys({k}, &rid)
                       : s->core->add_or_update_local_user_attributes({{k, v}}, &rid);
    } else if (cmd == "user_get_attr") {
      p.kind = Sig::Kind::invoke_get_attr;
      p.account = str_field(d, "account", ok);
      p.name = str_field(d, "name", ok);
      if (ok) rc = s->core->get_user_attributes_by_keys(p.account, {p.name}, &rid);
    } else if (cmd == "user_get_attr_all") {
      p.kind = Sig::Kind::invoke_get_attr_all;
      p.account = str_field(d, "account", ok);
      if (ok) rc = s->core->get_user_attributes(p.account, &rid);
    } else if (cmd == "channel_query_num") {
      p.kind = Sig::Kind::invoke_num;
      p.channel = str_field(d, "name", ok);
      if (ok) rc = s->core->query_channel_info(p.channel, {}, 0, &rid);
    } else if (cmd == "channel_query_user_isin") {
      p.kind = Sig::Kind::invoke_isin;
      p.channel = str_field(d, "name", ok);
      p.account = str_field(d, "account", ok);
      if (ok) rc = s->core->query_channel_info(p.channel, p.account, 0, &rid);
    } else if (cmd == "channel_query_userlist") {
      p.kind = Sig::Kind::invoke_userlist;
      p.channel = str_field(d, "name", ok);
      if (ok) rc = s->core->query_channel_info(p.channel, {}, kUserListSize, &rid);
    } else if (cmd == "channel_set_attr") {
      p.kind = Sig::Kind::invoke_channel_attr;
      p.channel = str_field(d, "channel", ok);
      std::string k = str_field(d, "name", ok), v = str_field(d, "value", ok);
      if (ok) rc = s->core->add_or_update_channel_attributes(p.channel, {{k, v}}, notify, &rid);
    } else if (cmd == "channel_del_attr") {
      p.kind = Sig::Kind::invoke_channel_attr;
      p.channel = str_field(d, "channel", ok);
      std::string k = str_field(d, "name", ok);
      if (ok) rc = s->core->delete_channel_attributes_by_keys(p.channel, {k}, notify, &rid);
    } else if (cmd == "channel_clear_attr") {
      p.kind = Sig::Kind::invoke_channel_attr;
      p.channel = str_field(d, "channel", ok);
      if (ok) rc = s->core->clear_channel_attributes(p.channel, notify, &rid);
    } else {
      return answer(RTM_SIG_GENERAL_E_UNKNOWN);
    }
    if (!ok) return answer(RTM_SIG_GENERAL_E_WRONG_PARAM);
    s->track(rc, rid, std::move(p));
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_token_build_signaling(char* buf, size_t* buf_size, const char* app_id,
                                                        const char* app_certificate, const char* account,
                                                        uint32_t expired_ts) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!buf_size || !app_id || !app_certificate || !account) return null_arg(fn);
    std::string t = rtm::token::build_signaling_token(app_id, app_certificate, account, expired_ts);
    if (t.empty()) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: app id, certificate and account must not be empty", fn);
    return rtmc::copy_out(fn, buf, buf_size, t);
  });
}

// ---- callback setters ------------------------------------------------------------------------------

#define RTM_SIG_SETTER(field, type)                                                                     \
  RTM_API rtm_result_t RTM_CALL rtm_conf_set_sig_##field##_cb(rtm_conf_t* conf, type cb) {              \
    if (!conf) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_conf_set_sig_" #field "_cb: conf is NULL"); \
    impl(conf)->sig.field = cb;                                                                         \
    return rtmc::ok();                                                                                  \
  }
RTM_SIG_SETTER(login_success, rtm_sig_login_success_cb)
RTM_SIG_SETTER(login_failed, rtm_sig_ecode_cb)
RTM_SIG_SETTER(logout, rtm_sig_ecode_cb)
RTM_SIG_SETTER(reconnecting, rtm_sig_reconnecting_cb)
RTM_SIG_SETTER(reconnected, rtm_sig_reconnected_cb)
RTM_SIG_SETTER(channel_joined, rtm_sig_channel_cb)
RTM_SIG_SETTER(channel_join_failed, rtm_sig_channel_ecode_cb)
RTM_SIG_SETTER(channel_leaved, rtm_sig_channel_ecode_cb)
RTM_SIG_SETTER(channel_user_joined, rtm_sig_channel_user_cb)
RTM_SIG_SETTER(channel_user_leaved, rtm_sig_channel_user_cb)
RTM_SIG_SETTER(channel_user_list, rtm_sig_channel_user_list_cb)
RTM_SIG_SETTER(channel_attr_updated, rtm_sig_channel_attr_updated_cb)
RTM_SIG_SETTER(channel_query_user_num_result, rtm_sig_channel_query_user_num_result_cb)
RTM_SIG_SETTER(channel_query_user_is_in, rtm_sig_channel_query_user_is_in_cb)
RTM_SIG_SETTER(message_instant_receive, rtm_sig_message_instant_receive_cb)
RTM_SIG_SETTER(message_channel_receive, rtm_sig_message_channel_receive_cb)
RTM_SIG_SETTER(message_send_success, rtm_sig_message_send_success_cb)
RTM_SIG_SETTER(message_send_error, rtm_sig_message_send_error_cb)
RTM_SIG_SETTER(invite_received, rtm_sig_invite_extra_cb)
RTM_SIG_SETTER(invite_received_by_peer, rtm_sig_invite_cb)
RTM_SIG_SETTER(invite_accepted_by_peer, rtm_sig_invite_extra_cb)
RTM_SIG_SETTER(invite_refused_by_peer, rtm_sig_invite_extra_cb)
RTM_SIG_SETTER(invite_failed, rtm_sig_invite_failed_cb)
RTM_SIG_SETTER(invite_end_by_peer, rtm_sig_invite_extra_cb)
RTM_SIG_SETTER(invite_end_by_myself, rtm_sig_invite_cb)
RTM_SIG_SETTER(invite_msg, rtm_sig_invite_msg_cb)
RTM_SIG_SETTER(invoke_ret, rtm_sig_invoke_ret_cb)
RTM_SIG_SETTER(query_user_status_result, rtm_sig_query_user_status_result_cb)
RTM_SIG_SETTER(user_attr_result, rtm_sig_user_attr_result_cb)
RTM_SIG_SETTER(user_attr_all_result, rtm_sig_user_attr_all_result_cb)
RTM_SIG_SETTER(error, rtm_sig_error_cb)
#undef RTM_SIG_SETTER

}  // extern "C"
