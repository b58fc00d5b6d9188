// _rtmkit: the Signaling compatibility API (capi/include/rtmkit/signaling.h), as _rtmkit.Signal.
// The same rules as _rtmkit.cpp (binding.hpp): the GIL released around every call, callbacks into a
// CallbackBox freed by the library's free_fn hook, closed at exit.

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "binding.hpp"

namespace {

namespace py = pybind11;
using namespace rtmpy;

enum SigEv : int {
  S_LOGIN_SUCCESS,
  S_LOGIN_FAILED,
  S_LOGOUT,
  S_RECONNECTING,
  S_RECONNECTED,
  S_CHANNEL_JOINED,
  S_CHANNEL_JOIN_FAILED,
  S_CHANNEL_LEAVED,
  S_CHANNEL_USER_JOINED,
  S_CHANNEL_USER_LEAVED,
  S_CHANNEL_USER_LIST,
  S_CHANNEL_ATTR_UPDATED,
  S_CHANNEL_QUERY_USER_NUM_RESULT,
  S_CHANNEL_QUERY_USER_IS_IN,
  S_MESSAGE_INSTANT_RECEIVE,
  S_MESSAGE_CHANNEL_RECEIVE,
  S_MESSAGE_SEND_SUCCESS,
  S_MESSAGE_SEND_ERROR,
  S_INVITE_RECEIVED,
  S_INVITE_RECEIVED_BY_PEER,
  S_INVITE_ACCEPTED_BY_PEER,
  S_INVITE_REFUSED_BY_PEER,
  S_INVITE_FAILED,
  S_INVITE_END_BY_PEER,
  S_INVITE_END_BY_MYSELF,
  S_INVITE_MSG,
  S_INVOKE_RET,
  S_QUERY_USER_STATUS_RESULT,
  S_USER_ATTR_RESULT,
  S_USER_ATTR_ALL_RESULT,
  S_ERROR,
  S_COUNT
};

const char* const kSigEvents[S_COUNT] = {
    "login_success",
    "login_failed",
    "logout",
    "reconnecting",
    "reconnected",
    "channel_joined",
    "channel_join_failed",
    "channel_leaved",
    "channel_user_joined",
    "channel_user_leaved",
    "channel_user_list",
    "channel_attr_updated",
    "channel_query_user_num_result",
    "channel_query_user_is_in",
    "message_instant_receive",
    "message_channel_receive",
    "message_send_success",
    "message_send_error",
    "invite_received",
    "invite_received_by_peer",
    "invite_accepted_by_peer",
    "invite_refused_by_peer",
    "invite_failed",
    "invite_end_by_peer",
    "invite_end_by_myself",
    "invite_msg",
    "invoke_ret",
    "query_user_status_result",
    "user_attr_result",
    "user_attr_all_result",
    "error",
};

// The legacy uid arguments are always 0 (the account is the identity): they are not passed on.
#define SIG_WHERE(n) "rtmkit.signaling callback " n
using S = rtm_sig_t;
const auto s = [](const char* p) { return str_or_none(p); };

void RTM_CALL c_login_success(S*, uint32_t, int, void* ud) {
  fire(ud, S_LOGIN_SUCCESS, [&](py::object& f) { f(); }, SIG_WHERE("login_success"));
}
void RTM_CALL c_login_failed(S*, int e, void* ud) {
  fire(ud, S_LOGIN_FAILED, [&](py::object& f) { f(e); }, SIG_WHERE("login_failed"));
}
void RTM_CALL c_logout(S*, int e, void* ud) {
  fire(ud, S_LOGOUT, [&](py::object& f) { f(e); }, SIG_WHERE("logout"));
}
void RTM_CALL c_reconnecting(S*, uint32_t n, void* ud) {
  fire(ud, S_RECONNECTING, [&](py::object& f) { f(n); }, SIG_WHERE("reconnecting"));
}
void RTM_CALL c_reconnected(S*, int, void* ud) {
  fire(ud, S_RECONNECTED, [&](py::object& f) { f(); }, SIG_WHERE("reconnected"));
}
void RTM_CALL c_channel_joined(S*, const char* ch, void* ud) {
  fire(ud, S_CHANNEL_JOINED, [&](py::object& f) { f(s(ch)); }, SIG_WHERE("channel_joined"));
}
void RTM_CALL c_channel_join_failed(S*, const char* ch, int e, void* ud) {
  fire(ud, S_CHANNEL_JOIN_FAILED, [&](py::object& f) { f(s(ch), e); }, SIG_WHERE("channel_join_failed"));
}
void RTM_CALL c_channel_leaved(S*, const char* ch, int e, void* ud) {
  fire(ud, S_CHANNEL_LEAVED, [&](py::object& f) { f(s(ch), e); }, SIG_WHERE("channel_leaved"));
}
void RTM_CALL c_channel_user_joined(S*, const char* a, uint32_t, void* ud) {
  fire(ud, S_CHANNEL_USER_JOINED, [&](py::object& f) { f(s(a)); }, SIG_WHERE("channel_user_joined"));
}
void RTM_CALL c_channel_user_leaved(S*, const char* a, uint32_t, void* ud) {
  fire(ud, S_CHANNEL_USER_LEAVED, [&](py::object& f) { f(s(a)); }, SIG_WHERE("channel_user_leaved"));
}
void RTM_CALL c_channel_user_list(S*, size_t n, const char* const* accounts, const uint32_t*, void* ud) {
  fire(ud, S_CHANNEL_USER_LIST, [&](py::object& f) { f(str_list(accounts, n)); }, SIG_WHERE("channel_user_list"));
}
void RTM_CALL c_channel_attr_updated(S*, const char* ch, const char* name, const char* value, const char* type,
                                     void* ud) {
  fire(ud, S_CHANNEL_ATTR_UPDATED, [&](py::object& f) { f(s(ch), s(name), s(value), s(type)); },
       SIG_WHERE("channel_attr_updated"));
}
void RTM_CALL c_query_user_num(S*, const char* ch, int e, int num, void* ud) {
  fire(ud, S_CHANNEL_QUERY_USER_NUM_RESULT, [&](py::object& f) { f(s(ch), e, num); },
       SIG_WHERE("channel_query_user_num_result"));
}
void RTM_CALL c_query_user_is_in(S*, const char* ch, const char* a, int is_in, void* ud) {
  fire(ud, S_CHANNEL_QUERY_USER_IS_IN, [&](py::object& f) { f(s(ch), s(a), is_in != 0); },
       SIG_WHERE("channel_query_user_is_in"));
}
void RTM_CALL c_instant_receive(S*, const char* a, uint32_t, const char* msg, void* ud) {
  fire(ud, S_MESSAGE_INSTANT_RECEIVE, [&](py::object& f) { f(s(a), s(msg)); }, SIG_WHERE("message_instant_receive"));
}
void RTM_CALL c_channel_receive(S*, const char* ch, const char* a, uint32_t, const char* msg, void* ud) {
  fire(ud, S_MESSAGE_CHANNEL_RECEIVE, [&](py::object& f) { f(s(ch), s(a), s(msg)); },
       SIG_WHERE("message_channel_receive"));
}
void RTM_CALL c_send_success(S*, const char* id, void* ud) {
  fire(ud, S_MESSAGE_SEND_SUCCESS, [&](py::object& f) { f(s(id)); }, SIG_WHERE("message_send_success"));
}
void RTM_CALL c_send_error(S*, const char* id, int e, void* ud) {
  fire(ud, S_MESSAGE_SEND_ERROR, [&](py::object& f) { f(s(id), e); }, SIG_WHERE("message_send_error"));
}
template <int EV>
void RTM_CALL c_invite_extra(S*, const char* ch, const char* a, uint32_t, const char* extra, void* ud) {
  fire(ud, EV, [&](py::object& f) { f(s(ch), s(a), s(extra)); }, SIG_WHERE("invite"));
}
template <int EV>
void RTM_CALL c_invite(S*, const char* ch, const char* a, uint32_t, void* ud) {
  fire(ud, EV, [&](py::object& f) { f(s(ch), s(a)); }, SIG_WHERE("invite"));
}
void RTM_CALL c_invite_failed(S*, const char* ch, const char* a, uint32_t, int e, const char* extra, void* ud) {
  fire(ud, S_INVITE_FAILED, [&](py::object& f) { f(s(ch), s(a), e, s(extra)); }, SIG_WHERE("invite_failed"));
}
void RTM_CALL c_invite_msg(S*, const char* ch, const char* a, uint32_t, const char* type, const char* data,
                           const char* extra, void* ud) {
  fire(ud, S_INVITE_MSG, [&](py::object& f) { f(s(ch), s(a), s(type), s(data), s(extra)); },
       SIG_WHERE("invite_msg"));
}
void RTM_CALL c_invoke_ret(S*, const char* id, int err, const char* resp, void* ud) {
  fire(ud, S_INVOKE_RET, [&](py::object& f) { f(s(id), err, s(resp)); }, SIG_WHERE("invoke_ret"));
}
void RTM_CALL c_user_status(S*, const char* a, const char* status, void* ud) {
  fire(ud, S_QUERY_USER_STATUS_RESULT, [&](py::object& f) { f(s(a), s(status)); },
       SIG_WHERE("query_user_status_result"));
}
void RTM_CALL c_user_attr(S*, const char* a, const char* name, const char* value, void* ud) {
  fire(ud, S_USER_ATTR_RESULT, [&](py::object& f) { f(s(a), s(name), s(value)); }, SIG_WHERE("user_attr_result"));
}
void RTM_CALL c_user_attr_all(S*, const char* a, const char* json, void* ud) {
  fire(ud, S_USER_ATTR_ALL_RESULT, [&](py::object& f) { f(s(a), s(json)); }, SIG_WHERE("user_attr_all_result"));
}
void RTM_CALL c_error(S*, const char* name, int e, const char* desc, void* ud) {
  fire(ud, S_ERROR, [&](py::object& f) { f(s(name), e, s(desc)); }, SIG_WHERE("error"));
}

void register_sig_callbacks(rtm_conf_t* c) {
  rtm_conf_set_thread_start_cb(c, t_thread_start);
  rtm_conf_set_sig_login_success_cb(c, c_login_success);
  rtm_conf_set_sig_login_failed_cb(c, c_login_failed);
  rtm_conf_set_sig_logout_cb(c, c_logout);
  rtm_conf_set_sig_reconnecting_cb(c, c_reconnecting);
  rtm_conf_set_sig_reconnected_cb(c, c_reconnected);
  rtm_conf_set_sig_channel_joined_cb(c, c_channel_joined);
  rtm_conf_set_sig_channel_join_failed_cb(c, c_channel_join_failed);
  rtm_conf_set_sig_channel_leaved_cb(c, c_channel_leaved);
  rtm_conf_set_sig_channel_user_joined_cb(c, c_channel_user_joined);
  rtm_conf_set_sig_channel_user_leaved_cb(c, c_channel_user_leaved);
  rtm_conf_set_sig_channel_user_list_cb(c, c_channel_user_list);
  rtm_conf_set_sig_channel_attr_updated_cb(c, c_channel_attr_updated);
  rtm_conf_set_sig_channel_query_user_num_result_cb(c, c_query_user_num);
  rtm_conf_set_sig_channel_query_user_is_in_cb(c, c_query_user_is_in);
  rtm_conf_set_sig_message_instant_receive_cb(c, c_instant_receive);
  rtm_conf_set_sig_message_channel_receive_cb(c, c_channel_receive);
  rtm_conf_set_sig_message_send_success_cb(c, c_send_success);
  rtm_conf_set_sig_message_send_error_cb(c, c_send_error);
  rtm_conf_set_sig_invite_received_cb(c, c_invite_extra<S_INVITE_RECEIVED>);
  rtm_conf_set_sig_invite_received_by_peer_cb(c, c_invite<S_INVITE_RECEIVED_BY_PEER>);
  rtm_conf_set_sig_invite_accepted_by_peer_cb(c, c_invite_extra<S_INVITE_ACCEPTED_BY_PEER>);
  rtm_conf_set_sig_invite_refused_by_peer_cb(c, c_invite_extra<S_INVITE_REFUSED_BY_PEER>);
  rtm_conf_set_sig_invite_failed_cb(c, c_invite_failed);
  rtm_conf_set_sig_invite_end_by_peer_cb(c, c_invite_extra<S_INVITE_END_BY_PEER>);
  rtm_conf_set_sig_invite_end_by_myself_cb(c, c_invite<S_INVITE_END_BY_MYSELF>);
  rtm_conf_set_sig_invite_msg_cb(c, c_invite_msg);
  rtm_conf_set_sig_invoke_ret_cb(c, c_invoke_ret);
  rtm_conf_set_sig_query_user_status_result_cb(c, c_user_status);
  rtm_conf_set_sig_user_attr_result_cb(c, c_user_attr);
  rtm_conf_set_sig_user_attr_all_result_cb(c, c_user_attr_all);
  rtm_conf_set_sig_error_cb(c, c_error);
}

inline const char* cs(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }

class Signal final : public ExitClosable {
 public:
  Signal(const std::vector<std::pair<std::string, std::string>>& conf_settings, const py::sequence& callbacks,
         bool poll_mode)
      : poll_mode_(poll_mode) {
    ConfPtr conf = make_conf(conf_settings, callbacks, S_COUNT, "SIGNAL_EVENTS", poll_mode, register_sig_callbacks, box_);
    rtm_conf_t* c = conf.get();
    CResult r = call_nogil([&] { return rtm_sig_new(&sig_, c); });
    if (r.rc != RTM_OK) {
      box_ = nullptr;  // freed with the conf, under the GIL
      raise_rtm(0, r.rc, r.message);
    }
    conf.release();
    std::lock_guard lock(exit_registry().mu);
    exit_registry().objects.insert(this);
  }
  ~Signal() override {
    try {
      close();
    } catch (...) {
      PyErr_Clear();
    }
    std::lock_guard lock(exit_registry().mu);
    exit_registry().objects.erase(this);
  }
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  py::object self_object() override { return py::cast(this, py::return_value_policy::reference); }

