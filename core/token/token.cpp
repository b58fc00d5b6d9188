// Agora-compatible RTM token minting and verification. See token.hpp for the formats.
#define ZLIB_CONST  // const-correct z_stream::next_in
#include "core/token/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <ctime>
#include <exception>
#include <limits>

namespace rtm::token {
namespace {

constexpr std::size_t kSignatureBytes = 32;  // HMAC-SHA256
constexpr std::string_view kVersion006 = "006";
constexpr std::string_view kVersion007 = "007";
constexpr uint32_t kDaySeconds = 24 * 3600;
constexpr std::size_t kMaxPacked = 0xffff;  // u16 length / count prefix

uint32_t now_u32() {
  const std::time_t t = std::time(nullptr);
  if (t <= 0) return 0;
  if (static_cast<unsigned long long>(t) > std::numeric_limits<uint32_t>::max())
    return std::numeric_limits<uint32_t>::max();
  return static_cast<uint32_t>(t);
}

uint32_t saturating_add(uint32_t a, uint64_t b) {
  const uint64_t sum = static_cast<uint64_t>(a) + b;
  return sum > std::numeric_limits<uint32_t>::max() ? std::numeric_limits<uint32_t>::max()
                                                     : static_cast<uint32_t>(sum);
}

bool random_u32(uint32_t& out) {
  std::array<unsigned char, 4> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) return false;
  out = static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8 | static_cast<uint32_t>(b[2]) << 16 |
        static_cast<uint32_t>(b[3]) << 24;
  return true;
}

// ---- little-endian packing ----------------------------------------------------------------------

void put_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool put_string(std::string& out, std::string_view s) {
  if (s.size() > kMaxPacked) return false;
  put_u16(out, static_cast<uint16_t>(s.size()));
  out.append(s);
  return true;
}

bool put_privileges(std::string& out, const std::map<uint16_t, uint32_t>& privileges) {
  if (privileges.size() > kMaxPacked) return false;
  put_u16(out, static_cast<uint16_t>(privileges.size()));
  for (const auto& [key, value] : privileges) {  // std::map iterates sorted by key, as Agora packs
    put_u16(out, key);
    put_u32(out, value);
  }
  return true;
}

std::string le32(uint32_t v) {
  std::string s;
  put_u32(s, v);
  return s;
}

// Bounds-checked reader over untrusted bytes.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  bool u16(uint16_t& v) {
    if (left() < 2) return false;
    v = static_cast<uint16_t>(at(0) | at(1) << 8);
    pos_ += 2;
    return true;
  }
  bool u32(uint32_t& v) {
    if (left() < 4) return false;
    v = static_cast<uint32_t>(at(0)) | static_cast<uint32_t>(at(1)) << 8 | static_cast<uint32_t>(at(2)) << 16 |
        static_cast<uint32_t>(at(3)) << 24;
    pos_ += 4;
    return true;
  }
  bool str(std::string_view& v) {
    uint16_t n = 0;
    if (!u16(n) || left() < n) return false;
    v = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // u16 count, then (u16 key, u32 value) pairs. Duplicate keys make the data ambiguous: reject.
  bool privileges(std::map<uint16_t, uint32_t>& out) {
    uint16_t n = 0;
    if (!u16(n)) return false;
    if (left() / 6 < n) return false;  // cannot possibly hold n entries
    for (uint16_t i = 0; i < n; ++i) {
      uint16_t key = 0;
      uint32_t value = 0;
      if (!u16(key) || !u32(value)) return false;
      if (!out.emplace(key, value).second) return false;
    }
    return true;
  }
  std::string_view rest() const { return data_.substr(pos_); }
  bool done() const { return pos_ == data_.size(); }

 private:
  std::size_t left() const { return data_.size() - pos_; }
  unsigned at(std::size_t i) const { return static_cast<unsigned char>(data_[pos_ + i]); }

  std::string_view data_;
  std::size_t pos_ = 0;
};

