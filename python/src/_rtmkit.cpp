// _rtmkit: the private extension module of the rtmkit Python package.
//
// It wraps the C ABI (capi/include/rtmkit/*.h) and nothing else. The Pythonic layer (rtmkit.Client,
// rtmkit.aio, the enums and dataclasses) lives in the pure-Python package next to it.
//
// Rules this file follows (docs/python.md, "How the binding works"):
//  - The GIL is released around every call into the library that can wait: destroy, poll, channel
//    destroy, the server's start/stop, and the RTM operations (they take the engine's locks).
//  - Callbacks take the GIL on the thread the library runs them on (the dispatcher thread, or the
//    thread inside poll), return at once while the interpreter is finalizing, and never let an
//    exception escape: it goes to sys.unraisablehook, or, inside poll(), is re-raised by poll().
//  - Python objects live in a heap CallbackBox, the client's user data, freed by the library's
//    free_fn hook, which takes the GIL. No pybind11 object is ever a global or a static.
//  - Live clients and servers are listed (as plain pointers) so that an atexit hook can close them,
//    with the GIL released, before the interpreter finalizes.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <rtmkit/rtmkit.h>

#include "binding.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace {

using rtmpy::call_nogil;
using rtmpy::check;
using rtmpy::CResult;
using rtmpy::finalizing;
using rtmpy::Gate;
using rtmpy::GateGuard;
using rtmpy::raise_closed;
using rtmpy::raise_rtm;
using rtmpy::CallbackBox;
using rtmpy::fire;
using rtmpy::free_box;
using rtmpy::str_list;
using rtmpy::str_n;
using rtmpy::str_or_none;
using rtmpy::t_thread_start;

// ---- events -----------------------------------------------------------------------------------------
// The order of this list is the index of each event in the callbacks list handed to Client(); the
// Python layer reads it back as _rtmkit.EVENTS, so the two never disagree.
enum Ev : int {
  EV_CONNECTION_STATE_CHANGED,
  EV_LOGIN_SUCCESS,
  EV_LOGIN_FAILURE,
  EV_LOGOUT,
  EV_RENEW_TOKEN_RESULT,
  EV_TOKEN_EXPIRED,
  EV_TOKEN_PRIVILEGE_WILL_EXPIRE,
  EV_SEND_MESSAGE_RESULT,
  EV_MESSAGE_RECEIVED_FROM_PEER,
  EV_CHANNEL_JOIN_SUCCESS,
  EV_CHANNEL_JOIN_FAILURE,
  EV_CHANNEL_LEAVE,
  EV_CHANNEL_MESSAGE_RECEIVED,
  EV_CHANNEL_SEND_MESSAGE_RESULT,
  EV_CHANNEL_MEMBER_JOINED,
  EV_CHANNEL_MEMBER_LEFT,
  EV_CHANNEL_GET_MEMBERS_RESULT,
  EV_CHANNEL_MEMBER_COUNT_UPDATED,
  EV_CHANNEL_ATTRIBUTES_UPDATED,
  EV_QUERY_PEERS_ONLINE_STATUS_RESULT,
  EV_SUBSCRIPTION_REQUEST_RESULT,
  EV_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_RESULT,
  EV_PEERS_ONLINE_STATUS_CHANGED,
  EV_SET_LOCAL_USER_ATTRIBUTES_RESULT,
  EV_ADD_OR_UPDATE_LOCAL_USER_ATTRIBUTES_RESULT,
  EV_DELETE_LOCAL_USER_ATTRIBUTES_RESULT,
  EV_CLEAR_LOCAL_USER_ATTRIBUTES_RESULT,
  EV_GET_USER_ATTRIBUTES_RESULT,
  EV_SET_CHANNEL_ATTRIBUTES_RESULT,
  EV_ADD_OR_UPDATE_CHANNEL_ATTRIBUTES_RESULT,
  EV_DELETE_CHANNEL_ATTRIBUTES_RESULT,
  EV_CLEAR_CHANNEL_ATTRIBUTES_RESULT,
  EV_GET_CHANNEL_ATTRIBUTES_RESULT,
  EV_GET_CHANNEL_MEMBER_COUNT_RESULT,
  EV_LOCAL_INVITATION_RECEIVED_BY_PEER,
  EV_LOCAL_INVITATION_ACCEPTED,
  EV_LOCAL_INVITATION_REFUSED,
  EV_LOCAL_INVITATION_CANCELED,
  EV_LOCAL_INVITATION_FAILURE,
  EV_REMOTE_INVITATION_RECEIVED,
  EV_REMOTE_INVITATION_ACCEPTED,
  EV_REMOTE_INVITATION_REFUSED,
  EV_REMOTE_INVITATION_CANCELED,
  EV_REMOTE_INVITATION_FAILURE,
  EV_COUNT
};

constexpr std::array<const char*, EV_COUNT> kEventNames = {
    "connection_state_changed",
    "login_success",
    "login_failure",
    "logout",
    "renew_token_result",
    "token_expired",
    "token_privilege_will_expire",
    "send_message_result",
    "message_received_from_peer",
    "channel_join_success",
    "channel_join_failure",
    "channel_leave",
    "channel_message_received",
    "channel_send_message_result",
    "channel_member_joined",
    "channel_member_left",
    "channel_get_members_result",
    "channel_member_count_updated",
    "channel_attributes_updated",
    "query_peers_online_status_result",
    "subscription_request_result",
    "query_peers_by_subscription_option_result",
    "peers_online_status_changed",
    "set_local_user_attributes_result",
    "add_or_update_local_user_attributes_result",
    "delete_local_user_attributes_result",
    "clear_local_user_attributes_result",
    "get_user_attributes_result",
    "set_channel_attributes_result",
    "add_or_update_channel_attributes_result",
    "delete_channel_attributes_result",
    "clear_channel_attributes_result",
    "get_channel_attributes_result",
    "get_channel_member_count_result",
    "local_invitation_received_by_peer",
    "local_invitation_accepted",
    "local_invitation_refused",
    "local_invitation_canceled",
    "local_invitation_failure",
    "remote_invitation_received",
    "remote_invitation_accepted",
    "remote_invitation_refused",
    "remote_invitation_canceled",
    "remote_invitation_failure",
};


// A message as the six fields the Python layer builds its Message from:
// (type, text, raw bytes or None, message id, server received ts, is offline).
py::tuple message_fields(const rtm_message_t* m) {
  size_t tlen = 0;
  const char* text = rtm_message_text(m, &tlen);
  rtm_message_type_t type = rtm_message_type(m);
  py::object raw = py::none();
  if (type == RTM_MESSAGE_TYPE_RAW) {
    size_t rlen = 0;
    const void* data = rtm_message_raw(m, &rlen);
    raw = py::bytes(static_cast<const char*>(data ? data : ""), data ? rlen : 0);
  }
  return py::make_tuple(static_cast<int>(type), str_n(text, tlen), std::move(raw), rtm_message_id(m),
                        rtm_message_server_received_ts(m), rtm_message_is_offline(m) != 0);
}

py::list attribute_list(const rtm_attribute_t* a, size_t count) {
  py::list l(count);
  for (size_t i = 0; i < count; ++i) l[i] = py::make_tuple(str_or_none(a[i].key), str_or_none(a[i].value));
  return l;
}

py::list channel_attribute_list(const rtm_channel_attribute_t* a, size_t count) {
  py::list l(count);
  for (size_t i = 0; i < count; ++i)
    l[i] = py::make_tuple(str_or_none(a[i].key), str_or_none(a[i].value), str_or_none(a[i].last_update_user_id),
                          a[i].last_update_ts);
  return l;
}