  void close() override {
    if (!sig_) return;
    if (box_ && box_->cb_thread.load() == std::this_thread::get_id())
      raise_rtm(0, RTM_ERR_INVALID_STATE, "close: called from inside a callback of the same instance");
    if (!gate_.close()) return;
    rtm_sig_t* sg = sig_;
    CResult r = call_nogil([&] {
      if (poll_mode_) rtm_sig_wakeup(sg);
      gate_.wait_idle();
      return rtm_sig_destroy(sg);
    });
    sig_ = nullptr;
    box_ = nullptr;
    check(r, 0);
  }
  bool closed() const { return gate_.closed.load(); }

  int poll(int timeout_ms) {
    GateGuard g(gate_, "the Signal instance");
    CallbackBox* box = box_;
    std::thread::id prev = box->poll_thread;
    box->poll_thread = std::this_thread::get_id();
    CResult r = call_nogil([&] { return rtm_sig_poll(sig_, timeout_ms); });
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
    GateGuard g(gate_, "the Signal instance");
    py::gil_scoped_release release;
    rtm_sig_wakeup(sig_);
  }
  int event_fd() {
    GateGuard g(gate_, "the Signal instance");
    return rtm_sig_event_fd(sig_);
  }
  int status() {
    GateGuard g(gate_, "the Signal instance");
    return rtm_sig_get_status(sig_);
  }
  std::string account() {
    GateGuard g(gate_, "the Signal instance");
    const char* a = rtm_sig_account(sig_);
    return a ? a : "";
  }