// ---- crypto -------------------------------------------------------------------------------------

using Digest = std::array<unsigned char, kSignatureBytes>;

bool hmac_sha256(std::string_view key, std::string_view msg, Digest& out) {
  static const unsigned char kEmpty = 0;
  if (key.size() > static_cast<std::size_t>(INT_MAX)) return false;
  const void* k = key.empty() ? static_cast<const void*>(&kEmpty) : static_cast<const void*>(key.data());
  const unsigned char* m = msg.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(msg.data());
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), k, static_cast<int>(key.size()), m, msg.size(), out.data(), &len) == nullptr) return false;
  return len == out.size();
}

std::string_view view(const Digest& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

// AccessToken2 signature: key = HMAC(u32 salt, HMAC(u32 issue_ts, app_cert)); sig = HMAC(key, signing_info).
bool sign_007(std::string_view app_cert, uint32_t issue_ts, uint32_t salt, std::string_view signing_info,
              Digest& out) {
  Digest k1{}, k2{};
  const bool ok = hmac_sha256(le32(issue_ts), app_cert, k1) && hmac_sha256(le32(salt), view(k1), k2) &&
                  hmac_sha256(view(k2), signing_info, out);
  OPENSSL_cleanse(k1.data(), k1.size());
  OPENSSL_cleanse(k2.data(), k2.size());
  return ok;
}

bool same_signature(std::string_view received, const Digest& expected) {
  return received.size() == expected.size() && CRYPTO_memcmp(received.data(), expected.data(), expected.size()) == 0;
}

uint32_t crc32_of(std::string_view s) {
  // Callers guarantee s.size() <= 0xffff.
  return static_cast<uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// ---- base64 (standard alphabet, '=' padding) ----------------------------------------------------

bool base64_encode(std::string_view in, std::string& out) {
  if (in.size() > static_cast<std::size_t>(INT_MAX / 2)) return false;
  out.assign(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n));
  return true;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict decoder: length a multiple of 4, padding only at the end, unused bits zero (so every byte string
// has exactly one accepted encoding and no character of a token can change without being noticed).
bool base64_decode(std::string_view in, std::string& out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  std::size_t pad = 0;
  if (in[in.size() - 1] == '=') pad = in[in.size() - 2] == '=' ? 2 : 1;
  out.clear();
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const std::size_t used = i + 4 == in.size() ? 4 - pad : 4;
    uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      int v = 0;
      if (j < used) {
        v = base64_value(in[i + j]);
        if (v < 0) return false;
      }
      group = group << 6 | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<char>((group >> 16) & 0xff));
    if (used >= 3) out.push_back(static_cast<char>((group >> 8) & 0xff));
    if (used == 4) out.push_back(static_cast<char>(group & 0xff));
    if (used == 3 && (group & 0xff) != 0) return false;    // 2 stray bits
    if (used == 2 && (group & 0xffff) != 0) return false;  // 4 stray bits
  }
  return true;
}

// ---- zlib ---------------------------------------------------------------------------------------

// zlib format at the default level: what Python's zlib.compress and Agora's C++ builder produce.
bool zlib_compress(std::string_view in, std::string& out) {
  uLongf len = compressBound(static_cast<uLong>(in.size()));
  out.assign(len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &len, reinterpret_cast<const Bytef*>(in.data()),
                static_cast<uLong>(in.size()), Z_DEFAULT_COMPRESSION) != Z_OK)
    return false;
  out.resize(len);
  return true;
}

