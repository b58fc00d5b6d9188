// The structs behind the opaque handles of the C API (internal).
//
// The public headers only declare `struct rtm_client_s` and friends; they are never defined. The
// objects are rtmc::Client, rtmc::Conf, ... and the handles are the same pointers, converted with
// impl() / handle(). The library's debug information therefore describes the handles as opaque, and
// the ABI baseline (abidw) contains the public types only.
#pragma once
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "capi/src/shim.hpp"
#include "core/client/client.hpp"
#include "core/server/server.hpp"

namespace rtmc {

// A message: either owns its rtm::Message or borrows one for the duration of a callback.
struct Message {
  rtm::Message own;
  const rtm::Message* m;

  Message() noexcept : m(&own) {}
  explicit Message(const rtm::Message* borrowed) noexcept : m(borrowed) {}
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
};

struct Callbacks {
  rtm_connection_state_changed_cb connection_state_changed = nullptr;
  rtm_login_success_cb login_success = nullptr;
  rtm_login_failure_cb login_failure = nullptr;
  rtm_logout_cb logout = nullptr;
  rtm_renew_token_result_cb renew_token_result = nullptr;
  rtm_token_expired_cb token_expired = nullptr;
  rtm_token_privilege_will_expire_cb token_privilege_will_expire = nullptr;
  rtm_send_message_result_cb send_message_result = nullptr;
  rtm_message_received_from_peer_cb message_received_from_peer = nullptr;
  rtm_thread_start_cb thread_start = nullptr;
};

// The user data and its destructor; whoever holds it calls the destructor exactly once.
struct UserData {
  void* data = nullptr;
  rtm_user_data_free_cb free_fn = nullptr;

  UserData() = default;
  UserData(const UserData&) = delete;
  UserData& operator=(const UserData&) = delete;
  ~UserData() { release(); }
  void release() noexcept {
    auto f = free_fn;
    void* d = data;
    free_fn = nullptr;
    data = nullptr;
    if (f) f(d);
  }
};

struct Conf {
  rtm::ClientConfig cfg;
  bool poll_mode = false;
  Callbacks cb;
  UserData ud;
};

// A client: the C++ engine (always in poll mode underneath) plus the dispatcher the C API runs on top
// of it. The struct itself is the engine's EventHandler, so every event goes through one of the
// trampolines below, which invoke the C callback with the CallbackScope that makes a destroy from
// inside the callback detectable.
struct Client final : rtm::EventHandler {
  Callbacks cb;
  UserData ud;
  bool poll_mode = false;

  std::atomic<bool> closing{false};  // set by destroy: no callback starts afterwards
  std::mutex mu;
  std::condition_variable cv;
  bool polling = false;              // a thread is inside rtm_client_poll

  std::unique_ptr<rtm::Client> core;
  std::thread thread;                // the dispatcher thread in thread mode

  void on_connection_state_changed(rtm::ConnectionState s, rtm::ConnectionChangeReason r) noexcept override;
  void on_login_success() noexcept override;
  void on_login_failure(rtm::LoginErr e) noexcept override;
  void on_logout(rtm::LogoutErr e) noexcept override;
  void on_renew_token_result(const std::string& token, rtm::RenewTokenErr e) noexcept override;
  void on_token_expired() noexcept override;
  void on_token_privilege_will_expire() noexcept override;
  void on_send_message_result(int64_t message_id, rtm::PeerMessageErr e) noexcept override;
  void on_message_received_from_peer(const std::string& peer_id, const rtm::Message& m) noexcept override;

  void run_dispatcher() noexcept;
};

struct ServerConf {
  rtm::server::ServerConfig cfg;
  bool log_level_set = false;
};

struct Server {
  rtm::server::ServerConfig cfg;
  bool log_level_set = false;
  mutable std::mutex mu;
  std::unique_ptr<rtm::server::Server> server;
  bool running = false;
};

// Handle <-> object.
#define RTMC_HANDLE(H, T)                                                               \
  inline T* impl(H* p) noexcept { return reinterpret_cast<T*>(p); }                     \
  inline const T* impl(const H* p) noexcept { return reinterpret_cast<const T*>(p); }   \
  inline H* handle(T* p) noexcept { return reinterpret_cast<H*>(p); }                   \
  inline const H* handle(const T* p) noexcept { return reinterpret_cast<const H*>(p); }
RTMC_HANDLE(rtm_message_t, Message)
RTMC_HANDLE(rtm_conf_t, Conf)
RTMC_HANDLE(rtm_client_t, Client)
RTMC_HANDLE(rtm_server_conf_t, ServerConf)
RTMC_HANDLE(rtm_server_t, Server)
#undef RTMC_HANDLE

}  // namespace rtmc
