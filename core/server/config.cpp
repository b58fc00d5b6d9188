#include "core/server/config.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <sstream>

namespace rtm::server {
namespace {

struct Loader {
  std::string& error;

  bool fail(const std::string& key, const char* what) {
    error = "config: '" + key + "' " + what;
    return false;
  }
  bool get(const rapidjson::Value& v, const std::string& key, std::string& out) {
    if (!v.IsString()) return fail(key, "must be a string");
    out.assign(v.GetString(), v.GetStringLength());
    return true;
  }
  bool get(const rapidjson::Value& v, const std::string& key, bool& out) {
    if (!v.IsBool()) return fail(key, "must be true or false");
    out = v.GetBool();
    return true;
  }
  template <class T>
  bool get_uint(const rapidjson::Value& v, const std::string& key, T& out, uint64_t max) {
    if (!v.IsUint64() || v.GetUint64() > max) return fail(key, "must be a non-negative integer in range");
    out = static_cast<T>(v.GetUint64());
    return true;
  }
};

}  // namespace

Rate* rate_by_name(RateLimits& r, const std::string& name);

namespace {
// "rate_limits": {"messages": {"count": 1500, "window_ms": 3000}, ...}; limits not named keep their value.
bool load_rates(Loader& L, const rapidjson::Value& v, const std::string& key, RateLimits& rate) {
  if (!v.IsObject()) return L.fail(key, "must be an object");
  for (auto& f : v.GetObject()) {
    std::string name(f.name.GetString(), f.name.GetStringLength());
    Rate* r = rate_by_name(rate, name);
    std::string k = key + "." + name;
    if (!r) return L.fail(k, "is not a known limit");
    if (!f.value.IsObject()) return L.fail(k, "must be an object {\"count\": N, \"window_ms\": M}");
    for (auto& g : f.value.GetObject()) {
      std::string sub(g.name.GetString(), g.name.GetStringLength());
      bool ok = true;
      if (sub == "count") ok = L.get_uint(g.value, k + ".count", r->count, 1u << 30);
      else if (sub == "window_ms") ok = L.get_uint(g.value, k + ".window_ms", r->window_ms, 3600000);
      else return L.fail(k + "." + sub, "is not a known key");
      if (!ok) return false;
    }
    if (r->window_ms == 0) return L.fail(k + ".window_ms", "must be positive");
  }
  return true;
}
}  // namespace

const std::array<RateLimitName, kRateLimitCount>& rate_limit_names() {
  static const std::array<RateLimitName, kRateLimitCount> table = {{
      {"login", &RateLimits::login}, {"renew", &RateLimits::renew}, {"messages", &RateLimits::messages},
      {"join", &RateLimits::join}, {"join_same", &RateLimits::join_same}, {"members", &RateLimits::members},
      {"count", &RateLimits::count}, {"query", &RateLimits::query}, {"subscribe", &RateLimits::subscribe},
      {"user_attr_write", &RateLimits::user_attr_write}, {"user_attr_read", &RateLimits::user_attr_read},
      {"channel_attr_write", &RateLimits::channel_attr_write}, {"channel_attr_read", &RateLimits::channel_attr_read},
  }};
  return table;
}

Rate* rate_by_name(RateLimits& r, const std::string& name) {
  for (auto& n : rate_limit_names())
    if (name == n.name) return &(r.*n.member);
  return nullptr;
}

std::size_t rate_limit_index(const RateLimits& r, const Rate& rate) {
  for (std::size_t i = 0; i < kRateLimitCount; ++i)
    if (&(r.*rate_limit_names()[i].member) == &rate) return i;
  return kRateLimitCount;
}

void disable_rate_limits(RateLimits& r) {
  for (auto& n : rate_limit_names()) (r.*n.member).count = 0;
}

bool validate(const ServerConfig& c, std::string& error) {
  auto positive = [&](uint64_t v, const char* name) {
    if (v == 0) error = std::string("config: '") + name + "' must be positive";
    return v != 0;
  };
  return positive(c.offline_max_per_user, "offline_max_per_user") &&
         positive(c.offline_ttl_seconds, "offline_ttl_seconds") &&
         positive(c.outbound_queue_bytes, "outbound_queue_bytes") && positive(c.max_frame_bytes, "max_frame_bytes") &&
         positive(c.max_pending_requests, "max_pending_requests") && positive(c.idle_timeout_ms, "idle_timeout_ms") &&
         positive(c.login_timeout_ms, "login_timeout_ms") && positive(c.peer_timeout_ms, "peer_timeout_ms") &&
         positive(c.recovery_messages, "recovery_messages") &&
         positive(c.member_count_interval_ms, "member_count_interval_ms") &&
         positive(c.housekeeping_interval_ms, "housekeeping_interval_ms") &&
         positive(c.invitation_offline_ms, "invitation_offline_ms") &&
         positive(c.invitation_ack_ms, "invitation_ack_ms") && positive(c.invitation_expire_ms, "invitation_expire_ms");
}

bool parse_rest_credential(const std::string& text, RestCredential& out) {
  auto a = text.find(':');
  if (a == std::string::npos || a == 0) return false;
  auto b = text.find(':', a + 1);
  out.key = text.substr(0, a);
  out.secret = text.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  out.apps.clear();
  if (out.secret.empty()) return false;
  if (b != std::string::npos) {
    std::stringstream apps(text.substr(b + 1));
    for (std::string app; std::getline(apps, app, ',');)
      if (!app.empty()) out.apps.push_back(app);
    if (out.apps.empty()) return false;
  }
  return true;
}

bool parse_listen(const std::string& text, bool tls, ListenConfig& out) {
  auto colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  std::string port = colon == std::string::npos ? text : text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  unsigned long p = std::stoul(port);
  if (p > 65535) return false;
  out.address = host.empty() ? "0.0.0.0" : host;
  out.port = static_cast<uint16_t>(p);
  out.tls = tls;
  return true;
}

bool load_config_file(const std::string& path, ServerConfig& cfg, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "config: cannot read " + path;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    error = "config: " + path + ": JSON error at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
            rapidjson::GetParseError_En(doc.GetParseError());
    return false;
  }
  if (!doc.IsObject()) {
    error = "config: the top level must be an object";
    return false;
  }
  Loader L{error};
  for (auto& m : doc.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    const auto& v = m.value;
    bool ok = true;
    if (key == "listen") {
      if (!v.IsArray()) return L.fail(key, "must be an array");
      cfg.listen.clear();
      for (auto& e : v.GetArray()) {
        if (!e.IsObject()) return L.fail(key, "entries must be objects");
        ListenConfig lc;
        for (auto& f : e.GetObject()) {
          std::string k = "listen." + std::string(f.name.GetString());
          if (k == "listen.address") ok = L.get(f.value, k, lc.address);
          else if (k == "listen.port") ok = L.get_uint(f.value, k, lc.port, 65535);
          else if (k == "listen.tls") ok = L.get(f.value, k, lc.tls);
          else return L.fail(k, "is not a known key");
          if (!ok) return false;
        }
        cfg.listen.push_back(lc);
      }
    } else if (key == "apps") {
      if (!v.IsArray()) return L.fail(key, "must be an array");
      cfg.apps.clear();
      for (auto& e : v.GetArray()) {
        if (!e.IsObject()) return L.fail(key, "entries must be objects");
        AppConfig ac;
        for (auto& f : e.GetObject()) {
          std::string k = "apps." + std::string(f.name.GetString());
          if (k == "apps.app_id") ok = L.get(f.value, k, ac.app_id);
          else if (k == "apps.certificate") ok = L.get(f.value, k, ac.certificate);
          else if (k == "apps.rate_limits") {
            ac.rate = cfg.rate;  // starts from the server-wide limits read so far
            ac.has_rate = true;
            ok = load_rates(L, f.value, k, ac.rate);
          }
          else return L.fail(k, "is not a known key");
          if (!ok) return false;
        }
        if (ac.app_id.empty()) return L.fail("apps.app_id", "is required");
        cfg.apps.push_back(ac);
      }
    } else if (key == "rest") {
      if (!v.IsObject()) return L.fail(key, "must be an object");
      for (auto& f : v.GetObject()) {
        std::string k = "rest." + std::string(f.name.GetString());
        if (k == "rest.credentials") {
          if (!f.value.IsArray()) return L.fail(k, "must be an array");
          cfg.rest.credentials.clear();
          for (auto& e : f.value.GetArray()) {
            if (!e.IsObject()) return L.fail(k, "entries must be objects {\"key\", \"secret\", \"apps\"}");
            RestCredential rc;
            for (auto& g : e.GetObject()) {
              std::string kk = k + "." + std::string(g.name.GetString());
              if (kk == "rest.credentials.key") ok = L.get(g.value, kk, rc.key);
              else if (kk == "rest.credentials.secret") ok = L.get(g.value, kk, rc.secret);
              else if (kk == "rest.credentials.apps") {
                if (!g.value.IsArray()) return L.fail(kk, "must be an array of app ids");
                for (auto& app : g.value.GetArray()) {
                  std::string id;
                  if (!L.get(app, kk, id)) return false;
                  rc.apps.push_back(id);
                }
              } else return L.fail(kk, "is not a known key");
              if (!ok) return false;
            }
            if (rc.key.empty() || rc.secret.empty()) return L.fail(k, "entries need a key and a secret");
            cfg.rest.credentials.push_back(rc);
          }
        } else if (k == "rest.plain_http") {
          ok = L.get(f.value, k, cfg.rest.plain_http);
          if (ok && cfg.rest.plain_http != "loopback" && cfg.rest.plain_http != "on" && cfg.rest.plain_http != "off")
            return L.fail(k, "must be \"loopback\", \"on\" or \"off\"");
        } else if (k == "rest.events_kept") {
          ok = L.get_uint(f.value, k, cfg.rest.events_kept, 1000000);
        } else if (k == "rest.rate_limits") {
          if (!f.value.IsObject()) return L.fail(k, "must be an object");
          for (auto& g : f.value.GetObject()) {
            std::string kk = k + "." + std::string(g.name.GetString());
            Rate* r = kk == "rest.rate_limits.messages" ? &cfg.rest.messages
                      : kk == "rest.rate_limits.events" ? &cfg.rest.events : nullptr;
            if (!r) return L.fail(kk, "is not a known limit (messages, events)");
            if (!g.value.IsObject()) return L.fail(kk, "must be an object {\"count\": N, \"window_ms\": M}");
            for (auto& h : g.value.GetObject()) {
              std::string sub(h.name.GetString(), h.name.GetStringLength());
              if (sub == "count") ok = L.get_uint(h.value, kk + ".count", r->count, 1u << 30);
              else if (sub == "window_ms") ok = L.get_uint(h.value, kk + ".window_ms", r->window_ms, 3600000);
              else return L.fail(kk + "." + sub, "is not a known key");
              if (!ok) return false;
            }
            if (r->window_ms == 0) return L.fail(kk + ".window_ms", "must be positive");
          }
        } else {
          return L.fail(k, "is not a known key");
        }
        if (!ok) return false;
      }
    } else if (key == "log_format") {
      ok = L.get(v, key, cfg.log_format);
      if (ok && cfg.log_format != "text" && cfg.log_format != "json") return L.fail(key, "must be \"text\" or \"json\"");
    } else if (key == "tls_cert_file") ok = L.get(v, key, cfg.tls_cert_file);
    else if (key == "tls_key_file") ok = L.get(v, key, cfg.tls_key_file);
    else if (key == "data_dir") ok = L.get(v, key, cfg.data_dir);
    else if (key == "dev") ok = L.get(v, key, cfg.dev);
    else if (key == "io_threads") ok = L.get_uint(v, key, cfg.io_threads, 1024);
    else if (key == "log_level") ok = L.get(v, key, cfg.log_level);
    else if (key == "offline_max_per_user") ok = L.get_uint(v, key, cfg.offline_max_per_user, 1u << 20);
    else if (key == "offline_ttl_seconds") ok = L.get_uint(v, key, cfg.offline_ttl_seconds, 1u << 30);
    else if (key == "store_sync") ok = L.get(v, key, cfg.store_sync);
    else if (key == "outbound_queue_bytes") ok = L.get_uint(v, key, cfg.outbound_queue_bytes, 1ull << 32);
    else if (key == "max_frame_bytes") ok = L.get_uint(v, key, cfg.max_frame_bytes, 1ull << 26);
    else if (key == "max_pending_requests") ok = L.get_uint(v, key, cfg.max_pending_requests, 1u << 20);
    else if (key == "idle_timeout_ms") ok = L.get_uint(v, key, cfg.idle_timeout_ms, 3600000);
    else if (key == "login_timeout_ms") ok = L.get_uint(v, key, cfg.login_timeout_ms, 3600000);
    else if (key == "peer_timeout_ms") ok = L.get_uint(v, key, cfg.peer_timeout_ms, 3600000);
    else if (key == "grace_ms") ok = L.get_uint(v, key, cfg.grace_ms, 3600000);
    else if (key == "recovery_messages") ok = L.get_uint(v, key, cfg.recovery_messages, 1u << 20);
    else if (key == "recovery_age_ms") ok = L.get_uint(v, key, cfg.recovery_age_ms, 86400000);
    else if (key == "member_count_interval_ms") ok = L.get_uint(v, key, cfg.member_count_interval_ms, 3600000);
    else if (key == "housekeeping_interval_ms") ok = L.get_uint(v, key, cfg.housekeeping_interval_ms, 60000);
    else if (key == "member_events_max") ok = L.get_uint(v, key, cfg.member_events_max, 1u << 30);
    else if (key == "channel_attr_ttl_ms") ok = L.get_uint(v, key, cfg.channel_attr_ttl_ms, 1u << 31);
    else if (key == "invitation_offline_ms") ok = L.get_uint(v, key, cfg.invitation_offline_ms, 3600000);
    else if (key == "invitation_ack_ms") ok = L.get_uint(v, key, cfg.invitation_ack_ms, 3600000);
    else if (key == "invitation_expire_ms") ok = L.get_uint(v, key, cfg.invitation_expire_ms, 3600000);
    else if (key == "token_warning_ms") ok = L.get_uint(v, key, cfg.token_warning_ms, 86400000);
    else if (key == "rate_limits") ok = load_rates(L, v, key, cfg.rate);
    else return L.fail(key, "is not a known key");
    if (!ok) return false;
  }
  return true;
}

}  // namespace rtm::server
