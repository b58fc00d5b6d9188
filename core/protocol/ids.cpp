#include "core/protocol/ids.hpp"

#include <cstdint>
#include <cstring>

#include <array>

namespace rtm {
namespace {
constexpr std::array<bool, 256> make_table() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (unsigned char c : std::string_view(" !#$%&()+-:;<=.>?@[]^_{}|~,")) t[c] = true;
  return t;
}
constexpr auto kAllowed = make_table();
}  // namespace

bool valid_user_id(std::string_view id) {
  if (id.empty() || id.size() > limits::kMaxUserIdBytes || id == "null") return false;
  for (unsigned char c : id)
    if (!kAllowed[c]) return false;
  return true;
}

bool valid_app_id(std::string_view id) {
  if (id.empty() || id.size() > limits::kMaxAppIdBytes) return false;
  for (unsigned char c : id)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}


// Strict UTF-8: no overlong forms, no surrogates (a JSON "\udc00" escape decodes to one), <= U+10FFFF.
bool valid_utf8(std::string_view text) {
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    // ASCII eight bytes at a time.
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!(w & 0x8080808080808080ull)) {
        i += 8;
        continue;
      }
    }
    unsigned c = p[i];
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    unsigned cp;
    if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += len;
  }
  return true;
}

}  // namespace rtm