// Strict zlib decoder: output capped at kMaxPayloadBytes, the checksum must match, no bytes may follow the
// stream, and the padding bits deflate ignores (after the final block, and after a stored block's header)
// must be zero; otherwise some single-character edits of a token would decode to the same payload.
bool zlib_decompress(std::string_view in, std::string& out) {
  struct Stream {
    z_stream zs{};
    bool live = false;
    ~Stream() {
      if (live) inflateEnd(&zs);
    }
  } s;
  if (in.size() < 7 || in.size() > std::numeric_limits<uInt>::max()) return false;  // header+block+adler32
  if (inflateInit(&s.zs) != Z_OK) return false;
  s.live = true;
  s.zs.next_in = reinterpret_cast<const Bytef*>(in.data());
  s.zs.avail_in = static_cast<uInt>(in.size());

  out.clear();
  std::array<unsigned char, 4096> chunk{};
  bool final_block_done = false;
  for (;;) {
    s.zs.next_out = chunk.data();
    s.zs.avail_out = static_cast<uInt>(chunk.size());
    // Z_BLOCK makes inflate stop right after each block's end code, where data_type reports how many
    // unused (padding) bits remain in the last input byte it took.
    const int rc = inflate(&s.zs, final_block_done ? Z_FINISH : Z_BLOCK);
    const std::size_t produced = chunk.size() - s.zs.avail_out;
    if (out.size() + produced > kMaxPayloadBytes) return false;
    out.append(reinterpret_cast<const char*>(chunk.data()), produced);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) return false;
    const int dt = s.zs.data_type;
    if (final_block_done || (dt & 128) == 0) continue;  // not at a block boundary
    // The top `unused` bits of the last byte inflate took are not yet decoded.
    const auto unused = static_cast<unsigned>(dt & 7);
    const std::size_t pos = s.zs.total_in;  // next unread byte
    if (unused != 0 && pos == 0) return false;
    uint32_t bits = unused != 0 ? static_cast<unsigned char>(in[pos - 1]) >> (8 - unused) : 0u;
    if ((dt & 64) != 0) {  // just ended the final block: the remaining bits are padding
      if (bits != 0) return false;
      final_block_done = true;
      continue;
    }
    // Between blocks. A stored block (header BFINAL + BTYPE=00) is padded to a byte boundary after its
    // 3 header bits; those padding bits must be zero too.
    if (pos < in.size()) bits |= static_cast<uint32_t>(static_cast<unsigned char>(in[pos])) << unused;
    const unsigned available = unused + (pos < in.size() ? 8u : 0u);
    if (available >= 3 && ((bits >> 1) & 3u) == 0) {
      const unsigned boundary = unused >= 3 ? unused : unused + 8;  // end of the byte holding the header
      const uint32_t padding_mask = ((1u << boundary) - 1u) & ~7u;
      if ((bits & padding_mask) != 0) return false;
    }
  }
  return s.zs.avail_in == 0;
}

bool valid_keys(std::string_view app_id, std::string_view app_cert) {
  return !app_id.empty() && !app_cert.empty() && app_id.size() <= kMaxPacked;
}

// ---- 007 verification -------------------------------------------------------------------------------