py::list status_list(const char* const* ids, const rtm_peer_online_state_t* states, size_t count) {
  py::list l(count);
  for (size_t i = 0; i < count; ++i) l[i] = py::make_tuple(str_or_none(ids[i]), static_cast<int>(states[i]));
  return l;
}

inline py::int_ channel_key(rtm_channel_t* ch) {
  return py::int_(static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(rtm_channel_user_data(ch))));
}

// Reads a string through the library's buffer protocol (rtm_conf_get, rtm_client_user_id, ...).
template <class F>
CResult read_string(std::string& out, F&& f) {
  CResult r;
  for (int attempt = 0; attempt < 4; ++attempt) {
    size_t size = out.size() + 1;
    std::vector<char> buf(size < 64 ? 64 : size);
    size = buf.size();
    r.rc = f(buf.data(), &size);
    if (r.rc == RTM_OK) {
      out.assign(buf.data(), size ? size - 1 : 0);
      return r;
    }
    if (r.rc != RTM_ERR_BUFFER_TOO_SMALL) {
      r.message = rtm_last_error();
      return r;
    }
    out.assign(size, '\0');
  }
  r.message = rtm_last_error();
  return r;
}

// ---- messages and lists passed in -----------------------------------------------------------------

struct OwnedMessage {
  rtm_message_t* m = nullptr;
  ~OwnedMessage() { rtm_message_destroy(m); }
};

// type: RTM_MESSAGE_TYPE_TEXT or _RAW; for RAW, text is the description.
void make_message(OwnedMessage& om, int type, const std::string& text, const std::optional<py::bytes>& raw) {
  rtm_result_t rc;
  if (type == RTM_MESSAGE_TYPE_RAW) {
    std::string_view data = raw ? std::string_view(*raw) : std::string_view();
    rc = rtm_message_new_raw(&om.m, data.data(), data.size());
    if (rc == RTM_OK && !text.empty()) rc = rtm_message_set_text(om.m, text.c_str());
  } else {
    rc = rtm_message_new_text(&om.m, text.c_str());
  }
  if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
}

struct IdList {
  std::vector<std::string> store;
  std::vector<const char*> ptrs;
  explicit IdList(const std::vector<std::string>& ids) : store(ids) {
    ptrs.reserve(store.size());
    for (auto& s : store) ptrs.push_back(s.c_str());
  }
  const char* const* data() const { return ptrs.empty() ? nullptr : ptrs.data(); }
  size_t size() const { return ptrs.size(); }
};

struct AttrList {
  std::vector<std::pair<std::string, std::string>> store;
  std::vector<rtm_attribute_t> attrs;
  explicit AttrList(const std::vector<std::pair<std::string, std::string>>& kv) : store(kv) {
    attrs.reserve(store.size());
    for (auto& p : store) attrs.push_back(rtm_attribute_t{p.first.c_str(), p.second.c_str()});
  }
  const rtm_attribute_t* data() const { return attrs.empty() ? nullptr : attrs.data(); }
  size_t size() const { return attrs.size(); }
};

