#include "core/protocol/codec.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cstring>

namespace rtm::proto {
namespace {

constexpr std::array<std::pair<std::string_view, Op>, 9> kOps{{
    {"login", Op::login}, {"logout", Op::logout}, {"renew", Op::renew}, {"peer", Op::peer},
    {"ack", Op::ack}, {"res", Op::res}, {"msg", Op::msg}, {"kick", Op::kick}, {"error", Op::error},
}};

Op lookup(std::string_view s) {
  for (auto& [n, o] : kOps)
    if (n == s) return o;
  return Op::unknown;
}

constexpr int kBad = static_cast<int>(ProtocolErr::INVALID_FIELD);

// Field readers: absent + optional is fine; present with the wrong type is an error.
struct Reader {
  const rapidjson::Value& obj;
  int err = 0;

  const rapidjson::Value* find(const char* key) {
    auto it = obj.FindMember(key);
    return it == obj.MemberEnd() ? nullptr : &it->value;
  }
  void str(const char* key, std::string& out, bool required) {
    auto* v = find(key);
    if (!v) { if (required) err = kBad; return; }
    if (!v->IsString()) { err = kBad; return; }
    out.assign(v->GetString(), v->GetStringLength());
  }
  void i64(const char* key, int64_t& out, bool required) {
    auto* v = find(key);
    if (!v) { if (required) err = kBad; return; }
    if (!v->IsInt64()) { err = kBad; return; }
    out = v->GetInt64();
  }
  void u64(const char* key, uint64_t& out, bool required) {
    auto* v = find(key);
    if (!v) { if (required) err = kBad; return; }
    if (!v->IsUint64()) { err = kBad; return; }
    out = v->GetUint64();
  }
  void i32(const char* key, int& out, bool required) {
    auto* v = find(key);
    if (!v) { if (required) err = kBad; return; }
    if (!v->IsInt()) { err = kBad; return; }
    out = v->GetInt();
  }
  void boolean(const char* key, bool& out) {
    auto* v = find(key);
    if (!v) return;
    if (!v->IsBool()) { err = kBad; return; }
    out = v->GetBool();
  }
};

}  // namespace

std::string_view op_name(Op op) {
  for (auto& [n, o] : kOps)
    if (o == op) return n;
  return "unknown";
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
  rapidjson::Document doc;
  // Trailing non-whitespace after the value is a parse error too (root not singular).
  doc.Parse(header.data(), header.size());
  if (doc.HasParseError() || !doc.IsObject()) return static_cast<int>(ProtocolErr::MALFORMED_FRAME);

  Reader r{doc};
  std::string op;
  r.str("op", op, true);
  r.i64("id", out.id, false);
  if (r.err) return r.err;
  out.op = lookup(op);

  switch (out.op) {
    case Op::login:
      r.str("app", out.app, true);
      r.str("uid", out.uid, true);
      r.str("token", out.token, false);
      r.str("sdk", out.sdk, false);
      break;
    case Op::logout:
      break;
    case Op::renew:
      r.str("token", out.token, true);
      break;
    case Op::peer:
      r.str("to", out.to, true);
      r.i32("type", out.type, true);
      r.str("text", out.text, false);
      r.boolean("offline", out.offline);
      r.i64("mid", out.mid, true);
      break;
    case Op::ack:
      r.u64("n", out.n, true);
      break;
    case Op::res:
      r.i32("code", out.code, true);
      r.i64("ts", out.ts, false);
      r.i64("hb", out.hb, false);
      r.str("version", out.version, false);
      break;
    case Op::msg:
      r.str("from", out.from, true);
      r.i32("type", out.type, true);
      r.str("text", out.text, false);
      r.boolean("offline", out.offline);
      r.i64("mid", out.mid, true);
      r.i64("ts", out.ts, true);
      break;
    case Op::kick:
      r.i32("reason", out.reason, true);
      break;
    case Op::error:
      r.i32("code", out.code, true);
      r.str("detail", out.detail, false);
      break;
    case Op::unknown:
      return static_cast<int>(ProtocolErr::UNKNOWN_OP);
  }
  if (r.err) return r.err;
  // Requests need a positive id, so that their answer can be correlated.
  bool request = out.op == Op::login || out.op == Op::logout || out.op == Op::renew || out.op == Op::peer;
  if (request && out.id <= 0) return kBad;
  if ((out.op == Op::peer || out.op == Op::msg) &&
      out.type != static_cast<int>(MessageType::TEXT) && out.type != static_cast<int>(MessageType::RAW))
    return kBad;
  if ((out.op == Op::peer || out.op == Op::msg) && out.type == static_cast<int>(MessageType::TEXT) &&
      !out.payload.empty())
    return kBad;
  return 0;
}

std::string encode(const Frame& f, bool& binary) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  auto key = [&](const char* k) { w.Key(k, static_cast<rapidjson::SizeType>(std::strlen(k))); };
  auto str = [&](const char* k, const std::string& v) {
    key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  key("op");
  auto on = op_name(f.op);
  w.String(on.data(), static_cast<rapidjson::SizeType>(on.size()));
  if (f.id) { key("id"); w.Int64(f.id); }
  switch (f.op) {
    case Op::login:
      str("app", f.app);
      str("uid", f.uid);
      if (!f.token.empty()) str("token", f.token);
      if (!f.sdk.empty()) str("sdk", f.sdk);
      break;
    case Op::logout:
      break;
    case Op::renew:
      str("token", f.token);
      break;
    case Op::peer:
      str("to", f.to);
      key("type"); w.Int(f.type);
      if (!f.text.empty()) str("text", f.text);
      if (f.offline) { key("offline"); w.Bool(true); }
      key("mid"); w.Int64(f.mid);
      break;
    case Op::ack:
      key("n"); w.Uint64(f.n);
      break;
    case Op::res:
      key("code"); w.Int(f.code);
      if (f.ts) { key("ts"); w.Int64(f.ts); }
      if (f.hb) { key("hb"); w.Int64(f.hb); }
      if (!f.version.empty()) str("version", f.version);
      break;
    case Op::msg:
      str("from", f.from);
      key("type"); w.Int(f.type);
      if (!f.text.empty()) str("text", f.text);
      if (f.offline) { key("offline"); w.Bool(true); }
      key("mid"); w.Int64(f.mid);
      key("ts"); w.Int64(f.ts);
      break;
    case Op::kick:
      key("reason"); w.Int(f.reason);
      break;
    case Op::error:
      key("code"); w.Int(f.code);
      if (!f.detail.empty()) str("detail", f.detail);
      break;
    case Op::unknown:
      break;
  }
  w.EndObject();

  binary = f.type == static_cast<int>(MessageType::RAW) && (f.op == Op::peer || f.op == Op::msg);
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