Verification verify_007(std::string_view token, std::string_view app_id, std::string_view app_cert,
                        std::string_view user_id, uint32_t now) {
  Verification bad;
  bad.version = 7;

  std::string compressed, payload;
  if (!base64_decode(token.substr(kVersion007.size()), compressed)) return bad;
  if (!zlib_decompress(compressed, payload)) return bad;

  Reader outer(payload);
  std::string_view signature;
  if (!outer.str(signature) || signature.size() != kSignatureBytes) return bad;
  const std::string_view signing_info = outer.rest();

  Reader r(signing_info);
  std::string_view token_app_id;
  uint32_t issue_ts = 0, expire = 0, salt = 0;
  uint16_t service_count = 0;
  if (!r.str(token_app_id) || !r.u32(issue_ts) || !r.u32(expire) || !r.u32(salt) || !r.u16(service_count))
    return bad;

  bool have_rtm = false;
  std::string_view rtm_user;
  std::map<uint16_t, uint32_t> rtm_privileges;
  uint32_t seen_types = 0;
  for (uint16_t i = 0; i < service_count; ++i) {
    uint16_t type = 0;
    if (!r.u16(type)) return bad;
    if (type >= 32 || (seen_types & (1u << type)) != 0) return bad;  // unknown or repeated service
    seen_types |= 1u << type;
    std::map<uint16_t, uint32_t> privileges;
    if (!r.privileges(privileges)) return bad;
    std::string_view a, b;
    uint16_t role = 0;
    switch (type) {
      case kServiceRtc:
      case kServiceStreaming:  // channel name, uid
        if (!r.str(a) || !r.str(b)) return bad;
        break;
      case kServiceRtm:  // user id
        if (!r.str(a)) return bad;
        have_rtm = true;
        rtm_user = a;
        rtm_privileges = std::move(privileges);
        break;
      case kServiceFpa:
        break;
      case kServiceChat:  // user id
        if (!r.str(a)) return bad;
        break;
      case kServiceEducation:  // room uuid, user uuid, i16 role
        if (!r.str(a) || !r.str(b) || !r.u16(role)) return bad;
        break;
      default:
        return bad;  // layout unknown: cannot parse the rest
    }
  }
  if (!r.done()) return bad;
  if (token_app_id != app_id) return bad;

  Digest expected{};
  if (!sign_007(app_cert, issue_ts, salt, signing_info, expected)) return bad;
  if (!same_signature(signature, expected)) return bad;

  if (!have_rtm || rtm_user != user_id) return bad;
  const auto login = rtm_privileges.find(kPrivilegeLogin);
  if (login == rtm_privileges.end()) return bad;

  Verification v;
  v.version = 7;
  v.expires_at = saturating_add(issue_ts, std::min(login->second, expire));
  v.status = now >= v.expires_at ? Status::expired : Status::ok;
  return v;
}

// ---- 006 verification -------------------------------------------------------------------------------

Verification verify_006(std::string_view token, std::string_view app_id, std::string_view app_cert,
                        std::string_view user_id, uint32_t now) {
  Verification bad;
  bad.version = 6;

  const std::string_view rest = token.substr(kVersion006.size());
  if (rest.size() <= app_id.size() || rest.substr(0, app_id.size()) != app_id) return bad;
  if (user_id.size() > kMaxPacked) return bad;

  std::string content;
  if (!base64_decode(rest.substr(app_id.size()), content)) return bad;

  Reader r(content);
  std::string_view signature, message;
  uint32_t crc_channel = 0, crc_uid = 0;
  if (!r.str(signature) || !r.u32(crc_channel) || !r.u32(crc_uid) || !r.str(message) || !r.done()) return bad;
  if (signature.size() != kSignatureBytes) return bad;

  Reader m(message);
  uint32_t salt = 0, ts = 0;
  std::map<uint16_t, uint32_t> privileges;
  if (!m.u32(salt) || !m.u32(ts) || !m.privileges(privileges) || !m.done()) return bad;

  // RTM tokens: channel name = user id, uid = "".
  if (crc_channel != crc32_of(user_id) || crc_uid != crc32_of({})) return bad;

  std::string signed_data;
  signed_data.reserve(app_id.size() + user_id.size() + message.size());
  signed_data.append(app_id).append(user_id).append(message);
  Digest expected{};
  if (!hmac_sha256(app_cert, signed_data, expected)) return bad;
  if (!same_signature(signature, expected)) return bad;

  const auto login = privileges.find(kRtmLogin006);
  if (login == privileges.end()) return bad;

  Verification v;
  v.version = 6;
  v.expires_at = ts;
  if (login->second != 0) v.expires_at = std::min(v.expires_at, login->second);
  v.status = now >= v.expires_at ? Status::expired : Status::ok;
  return v;
}

}  // namespace