inline const char* c_or_null(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

// ---- registry of live objects (plain pointers; the GIL protects it) --------------------------------

class Client;
class Server;

struct Registry {
  std::mutex mu;
  std::unordered_set<Client*> clients;
  std::unordered_set<Server*> servers;
};

Registry& registry() {
  static Registry* r = new Registry();  // no Python objects inside; never destroyed
  return *r;
}

// ---- invitations -------------------------------------------------------------------------------------

class LocalInvitation {
 public:
  explicit LocalInvitation(rtm_local_invitation_t* h) : h_(h) {}
  ~LocalInvitation() { rtm_local_invitation_destroy(h_); }
  LocalInvitation(const LocalInvitation&) = delete;
  LocalInvitation& operator=(const LocalInvitation&) = delete;

  rtm_local_invitation_t* handle() const { return h_; }
  int64_t id() const { return rtm_local_invitation_id(h_); }
  std::string callee_id() const {
    const char* s = rtm_local_invitation_callee_id(h_);
    return s ? s : "";
  }
  int state() const { return static_cast<int>(rtm_local_invitation_state(h_)); }
  std::string content() const { return get(rtm_local_invitation_content); }
  std::string channel_id() const { return get(rtm_local_invitation_channel_id); }
  std::string response() const { return get(rtm_local_invitation_response); }
  void set_content(const std::string& s) {
    rtm_result_t rc = rtm_local_invitation_set_content(h_, s.c_str());
    if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  }
  void set_channel_id(const std::string& s) {
    rtm_result_t rc = rtm_local_invitation_set_channel_id(h_, s.c_str());
    if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  }

 private:
  template <class F>
  std::string get(F f) const {
    std::string out;
    CResult r = read_string(out, [&](char* b, size_t* n) { return f(b, n, h_); });
    check(r, 0);
    return out;
  }
  rtm_local_invitation_t* h_;
};

class RemoteInvitation {
 public:
  explicit RemoteInvitation(rtm_remote_invitation_t* h) : h_(h) {}
  ~RemoteInvitation() { rtm_remote_invitation_destroy(h_); }
  RemoteInvitation(const RemoteInvitation&) = delete;
  RemoteInvitation& operator=(const RemoteInvitation&) = delete;

  rtm_remote_invitation_t* handle() const { return h_; }
  int64_t id() const { return rtm_remote_invitation_id(h_); }
  std::string caller_id() const { return s(rtm_remote_invitation_caller_id(h_)); }
  std::string content() const { return s(rtm_remote_invitation_content(h_)); }
  std::string channel_id() const { return s(rtm_remote_invitation_channel_id(h_)); }
  int state() const { return static_cast<int>(rtm_remote_invitation_state(h_)); }
  std::string response() const {
    std::string out;
    CResult r = read_string(out, [&](char* b, size_t* n) { return rtm_remote_invitation_response(b, n, h_); });
    check(r, 0);
    return out;
  }
  void set_response(const std::string& v) {
    rtm_result_t rc = rtm_remote_invitation_set_response(h_, v.c_str());
    if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  }

 private:
  static std::string s(const char* p) { return p ? p : ""; }
  rtm_remote_invitation_t* h_;
};

// Owned copies of the borrowed handles of the invitation callbacks.
py::object local_copy(const rtm_local_invitation_t* inv) {
  rtm_local_invitation_t* c = nullptr;
  if (rtm_local_invitation_copy(&c, inv) != RTM_OK) return py::none();
  return py::cast(new LocalInvitation(c), py::return_value_policy::take_ownership);
}

py::object remote_copy(const rtm_remote_invitation_t* inv) {
  rtm_remote_invitation_t* c = nullptr;
  if (rtm_remote_invitation_copy(&c, inv) != RTM_OK) return py::none();
  return py::cast(new RemoteInvitation(c), py::return_value_policy::take_ownership);
}

// ---- trampolines -------------------------------------------------------------------------------------

#define RTMPY_WHERE(name) "rtmkit callback " name

void RTM_CALL t_state(rtm_client_t*, rtm_connection_state_t s, rtm_connection_change_reason_t r, void* ud) {
  fire(ud, EV_CONNECTION_STATE_CHANGED, [&](py::object& f) { f(static_cast<int>(s), static_cast<int>(r)); },
       RTMPY_WHERE("connection_state_changed"));
}
void RTM_CALL t_login_success(rtm_client_t*, void* ud) {
  fire(ud, EV_LOGIN_SUCCESS, [&](py::object& f) { f(); }, RTMPY_WHERE("login_success"));
}
void RTM_CALL t_login_failure(rtm_client_t*, rtm_login_err_t code, void* ud) {
  fire(ud, EV_LOGIN_FAILURE, [&](py::object& f) { f(static_cast<int>(code)); }, RTMPY_WHERE("login_failure"));
}
void RTM_CALL t_logout(rtm_client_t*, rtm_logout_err_t code, void* ud) {
  fire(ud, EV_LOGOUT, [&](py::object& f) { f(static_cast<int>(code)); }, RTMPY_WHERE("logout"));
}
void RTM_CALL t_renew(rtm_client_t*, const char* token, rtm_renew_token_err_t code, void* ud) {
  fire(ud, EV_RENEW_TOKEN_RESULT, [&](py::object& f) { f(str_or_none(token), static_cast<int>(code)); },
       RTMPY_WHERE("renew_token_result"));
}
void RTM_CALL t_token_expired(rtm_client_t*, void* ud) {
  fire(ud, EV_TOKEN_EXPIRED, [&](py::object& f) { f(); }, RTMPY_WHERE("token_expired"));
}
void RTM_CALL t_token_will_expire(rtm_client_t*, void* ud) {
  fire(ud, EV_TOKEN_PRIVILEGE_WILL_EXPIRE, [&](py::object& f) { f(); }, RTMPY_WHERE("token_privilege_will_expire"));
}
void RTM_CALL t_send_result(rtm_client_t*, int64_t id, rtm_peer_message_err_t code, void* ud) {
  fire(ud, EV_SEND_MESSAGE_RESULT, [&](py::object& f) { f(id, static_cast<int>(code)); },
       RTMPY_WHERE("send_message_result"));
}
void RTM_CALL t_peer_message(rtm_client_t*, const char* peer, const rtm_message_t* m, void* ud) {
  fire(ud, EV_MESSAGE_RECEIVED_FROM_PEER, [&](py::object& f) { f(str_or_none(peer), message_fields(m)); },
       RTMPY_WHERE("message_received_from_peer"));
}

void RTM_CALL t_ch_join_success(rtm_client_t*, rtm_channel_t* ch, void* ud) {
  fire(ud, EV_CHANNEL_JOIN_SUCCESS, [&](py::object& f) { f(channel_key(ch)); }, RTMPY_WHERE("join_success"));
}
void RTM_CALL t_ch_join_failure(rtm_client_t*, rtm_channel_t* ch, rtm_join_channel_err_t code, void* ud) {
  fire(ud, EV_CHANNEL_JOIN_FAILURE, [&](py::object& f) { f(channel_key(ch), static_cast<int>(code)); },
       RTMPY_WHERE("join_failure"));
}
void RTM_CALL t_ch_leave(rtm_client_t*, rtm_channel_t* ch, rtm_leave_channel_err_t code, void* ud) {
  fire(ud, EV_CHANNEL_LEAVE, [&](py::object& f) { f(channel_key(ch), static_cast<int>(code)); },
       RTMPY_WHERE("leave"));
}
void RTM_CALL t_ch_message(rtm_client_t*, rtm_channel_t* ch, const char* member, const rtm_message_t* m, void* ud) {
  fire(ud, EV_CHANNEL_MESSAGE_RECEIVED,
       [&](py::object& f) { f(channel_key(ch), str_or_none(member), message_fields(m)); },
       RTMPY_WHERE("message_received"));
}
void RTM_CALL t_ch_send_result(rtm_client_t*, rtm_channel_t* ch, int64_t id, rtm_channel_message_err_t code,
                               void* ud) {
  fire(ud, EV_CHANNEL_SEND_MESSAGE_RESULT, [&](py::object& f) { f(channel_key(ch), id, static_cast<int>(code)); },
       RTMPY_WHERE("send_message_result"));
}
void RTM_CALL t_ch_member_joined(rtm_client_t*, rtm_channel_t* ch, const char* member, void* ud) {
  fire(ud, EV_CHANNEL_MEMBER_JOINED, [&](py::object& f) { f(channel_key(ch), str_or_none(member)); },
       RTMPY_WHERE("member_joined"));
}
void RTM_CALL t_ch_member_left(rtm_client_t*, rtm_channel_t* ch, const char* member, void* ud) {
  fire(ud, EV_CHANNEL_MEMBER_LEFT, [&](py::object& f) { f(channel_key(ch), str_or_none(member)); },
       RTMPY_WHERE("member_left"));
}
void RTM_CALL t_ch_members(rtm_client_t*, rtm_channel_t* ch, const char* const* ids, size_t n,
                           rtm_get_members_err_t code, void* ud) {
  fire(ud, EV_CHANNEL_GET_MEMBERS_RESULT,
       [&](py::object& f) { f(channel_key(ch), str_list(ids, n), static_cast<int>(code)); },
       RTMPY_WHERE("get_members_result"));
}
void RTM_CALL t_ch_count(rtm_client_t*, rtm_channel_t* ch, int count, void* ud) {
  fire(ud, EV_CHANNEL_MEMBER_COUNT_UPDATED, [&](py::object& f) { f(channel_key(ch), count); },
       RTMPY_WHERE("member_count_updated"));
}
void RTM_CALL t_ch_attrs(rtm_client_t*, rtm_channel_t* ch, const rtm_channel_attribute_t* a, size_t n, void* ud) {
  fire(ud, EV_CHANNEL_ATTRIBUTES_UPDATED,
       [&](py::object& f) { f(channel_key(ch), channel_attribute_list(a, n)); },
       RTMPY_WHERE("attributes_updated"));
}

void RTM_CALL t_query_status(rtm_client_t*, int64_t rid, const char* const* ids, const rtm_peer_online_state_t* st,
                             size_t n, rtm_query_peers_online_status_err_t code, void* ud) {
  fire(ud, EV_QUERY_PEERS_ONLINE_STATUS_RESULT,
       [&](py::object& f) { f(rid, status_list(ids, st, n), static_cast<int>(code)); },
       RTMPY_WHERE("query_peers_online_status_result"));
}
void RTM_CALL t_subscription(rtm_client_t*, int64_t rid, rtm_peer_subscription_status_err_t code, void* ud) {
  fire(ud, EV_SUBSCRIPTION_REQUEST_RESULT, [&](py::object& f) { f(rid, static_cast<int>(code)); },
       RTMPY_WHERE("subscription_request_result"));
}
void RTM_CALL t_by_option(rtm_client_t*, int64_t rid, const char* const* ids, size_t n,
                          rtm_query_peers_by_subscription_option_err_t code, void* ud) {
  fire(ud, EV_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_RESULT,
       [&](py::object& f) { f(rid, str_list(ids, n), static_cast<int>(code)); },
       RTMPY_WHERE("query_peers_by_subscription_option_result"));
}
void RTM_CALL t_status_changed(rtm_client_t*, const char* const* ids, const rtm_peer_online_state_t* st, size_t n,
                               void* ud) {
  fire(ud, EV_PEERS_ONLINE_STATUS_CHANGED, [&](py::object& f) { f(status_list(ids, st, n)); },
       RTMPY_WHERE("peers_online_status_changed"));
}

template <int EV>
void RTM_CALL t_attr_result(rtm_client_t*, int64_t rid, rtm_attribute_operation_err_t code, void* ud) {
  fire(ud, EV, [&](py::object& f) { f(rid, static_cast<int>(code)); }, RTMPY_WHERE("attribute result"));
}
void RTM_CALL t_get_user_attrs(rtm_client_t*, int64_t rid, const char* user, const rtm_attribute_t* a, size_t n,
                               rtm_attribute_operation_err_t code, void* ud) {
  fire(ud, EV_GET_USER_ATTRIBUTES_RESULT,
       [&](py::object& f) { f(rid, str_or_none(user), attribute_list(a, n), static_cast<int>(code)); },
       RTMPY_WHERE("get_user_attributes_result"));
}
void RTM_CALL t_get_channel_attrs(rtm_client_t*, int64_t rid, const rtm_channel_attribute_t* a, size_t n,
                                  rtm_attribute_operation_err_t code, void* ud) {
  fire(ud, EV_GET_CHANNEL_ATTRIBUTES_RESULT,
       [&](py::object& f) { f(rid, channel_attribute_list(a, n), static_cast<int>(code)); },
       RTMPY_WHERE("get_channel_attributes_result"));
}
void RTM_CALL t_member_count(rtm_client_t*, int64_t rid, const char* const* ids, const int* counts, size_t n,
                             rtm_get_channel_member_count_err_t code, void* ud) {
  fire(ud, EV_GET_CHANNEL_MEMBER_COUNT_RESULT,
       [&](py::object& f) {
         py::list l(n);
         for (size_t i = 0; i < n; ++i) l[i] = py::make_tuple(str_or_none(ids[i]), counts[i]);
         f(rid, l, static_cast<int>(code));
       },
       RTMPY_WHERE("get_channel_member_count_result"));
}

// Invitation events hand the Python layer the invitation id and an owned copy of the handle: the
// layer finds its own object by id (and keeps the copy only when it has none).
void RTM_CALL t_li_received(rtm_client_t*, rtm_local_invitation_t* inv, void* ud) {
  fire(ud, EV_LOCAL_INVITATION_RECEIVED_BY_PEER,
       [&](py::object& f) { f(rtm_local_invitation_id(inv), local_copy(inv)); },
       RTMPY_WHERE("local_invitation_received_by_peer"));
}
void RTM_CALL t_li_accepted(rtm_client_t*, rtm_local_invitation_t* inv, const char* resp, void* ud) {
  fire(ud, EV_LOCAL_INVITATION_ACCEPTED,
       [&](py::object& f) { f(rtm_local_invitation_id(inv), local_copy(inv), str_or_none(resp)); },
       RTMPY_WHERE("local_invitation_accepted"));
}
void RTM_CALL t_li_refused(rtm_client_t*, rtm_local_invitation_t* inv, const char* resp, void* ud) {
  fire(ud, EV_LOCAL_INVITATION_REFUSED,
       [&](py::object& f) { f(rtm_local_invitation_id(inv), local_copy(inv), str_or_none(resp)); },
       RTMPY_WHERE("local_invitation_refused"));
}
void RTM_CALL t_li_canceled(rtm_client_t*, rtm_local_invitation_t* inv, void* ud) {
  fire(ud, EV_LOCAL_INVITATION_CANCELED,
       [&](py::object& f) { f(rtm_local_invitation_id(inv), local_copy(inv)); },
       RTMPY_WHERE("local_invitation_canceled"));
}
void RTM_CALL t_li_failure(rtm_client_t*, rtm_local_invitation_t* inv, rtm_local_invitation_err_t code, void* ud) {
  fire(ud, EV_LOCAL_INVITATION_FAILURE,
       [&](py::object& f) { f(rtm_local_invitation_id(inv), local_copy(inv), static_cast<int>(code)); },
       RTMPY_WHERE("local_invitation_failure"));
}
template <int EV>
void RTM_CALL t_ri_event(rtm_client_t*, rtm_remote_invitation_t* inv, void* ud) {
  fire(ud, EV, [&](py::object& f) { f(rtm_remote_invitation_id(inv), remote_copy(inv)); },
       RTMPY_WHERE("remote invitation event"));
}
void RTM_CALL t_ri_failure(rtm_client_t*, rtm_remote_invitation_t* inv, rtm_remote_invitation_err_t code, void* ud) {
  fire(ud, EV_REMOTE_INVITATION_FAILURE,
       [&](py::object& f) { f(rtm_remote_invitation_id(inv), remote_copy(inv), static_cast<int>(code)); },
       RTMPY_WHERE("remote_invitation_failure"));
}

void register_callbacks(rtm_conf_t* c) {
  rtm_conf_set_thread_start_cb(c, t_thread_start);
  rtm_conf_set_connection_state_changed_cb(c, t_state);
  rtm_conf_set_login_success_cb(c, t_login_success);
  rtm_conf_set_login_failure_cb(c, t_login_failure);
  rtm_conf_set_logout_cb(c, t_logout);
  rtm_conf_set_renew_token_result_cb(c, t_renew);
  rtm_conf_set_token_expired_cb(c, t_token_expired);
  rtm_conf_set_token_privilege_will_expire_cb(c, t_token_will_expire);
  rtm_conf_set_send_message_result_cb(c, t_send_result);
  rtm_conf_set_message_received_from_peer_cb(c, t_peer_message);
  rtm_conf_set_channel_join_success_cb(c, t_ch_join_success);
  rtm_conf_set_channel_join_failure_cb(c, t_ch_join_failure);
  rtm_conf_set_channel_leave_cb(c, t_ch_leave);
  rtm_conf_set_channel_message_received_cb(c, t_ch_message);
  rtm_conf_set_channel_send_message_result_cb(c, t_ch_send_result);
  rtm_conf_set_channel_member_joined_cb(c, t_ch_member_joined);
  rtm_conf_set_channel_member_left_cb(c, t_ch_member_left);
  rtm_conf_set_channel_get_members_result_cb(c, t_ch_members);
  rtm_conf_set_channel_member_count_updated_cb(c, t_ch_count);
  rtm_conf_set_channel_attributes_updated_cb(c, t_ch_attrs);
  rtm_conf_set_query_peers_online_status_result_cb(c, t_query_status);
  rtm_conf_set_subscription_request_result_cb(c, t_subscription);
  rtm_conf_set_query_peers_by_subscription_option_result_cb(c, t_by_option);
  rtm_conf_set_peers_online_status_changed_cb(c, t_status_changed);
  rtm_conf_set_set_local_user_attributes_result_cb(c, t_attr_result<EV_SET_LOCAL_USER_ATTRIBUTES_RESULT>);
  rtm_conf_set_add_or_update_local_user_attributes_result_cb(
      c, t_attr_result<EV_ADD_OR_UPDATE_LOCAL_USER_ATTRIBUTES_RESULT>);
  rtm_conf_set_delete_local_user_attributes_result_cb(c, t_attr_result<EV_DELETE_LOCAL_USER_ATTRIBUTES_RESULT>);
  rtm_conf_set_clear_local_user_attributes_result_cb(c, t_attr_result<EV_CLEAR_LOCAL_USER_ATTRIBUTES_RESULT>);
  rtm_conf_set_get_user_attributes_result_cb(c, t_get_user_attrs);
  rtm_conf_set_set_channel_attributes_result_cb(c, t_attr_result<EV_SET_CHANNEL_ATTRIBUTES_RESULT>);
  rtm_conf_set_add_or_update_channel_attributes_result_cb(c, t_attr_result<EV_ADD_OR_UPDATE_CHANNEL_ATTRIBUTES_RESULT>);
  rtm_conf_set_delete_channel_attributes_result_cb(c, t_attr_result<EV_DELETE_CHANNEL_ATTRIBUTES_RESULT>);
  rtm_conf_set_clear_channel_attributes_result_cb(c, t_attr_result<EV_CLEAR_CHANNEL_ATTRIBUTES_RESULT>);
  rtm_conf_set_get_channel_attributes_result_cb(c, t_get_channel_attrs);
  rtm_conf_set_get_channel_member_count_result_cb(c, t_member_count);
  rtm_conf_set_local_invitation_received_by_peer_cb(c, t_li_received);
  rtm_conf_set_local_invitation_accepted_cb(c, t_li_accepted);
  rtm_conf_set_local_invitation_refused_cb(c, t_li_refused);
  rtm_conf_set_local_invitation_canceled_cb(c, t_li_canceled);
  rtm_conf_set_local_invitation_failure_cb(c, t_li_failure);
  rtm_conf_set_remote_invitation_received_cb(c, t_ri_event<EV_REMOTE_INVITATION_RECEIVED>);
  rtm_conf_set_remote_invitation_accepted_cb(c, t_ri_event<EV_REMOTE_INVITATION_ACCEPTED>);
  rtm_conf_set_remote_invitation_refused_cb(c, t_ri_event<EV_REMOTE_INVITATION_REFUSED>);
  rtm_conf_set_remote_invitation_canceled_cb(c, t_ri_event<EV_REMOTE_INVITATION_CANCELED>);
  rtm_conf_set_remote_invitation_failure_cb(c, t_ri_failure);
}

// ---- the client ----------------------------------------------------------------------------------------

struct SendOpts {
  rtm_send_options_t o = RTM_SEND_OPTIONS_INIT;
  SendOpts(bool offline, bool historical) {
    o.enable_offline_messaging = offline ? 1 : 0;
    o.enable_historical_messaging = historical ? 1 : 0;
  }
};

struct ChAttrOpts {
  rtm_channel_attribute_options_t o = RTM_CHANNEL_ATTRIBUTE_OPTIONS_INIT;
  explicit ChAttrOpts(bool notify) { o.enable_notification_to_channel_members = notify ? 1 : 0; }
};

class Channel;

class Client {
 public:
  Client(const std::vector<std::pair<std::string, std::string>>& conf_settings, const py::sequence& callbacks,
         bool poll_mode)
      : poll_mode_(poll_mode) {
    rtmpy::ConfPtr conf = rtmpy::make_conf(conf_settings, callbacks, EV_COUNT, "_rtmkit.EVENTS", poll_mode,
                                           register_callbacks, box_);
    rtm_conf_t* c = conf.get();
    CResult r = call_nogil([&] { return rtm_client_new(&client_, c); });
    if (r.rc != RTM_OK) {
      box_ = nullptr;  // freed with the conf, under the GIL (free_box re-enters it)
      raise_rtm(0, r.rc, r.message);
    }
    conf.release();
    std::lock_guard lock(registry().mu);
    registry().clients.insert(this);
  }

  ~Client() {
    try {
      close();
    } catch (...) {
      PyErr_Clear();
    }
    std::lock_guard lock(registry().mu);
    registry().clients.erase(this);
  }

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Destroys the client (idempotent). Refused from inside one of its own callbacks.
  void close() {
    if (!client_) return;
    if (box_ && box_->cb_thread.load() == std::this_thread::get_id())
      raise_rtm(0, RTM_ERR_INVALID_STATE,
                "close: called from inside a callback of the same client; close it from another thread");
    if (!gate_.close()) return;
    rtm_client_t* c = client_;
    CResult r = call_nogil([&] {
      if (poll_mode_) rtm_client_wakeup(c);  // a poll waiting on another thread returns
      gate_.wait_idle();
      return rtm_client_destroy(c);
    });
    client_ = nullptr;
    box_ = nullptr;
    check(r, 0);
  }

  bool closed() const { return gate_.closed.load(); }
  bool poll_mode() const { return poll_mode_; }

  void login(const std::optional<std::string>& token, const std::optional<std::string>& user_id) {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_login(client_, c_or_null(token), c_or_null(user_id)); }), RTM_OP_LOGIN);
  }
  void logout() {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_logout(client_); }), RTM_OP_LOGOUT);
  }
  void renew_token(const std::optional<std::string>& token) {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_renew_token(client_, c_or_null(token)); }), RTM_OP_RENEW_TOKEN);
  }
  int64_t send_message_to_peer(const std::optional<std::string>& peer_id, int type, const std::string& text,
                               const std::optional<py::bytes>& raw, bool offline, bool historical) {
    GateGuard g(gate_, "the client");
    OwnedMessage m;
    make_message(m, type, text, raw);
    SendOpts opts(offline, historical);
    int64_t id = 0;
    check(call_nogil([&] { return rtm_client_send_message_to_peer(&id, client_, c_or_null(peer_id), m.m, &opts.o); }),
          RTM_OP_SEND_PEER_MESSAGE);
    return id;
  }
  int state() {
    GateGuard g(gate_, "the client");
    return static_cast<int>(rtm_client_state(client_));
  }
  std::string user_id() {
    GateGuard g(gate_, "the client");
    std::string out;
    check(read_string(out, [&](char* b, size_t* n) { return rtm_client_user_id(b, n, client_); }), 0);
    return out;
  }

  // Poll mode: runs the pending callbacks on this thread. The first exception a callback raised
  // inside is re-raised here, after the other pending callbacks ran (later ones go to
  // sys.unraisablehook).
  int poll(int timeout_ms) {
    GateGuard g(gate_, "the client");
    CallbackBox* box = box_;
    std::thread::id prev = box->poll_thread;
    box->poll_thread = std::this_thread::get_id();
    CResult r = call_nogil([&] { return rtm_client_poll(client_, timeout_ms); });
    box->poll_thread = prev;
    if (box->poll_error) {
      std::unique_ptr<py::error_already_set> e = std::move(box->poll_error);
      e->restore();
      throw py::error_already_set();
    }
    if (r.rc < 0) raise_rtm(0, r.rc, r.message);
    return r.rc;
  }
  void wakeup() {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_wakeup(client_); }), 0);
  }
  int event_fd() {
    GateGuard g(gate_, "the client");
    return rtm_client_event_fd(client_);
  }

  std::unique_ptr<Channel> create_channel(py::object self, const std::string& channel_id, uint64_t key);

  // presence
  int64_t query_peers_online_status(const std::vector<std::string>& ids) {
    return request(RTM_OP_QUERY_PEERS_ONLINE_STATUS, [&](int64_t* rid) {
      IdList l(ids);
      return rtm_client_query_peers_online_status(rid, client_, l.data(), l.size());
    });
  }
  int64_t subscribe_peers_online_status(const std::vector<std::string>& ids) {
    return request(RTM_OP_PEER_SUBSCRIPTION, [&](int64_t* rid) {
      IdList l(ids);
      return rtm_client_subscribe_peers_online_status(rid, client_, l.data(), l.size());
    });
  }
  int64_t unsubscribe_peers_online_status(const std::vector<std::string>& ids) {
    return request(RTM_OP_PEER_SUBSCRIPTION, [&](int64_t* rid) {
      IdList l(ids);
      return rtm_client_unsubscribe_peers_online_status(rid, client_, l.data(), l.size());
    });
  }
  int64_t query_peers_by_subscription_option(int option) {
    return request(RTM_OP_QUERY_PEERS_BY_SUBSCRIPTION_OPTION, [&](int64_t* rid) {
      return rtm_client_query_peers_by_subscription_option(rid, client_,
                                                            static_cast<rtm_peer_subscription_option_t>(option));
    });
  }

  // user attributes
  using KV = std::vector<std::pair<std::string, std::string>>;
  int64_t set_local_user_attributes(const KV& kv) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      AttrList a(kv);
      return rtm_client_set_local_user_attributes(rid, client_, a.data(), a.size());
    });
  }
  int64_t add_or_update_local_user_attributes(const KV& kv) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      AttrList a(kv);
      return rtm_client_add_or_update_local_user_attributes(rid, client_, a.data(), a.size());
    });
  }
  int64_t delete_local_user_attributes_by_keys(const std::vector<std::string>& keys) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      IdList l(keys);
      return rtm_client_delete_local_user_attributes_by_keys(rid, client_, l.data(), l.size());
    });
  }
  int64_t clear_local_user_attributes() {
    return request(RTM_OP_ATTRIBUTE_OPERATION,
                   [&](int64_t* rid) { return rtm_client_clear_local_user_attributes(rid, client_); });
  }
  int64_t get_user_attributes(const std::optional<std::string>& user) {
    return request(RTM_OP_ATTRIBUTE_OPERATION,
                   [&](int64_t* rid) { return rtm_client_get_user_attributes(rid, client_, c_or_null(user)); });
  }
  int64_t get_user_attributes_by_keys(const std::optional<std::string>& user, const std::vector<std::string>& keys) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      IdList l(keys);
      return rtm_client_get_user_attributes_by_keys(rid, client_, c_or_null(user), l.data(), l.size());
    });
  }

  // channel attributes and member counts
  int64_t set_channel_attributes(const std::optional<std::string>& ch, const KV& kv, bool notify) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      AttrList a(kv);
      ChAttrOpts o(notify);
      return rtm_client_set_channel_attributes(rid, client_, c_or_null(ch), a.data(), a.size(), &o.o);
    });
  }
  int64_t add_or_update_channel_attributes(const std::optional<std::string>& ch, const KV& kv, bool notify) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      AttrList a(kv);
      ChAttrOpts o(notify);
      return rtm_client_add_or_update_channel_attributes(rid, client_, c_or_null(ch), a.data(), a.size(), &o.o);
    });
  }
  int64_t delete_channel_attributes_by_keys(const std::optional<std::string>& ch, const std::vector<std::string>& keys,
                                            bool notify) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      IdList l(keys);
      ChAttrOpts o(notify);
      return rtm_client_delete_channel_attributes_by_keys(rid, client_, c_or_null(ch), l.data(), l.size(), &o.o);
    });
  }
  int64_t clear_channel_attributes(const std::optional<std::string>& ch, bool notify) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      ChAttrOpts o(notify);
      return rtm_client_clear_channel_attributes(rid, client_, c_or_null(ch), &o.o);
    });
  }
  int64_t get_channel_attributes(const std::optional<std::string>& ch) {
    return request(RTM_OP_ATTRIBUTE_OPERATION,
                   [&](int64_t* rid) { return rtm_client_get_channel_attributes(rid, client_, c_or_null(ch)); });
  }
  int64_t get_channel_attributes_by_keys(const std::optional<std::string>& ch, const std::vector<std::string>& keys) {
    return request(RTM_OP_ATTRIBUTE_OPERATION, [&](int64_t* rid) {
      IdList l(keys);
      return rtm_client_get_channel_attributes_by_keys(rid, client_, c_or_null(ch), l.data(), l.size());
    });
  }
  int64_t get_channel_member_count(const std::vector<std::string>& ids) {
    return request(RTM_OP_GET_CHANNEL_MEMBER_COUNT, [&](int64_t* rid) {
      IdList l(ids);
      return rtm_client_get_channel_member_count(rid, client_, l.data(), l.size());
    });
  }

  // invitations
  std::unique_ptr<LocalInvitation> create_local_invitation(const std::optional<std::string>& callee) {
    GateGuard g(gate_, "the client");
    rtm_local_invitation_t* h = nullptr;
    check(call_nogil([&] { return rtm_client_create_local_invitation(&h, client_, c_or_null(callee)); }), 0);
    return std::make_unique<LocalInvitation>(h);
  }
  void send_local_invitation(LocalInvitation& inv) {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_send_local_invitation(client_, inv.handle()); }),
          RTM_OP_INVITATION_API_CALL);
  }
  void cancel_local_invitation(LocalInvitation& inv) {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_cancel_local_invitation(client_, inv.handle()); }),
          RTM_OP_INVITATION_API_CALL);
  }
  void accept_remote_invitation(RemoteInvitation& inv) {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_accept_remote_invitation(client_, inv.handle()); }),
          RTM_OP_INVITATION_API_CALL);
  }
  void refuse_remote_invitation(RemoteInvitation& inv) {
    GateGuard g(gate_, "the client");
    check(call_nogil([&] { return rtm_client_refuse_remote_invitation(client_, inv.handle()); }),
          RTM_OP_INVITATION_API_CALL);
  }

  Gate& gate() { return gate_; }
  rtm_client_t* handle() const { return client_; }

 private:
  template <class F>
  int64_t request(int op, F&& f) {
    GateGuard g(gate_, "the client");
    int64_t rid = 0;
    check(call_nogil([&] { return f(&rid); }), op);
    return rid;
  }

  rtm_client_t* client_ = nullptr;
  CallbackBox* box_ = nullptr;  // owned by the library (free_box)
  bool poll_mode_;
  Gate gate_;
};

