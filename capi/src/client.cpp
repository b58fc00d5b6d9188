// rtm_client_t: lifecycle, operations, dispatch, and the trampolines from the C++ engine's events to
// the C callbacks.
#include <chrono>
#include <cinttypes>

#if defined(__linux__)
#include <pthread.h>
#endif

#include "capi/src/objects.hpp"
#include "core/common/log.hpp"

namespace {

using rtmc::invoke;

const char* op_name(rtm_op_t op, int code) { return rtm_op_err2name(op, code); }

// The result of an RTM operation: 0 clears the last error, a refusal records it.
rtm_result_t op_result(const char* fn, rtm_op_t op, int code) {
  if (code == 0) return rtmc::ok();
  return rtmc::fail(code, "%s: refused with %s (%d)", fn, op_name(op, code), code);
}

}  // namespace

// ---- trampolines (dispatcher) ---------------------------------------------------------------------

namespace rtmc {

void Client::on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason r) noexcept {
  if (auto f = cb.connection_state_changed)
    invoke(this, [&] {
      f(handle(this), static_cast<rtm_connection_state_t>(s), static_cast<rtm_connection_change_reason_t>(r), ud.data);
    });
}

void Client::on_login_success() noexcept {
  if (auto f = cb.login_success) invoke(this, [&] { f(handle(this), ud.data); });
}

void Client::on_login_failure(rtm::LoginErr e) noexcept {
  if (auto f = cb.login_failure) invoke(this, [&] { f(handle(this), static_cast<rtm_login_err_t>(e), ud.data); });
}

void Client::on_logout(rtm::LogoutErr e) noexcept {
  if (auto f = cb.logout) invoke(this, [&] { f(handle(this), static_cast<rtm_logout_err_t>(e), ud.data); });
}

void Client::on_renew_token_result(const std::string& token, rtm::RenewTokenErr e) noexcept {
  if (auto f = cb.renew_token_result)
    invoke(this, [&] { f(handle(this), token.c_str(), static_cast<rtm_renew_token_err_t>(e), ud.data); });
}

void Client::on_token_expired() noexcept {
  if (auto f = cb.token_expired) invoke(this, [&] { f(handle(this), ud.data); });
}

void Client::on_token_privilege_will_expire() noexcept {
  if (auto f = cb.token_privilege_will_expire) invoke(this, [&] { f(handle(this), ud.data); });
}

void Client::on_send_message_result(int64_t message_id, rtm::PeerMessageErr e) noexcept {
  if (auto f = cb.send_message_result)
    invoke(this, [&] { f(handle(this), message_id, static_cast<rtm_peer_message_err_t>(e), ud.data); });
}

void Client::on_message_received_from_peer(const std::string& peer_id, const rtm::Message& m) noexcept {
  if (auto f = cb.message_received_from_peer) {
    invoke(this, [&] {
      Message borrowed(&m);  // no copy: valid for the duration of the callback
      f(handle(this), peer_id.c_str(), rtmc::handle(&borrowed), ud.data);
    });
  }
}

// Thread mode: the dispatcher thread runs the engine's queue until destroy sets `closing`.
void Client::run_dispatcher() noexcept {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), "rtm-dispatch");
#endif
  if (auto f = cb.thread_start) invoke(this, [&] { f(handle(this), "rtm-dispatch", ud.data); });
  while (!closing.load(std::memory_order_acquire)) {
    try {
      core->poll(-1);
    } catch (...) {
      RTM_LOG(error, "capi", "the dispatcher caught an exception; it goes on");
    }
  }
}

}  // namespace rtmc

// ---- API ------------------------------------------------------------------------------------------