bool is_agora_id(std::string_view s) {
  if (s.size() != 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

std::string build_access_token2(std::string_view app_id, std::string_view app_cert, uint32_t issue_ts,
                                uint32_t expire, uint32_t salt, const std::vector<Service2>& services) {
  try {
    if (!valid_keys(app_id, app_cert) || services.empty()) return {};
    std::map<uint16_t, const Service2*> by_type;  // sorted by type; later duplicates replace earlier ones
    for (const auto& s : services) by_type[s.type] = &s;
    if (by_type.size() > kMaxPacked) return {};

    std::string signing_info;
    if (!put_string(signing_info, app_id)) return {};
    put_u32(signing_info, issue_ts);
    put_u32(signing_info, expire);
    put_u32(signing_info, salt);
    put_u16(signing_info, static_cast<uint16_t>(by_type.size()));
    for (const auto& [type, service] : by_type) {
      put_u16(signing_info, type);
      if (!put_privileges(signing_info, service->privileges)) return {};
      for (const auto& field : service->fields)
        if (!put_string(signing_info, field)) return {};
    }

    Digest signature{};
    if (!sign_007(app_cert, issue_ts, salt, signing_info, signature)) return {};
    std::string content;
    put_string(content, view(signature));
    content += signing_info;

    std::string compressed, encoded;
    if (!zlib_compress(content, compressed) || !base64_encode(compressed, encoded)) return {};
    return std::string(kVersion007) + encoded;
  } catch (const std::exception&) {
    return {};
  }
}

std::string build_access_token_006(std::string_view app_id, std::string_view app_cert,
                                   std::string_view channel_name, std::string_view uid, uint32_t ts,
                                   uint32_t salt, const std::map<uint16_t, uint32_t>& privileges) {
  try {
    if (!valid_keys(app_id, app_cert) || channel_name.size() > kMaxPacked || uid.size() > kMaxPacked) return {};
    std::string message;
    put_u32(message, salt);
    put_u32(message, ts);
    if (!put_privileges(message, privileges)) return {};

    std::string signed_data;
    signed_data.append(app_id).append(channel_name).append(uid).append(message);
    Digest signature{};
    if (!hmac_sha256(app_cert, signed_data, signature)) return {};

    std::string content;
    put_string(content, view(signature));
    put_u32(content, crc32_of(channel_name));
    put_u32(content, crc32_of(uid));
    if (!put_string(content, message)) return {};

    std::string encoded;
    if (!base64_encode(content, encoded)) return {};
    std::string token(kVersion006);
    token.append(app_id).append(encoded);
    return token;
  } catch (const std::exception&) {
    return {};
  }
}

std::string build_rtm_token_007(std::string_view app_id, std::string_view app_cert, std::string_view user_id,
                                uint32_t expire_seconds, uint32_t issue_ts, uint32_t salt) {
  try {
    Service2 rtm;
    rtm.type = kServiceRtm;
    rtm.privileges[kPrivilegeLogin] = expire_seconds;
    rtm.fields.emplace_back(user_id);
    return build_access_token2(app_id, app_cert, issue_ts, expire_seconds, salt, {rtm});
  } catch (const std::exception&) {
    return {};
  }
}

std::string build_rtm_token_007(std::string_view app_id, std::string_view app_cert, std::string_view user_id,
                                uint32_t expire_seconds) {
  uint32_t salt = 0;
  if (!random_u32(salt)) return {};
  return build_rtm_token_007(app_id, app_cert, user_id, expire_seconds, now_u32(), salt);
}

std::string build_rtm_token_006(std::string_view app_id, std::string_view app_cert, std::string_view user_id,
                                uint32_t ts, uint32_t salt, uint32_t privilege_expired_ts) {
  try {
    return build_access_token_006(app_id, app_cert, user_id, {}, ts, salt, {{kRtmLogin006, privilege_expired_ts}});
  } catch (const std::exception&) {
    return {};
  }
}

std::string build_rtm_token_006(std::string_view app_id, std::string_view app_cert, std::string_view user_id) {
  uint32_t salt = 0;
  if (!random_u32(salt)) return {};
  return build_rtm_token_006(app_id, app_cert, user_id, saturating_add(now_u32(), kDaySeconds), salt, 0);
}

Verification verify_rtm_token(std::string_view token, std::string_view app_id, std::string_view app_cert,
                              std::string_view user_id, uint32_t now) {
  try {
    if (token.size() > kMaxTokenChars || !valid_keys(app_id, app_cert)) return {};
    if (token.size() > kVersion007.size() && token.substr(0, kVersion007.size()) == kVersion007)
      return verify_007(token, app_id, app_cert, user_id, now);
    if (token.size() > kVersion006.size() && token.substr(0, kVersion006.size()) == kVersion006)
      return verify_006(token, app_id, app_cert, user_id, now);
    return {};
  } catch (...) {  // std::bad_alloc and friends: treat as a bad token, never propagate
    return {};
  }
}

namespace {

// md5 as 32 lowercase hex characters ("" if the digest fails).
std::string md5_hex(std::string_view data) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), d, &len, EVP_md5(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[d[i] >> 4]);
    out.push_back(kHex[d[i] & 15]);
  }
  return out;
}

