// rtm-token: mint and verify Agora-compatible RTM tokens.
//
//   rtm-token 007 --app-id ID --app-cert CERT --user UID [--expire SECONDS]   (default 3600)
//   rtm-token 006 --app-id ID --app-cert CERT --user UID
//   rtm-token sig --app-id ID --app-cert CERT --user ACCOUNT [--expire SECONDS]   (legacy Signaling)
//   rtm-token verify --app-id ID --app-cert CERT --user UID [--now UNIX] TOKEN
//
// The certificate may come from the environment instead (RTM_APP_CERT) so it stays out of `ps` output.
// Tokens go to stdout; errors go to stderr with exit code 2. verify prints "ok", "expired" or "invalid"
// and exits 0, 3 or 4. The certificate is never printed.
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "core/token/token.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitExpired = 3;
constexpr int kExitInvalid = 4;
constexpr const char* kCertEnv = "RTM_APP_CERT";

void usage(std::ostream& os) {
  os << "usage:\n"
        "  rtm-token 007 --app-id ID --app-cert CERT --user UID [--expire SECONDS]\n"
        "  rtm-token 006 --app-id ID --app-cert CERT --user UID\n"
        "  rtm-token sig --app-id ID --app-cert CERT --user ACCOUNT [--expire SECONDS]\n"
        "  rtm-token verify --app-id ID --app-cert CERT --user UID [--now UNIX_SECONDS] TOKEN\n"
        "\n"
        "  007     AccessToken2 RTM token (RtmTokenBuilder2); --expire is relative, default 3600\n"
        "  006     AccessToken RTM token (RtmTokenBuilder); valid for 24 hours\n"
        "  sig     legacy Signaling token 1:appId:expiredTs:md5, for Signaling-API logins;\n"
        "          --expire is relative, default 3600\n"
        "  verify  prints ok / expired / invalid and the expiry; exit code 0 / 3 / 4\n"
        "\n"
        "  The certificate can also be given in the environment variable "
     << kCertEnv
     << " instead of --app-cert.\n"
        "  Errors exit with code 2.\n";
}

int fail(std::string_view message) {
  std::cerr << "rtm-token: " << message << "\n";
  return kExitUsage;
}

std::optional<uint32_t> parse_u32(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(v);
}

uint32_t now_u32() {
  const std::time_t t = std::time(nullptr);
  if (t <= 0) return 0;
  if (static_cast<unsigned long long>(t) > UINT32_MAX) return UINT32_MAX;
  return static_cast<uint32_t>(t);
}

std::string utc_iso8601(uint32_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "?";
  char buf[32];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return "?";
  return buf;
}

struct Args {
  std::string mode;
  std::optional<std::string> app_id, app_cert, user, expire, now;
  std::optional<std::string> token;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return kExitUsage;
  }
  Args a;
  a.mode = argv[1];
  if (a.mode == "-h" || a.mode == "--help" || a.mode == "help") {
    usage(std::cout);
    return kExitOk;
  }
  if (a.mode != "006" && a.mode != "007" && a.mode != "sig" && a.mode != "verify") {
    usage(std::cerr);
    return fail("unknown command (expected 007, 006, sig or verify)");
  }

  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::optional<std::string>& slot) -> bool {
      if (slot) return false;
      if (i + 1 >= argc) return false;
      slot = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "-h" || arg == "--help") {
      usage(std::cout);
      return kExitOk;
    } else if (arg == "--app-id") {
      ok = value(a.app_id);
    } else if (arg == "--app-cert") {
      ok = value(a.app_cert);
    } else if (arg == "--user") {
      ok = value(a.user);
    } else if (arg == "--expire" && (a.mode == "007" || a.mode == "sig")) {
      ok = value(a.expire);
    } else if (arg == "--now" && a.mode == "verify") {
      ok = value(a.now);
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      return fail("unknown option '" + std::string(arg) + "' for '" + a.mode + "'");
    } else if (a.mode == "verify" && !a.token) {
      a.token = std::string(arg);
    } else {
      return fail("unexpected argument (the token is the only positional argument, and only for verify)");
    }
    // Name only the option, never its value: it may be the certificate.
    if (!ok) return fail("option " + std::string(arg) + " needs exactly one value and may be given once");
  }

  if (!a.app_cert) {
    if (const char* env = std::getenv(kCertEnv); env != nullptr && *env != '\0') a.app_cert = std::string(env);
  }
  if (!a.app_id || a.app_id->empty()) return fail("--app-id is required");
  if (!a.app_cert || a.app_cert->empty()) return fail(std::string("--app-cert (or ") + kCertEnv + ") is required");
  if (!a.user || a.user->empty()) return fail("--user is required (and must not be empty)");
  if (a.user->size() > 0xffff) return fail("--user is too long");
  if (a.app_id->size() > 0xffff) return fail("--app-id is too long");

  if (!rtm::token::is_agora_id(*a.app_id))
    std::cerr << "rtm-token: warning: the app ID is not 32 hex characters; Agora's own tools would refuse it\n";
  if (!rtm::token::is_agora_id(*a.app_cert))
    std::cerr << "rtm-token: warning: the certificate is not 32 hex characters; Agora's own tools would refuse it\n";

  uint32_t expire = 3600;
  if (a.expire) {
    auto v = parse_u32(*a.expire);
    if (!v) return fail("--expire must be a whole number of seconds (0..4294967295)");
    expire = *v;
  }
  if (a.mode == "sig") {
    const uint64_t at = static_cast<uint64_t>(now_u32()) + expire;
    if (at > UINT32_MAX) return fail("--expire reaches beyond 2106");
    const std::string token =
        rtm::token::build_signaling_token(*a.app_id, *a.app_cert, *a.user, static_cast<uint32_t>(at));
    if (token.empty()) return fail("could not build the token");
    std::cout << token << "\n";
    return kExitOk;
  }
  if (a.mode == "007") {
    const std::string token = rtm::token::build_rtm_token_007(*a.app_id, *a.app_cert, *a.user, expire);
    if (token.empty()) return fail("could not build the token");
    std::cout << token << "\n";
    return kExitOk;
  }

  if (a.mode == "006") {
    const std::string token = rtm::token::build_rtm_token_006(*a.app_id, *a.app_cert, *a.user);
    if (token.empty()) return fail("could not build the token");
    std::cout << token << "\n";
    return kExitOk;
  }

  // verify
  if (!a.token) return fail("verify needs the token as the last argument");
  uint32_t now = now_u32();
  if (a.now) {
    auto v = parse_u32(*a.now);
    if (!v) return fail("--now must be unix seconds (0..4294967295)");
    now = *v;
  }
  const bool legacy = a.token->size() > 2 && a.token->compare(0, 2, "1:") == 0;
  const auto v = legacy ? rtm::token::verify_signaling_token(*a.token, *a.app_id, *a.app_cert, *a.user, now)
                        : rtm::token::verify_rtm_token(*a.token, *a.app_id, *a.app_cert, *a.user, now);
  switch (v.status) {
    case rtm::token::Status::ok:
      std::cout << "ok version=" << v.version << " expires_at=" << v.expires_at << " ("
                << utc_iso8601(v.expires_at) << ") remaining=" << (v.expires_at - now) << "s\n";
      return kExitOk;
    case rtm::token::Status::expired:
      std::cout << "expired version=" << v.version << " expires_at=" << v.expires_at << " ("
                << utc_iso8601(v.expires_at) << ")\n";
      return kExitExpired;
    case rtm::token::Status::invalid:
      break;
  }
  std::cout << "invalid\n";
  return kExitInvalid;
}
