#include "core/protocol/ids.hpp"

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

}  // namespace rtm