std::string signaling_digest(std::string_view app_id, std::string_view app_cert, std::string_view account,
                             std::string_view expired_ts) {
  std::string in;
  in.reserve(account.size() + app_id.size() + app_cert.size() + expired_ts.size());
  in.append(account).append(app_id).append(app_cert).append(expired_ts);
  return md5_hex(in);
}

}  // namespace

std::string build_signaling_token(std::string_view app_id, std::string_view app_cert, std::string_view account,
                                  uint32_t expired_ts) {
  try {
    if (app_id.empty() || app_cert.empty() || account.empty()) return {};
    std::string ts = std::to_string(expired_ts);
    std::string digest = signaling_digest(app_id, app_cert, account, ts);
    if (digest.empty()) return {};
    std::string out = "1:";
    out.append(app_id).append(":").append(ts).append(":").append(digest);
    return out;
  } catch (...) {
    return {};
  }
}

Verification verify_signaling_token(std::string_view token, std::string_view app_id, std::string_view app_cert,
                                    std::string_view account, uint32_t now) {
  try {
    Verification v;
    if (token.size() > kMaxTokenChars || app_id.empty() || app_cert.empty() || account.empty()) return v;
    // 1:<appId>:<expiredTs>:<md5>; the app id may not contain ':' (ids are visible ASCII without it).
    if (token.substr(0, 2) != "1:") return v;
    v.version = 1;
    std::string_view rest = token.substr(2);
    auto c1 = rest.find(':');
    if (c1 == std::string_view::npos) return v;
    std::string_view app = rest.substr(0, c1);
    rest.remove_prefix(c1 + 1);
    auto c2 = rest.find(':');
    if (c2 == std::string_view::npos) return v;
    std::string_view ts = rest.substr(0, c2);
    std::string_view digest = rest.substr(c2 + 1);
    if (app != app_id || ts.empty() || ts.size() > 10 || digest.size() != 32) return v;
    uint64_t expired = 0;
    for (char ch : ts) {
      if (ch < '0' || ch > '9') return v;
      expired = expired * 10 + static_cast<uint64_t>(ch - '0');
    }
    if (expired > std::numeric_limits<uint32_t>::max() || (ts.size() > 1 && ts[0] == '0')) return v;
    std::string expected = signaling_digest(app_id, app_cert, account, ts);
    if (expected.size() != digest.size() || CRYPTO_memcmp(expected.data(), digest.data(), digest.size()) != 0)
      return v;
    v.expires_at = static_cast<uint32_t>(expired);
    v.status = now >= v.expires_at ? Status::expired : Status::ok;
    return v;
  } catch (...) {
    return {};
  }
}

}  // namespace rtm::token