using rtmc::handle;
using rtmc::impl;

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_client_new(rtm_client_t** out, rtm_conf_t* conf) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!out || !conf) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_new: out and conf must not be NULL");
    auto* cf = impl(conf);
    if (cf->cfg.reconnect_min_ms > cf->cfg.reconnect_max_ms)
      return rtmc::fail(RTM_ERR_INVALID_VALUE,
                        "rtm_client_new: reconnect_min_ms (%" PRIu32 ") exceeds reconnect_max_ms (%" PRIu32 ")",
                        cf->cfg.reconnect_min_ms, cf->cfg.reconnect_max_ms);
    auto c = std::make_unique<rtmc::Client>();
    c->cb = cf->cb;
    c->poll_mode = cf->poll_mode;
    c->ud.data = cf->ud.data;  // visible to the callbacks; owned (free_fn) only once creation succeeded
    rtm::ClientConfig cfg = cf->cfg;
    cfg.dispatch = rtm::DispatchMode::poll;  // the C API runs the dispatcher itself (see run_dispatcher)
    c->core = std::make_unique<rtm::Client>(std::move(cfg), c.get());
    if (!c->poll_mode) {
      try {
        c->thread = std::thread([p = c.get()] { p->run_dispatcher(); });
      } catch (...) {
        c->core.reset();
        c->ud.data = nullptr;
        throw;
      }
    }
    // Success: the client now owns the user data (the pointer itself is already in place, so a
    // callback already running on the dispatcher thread sees no change).
    c->ud.free_fn = cf->ud.free_fn;
    cf->ud.free_fn = nullptr;
    cf->ud.data = nullptr;
    delete cf;
    *out = handle(c.release());
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_destroy(rtm_client_t* handle_) {
  if (!handle_) return rtmc::ok();
  rtmc::Client* client = impl(handle_);
  if (rtmc::CallbackScope::active(client))
    return rtmc::fail(RTM_ERR_INVALID_STATE,
                      "rtm_client_destroy: called from inside a callback of the same client; it would wait for "
                      "itself. Destroy the client from another thread after the callback returned");
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    {
      std::lock_guard lock(client->mu);
      client->closing.store(true, std::memory_order_release);
    }
    client->core->wakeup();
    if (client->thread.joinable()) {
      client->thread.join();
    } else {
      // Poll mode: wait for a poll in progress on another thread; keep waking it up, since a poll that
      // started its wait after our first wakeup may have consumed it.
      std::unique_lock lock(client->mu);
      while (client->polling) {
        client->cv.wait_for(lock, std::chrono::milliseconds(10));
        if (client->polling) client->core->wakeup();
      }
    }
    // No callback runs any more: release the channels' engine objects (leaving joined channels)
    // before the engine itself. They are released outside `mu`: a channel's release takes its
    // callback lock, and a callback may take `mu` (rtm_channel_destroy from inside it), so `mu` is
    // never held while a callback lock is taken (docs/architecture.md, lock order).
    decltype(client->channels) channels;
    {
      std::lock_guard lock(client->mu);
      channels.swap(client->channels);
      for (auto& [id, ch] : channels) ch->closed.store(true, std::memory_order_release);
    }
    for (auto& [id, ch] : channels) ch->core.reset();
    client->core.reset();  // joins the network thread; queued events are dropped
    channels.clear();
    client->ud.release();  // exactly once, after the last callback
    delete client;
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_login(rtm_client_t* client, const char* token, const char* user_id) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_login: client is NULL");
    std::string t(rtmc::sv(token)), u(rtmc::sv(user_id));
    return op_result(fn, RTM_OP_LOGIN, impl(client)->core->login(t, u));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_logout(rtm_client_t* client) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_logout: client is NULL");
    return op_result(fn, RTM_OP_LOGOUT, impl(client)->core->logout());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_renew_token(rtm_client_t* client, const char* token) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_renew_token: client is NULL");
    return op_result(fn, RTM_OP_RENEW_TOKEN, impl(client)->core->renew_token(std::string(rtmc::sv(token))));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_send_message_to_peer(int64_t* out_message_id, rtm_client_t* client,
                                                              const char* peer_id, const rtm_message_t* message,
                                                              const rtm_send_options_t* options) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_send_message_to_peer: client is NULL");
    rtm::SendMessageOptions o;
    if (options) {
      if (options->version < 1 || options->version > RTM_SEND_OPTIONS_VERSION)
        return rtmc::fail(RTM_ERR_UNSUPPORTED_VERSION,
                          "rtm_client_send_message_to_peer: rtm_send_options_t version %u is not known (1..%d)",
                          options->version, RTM_SEND_OPTIONS_VERSION);
      o.enable_offline_messaging = options->enable_offline_messaging != 0;
      o.enable_historical_messaging = options->enable_historical_messaging != 0;
    }
    if (!message)
      return op_result(fn, RTM_OP_SEND_PEER_MESSAGE, RTM_PEER_MESSAGE_ERR_INVALID_MESSAGE);
    std::string peer(rtmc::sv(peer_id));
    int64_t id = 0;
    int rc = impl(client)->core->send_message_to_peer(peer, *impl(message)->m, o, &id);
    if (rc == 0 && out_message_id) *out_message_id = id;
    return op_result(fn, RTM_OP_SEND_PEER_MESSAGE, rc);
  });
}

RTM_API rtm_connection_state_t RTM_CALL rtm_client_state(const rtm_client_t* client) {
  return client ? static_cast<rtm_connection_state_t>(impl(client)->core->state()) : static_cast<rtm_connection_state_t>(0);
}

RTM_API rtm_result_t RTM_CALL rtm_client_user_id(char* buf, size_t* buf_size, const rtm_client_t* client) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_user_id: client is NULL");
    return rtmc::copy_out(fn, buf, buf_size, impl(client)->core->user_id());
  });
}

RTM_API void* RTM_CALL rtm_client_user_data(const rtm_client_t* client) {
  return client ? impl(client)->ud.data : nullptr;
}

RTM_API int RTM_CALL rtm_client_poll(rtm_client_t* handle_, int timeout_ms) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) -> int {
    if (!handle_) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_poll: client is NULL");
    rtmc::Client* client = impl(handle_);
    if (!client->poll_mode)
      return rtmc::fail(RTM_ERR_INVALID_STATE,
                        "rtm_client_poll: the client dispatches on its own thread (set callback.dispatch=poll)");
    if (rtmc::CallbackScope::active(client))
      return rtmc::fail(RTM_ERR_INVALID_STATE, "rtm_client_poll: called from inside a callback of the same client");
    {
      std::lock_guard lock(client->mu);
      if (client->closing.load()) return rtmc::fail(RTM_ERR_INVALID_STATE, "rtm_client_poll: the client is being destroyed");
      if (client->polling)
        return rtmc::fail(RTM_ERR_INVALID_STATE, "rtm_client_poll: another thread is polling this client");
      client->polling = true;
    }
    int n = 0;
    {
      rtmc::CallbackScope scope(client);
      try {
        n = client->core->poll(timeout_ms < 0 ? -1 : timeout_ms);
      } catch (...) {
        std::lock_guard lock(client->mu);
        client->polling = false;
        client->cv.notify_all();
        throw;
      }
    }
    {
      // Notified under the lock: once a destroy waiting in another thread sees `polling` false it
      // may free the object, so nothing here touches it after the unlock.
      std::lock_guard lock(client->mu);
      client->polling = false;
      client->cv.notify_all();
    }
    rtmc::clear_error();
    return n;
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_wakeup(rtm_client_t* client) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_client_wakeup: client is NULL");
    impl(client)->core->wakeup();  // takes a mutex, which could (in theory) throw
    return rtmc::ok();
  });
}

RTM_API int RTM_CALL rtm_client_event_fd(const rtm_client_t* client) { return client ? impl(client)->core->event_fd() : -1; }

}  // extern "C"