  // Every operation: 0, or a negative rtm_result_t for a programming error (raised).
  template <class F>
  void op(F&& f) {
    GateGuard g(gate_, "the Signal instance");
    check(call_nogil(f), 0);
  }

  rtm_sig_t* h() const { return sig_; }

 private:
  rtm_sig_t* sig_ = nullptr;
  CallbackBox* box_ = nullptr;
  bool poll_mode_;
  Gate gate_;
};

using OS = std::optional<std::string>;

void bind_signaling(py::module_& m) {
  py::tuple events(static_cast<size_t>(S_COUNT));
  for (int i = 0; i < S_COUNT; ++i) events[static_cast<size_t>(i)] = py::str(kSigEvents[i]);
  m.attr("SIGNAL_EVENTS") = events;
  m.def("sig_ecode_name", [](int e) { return std::string(rtm_sig_ecode_name(e)); }, py::arg("ecode"),
        "The name of a legacy AGORA_E_CODE number.");
  m.def(
      "token_build_signaling",
      [](const std::string& app, const std::string& cert, const std::string& account, uint32_t expired_ts) {
        std::vector<char> buf(256);
        size_t n = buf.size();
        rtm_result_t rc = rtm_token_build_signaling(buf.data(), &n, app.c_str(), cert.c_str(), account.c_str(), expired_ts);
        if (rc == RTM_ERR_BUFFER_TOO_SMALL) {
          buf.resize(n);
          rc = rtm_token_build_signaling(buf.data(), &n, app.c_str(), cert.c_str(), account.c_str(), expired_ts);
        }
        if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
        return std::string(buf.data(), n ? n - 1 : 0);
      },
      py::arg("app_id"), py::arg("app_certificate"), py::arg("account"), py::arg("expired_ts"),
      "A legacy Signaling token (\"1:appId:expiredTs:md5\").");

  py::class_<Signal>(m, "Signal")
      .def(py::init<const std::vector<std::pair<std::string, std::string>>&, const py::sequence&, bool>(),
           py::arg("conf"), py::arg("callbacks"), py::arg("poll_mode") = false)
      .def("close", &Signal::close)
      .def_property_readonly("closed", &Signal::closed)
      .def("poll", &Signal::poll, py::arg("timeout_ms"))
      .def("wakeup", &Signal::wakeup)
      .def("event_fd", &Signal::event_fd)
      .def("status", &Signal::status)
      .def("account", &Signal::account)
      .def(
          "login", [](Signal& x, const OS& a, const OS& t) { x.op([&] { return rtm_sig_login(x.h(), cs(a), cs(t)); }); },
          py::arg("account"), py::arg("token"))
      .def(
          "login2",
          [](Signal& x, const OS& a, const OS& t, int rt, int rc) {
            x.op([&] { return rtm_sig_login2(x.h(), cs(a), cs(t), rt, rc); });
          },
          py::arg("account"), py::arg("token"), py::arg("retry_time_s"), py::arg("retry_count"))
      .def("logout", [](Signal& x) { x.op([&] { return rtm_sig_logout(x.h()); }); })
      .def(
          "message_instant_send",
          [](Signal& x, const OS& a, const OS& msg, const OS& id) {
            x.op([&] { return rtm_sig_message_instant_send(x.h(), cs(a), cs(msg), cs(id)); });
          },
          py::arg("account"), py::arg("msg"), py::arg("msg_id"))
      .def(
          "message_channel_send",
          [](Signal& x, const OS& ch, const OS& msg, const OS& id) {
            x.op([&] { return rtm_sig_message_channel_send(x.h(), cs(ch), cs(msg), cs(id)); });
          },
          py::arg("channel"), py::arg("msg"), py::arg("msg_id"))
      .def(
          "channel_join", [](Signal& x, const OS& ch) { x.op([&] { return rtm_sig_channel_join(x.h(), cs(ch)); }); },
          py::arg("channel"))
      .def(
          "channel_leave", [](Signal& x, const OS& ch) { x.op([&] { return rtm_sig_channel_leave(x.h(), cs(ch)); }); },
          py::arg("channel"))
      .def(
          "channel_set_attr",
          [](Signal& x, const OS& ch, const OS& n, const OS& v) {
            x.op([&] { return rtm_sig_channel_set_attr(x.h(), cs(ch), cs(n), cs(v)); });
          },
          py::arg("channel"), py::arg("name"), py::arg("value"))
      .def(
          "channel_del_attr",
          [](Signal& x, const OS& ch, const OS& n) { x.op([&] { return rtm_sig_channel_del_attr(x.h(), cs(ch), cs(n)); }); },
          py::arg("channel"), py::arg("name"))
      .def(
          "channel_clear_attr",
          [](Signal& x, const OS& ch) { x.op([&] { return rtm_sig_channel_clear_attr(x.h(), cs(ch)); }); },
          py::arg("channel"))
      .def(
          "channel_query_user_num",
          [](Signal& x, const OS& ch) { x.op([&] { return rtm_sig_channel_query_user_num(x.h(), cs(ch)); }); },
          py::arg("channel"))
      .def(
          "channel_query_user_is_in",
          [](Signal& x, const OS& ch, const OS& a) {
            x.op([&] { return rtm_sig_channel_query_user_is_in(x.h(), cs(ch), cs(a)); });
          },
          py::arg("channel"), py::arg("account"))
      .def(
          "channel_invite_user2",
          [](Signal& x, const OS& ch, const OS& a, const OS& extra) {
            x.op([&] { return rtm_sig_channel_invite_user2(x.h(), cs(ch), cs(a), cs(extra)); });
          },
          py::arg("channel"), py::arg("account"), py::arg("extra"))
      .def(
          "channel_invite_user",
          [](Signal& x, const OS& ch, const OS& a) {
            x.op([&] { return rtm_sig_channel_invite_user(x.h(), cs(ch), cs(a)); });
          },
          py::arg("channel"), py::arg("account"))
      .def(
          "channel_invite_accept",
          [](Signal& x, const OS& ch, const OS& a, const OS& extra) {
            x.op([&] { return rtm_sig_channel_invite_accept(x.h(), cs(ch), cs(a), cs(extra)); });
          },
          py::arg("channel"), py::arg("account"), py::arg("extra"))
      .def(
          "channel_invite_refuse",
          [](Signal& x, const OS& ch, const OS& a, const OS& extra) {
            x.op([&] { return rtm_sig_channel_invite_refuse(x.h(), cs(ch), cs(a), cs(extra)); });
          },
          py::arg("channel"), py::arg("account"), py::arg("extra"))
      .def(
          "channel_invite_end",
          [](Signal& x, const OS& ch, const OS& a) {
            x.op([&] { return rtm_sig_channel_invite_end(x.h(), cs(ch), cs(a)); });
          },
          py::arg("channel"), py::arg("account"))
      .def(
          "channel_invite_dtmf",
          [](Signal& x, const OS& ch, const OS& a, const OS& d) {
            x.op([&] { return rtm_sig_channel_invite_dtmf(x.h(), cs(ch), cs(a), cs(d)); });
          },
          py::arg("channel"), py::arg("account"), py::arg("dtmf"))
      .def(
          "query_user_status",
          [](Signal& x, const OS& a) { x.op([&] { return rtm_sig_query_user_status(x.h(), cs(a)); }); },
          py::arg("account"))
      .def(
          "set_attr",
          [](Signal& x, const OS& n, const OS& v) { x.op([&] { return rtm_sig_set_attr(x.h(), cs(n), cs(v)); }); },
          py::arg("name"), py::arg("value"))
      .def(
          "get_attr", [](Signal& x, const OS& n) { x.op([&] { return rtm_sig_get_attr(x.h(), cs(n)); }); },
          py::arg("name"))
      .def("get_attr_all", [](Signal& x) { x.op([&] { return rtm_sig_get_attr_all(x.h()); }); })
      .def(
          "get_user_attr",
          [](Signal& x, const OS& a, const OS& n) { x.op([&] { return rtm_sig_get_user_attr(x.h(), cs(a), cs(n)); }); },
          py::arg("account"), py::arg("name"))
      .def(
          "get_user_attr_all",
          [](Signal& x, const OS& a) { x.op([&] { return rtm_sig_get_user_attr_all(x.h(), cs(a)); }); },
          py::arg("account"))
      .def(
          "invoke",
          [](Signal& x, const OS& name, const OS& req, const OS& id) {
            x.op([&] { return rtm_sig_invoke(x.h(), cs(name), cs(req), cs(id)); });
          },
          py::arg("name"), py::arg("req_json"), py::arg("call_id"));
}

const RegisterBinder kRegister("signaling", bind_signaling);

}  // namespace
