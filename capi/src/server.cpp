// rtm_server_conf_t and rtm_server_t: the embedded rtmd.
#include <cstring>

#include "capi/src/objects.hpp"
#include "core/common/log.hpp"

using rtmc::handle;
using rtmc::impl;

namespace {

using Cfg = rtm::server::ServerConfig;
constexpr unsigned long long kMaxMs = 3600000;  // as rtmd's configuration file

struct UintKey {
  const char* name;
  unsigned long long max;
  void (*set)(Cfg&, unsigned long long);
  unsigned long long (*get)(const Cfg&);
};
#define RTM_UINT_KEY(F, MAX)                                                                 \
  UintKey {                                                                                  \
    #F, MAX, [](Cfg& c, unsigned long long v) { c.F = static_cast<decltype(c.F)>(v); },    \
        [](const Cfg& c) { return static_cast<unsigned long long>(c.F); }                    \
  }
const UintKey kUintKeys[] = {
    // the same names and ranges as rtmd's JSON configuration (core/server/config.cpp)
    RTM_UINT_KEY(io_threads, 1024),
    RTM_UINT_KEY(offline_max_per_user, 1u << 20),
    RTM_UINT_KEY(offline_ttl_seconds, 1u << 30),
    RTM_UINT_KEY(outbound_queue_bytes, 1ull << 32),
    RTM_UINT_KEY(max_frame_bytes, 1ull << 26),
    RTM_UINT_KEY(max_pending_requests, 1u << 20),
    RTM_UINT_KEY(idle_timeout_ms, kMaxMs),
    RTM_UINT_KEY(login_timeout_ms, kMaxMs),
    RTM_UINT_KEY(peer_timeout_ms, kMaxMs),
    RTM_UINT_KEY(grace_ms, kMaxMs),
    RTM_UINT_KEY(recovery_messages, 1u << 20),
    RTM_UINT_KEY(recovery_age_ms, 86400000),
    RTM_UINT_KEY(member_count_interval_ms, kMaxMs),
    RTM_UINT_KEY(housekeeping_interval_ms, 60000),
    RTM_UINT_KEY(member_events_max, 1u << 30),
    RTM_UINT_KEY(channel_attr_ttl_ms, 1u << 31),
    RTM_UINT_KEY(invitation_offline_ms, kMaxMs),
    RTM_UINT_KEY(invitation_ack_ms, kMaxMs),
    RTM_UINT_KEY(invitation_expire_ms, kMaxMs),
    RTM_UINT_KEY(token_warning_ms, 86400000),
};
#undef RTM_UINT_KEY

struct StrKey {
  const char* name;
  std::string Cfg::*field;
};
const StrKey kStrKeys[] = {
    {"tls_cert_file", &Cfg::tls_cert_file},
    {"tls_key_file", &Cfg::tls_key_file},
    {"data_dir", &Cfg::data_dir},
};

// "rate_limits.<name>.count" / "rate_limits.<name>.window_ms": the limit and the member addressed.
bool rate_key(Cfg& c, const char* key, uint32_t*& member, bool& is_window) {
  std::string k(key);
  const std::string prefix = "rate_limits.";
  if (k.rfind(prefix, 0) != 0) return false;
  auto dot = k.rfind('.');
  if (dot <= prefix.size()) return false;
  std::string name = k.substr(prefix.size(), dot - prefix.size());
  std::string field = k.substr(dot + 1);
  rtm::server::Rate* r = rtm::server::rate_by_name(c.rate, name);  // rtmd's names
  if (!r) return false;
  if (field == "count") {
    member = &r->count;
    is_window = false;
  } else if (field == "window_ms") {
    member = &r->window_ms;
    is_window = true;
  } else {
    return false;
  }
  return true;
}

std::vector<std::string> split(const char* v) {
  std::vector<std::string> out;
  std::string cur;
  for (const char* p = v; *p; ++p) {
    if (*p == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += *p;
    }
  }
  if (!cur.empty() || !out.empty()) out.push_back(std::move(cur));
  return out;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool parse_listener(std::string text, rtm::server::ListenConfig& out) {
  bool tls = false;
  if (text.rfind("wss://", 0) == 0) {
    tls = true;
    text = text.substr(6);
  } else if (text.rfind("ws://", 0) == 0) {
    text = text.substr(5);
  }
  return !text.empty() && rtm::server::parse_listen(text, tls, out);
}

bool parse_app(const std::string& text, rtm::server::AppConfig& out) {
  auto colon = text.find(':');
  out.app_id = text.substr(0, colon);
  out.certificate = colon == std::string::npos ? "" : text.substr(colon + 1);
  return !out.app_id.empty();
}

rtm_result_t conf_error(rtm_result_t code, char* errstr, std::size_t errstr_size, const char* what, const char* key,
                        const char* value) {
  rtmc::fail(code, "rtm_server_conf_set: '%s' %s, not '%s'", key, what, value);
  rtmc::write_errstr(errstr, errstr_size, rtmc::last_error());
  return code;
}

std::string listeners_text(const Cfg& c) {
  std::string s;
  for (auto& l : c.listen) {
    if (!s.empty()) s += ',';
    s += (l.tls ? "wss://" : "ws://") + l.address + ':' + std::to_string(l.port);
  }
  return s;
}

std::string apps_text(const Cfg& c) {
  std::string s;
  for (auto& a : c.apps) {
    if (!s.empty()) s += ',';
    s += a.app_id;
    if (!a.certificate.empty()) s += ':' + a.certificate;
  }
  return s;
}

}  // namespace

extern "C" {

RTM_API rtm_result_t RTM_CALL rtm_server_conf_new(rtm_server_conf_t** out) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!out) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_server_conf_new: out is NULL");
    *out = handle(new rtmc::ServerConf());
    return rtmc::ok();
  });
}