// ---- channels ------------------------------------------------------------------------------------------

class Channel {
 public:
  Channel(py::object client_obj, Client& client, rtm_channel_t* ch, std::string id)
      : client_obj_(std::move(client_obj)), client_(client), ch_(ch), id_(std::move(id)) {}
  ~Channel() {
    try {
      close();
    } catch (...) {
      PyErr_Clear();
    }
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  const std::string& channel_id() const { return id_; }
  bool closed() const { return gate_.closed.load() || client_.closed(); }

  // Leaves (if joined) and releases the channel; idempotent; allowed from the channel's callbacks.
  void close() {
    if (!gate_.close()) return;
    if (!client_.gate().enter()) return;  // the client is closed: it released its channels
    rtm_channel_t* ch = ch_;
    call_nogil([&] {
      gate_.wait_idle();
      return rtm_channel_destroy(ch);
    });
    client_.gate().leave();
  }

  void join() { op(RTM_OP_JOIN_CHANNEL, [&] { return rtm_channel_join(ch_); }); }
  void leave() { op(RTM_OP_LEAVE_CHANNEL, [&] { return rtm_channel_leave(ch_); }); }
  void get_members() { op(RTM_OP_GET_MEMBERS, [&] { return rtm_channel_get_members(ch_); }); }
  int64_t send_message(int type, const std::string& text, const std::optional<py::bytes>& raw, bool offline,
                       bool historical) {
    OwnedMessage m;
    make_message(m, type, text, raw);
    SendOpts opts(offline, historical);
    int64_t id = 0;
    op(RTM_OP_SEND_CHANNEL_MESSAGE, [&] { return rtm_channel_send_message(&id, ch_, m.m, &opts.o); });
    return id;
  }

 private:
  template <class F>
  void op(int code_op, F&& f) {
    GateGuard c(client_.gate(), "the client");
    GateGuard g(gate_, "the channel");
    check(call_nogil(f), code_op);
  }

  py::object client_obj_;  // keeps the Client alive while the channel is
  Client& client_;
  rtm_channel_t* ch_;
  std::string id_;
  Gate gate_;
};

std::unique_ptr<Channel> Client::create_channel(py::object self, const std::string& channel_id, uint64_t key) {
  GateGuard g(gate_, "the client");
  rtm_channel_t* ch = nullptr;
  check(call_nogil([&] {
          return rtm_client_create_channel(&ch, client_, channel_id.c_str(),
                                           reinterpret_cast<void*>(static_cast<uintptr_t>(key)));
        }),
        0);
  return std::make_unique<Channel>(std::move(self), *this, ch, channel_id);
}

// ---- the embedded server -------------------------------------------------------------------------------

class Server {
 public:
  explicit Server(const std::vector<std::pair<std::string, std::string>>& conf) {
    rtm_server_conf_t* c = nullptr;
    rtm_result_t rc = rtm_server_conf_new(&c);
    if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
    std::unique_ptr<rtm_server_conf_t, void (*)(rtm_server_conf_t*)> guard(c, rtm_server_conf_destroy);
    char err[512];
    for (const auto& [k, v] : conf) {
      rc = rtm_server_conf_set(c, k.c_str(), v.c_str(), err, sizeof err);
      if (rc != RTM_OK) raise_rtm(0, rc, err);
    }
    rc = rtm_server_new(&server_, c);
    if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
    guard.release();
    std::lock_guard lock(registry().mu);
    registry().servers.insert(this);
  }
  ~Server() {
    close();
    std::lock_guard lock(registry().mu);
    registry().servers.erase(this);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start() {
    require();
    check(call_nogil([&] { return rtm_server_start(server_); }), 0);
  }
  void stop() {
    require();
    check(call_nogil([&] { return rtm_server_stop(server_); }), 0);
  }
  void close() {
    if (!server_) return;
    rtm_server_t* s = server_;
    server_ = nullptr;
    if (PyGILState_Check()) {
      py::gil_scoped_release release;
      rtm_server_destroy(s);
    } else {
      rtm_server_destroy(s);
    }
  }
  int port(bool tls) {
    require();
    return rtm_server_port(server_, tls ? 1 : 0);
  }
  size_t connection_count() {
    require();
    return rtm_server_connection_count(server_);
  }
  bool closed() const { return server_ == nullptr; }

 private:
  void require() const {
    if (!server_) raise_closed("the server");
  }
  rtm_server_t* server_ = nullptr;
};

// ---- module functions ------------------------------------------------------------------------------

// Closes every live Signal instance, then every client, then every server: the atexit hook (and
// tests) call it.
void close_all() {
  std::vector<py::object> objs;
  std::vector<rtmpy::ExitClosable*> others;
  {
    auto& r = rtmpy::exit_registry();
    std::lock_guard lock(r.mu);
    for (rtmpy::ExitClosable* o : r.objects) {
      objs.push_back(o->self_object());
      others.push_back(o);
    }
  }
  for (rtmpy::ExitClosable* o : others) {
    try {
      o->close();
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable("rtmkit: closing at exit");
    }
  }
  objs.clear();
  {
    std::lock_guard lock(registry().mu);
    for (Client* c : registry().clients) objs.push_back(py::cast(c, py::return_value_policy::reference));
  }
  for (auto& o : objs) {
    try {
      o.cast<Client&>().close();
    } catch (py::error_already_set& e) {
      e.discard_as_unraisable("rtmkit: closing a client at exit");
    }
  }
  objs.clear();
  {
    std::lock_guard lock(registry().mu);
    for (Server* s : registry().servers) objs.push_back(py::cast(s, py::return_value_policy::reference));
  }
  for (auto& o : objs) o.cast<Server&>().close();
}

size_t live_clients() {
  std::lock_guard lock(registry().mu);
  size_t n = 0;
  for (Client* c : registry().clients)
    if (!c->closed()) ++n;
  return n;
}

std::string take_token(char* t) {
  std::string s = t ? t : "";
  rtm_free(t);
  return s;
}

std::string token_007(const std::string& app_id, const std::string& cert, const std::string& user,
                      uint32_t expire, std::optional<uint32_t> issue_ts, std::optional<uint32_t> salt) {
  char* out = nullptr;
  rtm_result_t rc;
  if (issue_ts || salt) {
    rc = rtm_token_build_007_ex(&out, app_id.c_str(), cert.c_str(), user.c_str(), expire,
                                issue_ts.value_or(static_cast<uint32_t>(std::time(nullptr))), salt.value_or(1));
  } else {
    rc = rtm_token_build_007(&out, app_id.c_str(), cert.c_str(), user.c_str(), expire);
  }
  if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  return take_token(out);
}

std::string token_006(const std::string& app_id, const std::string& cert, const std::string& user,
                      std::optional<uint32_t> ts, std::optional<uint32_t> salt, uint32_t privilege_expired_ts) {
  char* out = nullptr;
  rtm_result_t rc;
  if (ts || salt || privilege_expired_ts) {
    rc = rtm_token_build_006_ex(&out, app_id.c_str(), cert.c_str(), user.c_str(),
                                ts.value_or(static_cast<uint32_t>(std::time(nullptr)) + 24 * 3600), salt.value_or(1),
                                privilege_expired_ts);
  } else {
    rc = rtm_token_build_006(&out, app_id.c_str(), cert.c_str(), user.c_str());
  }
  if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  return take_token(out);
}

std::vector<int> err_codes() {
  const rtm_result_t* codes = nullptr;
  size_t n = 0;
  if (rtm_get_err_codes(&codes, &n) != RTM_OK) return {};
  return std::vector<int>(codes, codes + n);
}

std::vector<int> op_err_codes(int op) {
  const int32_t* codes = nullptr;
  size_t n = 0;
  rtm_result_t rc = rtm_get_op_err_codes(&codes, &n, static_cast<rtm_op_t>(op));
  if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  return std::vector<int>(codes, codes + n);
}

}  // namespace

PYBIND11_MODULE(_rtmkit, m) {
  m.doc() = "The C ABI of rtmkit (librtmkit), linked in statically. Private: use the rtmkit package.";

  {
    rtm_result_t rc = rtm_check_compat();
    if (rc != RTM_OK) throw std::runtime_error(std::string("rtmkit: ") + rtm_last_error());
  }

  py::tuple events(static_cast<size_t>(EV_COUNT));
  for (int i = 0; i < EV_COUNT; ++i) events[static_cast<size_t>(i)] = py::str(kEventNames[static_cast<size_t>(i)]);
  m.attr("EVENTS") = events;
  m.attr("ABI_VERSION") = RTM_ABI_VERSION;
  m.attr("TOKEN_MAX_SIZE") = RTM_TOKEN_MAX_SIZE;

  m.def("version", &rtm_version, "The library version as 0xMMmmpp.");
  m.def("version_str", [] { return std::string(rtm_version_str()); }, "The library version, e.g. \"0.2.0\".");
  m.def("abi_version", &rtm_abi_version, "The ABI major of the library.");
  m.def(
      "set_log_level",
      [](const std::string& level) {
        rtm_result_t rc = rtm_set_log_level(level.c_str());
        if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
      },
      py::arg("level"), "Process-wide log level: trace, debug, info, warn, error or off.");
  m.def("err2str", [](int code) { return std::string(rtm_err2str(code)); }, py::arg("code"));
  m.def("err2name", [](int code) { return std::string(rtm_err2name(code)); }, py::arg("code"));
  m.def(
      "op_err2name", [](int op, int code) { return std::string(rtm_op_err2name(static_cast<rtm_op_t>(op), code)); },
      py::arg("op"), py::arg("code"));
  m.def("err_codes", &err_codes, "Every library error code (RTM_OK first).");
  m.def("op_err_codes", &op_err_codes, py::arg("op"), "Every result code of an operation.");
  m.def(
      "connection_state_name",
      [](int s) { return std::string(rtm_connection_state_name(static_cast<rtm_connection_state_t>(s))); },
      py::arg("state"));
  m.def(
      "connection_change_reason_name",
      [](int r) {
        return std::string(rtm_connection_change_reason_name(static_cast<rtm_connection_change_reason_t>(r)));
      },
      py::arg("reason"));
  m.def("token_build_007", &token_007, py::arg("app_id"), py::arg("app_certificate"), py::arg("user_id"),
        py::arg("expire_seconds"), py::arg("issue_ts") = py::none(), py::arg("salt") = py::none(),
        "A 007 (AccessToken2) RTM token.");
  m.def("token_build_006", &token_006, py::arg("app_id"), py::arg("app_certificate"), py::arg("user_id"),
        py::arg("ts") = py::none(), py::arg("salt") = py::none(), py::arg("privilege_expired_ts") = 0,
        "A 006 (AccessToken) RTM token.");
  m.def("close_all", &close_all, "Closes every live Signal instance, then every client, then every server (the atexit hook).");
  m.def("live_clients", &live_clients, "How many clients are open.");

  py::class_<LocalInvitation>(m, "LocalInvitation")
      .def_property_readonly("invitation_id", &LocalInvitation::id)
      .def_property_readonly("callee_id", &LocalInvitation::callee_id)
      .def_property_readonly("state", &LocalInvitation::state)
      .def_property("content", &LocalInvitation::content, &LocalInvitation::set_content)
      .def_property("channel_id", &LocalInvitation::channel_id, &LocalInvitation::set_channel_id)
      .def_property_readonly("response", &LocalInvitation::response);

  py::class_<RemoteInvitation>(m, "RemoteInvitation")
      .def_property_readonly("invitation_id", &RemoteInvitation::id)
      .def_property_readonly("caller_id", &RemoteInvitation::caller_id)
      .def_property_readonly("content", &RemoteInvitation::content)
      .def_property_readonly("channel_id", &RemoteInvitation::channel_id)
      .def_property_readonly("state", &RemoteInvitation::state)
      .def_property("response", &RemoteInvitation::response, &RemoteInvitation::set_response);

  py::class_<Channel>(m, "Channel")
      .def_property_readonly("channel_id", &Channel::channel_id)
      .def_property_readonly("closed", &Channel::closed)
      .def("close", &Channel::close)
      .def("join", &Channel::join)
      .def("leave", &Channel::leave)
      .def("get_members", &Channel::get_members)
      .def("send_message", &Channel::send_message, py::arg("type"), py::arg("text"), py::arg("raw"),
           py::arg("offline") = false, py::arg("historical") = false);

  py::class_<Client>(m, "Client")
      .def(py::init<const std::vector<std::pair<std::string, std::string>>&, const py::sequence&, bool>(),
           py::arg("conf"), py::arg("callbacks"), py::arg("poll_mode") = false)
      .def("close", &Client::close)
      .def_property_readonly("closed", &Client::closed)
      .def_property_readonly("poll_mode", &Client::poll_mode)
      .def("login", &Client::login, py::arg("token"), py::arg("user_id"))
      .def("logout", &Client::logout)
      .def("renew_token", &Client::renew_token, py::arg("token"))
      .def("send_message_to_peer", &Client::send_message_to_peer, py::arg("peer_id"), py::arg("type"),
           py::arg("text"), py::arg("raw"), py::arg("offline") = false, py::arg("historical") = false)
      .def("state", &Client::state)
      .def("user_id", &Client::user_id)
      .def("poll", &Client::poll, py::arg("timeout_ms"))
      .def("wakeup", &Client::wakeup)
      .def("event_fd", &Client::event_fd)
      .def(
          "create_channel",
          [](py::object self, const std::string& id, uint64_t key) {
            return self.cast<Client&>().create_channel(self, id, key);
          },
          py::arg("channel_id"), py::arg("key"))
      .def("query_peers_online_status", &Client::query_peers_online_status, py::arg("peer_ids"))
      .def("subscribe_peers_online_status", &Client::subscribe_peers_online_status, py::arg("peer_ids"))
      .def("unsubscribe_peers_online_status", &Client::unsubscribe_peers_online_status, py::arg("peer_ids"))
      .def("query_peers_by_subscription_option", &Client::query_peers_by_subscription_option, py::arg("option"))
      .def("set_local_user_attributes", &Client::set_local_user_attributes, py::arg("attributes"))
      .def("add_or_update_local_user_attributes", &Client::add_or_update_local_user_attributes,
           py::arg("attributes"))
      .def("delete_local_user_attributes_by_keys", &Client::delete_local_user_attributes_by_keys, py::arg("keys"))
      .def("clear_local_user_attributes", &Client::clear_local_user_attributes)
      .def("get_user_attributes", &Client::get_user_attributes, py::arg("user_id"))
      .def("get_user_attributes_by_keys", &Client::get_user_attributes_by_keys, py::arg("user_id"), py::arg("keys"))
      .def("set_channel_attributes", &Client::set_channel_attributes, py::arg("channel_id"), py::arg("attributes"),
           py::arg("notify"))
      .def("add_or_update_channel_attributes", &Client::add_or_update_channel_attributes, py::arg("channel_id"),
           py::arg("attributes"), py::arg("notify"))
      .def("delete_channel_attributes_by_keys", &Client::delete_channel_attributes_by_keys, py::arg("channel_id"),
           py::arg("keys"), py::arg("notify"))
      .def("clear_channel_attributes", &Client::clear_channel_attributes, py::arg("channel_id"), py::arg("notify"))
      .def("get_channel_attributes", &Client::get_channel_attributes, py::arg("channel_id"))
      .def("get_channel_attributes_by_keys", &Client::get_channel_attributes_by_keys, py::arg("channel_id"),
           py::arg("keys"))
      .def("get_channel_member_count", &Client::get_channel_member_count, py::arg("channel_ids"))
      .def("create_local_invitation", &Client::create_local_invitation, py::arg("callee_id"))
      .def("send_local_invitation", &Client::send_local_invitation, py::arg("invitation"))
      .def("cancel_local_invitation", &Client::cancel_local_invitation, py::arg("invitation"))
      .def("accept_remote_invitation", &Client::accept_remote_invitation, py::arg("invitation"))
      .def("refuse_remote_invitation", &Client::refuse_remote_invitation, py::arg("invitation"));

  py::class_<Server>(m, "Server")
      .def(py::init<const std::vector<std::pair<std::string, std::string>>&>(), py::arg("conf"))
      .def("start", &Server::start)
      .def("stop", &Server::stop)
      .def("close", &Server::close)
      .def("port", &Server::port, py::arg("tls") = false)
      .def("connection_count", &Server::connection_count)
      .def_property_readonly("closed", &Server::closed);

  // The bindings of further headers, each in a source file of its own (binding.hpp).
  for (const auto& [name, bind] : rtmpy::binders()) bind(m);
}
