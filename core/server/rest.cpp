#include "core/server/rest.hpp"

#include <boost/asio/steady_timer.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

#include "core/common/log.hpp"
#include "core/protocol/ids.hpp"
#include "core/server/service.hpp"
#include "core/token/token.hpp"

namespace net = boost::asio;

namespace rtm::server {
namespace {

constexpr std::size_t kMaxEventsPerReply = 1000;
constexpr std::size_t kMaxQueryUsers = 256;
constexpr std::size_t kMaxMembersReturned = 512;

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string request_id() {
  unsigned char b[8];
  RAND_bytes(b, sizeof b);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

// {"result": ..., "request_id": ..., <more>}: `more` writes the rest of the object.
HttpReply json(unsigned status, const char* result, const std::function<void(Writer&)>& more) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("result");
  w.String(result);
  w.Key("request_id");
  auto id = request_id();
  w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
  if (more) more(w);
  w.EndObject();
  return {status, "application/json;charset=utf-8", std::string(sb.GetString(), sb.GetSize()) + "\n", {}};
}

HttpReply failure(unsigned status, const std::string& reason, std::string headers = {}) {
  auto r = json(status, "failure", [&](Writer& w) {
    w.Key("reason");
    w.String(reason.c_str(), static_cast<rapidjson::SizeType>(reason.size()));
  });
  r.headers = std::move(headers);
  return r;
}

HttpReply outcome(const char* result, const char* code) {
  return json(200, result, [&](Writer& w) {
    w.Key("code");
    w.String(code);
  });
}

void put(Writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

bool decode_base64(std::string_view in, std::string& out) {
  if (in.empty() || in.size() % 4 != 0 || in.size() > 1024) return false;
  out.resize(in.size() / 4 * 3);
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return false;
  std::size_t pad = (in.back() == '=') + (in.size() > 1 && in[in.size() - 2] == '=');
  out.resize(static_cast<std::size_t>(n) - pad);
  return true;
}

bool same(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto item = query.substr(0, amp);
    auto eq = item.find('=');
    if (item.substr(0, eq) == key) return std::string(eq == std::string_view::npos ? "" : item.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// The app's window of one REST rate limit.
bool allow(ServerCore& core, bool events, const std::string& app, const Rate& r) {
  std::lock_guard l(core.rest_mu);
  auto& m = events ? core.rest_event_rates : core.rest_message_rates;
  if (m.size() > 10000) m.clear();
  return m[app].allow(r, Clock::now());
}

// The answer to one REST peer message, from whichever comes first: the receiver's result (through
// the Delivery's sender), the "sent" answer when nobody waits for the acknowledgement, or the timer.
class RestPeerSink final : public ResultSink {
 public:
  RestPeerSink(ServerCore& core, bool wait_for_ack, std::function<void(HttpReply)> reply)
      : core_(core), wait_(wait_for_ack), reply_(std::move(reply)) {}
  void complete(int64_t, int code) override {
    if (fired_.exchange(true)) return;
    core_.metrics.peer_messages.add(code);
    switch (static_cast<PeerMessageErr>(code)) {
      case PeerMessageErr::OK: return reply_(outcome("success", wait_ ? "message_delivered" : "message_sent"));
      case PeerMessageErr::CACHED_BY_SERVER: return reply_(outcome("success", "message_offline"));
      case PeerMessageErr::PEER_UNREACHABLE: return reply_(outcome("failure", "message_unreachable"));
      case PeerMessageErr::SENT_TIMEOUT: return reply_(outcome("failure", "message_timeout"));
      default: return reply_(failure(503, "the offline store could not keep the message"));
    }
  }
  std::optional<net::steady_timer> timer;

 private:
  ServerCore& core_;
  bool wait_;
  std::function<void(HttpReply)> reply_;
  std::atomic<bool> fired_{false};
};

std::atomic<uint64_t> g_mid_counter{0};
int64_t rest_message_id() {
  static const uint64_t prefix = [] {
    uint32_t r = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&r), sizeof r);
    return static_cast<uint64_t>(r & 0x7fffffff) << 32;
  }();
  return static_cast<int64_t>(prefix | (g_mid_counter.fetch_add(1) & 0xffffffff));
}

// Decodes the %XX escapes of one path segment (user and channel ids may hold spaces and '%').
bool pct_decode(std::string_view in, std::string& out) {
  out.clear();
  auto hex = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

struct Route {
  std::string app, rest;  // rest: the path after /rtm/
  std::string query;
};

bool parse_route(const std::string& target, Route& r) {
  std::string_view t = target;
  auto q = t.find('?');
  if (q != std::string_view::npos) {
    r.query = std::string(t.substr(q + 1));
    t = t.substr(0, q);
  }
  t.remove_prefix(kRestPrefix.size());
  auto slash = t.find('/');
  if (slash == std::string_view::npos) return false;
  if (!pct_decode(t.substr(0, slash), r.app)) return false;
  t.remove_prefix(slash);
  if (t.substr(0, 5) != "/rtm/") return false;
  r.rest = std::string(t.substr(5));
  return true;
}

// Reads a JSON object body; sets `error` when it is not one.
bool parse_body(const std::string& body, rapidjson::Document& doc, std::string& error) {
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    error = "the body must be a JSON object";
    return false;
  }
  return true;
}

bool get_string(const rapidjson::Document& doc, const char* key, std::string& out, std::string& error, bool required = true) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) {
    if (required) error = std::string("'") + key + "' is required";
    return !required;
  }
  if (!it->value.IsString()) {
    error = std::string("'") + key + "' must be a string";
    return false;
  }
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool get_bool(const rapidjson::Document& doc, const char* key, bool& out, std::string& error) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) return true;
  if (!it->value.IsBool()) {
    error = std::string("'") + key + "' must be true or false";
    return false;
  }
  out = it->value.GetBool();
  return true;
}

}  // namespace