RTM_API void RTM_CALL rtm_server_conf_destroy(rtm_server_conf_t* conf) { delete impl(conf); }

RTM_API rtm_result_t RTM_CALL rtm_server_conf_set(rtm_server_conf_t* conf, const char* key, const char* value,
                                                  char* errstr, size_t errstr_size) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) -> rtm_result_t {
    if (!conf || !key || !value) {
      rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_server_conf_set: conf, key and value must not be NULL");
      rtmc::write_errstr(errstr, errstr_size, rtmc::last_error());
      return RTM_ERR_INVALID_ARG;
    }
    auto* cf = impl(conf);
    auto& c = cf->cfg;
    if (!std::strcmp(key, "listen") || !std::strcmp(key, "listen.add")) {
      std::vector<rtm::server::ListenConfig> ls;
      auto items = !std::strcmp(key, "listen") ? split(value) : std::vector<std::string>{value};
      for (auto& item : items) {
        rtm::server::ListenConfig l;
        if (!parse_listener(trim(item), l))
          return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                            "must list [ws://|wss://][host:]port entries separated by commas", key, value);
        ls.push_back(l);
      }
      if (!std::strcmp(key, "listen")) c.listen = std::move(ls);
      else c.listen.insert(c.listen.end(), ls.begin(), ls.end());
    } else if (!std::strcmp(key, "apps") || !std::strcmp(key, "apps.add")) {
      std::vector<rtm::server::AppConfig> as;
      auto items = !std::strcmp(key, "apps") ? split(value) : std::vector<std::string>{value};
      for (auto& item : items) {
        rtm::server::AppConfig a;
        if (!parse_app(trim(item), a))
          return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                            "must list app_id[:certificate] entries separated by commas", key, value);
        as.push_back(a);
      }
      if (!std::strcmp(key, "apps")) c.apps = std::move(as);
      else c.apps.insert(c.apps.end(), as.begin(), as.end());
    } else if (!std::strcmp(key, "dev")) {
      if (!rtmc::parse_bool(value, c.dev))
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size, "must be true or false", key, value);
    } else if (!std::strcmp(key, "store_sync")) {
      if (!rtmc::parse_bool(value, c.store_sync))
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size, "must be true or false", key, value);
    } else if (!std::strcmp(key, "log_level")) {
      rtm::log::Level l;
      if (!rtm::log::parse_level(value, l))
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size, "must be trace, debug, info, warn, error or off",
                          key, value);
      c.log_level = value;
      cf->log_level_set = true;
    } else if (!std::strcmp(key, "rate_limits")) {
      if (std::strcmp(value, "off"))
        return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                          "accepts only \"off\" (set rate_limits.<name>.count and .window_ms one by one)", key, value);
      rtm::server::disable_rate_limits(c.rate);
    } else {
      uint32_t* rate_member = nullptr;
      bool is_window = false;
      if (rate_key(c, key, rate_member, is_window)) {
        unsigned long long v;
        if (!rtmc::parse_u64(value, is_window ? 1 : 0, is_window ? kMaxMs : (1u << 30), v))
          return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size,
                            is_window ? "must be a number of milliseconds from 1 to 3600000"
                                      : "must be a count from 0 (no limit) to 1073741824",
                            key, value);
        *rate_member = static_cast<uint32_t>(v);
        return rtmc::ok();
      }
      for (auto& k : kStrKeys) {
        if (std::strcmp(key, k.name)) continue;
        c.*k.field = value;
        return rtmc::ok();
      }
      for (auto& k : kUintKeys) {
        if (std::strcmp(key, k.name)) continue;
        unsigned long long v;
        if (!rtmc::parse_u64(value, 0, k.max, v))
          return conf_error(RTM_ERR_INVALID_VALUE, errstr, errstr_size, "must be a non-negative integer in range", key,
                            value);
        k.set(c, v);
        return rtmc::ok();
      }
      rtmc::fail(RTM_ERR_UNKNOWN_KEY, "rtm_server_conf_set: unknown key '%s'", key);
      rtmc::write_errstr(errstr, errstr_size, rtmc::last_error());
      return RTM_ERR_UNKNOWN_KEY;
    }
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_server_conf_get(char* buf, size_t* buf_size, const rtm_server_conf_t* conf,
                                                  const char* key) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) -> rtm_result_t {
    if (!conf || !key) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_server_conf_get: conf and key must not be NULL");
    auto& c = impl(conf)->cfg;
    if (!std::strcmp(key, "listen")) return rtmc::copy_out(fn, buf, buf_size, listeners_text(c));
    if (!std::strcmp(key, "apps")) return rtmc::copy_out(fn, buf, buf_size, apps_text(c));
    if (!std::strcmp(key, "dev")) return rtmc::copy_out(fn, buf, buf_size, c.dev ? "true" : "false");
    if (!std::strcmp(key, "store_sync")) return rtmc::copy_out(fn, buf, buf_size, c.store_sync ? "true" : "false");
    if (!std::strcmp(key, "log_level")) return rtmc::copy_out(fn, buf, buf_size, c.log_level);
    {
      uint32_t* rate_member = nullptr;
      bool is_window = false;
      Cfg copy = c;  // rate_key addresses a mutable config
      if (rate_key(copy, key, rate_member, is_window))
        return rtmc::copy_out(fn, buf, buf_size, std::to_string(*rate_member));
    }
    for (auto& k : kStrKeys)
      if (!std::strcmp(key, k.name)) return rtmc::copy_out(fn, buf, buf_size, c.*k.field);
    for (auto& k : kUintKeys)
      if (!std::strcmp(key, k.name)) return rtmc::copy_out(fn, buf, buf_size, std::to_string(k.get(c)));
    return rtmc::fail(RTM_ERR_UNKNOWN_KEY, "rtm_server_conf_get: unknown key '%s'", key);
  });
}

