#include "core/protocol/codec.hpp"

#include "core/protocol/ids.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cstring>
#include <initializer_list>

namespace rtm::proto {
namespace {

enum class F : uint8_t {
  id, code, reason, app, uid, token, sdk, resume, to, from, ch, type, text, offline, notify, joined,
  mid, ts, seq, since, n, hb, count, detail, version, content, response, uids, nums, keys, attrs, sid,
  legacy, online, ttl,
};

struct Field {
  F f;
  bool required;
};

struct OpInfo {
  Op op;
  std::string_view name;
  bool request;
  std::initializer_list<Field> fields;
};

constexpr bool R = true, O = false;

// The field table of every op: the single source of truth for encoding and decoding.
const OpInfo kOps[] = {
    {Op::login, "login", true, {{F::app, R}, {F::uid, R}, {F::token, O}, {F::sdk, O}, {F::resume, O}, {F::sid, O}, {F::legacy, O}}},
    {Op::logout, "logout", true, {}},
    {Op::renew, "renew", true, {{F::token, R}}},
    {Op::peer, "peer", true, {{F::to, R}, {F::type, R}, {F::text, O}, {F::offline, O}, {F::mid, R}}},
    {Op::join, "join", true, {{F::ch, R}, {F::since, O}}},
    {Op::leave, "leave", true, {{F::ch, R}}},
    {Op::cmsg, "cmsg", true, {{F::ch, R}, {F::type, R}, {F::text, O}, {F::mid, R}, {F::from, O}, {F::ts, O}, {F::seq, O}}},
    {Op::members, "members", true, {{F::ch, R}}},
    {Op::count, "count", true, {{F::uids, R}}},
    {Op::chinfo, "chinfo", true, {{F::ch, R}, {F::uid, O}, {F::n, O}}},
    {Op::query, "query", true, {{F::uids, R}}},
    {Op::sub, "sub", true, {{F::uids, R}}},
    {Op::unsub, "unsub", true, {{F::uids, R}}},
    {Op::subs, "subs", true, {}},
    {Op::uattr_set, "uattr_set", true, {{F::attrs, R}}},
    {Op::uattr_add, "uattr_add", true, {{F::attrs, R}}},
    {Op::uattr_del, "uattr_del", true, {{F::keys, R}}},
    {Op::uattr_clear, "uattr_clear", true, {}},
    {Op::uattr_get, "uattr_get", true, {{F::uid, R}, {F::keys, O}}},
    {Op::cattr_set, "cattr_set", true, {{F::ch, R}, {F::attrs, R}, {F::notify, O}}},
    {Op::cattr_add, "cattr_add", true, {{F::ch, R}, {F::attrs, R}, {F::notify, O}}},
    {Op::cattr_del, "cattr_del", true, {{F::ch, R}, {F::keys, R}, {F::notify, O}}},
    {Op::cattr_clear, "cattr_clear", true, {{F::ch, R}, {F::notify, O}}},
    {Op::cattr_get, "cattr_get", true, {{F::ch, R}, {F::keys, O}}},
    {Op::inv_send, "inv_send", true, {{F::to, R}, {F::mid, R}, {F::content, O}, {F::ch, O}, {F::online, O}, {F::ttl, O}}},
    {Op::inv_cancel, "inv_cancel", true, {{F::to, R}, {F::mid, R}}},
    {Op::inv_accept, "inv_accept", true, {{F::to, R}, {F::mid, R}, {F::response, O}}},
    {Op::inv_refuse, "inv_refuse", true, {{F::to, R}, {F::mid, R}, {F::response, O}}},
    {Op::ack, "ack", false, {{F::n, R}}},
    {Op::inv_ack, "inv_ack", false, {{F::to, R}, {F::mid, R}}},
    {Op::res, "res", false,
     {{F::code, R}, {F::ts, O}, {F::hb, O}, {F::version, O}, {F::seq, O}, {F::uids, O}, {F::nums, O}, {F::attrs, O}}},
    {Op::msg, "msg", false, {{F::from, R}, {F::type, R}, {F::text, O}, {F::offline, O}, {F::mid, R}, {F::ts, R}}},
    {Op::kick, "kick", false, {{F::reason, R}}},
    {Op::error, "error", false, {{F::code, R}, {F::detail, O}}},
    {Op::member, "member", false, {{F::ch, R}, {F::uid, R}, {F::joined, O}}},
    {Op::mcount, "mcount", false, {{F::ch, R}, {F::count, R}}},
    {Op::cattrs, "cattrs", false, {{F::ch, R}, {F::attrs, O}}},
    {Op::presence, "presence", false, {{F::uids, R}, {F::nums, R}}},
    {Op::inv, "inv", false, {{F::code, R}, {F::from, R}, {F::mid, R}, {F::content, O}, {F::ch, O}, {F::response, O}, {F::reason, O}}},
    {Op::token_will_expire, "token_will_expire", false, {}},
};

const OpInfo* info_of(Op op) {
  for (auto& i : kOps)
    if (i.op == op) return &i;
  return nullptr;
}
const OpInfo* info_of(std::string_view name) {
  for (auto& i : kOps)
    if (i.name == name) return &i;
  return nullptr;
}

const char* key_of(F f) {
  static constexpr const char* names[] = {
      "id", "code", "reason", "app", "uid", "token", "sdk", "resume", "to", "from", "ch", "type", "text", "offline",
      "notify", "joined", "mid", "ts", "seq", "since", "n", "hb", "count", "detail", "version", "content",
      "response", "uids", "nums", "keys", "attrs", "sid", "legacy", "online", "ttl"};
  return names[static_cast<int>(f)];
}

constexpr int kBad = static_cast<int>(ProtocolErr::INVALID_FIELD);
constexpr std::size_t kMaxListEntries = 1024;  // no list in the protocol legitimately has more

bool read_str(const rapidjson::Value& v, std::string& out) {
  if (!v.IsString() || !valid_utf8(std::string_view(v.GetString(), v.GetStringLength()))) return false;
  out.assign(v.GetString(), v.GetStringLength());
  return true;
}

bool read_field(F f, const rapidjson::Value& v, Frame& out) {
  switch (f) {
    case F::id: if (!v.IsInt64()) return false; out.id = v.GetInt64(); return true;
    case F::code: if (!v.IsInt()) return false; out.code = v.GetInt(); return true;
    case F::reason: if (!v.IsInt()) return false; out.reason = v.GetInt(); return true;
    case F::type: if (!v.IsInt()) return false; out.type = v.GetInt(); return true;
    case F::mid: if (!v.IsInt64()) return false; out.mid = v.GetInt64(); return true;
    case F::ts: if (!v.IsInt64()) return false; out.ts = v.GetInt64(); return true;
    case F::hb: if (!v.IsInt64()) return false; out.hb = v.GetInt64(); return true;
    case F::count: if (!v.IsInt64()) return false; out.count = v.GetInt64(); return true;
    case F::seq: if (!v.IsUint64()) return false; out.seq = v.GetUint64(); return true;
    case F::since: if (!v.IsUint64()) return false; out.since = v.GetUint64(); return true;
    case F::n: if (!v.IsUint64()) return false; out.n = v.GetUint64(); return true;
    case F::resume: if (!v.IsBool()) return false; out.resume = v.GetBool(); return true;
    case F::offline: if (!v.IsBool()) return false; out.offline = v.GetBool(); return true;
    case F::notify: if (!v.IsBool()) return false; out.notify = v.GetBool(); return true;
    case F::joined: if (!v.IsBool()) return false; out.joined = v.GetBool(); return true;
    case F::legacy: if (!v.IsBool()) return false; out.legacy = v.GetBool(); return true;
    case F::online: if (!v.IsBool()) return false; out.online = v.GetBool(); return true;
    case F::ttl: if (!v.IsInt64() || v.GetInt64() < 0) return false; out.ttl = v.GetInt64(); return true;
    case F::app: return read_str(v, out.app);
    case F::uid: return read_str(v, out.uid);
    case F::token: return read_str(v, out.token);
    case F::sdk: return read_str(v, out.sdk);
    case F::to: return read_str(v, out.to);
    case F::from: return read_str(v, out.from);
    case F::ch: return read_str(v, out.ch);
    case F::text: return read_str(v, out.text);
    case F::detail: return read_str(v, out.detail);
    case F::version: return read_str(v, out.version);
    case F::content: return read_str(v, out.content);
    case F::response: return read_str(v, out.response);
    case F::sid: return read_str(v, out.sid);
    case F::uids:
    case F::keys: {
      if (!v.IsArray() || v.Size() > kMaxListEntries) return false;
      auto& list = f == F::uids ? out.uids : out.keys;
      list.reserve(v.Size());
      for (auto& e : v.GetArray()) {
        if (!e.IsString() || !valid_utf8(std::string_view(e.GetString(), e.GetStringLength()))) return false;
        list.emplace_back(e.GetString(), e.GetStringLength());
      }
      return true;
    }
    case F::nums: {
      if (!v.IsArray() || v.Size() > kMaxListEntries) return false;
      for (auto& e : v.GetArray()) {
        if (!e.IsInt64()) return false;
        out.nums.push_back(e.GetInt64());
      }
      return true;
    }
    case F::attrs: {
      if (!v.IsArray() || v.Size() > kMaxListEntries) return false;
      for (auto& e : v.GetArray()) {
        if (!e.IsObject()) return false;
        Attr a;
        auto k = e.FindMember("k"), val = e.FindMember("v"), u = e.FindMember("u"), t = e.FindMember("t");
        if (k == e.MemberEnd() || !read_str(k->value, a.key)) return false;
        if (val != e.MemberEnd() && !read_str(val->value, a.value)) return false;
        if (u != e.MemberEnd() && !read_str(u->value, a.user)) return false;
        if (t != e.MemberEnd()) {
          if (!t->value.IsInt64()) return false;
          a.ts = t->value.GetInt64();
        }
        out.attrs.push_back(std::move(a));
      }
      return true;
    }
  }
  return false;
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put_str(Writer& w, const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// Writes field `f` if it is required or set. Returns nothing: the table decides what is legal.
void write_field(Writer& w, F f, bool required, const Frame& x) {
  auto key = [&] {
    const char* k = key_of(f);
    w.Key(k, static_cast<rapidjson::SizeType>(std::strlen(k)));
  };
  auto str = [&](const std::string& s) { if (required || !s.empty()) { key(); put_str(w, s); } };
  auto i64 = [&](int64_t v) { if (required || v) { key(); w.Int64(v); } };
  auto u64 = [&](uint64_t v) { if (required || v) { key(); w.Uint64(v); } };
  auto boolean = [&](bool v) { if (required || v) { key(); w.Bool(v); } };
  auto strs = [&](const std::vector<std::string>& l) {
    if (!required && l.empty()) return;
    key();
    w.StartArray();
    for (auto& s : l) put_str(w, s);
    w.EndArray();
  };
  switch (f) {
    case F::id: i64(x.id); break;
    case F::code: i64(x.code); break;
    case F::reason: i64(x.reason); break;
    case F::type: i64(x.type); break;
    case F::mid: i64(x.mid); break;
    case F::ts: i64(x.ts); break;
    case F::hb: i64(x.hb); break;
    case F::count: i64(x.count); break;
    case F::seq: u64(x.seq); break;
    case F::since: u64(x.since); break;
    case F::n: u64(x.n); break;
    case F::resume: boolean(x.resume); break;
    case F::offline: boolean(x.offline); break;
    case F::notify: boolean(x.notify); break;
    case F::joined: boolean(x.joined); break;
    case F::legacy: boolean(x.legacy); break;
    case F::online: boolean(x.online); break;
    case F::ttl: i64(x.ttl); break;
    case F::app: str(x.app); break;
    case F::uid: str(x.uid); break;
    case F::token: str(x.token); break;
    case F::sdk: str(x.sdk); break;
    case F::to: str(x.to); break;
    case F::from: str(x.from); break;
    case F::ch: str(x.ch); break;
    case F::text: str(x.text); break;
    case F::detail: str(x.detail); break;
    case F::version: str(x.version); break;
    case F::content: str(x.content); break;
    case F::response: str(x.response); break;
    case F::sid: str(x.sid); break;
    case F::uids: strs(x.uids); break;
    case F::keys: strs(x.keys); break;
    case F::nums:
      if (!required && x.nums.empty()) break;
      key();
      w.StartArray();
      for (auto v : x.nums) w.Int64(v);
      w.EndArray();
      break;
    case F::attrs:
      if (!required && x.attrs.empty()) break;
      key();
      w.StartArray();
      for (auto& a : x.attrs) {
        w.StartObject();
        w.Key("k", 1);
        put_str(w, a.key);
        w.Key("v", 1);
        put_str(w, a.value);
        if (!a.user.empty()) { w.Key("u", 1); put_str(w, a.user); }
        if (a.ts) { w.Key("t", 1); w.Int64(a.ts); }
        w.EndObject();
      }
      w.EndArray();
      break;
  }
}

bool carries_message(Op op) { return op == Op::peer || op == Op::msg || op == Op::cmsg; }

}  // namespace

std::string_view op_name(Op op) {
  auto* i = info_of(op);
  return i ? i->name : "unknown";
}

bool is_request(Op op) {
  auto* i = info_of(op);
  return i && i->request;
}

int decode(std::string_view data, bool binary, Frame& out) {
  std::string_view header = data;
  if (binary) {
    if (data.size() < 4) return static_cast<int>(ProtocolErr::MALFORMED_FRAME);
    auto* p = reinterpret_cast<const unsigned char*>(data.data());
    uint32_t len = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
    if (len > data.size() - 4) return static_cast<int>(ProtocolErr::MALFORMED_FRAME);
    header = data.substr(4, len);
    out.payload.assign(data.substr(4 + len));
  }
  // Values and the parse stack come from buffers of the thread (a plain Document would allocate a
  // 64 KB chunk per frame); a frame that needs more gets heap chunks for this call only.
  using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
  alignas(16) thread_local char value_space[16384];
  alignas(16) thread_local char stack_space[2048];
  Pool values(value_space, sizeof value_space);
  Pool stack(stack_space, sizeof stack_space);
  rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool> doc(&values, sizeof stack_space / 2, &stack);
  // Trailing non-whitespace after the value is a parse error too (root not singular).
  // Iterative: a frame of nested brackets must not recurse once per level on the thread's stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(header.data(), header.size());
  if (doc.HasParseError() && doc.GetParseError() == rapidjson::kParseErrorNumberTooBig) {
    // Well-formed JSON with a number no double holds (1e400, 400 digits): a field of the wrong
    // type, answered with the request's id. Only this rare path parses again, on a copy in which
    // each such number is replaced by 0.
    std::string copy(header);
    rapidjson::Document raw;
    for (int round = 0; round < 64; ++round) {
      raw.Parse<rapidjson::kParseIterativeFlag>(copy.data(), copy.size());
      if (!raw.HasParseError() || raw.GetParseError() != rapidjson::kParseErrorNumberTooBig) break;
      std::size_t at = raw.GetErrorOffset(), end = at;
      while (end < copy.size() && std::strchr("+-.eE0123456789", copy[end]) && copy[end] != '\0') ++end;
      if (end == at) break;
      copy.replace(at, end - at, "0");
    }
    if (raw.HasParseError() || !raw.IsObject()) return static_cast<int>(ProtocolErr::MALFORMED_FRAME);
    if (auto id = raw.FindMember("id"); id != raw.MemberEnd() && id->value.IsInt64()) out.id = id->value.GetInt64();
    return kBad;
  }
  if (doc.HasParseError() || !doc.IsObject()) return static_cast<int>(ProtocolErr::MALFORMED_FRAME);

  auto op_it = doc.FindMember("op");
  if (op_it == doc.MemberEnd() || !op_it->value.IsString()) return kBad;
  if (auto id = doc.FindMember("id"); id != doc.MemberEnd()) {
    if (!id->value.IsInt64()) return kBad;
    out.id = id->value.GetInt64();
  }
  const OpInfo* info = info_of(std::string_view(op_it->value.GetString(), op_it->value.GetStringLength()));
  if (!info) return static_cast<int>(ProtocolErr::UNKNOWN_OP);
  out.op = info->op;
  for (const Field& fd : info->fields) {
    auto it = doc.FindMember(key_of(fd.f));
    if (it == doc.MemberEnd()) {
      if (fd.required) return kBad;
      continue;
    }
    if (!read_field(fd.f, it->value, out)) return kBad;
  }
  // Requests need a positive id, so that their answer can be correlated.
  // (A `cmsg` pushed by the server carries its channel `seq` instead of an id.)
  bool pushed_cmsg = out.op == Op::cmsg && out.seq > 0;
  if (info->request && !pushed_cmsg && out.id <= 0) return kBad;
  if (carries_message(out.op)) {
    if (out.type != static_cast<int>(MessageType::TEXT) && out.type != static_cast<int>(MessageType::RAW)) return kBad;
    if (out.type == static_cast<int>(MessageType::TEXT) && !out.payload.empty()) return kBad;
  }
  return 0;
}

std::string encode(const Frame& f, bool& binary) {
  // The buffer and the writer's level stack keep their capacity between frames of a thread.
  thread_local rapidjson::StringBuffer sb;
  thread_local Writer w(sb);
  sb.Clear();
  w.Reset(sb);
  const OpInfo* info = info_of(f.op);
  w.StartObject();
  w.Key("op", 2);
  auto name = info ? info->name : std::string_view("unknown");
  w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  if (f.id) {
    w.Key("id", 2);
    w.Int64(f.id);
  }
  if (info)
    for (const Field& fd : info->fields) write_field(w, fd.f, fd.required, f);
  w.EndObject();

  binary = carries_message(f.op) && f.type == static_cast<int>(MessageType::RAW);
  // A large frame does not keep its buffer for the life of the thread.
  struct Trim {
    ~Trim() {
      if (sb.GetSize() > 64 * 1024) {
        sb.Clear();
        sb.ShrinkToFit();
      }
    }
  } trim;
  if (!binary) return std::string(sb.GetString(), sb.GetSize());
  std::string out;
  uint32_t len = static_cast<uint32_t>(sb.GetSize());
  out.reserve(4 + len + f.payload.size());
  out.push_back(static_cast<char>(len >> 24));
  out.push_back(static_cast<char>(len >> 16));
  out.push_back(static_cast<char>(len >> 8));
  out.push_back(static_cast<char>(len));
  out.append(sb.GetString(), sb.GetSize());
  out.append(f.payload);
  return out;
}

}  // namespace rtm::proto