void handle_rest(ServerCore& core, RestRequest req, std::function<void(HttpReply)> reply) {
  Route route;
  if (!parse_route(req.target, route)) return reply(failure(404, "no such endpoint"));
  if (!req.secure) {
    const auto& mode = core.cfg.rest.plain_http;
    if (mode == "off" || (mode == "loopback" && !req.loopback))
      return reply(failure(403, "the REST API is served over HTTPS (the wss listeners) only"));
  }
  if (!valid_app_id(route.app)) return reply(failure(404, "not a valid app id"));
  const AppConfig* app = nullptr;
  if (!core.apps.empty()) {
    auto it = core.apps.find(route.app);
    if (it == core.apps.end()) return reply(failure(404, "unknown app"));
    app = &it->second;
  }

  // Authentication: Basic with a customer key and secret, or an RTM token of this app.
  std::string token_uid;  // set with token authentication: the only user the caller may send as
  if (req.authorization.rfind("Basic ", 0) == 0) {
    std::string decoded;
    if (!decode_base64(req.authorization.substr(6), decoded) || decoded.find(':') == std::string::npos)
      return reply(failure(401, "malformed Basic credentials", "WWW-Authenticate: Basic realm=\"rtmd\"\r\n"));
    auto colon = decoded.find(':');
    std::string key = decoded.substr(0, colon), secret = decoded.substr(colon + 1);
    const RestCredential* match = nullptr;
    for (auto& c : core.cfg.rest.credentials)
      if (same(c.key, key) && same(c.secret, secret)) match = &c;
    if (!match) return reply(failure(401, "unknown customer key or wrong secret", "WWW-Authenticate: Basic realm=\"rtmd\"\r\n"));
    if (!match->apps.empty() && std::find(match->apps.begin(), match->apps.end(), route.app) == match->apps.end())
      return reply(failure(403, "these credentials are not allowed for this app"));
  } else if (!req.token.empty() || !req.token_uid.empty()) {
    if (!app || app->certificate.empty())
      return reply(failure(401, "token authentication needs an app with an app certificate"));
    if (!valid_user_id(req.token_uid)) return reply(failure(401, "x-agora-uid is missing or not a valid user id"));
    auto v = token::verify_rtm_token(req.token, app->app_id, app->certificate, req.token_uid,
                                     static_cast<uint32_t>(now_ms() / 1000));
    if (v.status == token::Status::expired) return reply(failure(401, "the token has expired"));
    if (v.status != token::Status::ok) return reply(failure(401, "the token is not valid for this app and uid"));
    token_uid = req.token_uid;
  } else {
    return reply(failure(401, "credentials required: Basic, or x-agora-token with x-agora-uid",
                         "WWW-Authenticate: Basic realm=\"rtmd\"\r\n"));
  }

  const std::string& a = route.app;
  const std::string& path = route.rest;

  // POST users/<uid>/peer_messages, POST users/<uid>/channel_messages
  if (path.rfind("users/", 0) == 0 && path.find('/', 6) != std::string::npos) {
    auto slash = path.find('/', 6);
    std::string uid;
    if (!pct_decode(std::string_view(path).substr(6, slash - 6), uid)) return reply(failure(400, "a malformed %-escape in the path"));
    std::string what = path.substr(slash + 1);
    if (what != "peer_messages" && what != "channel_messages") return reply(failure(404, "no such endpoint"));
    if (req.method != "POST") return reply(failure(405, "use POST", "Allow: POST\r\n"));
    if (!valid_user_id(uid)) return reply(failure(400, "the sender is not a valid user id"));
    if (!token_uid.empty() && uid != token_uid)
      return reply(failure(403, "with token authentication only the token's uid may send"));
    if (!allow(core, false, a, core.cfg.rest.messages))
      return reply(failure(429, "more than the app's message calls per second"));
    rapidjson::Document body;
    std::string error, payload;
    bool offline = false, history = false;
    if (!parse_body(req.body, body, error) || !get_string(body, "payload", payload, error) ||
        !get_bool(body, "enable_historical_messaging", history, error))
      return reply(failure(400, error));
    if (payload.empty()) return reply(failure(400, "'payload' must not be empty"));
    if (payload.size() > limits::kMaxMessageBytes) return reply(failure(413, "'payload' is over 32 KB"));

    proto::Frame m;
    m.from = uid;
    m.type = static_cast<int>(MessageType::TEXT);
    m.text = std::move(payload);
    m.mid = rest_message_id();
    m.ts = now_ms();

    if (what == "channel_messages") {
      std::string channel;
      if (!get_string(body, "channel_name", channel, error)) return reply(failure(400, error));
      if (!valid_user_id(channel)) return reply(failure(400, "'channel_name' is not a valid channel id"));
      m.op = proto::Op::cmsg;
      m.ch = channel;
      std::size_t delivered = 0;
      if (auto ch = core.channel(a, channel, false)) {
        std::shared_ptr<const std::vector<std::string>> keys;
        bool binary = false;
        auto frame = core.sequence_channel_message(*ch, m, binary, keys);
        delivered = core.broadcast(*ch, keys, frame, binary, {});
      }
      core.metrics.channel_messages.add(0);
      core.metrics.deliveries_channel.fetch_add(delivered, std::memory_order_relaxed);
      return reply(outcome("success", "message_sent"));
    }

    std::string to;
    if (!get_string(body, "destination", to, error) || !get_bool(body, "enable_offline_messaging", offline, error))
      return reply(failure(400, error));
    if (!valid_user_id(to)) return reply(failure(400, "'destination' is not a valid user id"));
    bool wait = query_value(route.query, "wait_for_ack") == "true";
    m.op = proto::Op::msg;
    auto d = std::make_shared<Delivery>();
    d->frame = std::make_shared<const std::string>(proto::encode(m, d->binary));
    if (offline) d->offline = offline_record(a, to, m);
    auto sink = std::make_shared<RestPeerSink>(core, wait, std::move(reply));
    d->sender = sink;
    // The sink lives until the peer timeout at the latest, and answers then if nothing else did.
    sink->timer.emplace(req.executor, std::chrono::milliseconds(core.cfg.peer_timeout_ms));
    sink->timer->async_wait([sink](boost::system::error_code) {
      sink->complete(0, static_cast<int>(PeerMessageErr::SENT_TIMEOUT));
    });
    bool online = core.registry.find(Registry::key(a, to)) != nullptr;
    core.deliver_peer(a, to, std::move(d));
    if (online && !wait) sink->complete(0, static_cast<int>(PeerMessageErr::OK));
    return;
  }

  // GET vendor/user_events, GET vendor/channel_events
  if (path == "vendor/user_events" || path == "vendor/channel_events") {
    if (req.method != "GET") return reply(failure(405, "use GET", "Allow: GET\r\n"));
    if (!token_uid.empty()) return reply(failure(403, "events need Basic authentication"));
    if (!allow(core, true, a, core.cfg.rest.events))
      return reply(failure(429, "more than the app's event calls per second"));
    bool user = path == "vendor/user_events";
    auto events = user ? core.events.take_user(a, kMaxEventsPerReply) : core.events.take_channel(a, kMaxEventsPerReply);
    return reply(json(200, "success", [&](Writer& w) {
      w.Key("events");
      w.StartArray();
      for (auto& e : events) {
        w.StartObject();
        w.Key("ms");
        w.Int64(e.ms);
        w.Key("type");
        w.String(e.type);
        if (!user) put(w, "channel_name", e.channel);
        put(w, "user_id", e.user);
        w.EndObject();
      }
      w.EndArray();
    }));
  }

  // rtmkit extensions: POST users/online_status, GET channels/<name>/members
  if (path == "users/online_status") {
    if (req.method != "POST") return reply(failure(405, "use POST", "Allow: POST\r\n"));
    if (!token_uid.empty()) return reply(failure(403, "queries need Basic authentication"));
    rapidjson::Document body;
    std::string error;
    if (!parse_body(req.body, body, error)) return reply(failure(400, error));
    auto it = body.FindMember("users");
    if (it == body.MemberEnd() || !it->value.IsArray() || it->value.Empty() || it->value.Size() > kMaxQueryUsers)
      return reply(failure(400, "'users' must be an array of 1 to 256 user ids"));
    std::vector<std::string> users;
    for (auto& u : it->value.GetArray()) {
      if (!u.IsString() || !valid_user_id(std::string_view(u.GetString(), u.GetStringLength())))
        return reply(failure(400, "'users' must hold valid user ids"));
      users.emplace_back(u.GetString(), u.GetStringLength());
    }
    return reply(json(200, "success", [&](Writer& w) {
      w.Key("users");
      w.StartArray();
      for (auto& u : users) {
        w.StartObject();
        put(w, "user_id", u);
        w.Key("online");
        w.Bool(core.presence_of(a, u) == PeerState::ONLINE);
        w.EndObject();
      }
      w.EndArray();
    }));
  }
  if (path.rfind("channels/", 0) == 0 && path.size() > 17 && path.compare(path.size() - 8, 8, "/members") == 0) {
    if (req.method != "GET") return reply(failure(405, "use GET", "Allow: GET\r\n"));
    if (!token_uid.empty()) return reply(failure(403, "queries need Basic authentication"));
    std::string name;
    if (!pct_decode(std::string_view(path).substr(9, path.size() - 17), name))
      return reply(failure(400, "a malformed %-escape in the path"));
    if (!valid_user_id(name)) return reply(failure(400, "not a valid channel id"));
    std::vector<std::string> members;
    std::size_t count = 0;
    if (auto ch = core.channel(a, name, false)) {
      std::lock_guard l(ch->mu);
      count = ch->members.size();
      for (auto& [uid, order] : ch->members) {
        if (members.size() == kMaxMembersReturned) break;
        members.push_back(uid);
      }
    }
    return reply(json(200, "success", [&](Writer& w) {
      w.Key("count");
      w.Uint64(count);
      w.Key("members");
      w.StartArray();
      for (auto& m : members) w.String(m.c_str(), static_cast<rapidjson::SizeType>(m.size()));
      w.EndArray();
    }));
  }
  return reply(failure(404, "no such endpoint"));
}

}  // namespace rtm::server