RTM_API rtm_result_t RTM_CALL rtm_server_new(rtm_server_t** out, rtm_server_conf_t* conf) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!out || !conf) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_server_new: out and conf must not be NULL");
    auto* cf = impl(conf);
    auto s = std::make_unique<rtmc::Server>();
    s->cfg = cf->cfg;
    s->log_level_set = cf->log_level_set;
    delete cf;
    *out = handle(s.release());
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_server_start(rtm_server_t* handle_) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!handle_) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_server_start: server is NULL");
    auto* server = impl(handle_);
    std::lock_guard lock(server->mu);
    if (server->running) return rtmc::ok();
    if (server->log_level_set) {
      rtm::log::Level l;
      if (rtm::log::parse_level(server->cfg.log_level, l)) rtm::log::set_level(l);
    }
    auto s = std::make_unique<rtm::server::Server>(server->cfg);
    try {
      s->start();
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      return rtmc::fail(RTM_ERR_SERVER_START, "rtm_server_start: %s", e.what());
    }
    server->server = std::move(s);
    server->running = true;
    return rtmc::ok();
  });
}

RTM_API uint16_t RTM_CALL rtm_server_port(const rtm_server_t* handle_, int tls) {
  if (!handle_) return 0;
  return rtmc::guarded_value<uint16_t>(__func__, 0, [&]([[maybe_unused]] const char* fn) -> uint16_t {
    auto* server = impl(handle_);
    std::lock_guard lock(server->mu);
    return server->running ? server->server->port(tls != 0) : 0;
  });
}

RTM_API size_t RTM_CALL rtm_server_connection_count(const rtm_server_t* handle_) {
  if (!handle_) return 0;
  return rtmc::guarded_value<size_t>(__func__, 0, [&]([[maybe_unused]] const char* fn) -> size_t {
    auto* server = impl(handle_);
    std::lock_guard lock(server->mu);
    return server->running ? server->server->connection_count() : 0;
  });
}

RTM_API rtm_result_t RTM_CALL rtm_server_stop(rtm_server_t* handle_) {
  return rtmc::guarded(__func__, [&]([[maybe_unused]] const char* fn) {
    if (!handle_) return rtmc::fail(RTM_ERR_INVALID_ARG, "rtm_server_stop: server is NULL");
    auto* server = impl(handle_);
    std::lock_guard lock(server->mu);
    if (!server->running) return rtmc::ok();
    server->running = false;
    auto s = std::move(server->server);
    s->stop();
    return rtmc::ok();
  });
}

RTM_API void RTM_CALL rtm_server_destroy(rtm_server_t* server) {
  if (!server) return;
  try {
    rtm_server_stop(server);
    delete impl(server);
  } catch (...) {
    // ~Server does not throw; nothing else can.
  }
}

}  // extern "C"
