// Tests for core/token: Agora-compatible RTM tokens (006 AccessToken, 007 AccessToken2).
//
// Known-answer vectors come from Agora's public token builders (github.com/AgoraIO/Tools,
// DynamicKey/AgoraDynamicKey/...): fixed app ID, certificate, user, issue ts and salt, and the exact
// token string each reference implementation expects.
#include "core/token/token.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace tok = rtm::token;
using tok::Status;

// Shared fixture values of Agora's reference tests.
constexpr std::string_view kAppId = "970CA35de60c44645bbae8a215061b33";
constexpr std::string_view kCert = "5CFd2fd1755d40ecb72977518be15d3b";
constexpr std::string_view kChannel = "7d72365eb983485397e3e3f9d460bdda";
constexpr std::string_view kUidStr = "2882341273";
constexpr std::string_view kUser = "test_user";
constexpr uint32_t kIssueTs = 1111111;
constexpr uint32_t kSalt = 1;
constexpr uint32_t kExpire = 600;

// ---- 007 vectors ---------------------------------------------------------------------------------

// csharp/test/AgoraIO.Tests/AccessToken2Test.cs build_ServiceRtm: RTM service, user "test_user",
// login privilege 600, issue 1111111, salt 1, expire 600.
constexpr std::string_view kRtm007CSharp =
    "007eJxTYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgY"
    "mBgZABhJiBmBPM5GUpSi0viS4tTiwBZVh6A";
// go/src/accesstoken2/accesstoken_test.go Test_AssessToken_ServiceRtm: same inputs, but Go's compress/flate
// (with a sync-flush stored block) produces different zlib bytes for the same payload.
constexpr std::string_view kRtm007Go =
    "007eJxSYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgY"
    "mBgZABhJgZGBkYwn5OhJLW4JL60OLUIEAAA//9ZVh6A";
// cpp/test/AccessToken2_test.cpp, python3/test/AccessToken2Test.py, nodejs/test/AccessToken2Test.js:
// RTC service, channel kChannel, uid 2882341273 (as int or string), join privilege 600.
constexpr std::string_view kRtc007 =
    "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMT"
    "AwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj";
// Same sources, uid 0 (empty uid string).
constexpr std::string_view kRtc007Uid0 =
    "007eJxTYLhzZP08Lxa1Pg57+TcXb/3cZ3wi4V6kbpbOog0G2dOYk20UGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMT"
    "AwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiQwMADacImo=";
// python3/test/AccessToken2Test.py test_service_chat_user / test_service_chat_app (also C#).
constexpr std::string_view kChatUser007 =
    "007eJxTYNAIsnbS3v/A5t2TC6feR15r+6cq8bqAvfaW+tk/Vzz+p6xTYLA0N3B2NDZNSTUzSDYxMTMxTUpKTLVINDI0NTAzTDI2dv8iwBDBxM"
    "DAyADCrEDMCOZzMRhZWBgZmxgamRsDAB+lHrg=";
constexpr std::string_view kChatApp007 =
    "007eJxTYNDNaz3snC8huEfHWdz6s98qltq4zqy9fl99Uh0FDvy6F6DAYGlu4OxobJqSamaQbGJiZmKalJSYapFoZGhqYGaYZGzs/kWAIYKJgY"
    "GRAYRZgZgJzGdgAACt8hhr";
// python3/test/AccessToken2Test.py test_multi_service: RTC (4 privileges), RTM, Streaming (2), Rtns, Chat.
constexpr std::string_view kMulti007Python =
    "007eJxTYAh5UWu1drfhsnu9etvupS0v/iFs+3PC/Sbl8gdht55xSusqMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgY"
    "mBgZGBgYAWSLEAM4jOBSWYwyQImFRjMU8yNjM1MU5MsLYxNLEyNLc1TjVON0yxTTMwMklJSErkYjCwsjIxNDI3MjZmA5kBM4mQoSS0uiS8tTi"
    "1iZmBCMZ40I1mgToSYgCwDAGL1OcI=";
// cpp/test/AccessToken2_test.cpp TestAccessToken2WithMultiService: RTC (4), RTM, Streaming (2), Rtns.
constexpr std::string_view kMulti007Cpp =
    "007eJxTYFgedFLiTXNWtuzC7DTnrFeCpxKDp+r3eVnVrrEK9M+vm6/AYGlu4OxobJqSamaQbGJiZmKalJSYapFoZGhqYGaYZGzs/kWAIYKJgY"
    "GRgYGBBUiCMIjPBCaZwSQLmFRgME8xNzI2M01NsrQwNrEwNbY0TzVONU6zTDExM0hKSUnkYjCysDAyNjE0MjdmApoDMYmToSS1uCS+tDi1iJ"
    "mBCcV40oxkAToRACRUNJQ=";
// go/src/accesstoken2/accesstoken_test.go ..._MultiService_FromPython (also parsed in the C# tests):
// RTC (4 privileges) + RTM.
constexpr std::string_view kRtcRtm007Python =
    "007eJxTYOAQsrQ5s3TfH+1tvy8zZZ46EpCc0V43JXdGd2jS8porKo4KDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGB"
    "gYGRgYmIAkCxCD+ExgkhlMsoBJBQbzFHMjYzPT1CRLC2MTC1NjS/NU41TjNMsUEzODpJSURC4GIwsLI2MTQyNzY5BZEJM4GUpSi0viS4tTiw"
    "Aipyp4";
// nodejs/test/AccessToken2Test.js AccessToken_Test4: the same RTC + RTM content compressed by Node's zlib.
constexpr std::string_view kRtcRtm007Node =
    "007eJxTYOAQsrQ5s3TfH+1tvy8zZZ46EpCc0V43JXdGd2jS8porKo4KDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGB"
    "gYGRgYmBgYGVgYGMF8JjDJDCZZwKQCg3mKuZGxmWlqkqWFsYmFqbGleapxqnGaZYqJmUFSSkoiF4ORhYWRsYmhkbkxyCyISZwMJanFJfGlxa"
    "lFACKnKng=";
// csharp/test/AgoraIO.Tests/AccessToken2Test.cs build_multi_service: RTC (4) + RTM + Chat, C#'s compressor.
constexpr std::string_view kRtcRtmChat007CSharp =
    "007eJxNjD0KwkAUhJ8xFlqJbZpYauNm3/4WFmKRK9hJ1l3B1sQip1AEz2Bt5QmEXMFjCMEiWBgjiMV8MMPwhVCdnqUspvf8cQkOk9trUOWj45jt"
    "r3ExPMfBJgQtyXyG3DpBVowJxo1JnEpoxImIDGJc9mHhAbQAoF3Tr/PpXsN2Q79hCNJKioI7oxUyxVFLhw7X2jJBjLVJD6hSFFlEJXq152vqQu"
    "bSbLlL3bbzG/+vb8OnLf0=";

// ---- 006 vectors ---------------------------------------------------------------------------------

// nodejs/test/RtmTokenTest.js RtmToken_Test and python/test/RtmTokenBuilderTest.py: user "test_user",
// salt 1, ts 1111111, kRtmLogin = 1446455471.
constexpr std::string_view kRtm006 =
    "006970CA35de60c44645bbae8a215061b33IAAsR0qgiCxv0vrpRcpkz5BrbfEWCBZ6kvR6t7qG/wJIQob86ogAAAAAEAABAAAAR/QQAAEA6AOv"
    "KDdW";
// nodejs/test/RtmTokenTest.js RtmToken_Test2: same, kRtmLogin = 100.
constexpr std::string_view kRtm006Priv100 =
    "006970CA35de60c44645bbae8a215061b33IABR8ywaENKv6kia6iUU6P54g017Bi6Ym9sIGdt9f3sLLYb86ogAAAAAEAABAAAAR/QQAAEA6ANk"
    "AAAA";
// csharp/test/AgoraIO.Tests/RtmTokenTest.cs: user "2882341273", salt 1, ts 1111111, kRtmLogin = 0.
constexpr std::string_view kRtm006CSharp =
    "006970CA35de60c44645bbae8a215061b33IAB/luJx7c3zCxag46cPAwofHXnoslvPjP1rvRJIgxemHFegUeUAAAAAEAABAAAAR/QQAAEA6AMA"
    "AAAA";
// python3/test/AccessTokenTest.py, go/src/AccessToken/AccessToken_test.go: RTC AccessToken, channel kChannel,
// uid 2882341273 (and 0), salt 1, ts 1111111, kJoinChannel = 1446455471.
constexpr std::string_view kRtc006 =
    "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCv"
    "KDdW";
constexpr std::string_view kRtc006Uid0 =
    "006970CA35de60c44645bbae8a215061b33IACw1o7htY6ISdNRtku3p9tjTPi0jCKf9t49UHJhzCmL6bdIfRAAAAAAEAABAAAAR/QQAAEAAQCv"
    "KDdW";

uint32_t unix_now() { return static_cast<uint32_t>(std::time(nullptr)); }

tok::Service2 service(uint16_t type, std::map<uint16_t, uint32_t> privileges, std::vector<std::string> fields) {
  tok::Service2 s;
  s.type = type;
  s.privileges = std::move(privileges);
  s.fields = std::move(fields);
  return s;
}

tok::Service2 rtc4() {
  return service(tok::kServiceRtc, {{1, kExpire}, {2, kExpire}, {3, kExpire}, {4, kExpire}},
                 {std::string(kChannel), std::string(kUidStr)});
}
tok::Service2 rtm_login(std::string_view user = kUser, uint32_t value = kExpire) {
  return service(tok::kServiceRtm, {{tok::kPrivilegeLogin, value}}, {std::string(user)});
}
tok::Service2 streaming2() {
  return service(tok::kServiceStreaming, {{1, kExpire}, {2, kExpire}}, {std::string(kChannel), std::string(kUidStr)});
}
tok::Service2 rtns() { return service(tok::kServiceFpa, {}, {}); }
tok::Service2 chat_user() { return service(tok::kServiceChat, {{1, kExpire}}, {std::string(kUidStr)}); }

std::string build2(const std::vector<tok::Service2>& services) {
  return tok::build_access_token2(kAppId, kCert, kIssueTs, kExpire, kSalt, services);
}

tok::Verification verify(std::string_view token, uint32_t now, std::string_view user = kUser) {
  return tok::verify_rtm_token(token, kAppId, kCert, user, now);
}

void expect_invalid(const tok::Verification& v) {
  EXPECT_EQ(v.status, Status::invalid);
  EXPECT_EQ(v.expires_at, 0u);
}

// Test-local base64 (standard alphabet, padded) for building malformed tokens.
constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string b64encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t g = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(g >> s) & 63]);
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t g = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2) g |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    out.push_back(kB64[(g >> 18) & 63]);
    out.push_back(kB64[(g >> 12) & 63]);
    out.push_back(rest == 2 ? kB64[(g >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string b64decode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const auto p = kB64.find(c);
    if (p == std::string_view::npos) continue;
    acc = acc << 6 | static_cast<uint32_t>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

uint32_t adler32(std::string_view data) {
  uint32_t a = 1, b = 0;
  for (char c : data) {
    a = (a + static_cast<unsigned char>(c)) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

void put_be32(std::string& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xff));
}

// Minimal deflate writer (fixed Huffman codes) for hand-made zlib streams.
class BitWriter {
 public:
  void bits(uint32_t value, int count) {  // LSB first
    for (int i = 0; i < count; ++i) push((value >> i) & 1u);
  }
  void code(uint32_t value, int count) {  // Huffman codes go MSB first
    for (int i = count - 1; i >= 0; --i) push((value >> i) & 1u);
  }
  std::string finish() {
    if (nbits_ != 0) out_.push_back(static_cast<char>(cur_));
    cur_ = 0;
    nbits_ = 0;
    return out_;
  }

 private:
  void push(uint32_t bit) {
    cur_ |= bit << nbits_;
    if (++nbits_ == 8) {
      out_.push_back(static_cast<char>(cur_));
      cur_ = 0;
      nbits_ = 0;
    }
  }
  std::string out_;
  uint32_t cur_ = 0;
  int nbits_ = 0;
};

// zlib stream that inflates to 'A' repeated 1 + 258 * runs times.
std::string zlib_bomb(std::size_t runs) {
  BitWriter w;
  w.bits(1, 1);         // BFINAL
  w.bits(1, 2);         // BTYPE = fixed Huffman
  w.code(0x30 + 'A', 8);  // literal 'A'
  for (std::size_t i = 0; i < runs; ++i) {
    w.code(0xC5, 8);  // length symbol 285 = 258 bytes
    w.code(0, 5);     // distance code 0 = 1 byte back
  }
  w.code(0, 7);  // end of block
  std::string z = "\x78\x01";
  z += w.finish();
  put_be32(z, adler32(std::string(1 + 258 * runs, 'A')));
  return z;
}

// zlib stream holding `data` in one stored block.
std::string zlib_stored(std::string_view data, uint8_t header_byte = 0x01) {
  std::string z = "\x78\x01";
  z.push_back(static_cast<char>(header_byte));  // BFINAL=1, BTYPE=00, padding bits
  z.push_back(static_cast<char>(data.size() & 0xff));
  z.push_back(static_cast<char>(data.size() >> 8));
  z.push_back(static_cast<char>(~data.size() & 0xff));
  z.push_back(static_cast<char>((~data.size() >> 8) & 0xff));
  z.append(data);
  put_be32(z, adler32(data));
  return z;
}

// Every single-character substitution of `token` must be rejected.
void expect_every_substitution_invalid(std::string_view token, uint32_t now, std::string_view user) {
  std::string alphabet(kB64);
  alphabet += "=-_ .\n";
  alphabet.push_back('\0');
  alphabet.push_back('\xff');
  std::size_t tried = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (char c : alphabet) {
      if (c == token[i]) continue;
      std::string t(token);
      t[i] = c;
      const auto v = tok::verify_rtm_token(t, kAppId, kCert, user, now);
      ++tried;
      if (v.status != Status::invalid) {
        ADD_FAILURE() << "substitution at " << i << " ('" << token[i] << "' -> '" << c << "') accepted";
        return;
      }
    }
  }
  EXPECT_GT(tried, token.size() * 60);
}

void expect_every_truncation_invalid(std::string_view token, uint32_t now, std::string_view user) {
  for (std::size_t n = 0; n < token.size(); ++n)
    EXPECT_EQ(tok::verify_rtm_token(token.substr(0, n), kAppId, kCert, user, now).status, Status::invalid)
        << "prefix of length " << n;
}

}  // namespace

// ==== known answers: 007 ==========================================================================

TEST(TokenKnownAnswer007, RtmBuilderMatchesAgoraByteForByte) {
  EXPECT_EQ(tok::build_rtm_token_007(kAppId, kCert, kUser, kExpire, kIssueTs, kSalt), kRtm007CSharp);
  EXPECT_EQ(build2({rtm_login()}), kRtm007CSharp);
}

TEST(TokenKnownAnswer007, GenericBuilderMatchesAgoraRtcAndChatVectors) {
  EXPECT_EQ(build2({service(tok::kServiceRtc, {{1, kExpire}}, {std::string(kChannel), std::string(kUidStr)})}),
            kRtc007);
  EXPECT_EQ(build2({service(tok::kServiceRtc, {{1, kExpire}}, {std::string(kChannel), ""})}), kRtc007Uid0);
  EXPECT_EQ(build2({chat_user()}), kChatUser007);
  EXPECT_EQ(build2({service(tok::kServiceChat, {{2, kExpire}}, {""})}), kChatApp007);
}

TEST(TokenKnownAnswer007, GenericBuilderMatchesAgoraMultiServiceVectors) {
  EXPECT_EQ(build2({rtc4(), rtm_login(), streaming2(), rtns(), chat_user()}), kMulti007Python);
  EXPECT_EQ(build2({rtc4(), rtm_login(), streaming2(), rtns()}), kMulti007Cpp);
  EXPECT_EQ(build2({rtc4(), rtm_login()}), kRtcRtm007Python);
  // Services are packed sorted by type whatever the order they are given in.
  EXPECT_EQ(build2({rtm_login(), rtc4()}), kRtcRtm007Python);
}

TEST(TokenKnownAnswer007, VerifiesAgoraRtmTokens) {
  for (std::string_view t : {kRtm007CSharp, kRtm007Go, kMulti007Python, kMulti007Cpp, kRtcRtm007Python,
                             kRtcRtm007Node, kRtcRtmChat007CSharp}) {
    SCOPED_TRACE(std::string(t));
    const auto v = verify(t, kIssueTs);
    EXPECT_EQ(v.status, Status::ok);
    EXPECT_EQ(v.expires_at, kIssueTs + kExpire);
    EXPECT_EQ(v.version, 7);
    EXPECT_EQ(verify(t, kIssueTs + kExpire - 1).status, Status::ok);
    const auto e = verify(t, kIssueTs + kExpire);
    EXPECT_EQ(e.status, Status::expired);
    EXPECT_EQ(e.expires_at, kIssueTs + kExpire);
    expect_invalid(verify(t, kIssueTs, "test_user2"));
    expect_invalid(verify(t, kIssueTs, "Test_user"));
    expect_invalid(verify(t, kIssueTs, ""));
    expect_invalid(tok::verify_rtm_token(t, kAppId, "5CFd2fd1755d40ecb72977518be15d3c", kUser, kIssueTs));
    expect_invalid(tok::verify_rtm_token(t, "970ca35de60c44645bbae8a215061b33", kCert, kUser, kIssueTs));
  }
}

TEST(TokenKnownAnswer007, TokensWithoutRtmServiceAreInvalid) {
  for (std::string_view t : {kRtc007, kRtc007Uid0, kChatUser007, kChatApp007}) {
    expect_invalid(verify(t, kIssueTs));
    expect_invalid(verify(t, kIssueTs, kUidStr));
    expect_invalid(verify(t, kIssueTs, ""));
  }
}

// ==== known answers: 006 ==========================================================================

TEST(TokenKnownAnswer006, RtmBuilderMatchesAgoraByteForByte) {
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, kCert, kUser, kIssueTs, kSalt, 1446455471), kRtm006);
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, kCert, kUser, kIssueTs, kSalt, 100), kRtm006Priv100);
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, kCert, kUidStr, kIssueTs, kSalt, 0), kRtm006CSharp);
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, kCert, kUidStr, kIssueTs, kSalt), kRtm006CSharp);
}

TEST(TokenKnownAnswer006, GenericBuilderMatchesAgoraRtcVectors) {
  EXPECT_EQ(tok::build_access_token_006(kAppId, kCert, kChannel, kUidStr, kIssueTs, kSalt, {{1, 1446455471}}),
            kRtc006);
  EXPECT_EQ(tok::build_access_token_006(kAppId, kCert, kChannel, "", kIssueTs, kSalt, {{1, 1446455471}}),
            kRtc006Uid0);
}

TEST(TokenKnownAnswer006, VerifiesAgoraRtmTokens) {
  // ts = 1111111 is the token's own expiry; the privilege value 1446455471 is later and does not matter.
  auto v = verify(kRtm006, kIssueTs - 1);
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, kIssueTs);
  EXPECT_EQ(v.version, 6);
  v = verify(kRtm006, kIssueTs);
  EXPECT_EQ(v.status, Status::expired);
  EXPECT_EQ(v.expires_at, kIssueTs);
  EXPECT_EQ(v.version, 6);

  // A non-zero privilege expiry earlier than ts wins.
  v = verify(kRtm006Priv100, 99);
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, 100u);
  EXPECT_EQ(verify(kRtm006Priv100, 100).status, Status::expired);
  EXPECT_EQ(verify(kRtm006Priv100, 1000).status, Status::expired);

  // Privilege 0 means "no privilege expiry": only ts counts.
  v = verify(kRtm006CSharp, kIssueTs - 1, kUidStr);
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, kIssueTs);
  EXPECT_EQ(verify(kRtm006CSharp, kIssueTs, kUidStr).status, Status::expired);

  expect_invalid(verify(kRtm006, 1000, "test_user2"));
  expect_invalid(verify(kRtm006, 1000, kUidStr));
  expect_invalid(verify(kRtm006CSharp, 1000, kUser));
  expect_invalid(tok::verify_rtm_token(kRtm006, kAppId, "5CFd2fd1755d40ecb72977518be15d3c", kUser, 1000));
  expect_invalid(tok::verify_rtm_token(kRtm006, "970ca35de60c44645bbae8a215061b33", kCert, kUser, 1000));
}

TEST(TokenKnownAnswer006, RtcTokensAreNotRtmTokens) {
  for (std::string_view t : {kRtc006, kRtc006Uid0}) {
    expect_invalid(verify(t, 1000, kChannel));
    expect_invalid(verify(t, 1000, kUidStr));
    expect_invalid(verify(t, 1000, kUser));
  }
}

// ==== round trips and expiry =======================================================================

TEST(TokenRoundTrip, Build007ThenVerify) {
  const uint32_t issue = 1700000000;
  const std::string t = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 0xdeadbeef);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.substr(0, 3), "007");
  auto v = verify(t, issue + 10, "alice");
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, issue + 3600);
  EXPECT_EQ(v.version, 7);
  EXPECT_EQ(verify(t, issue + 3599, "alice").status, Status::ok);
  EXPECT_EQ(verify(t, issue + 3600, "alice").status, Status::expired);
  // A clock behind the issue time is fine.
  EXPECT_EQ(verify(t, issue - 100, "alice").status, Status::ok);
}

TEST(TokenRoundTrip, Build007WithCurrentTimeAndRandomSalt) {
  const uint32_t before = unix_now();
  const std::string a = tok::build_rtm_token_007(kAppId, kCert, "bob", 3600);
  const std::string b = tok::build_rtm_token_007(kAppId, kCert, "bob", 3600);
  const uint32_t after = unix_now();
  ASSERT_FALSE(a.empty());
  EXPECT_NE(a, b);  // random salt
  const auto v = verify(a, after, "bob");
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_GE(v.expires_at, before + 3600);
  EXPECT_LE(v.expires_at, after + 3600);
}

TEST(TokenRoundTrip, Build006ThenVerify) {
  const uint32_t issue = 1700000000;
  const std::string t = tok::build_rtm_token_006(kAppId, kCert, "carol", issue + 86400, 42);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.substr(0, 35), std::string("006") + std::string(kAppId));
  const auto v = verify(t, issue, "carol");
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, issue + 86400);
  EXPECT_EQ(v.version, 6);
}

TEST(TokenRoundTrip, Token006IsValidFor24Hours) {
  const uint32_t before = unix_now();
  const std::string t = tok::build_rtm_token_006(kAppId, kCert, "dave");
  const uint32_t after = unix_now();
  ASSERT_FALSE(t.empty());
  const auto v = verify(t, after, "dave");
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_GE(v.expires_at, before + 86400);
  EXPECT_LE(v.expires_at, after + 86400);
  EXPECT_EQ(verify(t, v.expires_at - 1, "dave").status, Status::ok);
  EXPECT_EQ(verify(t, v.expires_at, "dave").status, Status::expired);
  EXPECT_NE(t, tok::build_rtm_token_006(kAppId, kCert, "dave"));  // random salt
}

TEST(TokenRoundTrip, Token006BoundaryAt24Hours) {
  const uint32_t issue = 1600000000;
  const std::string t = tok::build_rtm_token_006(kAppId, kCert, "erin", issue + 24 * 3600, 7);
  EXPECT_EQ(verify(t, issue + 24 * 3600 - 1, "erin").status, Status::ok);
  const auto e = verify(t, issue + 24 * 3600, "erin");
  EXPECT_EQ(e.status, Status::expired);
  EXPECT_EQ(e.expires_at, issue + 24 * 3600);
  EXPECT_EQ(verify(t, issue + 48 * 3600, "erin").status, Status::expired);
}

TEST(TokenRoundTrip, Token006PastPrivilegeExpiryCountsAsExpired) {
  const uint32_t issue = 1600000000;
  const std::string t = tok::build_rtm_token_006(kAppId, kCert, "erin", issue + 86400, 7, issue + 10);
  auto v = verify(t, issue + 9, "erin");
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, issue + 10);
  v = verify(t, issue + 10, "erin");
  EXPECT_EQ(v.status, Status::expired);
  EXPECT_EQ(v.expires_at, issue + 10);
}

TEST(TokenExpiry, OldIssueTimeIsExpired) {
  const uint32_t now = 1700000000;
  const std::string t = tok::build_rtm_token_007(kAppId, kCert, "frank", 3600, now - 7200, 3);
  const auto v = verify(t, now, "frank");
  EXPECT_EQ(v.status, Status::expired);
  EXPECT_EQ(v.expires_at, now - 3600);
  EXPECT_EQ(v.version, 7);
}

TEST(TokenExpiry, ExpireZeroIsAlreadyExpired) {
  const uint32_t issue = 1700000000;
  const std::string t = tok::build_rtm_token_007(kAppId, kCert, "gina", 0, issue, 3);
  ASSERT_FALSE(t.empty());
  const auto v = verify(t, issue, "gina");
  EXPECT_EQ(v.status, Status::expired);
  EXPECT_EQ(v.expires_at, issue);
}

TEST(TokenExpiry, EarlierOfPrivilegeAndTokenExpireWins) {
  const uint32_t issue = 1700000000;
  // Token-level expire shorter than the login privilege.
  std::string t = tok::build_access_token2(kAppId, kCert, issue, 100, 9, {rtm_login("hal", 600)});
  EXPECT_EQ(verify(t, issue, "hal").expires_at, issue + 100);
  EXPECT_EQ(verify(t, issue + 100, "hal").status, Status::expired);
  // Login privilege shorter than the token-level expire.
  t = tok::build_access_token2(kAppId, kCert, issue, 900, 9, {rtm_login("hal", 300)});
  EXPECT_EQ(verify(t, issue, "hal").expires_at, issue + 300);
  EXPECT_EQ(verify(t, issue + 299, "hal").status, Status::ok);
  EXPECT_EQ(verify(t, issue + 300, "hal").status, Status::expired);
  // Login privilege 0 with a long token expire: already expired.
  t = tok::build_access_token2(kAppId, kCert, issue, 900, 9, {rtm_login("hal", 0)});
  EXPECT_EQ(verify(t, issue, "hal").status, Status::expired);
}

TEST(TokenExpiry, ExpiryNearTheEndOfTimeSaturates) {
  const std::string t = tok::build_rtm_token_007(kAppId, kCert, "ivy", 0xffffffffu, 0xfffffff0u, 1);
  const auto v = verify(t, 0xfffffff0u, "ivy");
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, 0xffffffffu);
}

// ==== rejection ====================================================================================

TEST(TokenReject, WrongCertificateUserOrAppId) {
  const uint32_t issue = 1700000000;
  const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5);
  const std::string t6 = tok::build_rtm_token_006(kAppId, kCert, "alice", issue + 86400, 5);
  for (const std::string& t : {t7, t6}) {
    EXPECT_EQ(verify(t, issue, "alice").status, Status::ok);
    expect_invalid(tok::verify_rtm_token(t, kAppId, "0000000000000000000000000000000a", "alice", issue));
    expect_invalid(tok::verify_rtm_token(t, kAppId, "", "alice", issue));
    expect_invalid(verify(t, issue, "alice2"));
    expect_invalid(verify(t, issue, "Alice"));
    expect_invalid(verify(t, issue, "alic"));
    expect_invalid(verify(t, issue, ""));
    expect_invalid(tok::verify_rtm_token(t, "970CA35de60c44645bbae8a215061b34", kCert, "alice", issue));
    expect_invalid(tok::verify_rtm_token(t, "", kCert, "alice", issue));
  }
  // Expired tokens for the wrong user or certificate are invalid, not expired.
  expect_invalid(verify(t7, issue + 7200, "bob"));
  expect_invalid(tok::verify_rtm_token(t7, kAppId, "0000000000000000000000000000000a", "alice", issue + 7200));
}

TEST(TokenReject, WrongServiceOrPrivilege) {
  const uint32_t issue = 1700000000;
  auto t = [&](std::vector<tok::Service2> services) {
    return tok::build_access_token2(kAppId, kCert, issue, 3600, 5, services);
  };
  // RTM service without the login privilege.
  expect_invalid(verify(t({service(tok::kServiceRtm, {{2, 3600}}, {"alice"})}), issue, "alice"));
  expect_invalid(verify(t({service(tok::kServiceRtm, {}, {"alice"})}), issue, "alice"));
  // Login privilege, but in a different service.
  expect_invalid(verify(t({service(tok::kServiceChat, {{1, 3600}}, {"alice"})}), issue, "alice"));
  // RTM service bound to another user.
  expect_invalid(verify(t({rtm_login("bob", 3600), chat_user()}), issue, "alice"));
  // Extra bytes after the RTM service (validly signed): not a well-formed token.
  expect_invalid(verify(t({service(tok::kServiceRtm, {{1, 3600}}, {"alice", "junk"})}), issue, "alice"));
  // A service whose layout is unknown (type 6, 8, 999) cannot be parsed: invalid, like Agora's C++ parser.
  for (uint16_t type : {0, 6, 8, 999, 65535}) {
    expect_invalid(verify(t({rtm_login("alice", 3600), service(type, {{1, 3600}}, {})}), issue, "alice"));
  }
  // Sanity: the plain RTM token is fine, and so is one with other known services.
  EXPECT_EQ(verify(t({rtm_login("alice", 3600)}), issue, "alice").status, Status::ok);
  EXPECT_EQ(verify(t({rtc4(), rtm_login("alice", 3600), streaming2(), rtns(), chat_user(),
                      service(tok::kServiceEducation, {{1, 3600}}, {"room", "user"})}),
                   issue, "alice")
                .status,
            Status::invalid);  // Education also carries an i16 role, which fields cannot express
  // 006 RTC token (uid set, kJoinChannel) is not an RTM token.
  expect_invalid(verify(tok::build_access_token_006(kAppId, kCert, "alice", "", issue + 86400, 5, {{1, 0}}),
                        issue, "alice"));
  expect_invalid(verify(tok::build_access_token_006(kAppId, kCert, "alice", "7", issue + 86400, 5, {{1000, 0}}),
                        issue, "alice"));
  EXPECT_EQ(verify(tok::build_access_token_006(kAppId, kCert, "alice", "", issue + 86400, 5, {{1000, 0}}),
                   issue, "alice")
                .status,
            Status::ok);
}

TEST(TokenReject, EverySingleCharacterSubstitution) {
  const uint32_t issue = 1700000000;
  expect_every_substitution_invalid(tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5), issue,
                                    "alice");
  expect_every_substitution_invalid(tok::build_rtm_token_006(kAppId, kCert, "alice", issue + 86400, 5), issue,
                                    "alice");
  expect_every_substitution_invalid(kRtm007CSharp, kIssueTs, kUser);
  expect_every_substitution_invalid(kRtm007Go, kIssueTs, kUser);  // stored-block padding is checked too
  expect_every_substitution_invalid(kRtcRtm007Node, kIssueTs, kUser);
  expect_every_substitution_invalid(kRtm006, kIssueTs - 1, kUser);
}

TEST(TokenReject, EveryTruncation) {
  const uint32_t issue = 1700000000;
  expect_every_truncation_invalid(tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5), issue, "alice");
  expect_every_truncation_invalid(tok::build_rtm_token_006(kAppId, kCert, "alice", issue + 86400, 5), issue,
                                  "alice");
  expect_every_truncation_invalid(kRtm007Go, kIssueTs, kUser);
  expect_every_truncation_invalid(kRtm006, kIssueTs - 1, kUser);
}

TEST(TokenReject, TrailingJunk) {
  const uint32_t issue = 1700000000;
  const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5);
  const std::string t6 = tok::build_rtm_token_006(kAppId, kCert, "alice", issue + 86400, 5);
  for (const std::string& t : {t7, t6}) {
    const std::vector<std::string> junks = {"A", "=", "==", "AAAA", "AA==", " ", "\n", std::string(1, '\0')};
    for (const std::string& junk : junks) expect_invalid(verify(t + junk, issue, "alice"));
    expect_invalid(verify(" " + t, issue, "alice"));
  }
  // Extra bytes after the zlib stream (well-formed base64).
  std::string z = b64decode(std::string_view(t7).substr(3));
  ASSERT_EQ("007" + b64encode(z), t7);
  for (std::string_view extra : {std::string_view("\0", 1), std::string_view("x"), std::string_view("\0\0\0\0", 4)})
    expect_invalid(verify("007" + b64encode(z + std::string(extra)), issue, "alice"));
  // Extra bytes after the 006 content.
  std::string c = b64decode(std::string_view(t6).substr(35));
  ASSERT_EQ(t6.substr(0, 35) + b64encode(c), t6);
  expect_invalid(verify(t6.substr(0, 35) + b64encode(c + std::string(1, '\0')), issue, "alice"));
  expect_invalid(verify(t6.substr(0, 35) + b64encode(c.substr(0, c.size() - 1)), issue, "alice"));
}

TEST(TokenReject, BadBase64) {
  const uint32_t issue = 1700000000;
  const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5);
  // URL-safe alphabet, missing padding, embedded whitespace.
  std::string url = t7;
  for (char& ch : url) {
    if (ch == '+') ch = '-';
    if (ch == '/') ch = '_';
  }
  if (url != t7) expect_invalid(verify(url, issue, "alice"));
  std::string unpadded = t7;
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  if (unpadded != t7) expect_invalid(verify(unpadded, issue, "alice"));
  expect_invalid(verify(t7.substr(0, 10) + "\n" + t7.substr(10), issue, "alice"));
  // Non-canonical padding bits: "QQ==" and "QR==" both decode to "A" with a lenient decoder.
  EXPECT_EQ(b64decode("QR=="), "A");
  expect_invalid(verify("007QR==", issue, "alice"));
}

TEST(TokenReject, BadZlib) {
  const uint32_t issue = 1700000000;
  for (std::string_view payload : {std::string_view(""), std::string_view("x"), std::string_view("not zlib data")})
    expect_invalid(verify("007" + b64encode(payload), issue, "alice"));
  // Valid zlib around garbage.
  expect_invalid(verify("007" + b64encode(zlib_stored("garbage")), issue, "alice"));
  // Corrupt checksum.
  std::string z = zlib_stored("garbage");
  z.back() = static_cast<char>(z.back() ^ 1);
  expect_invalid(verify("007" + b64encode(z), issue, "alice"));
  // Preset dictionary flag (FDICT): 0x78 0x20 | FCHECK.
  expect_invalid(verify("007" + b64encode(std::string("\x78\x3b\x00\x00\x00\x00", 6) + "xxxxxxxx"), issue, "alice"));
}

TEST(TokenReject, DeflatePaddingBitsMustBeZero) {
  // Go's compressor ends kRtm007Go with an empty stored block (00 00 ff ff). The top bit of the byte before
  // it is padding after the stored-block header: a lenient inflater (zlib.decompress) ignores it and returns
  // the same payload, so a strict verifier has to reject a token with that bit set.
  std::string z = b64decode(std::string_view(kRtm007Go).substr(3));
  ASSERT_EQ("007" + b64encode(z), kRtm007Go);
  const auto at = z.find(std::string("\x00\x00\xff\xff", 4));
  ASSERT_NE(at, std::string::npos);
  ASSERT_GT(at, 0u);
  EXPECT_EQ(verify("007" + b64encode(z), kIssueTs, kUser).status, Status::ok);
  z[at - 1] = static_cast<char>(z[at - 1] ^ 0x80);
  expect_invalid(verify("007" + b64encode(z), kIssueTs, kUser));

  // Same for the padding after the final block of our own (zlib) tokens: set each unused high bit of the
  // last deflate byte (just before the 4-byte checksum) in turn.
  const std::string t = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, 1700000000, 5);
  const std::string raw = b64decode(std::string_view(t).substr(3));
  for (int bit = 0; bit < 8; ++bit) {
    std::string m = raw;
    m[m.size() - 5] = static_cast<char>(m[m.size() - 5] ^ (1 << bit));
    expect_invalid(verify("007" + b64encode(m), 1700000000, "alice"));
  }
  // Stored block around garbage, with clean and with dirty padding: invalid either way, never a crash.
  expect_invalid(verify("007" + b64encode(zlib_stored("payload", 0x01)), 1, "alice"));
  expect_invalid(verify("007" + b64encode(zlib_stored("payload", 0x09)), 1, "alice"));
}

TEST(TokenReject, ZlibBombIsCapped) {
  // 1 + 258 * 2000 = 516 KiB of output from about 3 KiB of input.
  const std::string bomb = zlib_bomb(2000);
  EXPECT_LT(bomb.size(), 4000u);
  const auto v = verify("007" + b64encode(bomb), 1, "alice");
  expect_invalid(v);
  // Genuine tokens: a 60 KiB payload is fine, beyond 64 KiB is refused.
  const uint32_t issue = 1700000000;
  std::string small = tok::build_access_token2(
      kAppId, kCert, issue, 3600, 5,
      {rtm_login("alice", 3600), service(tok::kServiceChat, {}, {std::string(60000, 'x')})});
  ASSERT_FALSE(small.empty());
  EXPECT_LT(small.size(), tok::kMaxTokenChars);
  EXPECT_EQ(verify(small, issue, "alice").status, Status::ok);
  std::string big = tok::build_access_token2(
      kAppId, kCert, issue, 3600, 5,
      {rtm_login("alice", 3600), service(tok::kServiceChat, {}, {std::string(60000, 'x')}),
       service(tok::kServiceRtc, {}, {std::string(10000, 'y'), ""})});
  ASSERT_FALSE(big.empty());
  EXPECT_LT(big.size(), tok::kMaxTokenChars);
  expect_invalid(verify(big, issue, "alice"));
}

TEST(TokenReject, OversizedTokenString) {
  const uint32_t issue = 1700000000;
  const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5);
  expect_invalid(verify(t7 + std::string(tok::kMaxTokenChars, 'A'), issue, "alice"));
  expect_invalid(verify(std::string(1 << 20, 'A'), issue, "alice"));
}

TEST(TokenReject, EmptyAndShortInputs) {
  for (std::string_view t : {"", "0", "00", "006", "007", "008", "007=", "007A", "007AA==", "007AAAA", "006=",
                             "006970CA35de60c44645bbae8a215061b33", "006970CA35de60c44645bbae8a215061b33AAAA",
                             "1:970CA35de60c44645bbae8a215061b33:1446455471:abc", "_no_need_token"}) {
    SCOPED_TRACE(std::string(t));
    const auto v = verify(t, 1000);
    expect_invalid(v);
  }
}

TEST(TokenReject, RandomGarbage) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> len(0, 400);
  std::uniform_int_distribution<int> b64(0, 63);
  for (int i = 0; i < 3000; ++i) {
    const int n = len(rng);
    std::string raw;
    for (int j = 0; j < n; ++j) raw.push_back(static_cast<char>(byte(rng)));
    expect_invalid(verify(raw, 1000));
    expect_invalid(verify("007" + raw, 1000));
    expect_invalid(verify("006" + std::string(kAppId) + raw, 1000));
    // Well-formed base64 of random bytes, with and without a zlib-looking header.
    expect_invalid(verify("007" + b64encode(raw), 1000));
    expect_invalid(verify("007" + b64encode("\x78\x9c" + raw), 1000));
    expect_invalid(verify("006" + std::string(kAppId) + b64encode(raw), 1000));
    std::string chars;
    for (int j = 0; j < n; ++j) chars.push_back(kB64[static_cast<std::size_t>(b64(rng))]);
    expect_invalid(verify("007" + chars, 1000));
  }
}

TEST(TokenReject, EveryBitFlipOfTheDecodedBytes) {
  const uint32_t issue = 1700000000;
  const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, "alice", 3600, issue, 5);
  const std::string t6 = tok::build_rtm_token_006(kAppId, kCert, "alice", issue + 86400, 5);
  for (const std::string& base : {t7, t6}) {
    // Flip bits inside the decoded bytes and re-encode canonically.
    const std::size_t prefix = base[2] == '7' ? 3 : 35;
    const std::string raw = b64decode(std::string_view(base).substr(prefix));
    for (std::size_t i = 0; i < raw.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string m = raw;
        m[i] = static_cast<char>(m[i] ^ (1 << bit));
        expect_invalid(verify(base.substr(0, prefix) + b64encode(m), issue, "alice"));
      }
    }
  }
}

// ==== builder input checks ==========================================================================

TEST(TokenBuilder, RejectsUnusableInput) {
  EXPECT_EQ(tok::build_rtm_token_007("", kCert, "alice", 3600, 1, 1), "");
  EXPECT_EQ(tok::build_rtm_token_007(kAppId, "", "alice", 3600, 1, 1), "");
  EXPECT_EQ(tok::build_rtm_token_007(kAppId, kCert, std::string(70000, 'u'), 3600, 1, 1), "");
  EXPECT_EQ(tok::build_rtm_token_006("", kCert, "alice", 1, 1), "");
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, "", "alice", 1, 1), "");
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, kCert, std::string(70000, 'u'), 1, 1), "");
  EXPECT_EQ(tok::build_access_token2(kAppId, kCert, 1, 1, 1, {}), "");
  EXPECT_EQ(tok::build_rtm_token_007("", kCert, "alice", 3600), "");
  EXPECT_EQ(tok::build_rtm_token_006(kAppId, "", "alice"), "");
}

TEST(TokenBuilder, NonAgoraIdsStillRoundTrip) {
  // Agora's own builders insist on 32 hex characters; rtmkit accepts any non-empty ID and certificate.
  EXPECT_TRUE(tok::is_agora_id(kAppId));
  EXPECT_TRUE(tok::is_agora_id(kCert));
  EXPECT_FALSE(tok::is_agora_id("my-app"));
  EXPECT_FALSE(tok::is_agora_id("Z70CA35de60c44645bbae8a215061b33"));
  EXPECT_FALSE(tok::is_agora_id("970CA35de60c44645bbae8a215061b3"));
  const uint32_t issue = 1700000000;
  const std::string t7 = tok::build_rtm_token_007("my-app", "s3cret", "alice", 60, issue, 1);
  const std::string t6 = tok::build_rtm_token_006("my-app", "s3cret", "alice", issue + 60, 1);
  ASSERT_FALSE(t7.empty());
  ASSERT_FALSE(t6.empty());
  EXPECT_EQ(tok::verify_rtm_token(t7, "my-app", "s3cret", "alice", issue).status, Status::ok);
  EXPECT_EQ(tok::verify_rtm_token(t6, "my-app", "s3cret", "alice", issue).status, Status::ok);
  expect_invalid(tok::verify_rtm_token(t7, "my-app", "s3cret!", "alice", issue));
  expect_invalid(tok::verify_rtm_token(t6, "my-ap", "s3cret", "alice", issue));
}

TEST(TokenBuilder, UnicodeAndLongUserIds) {
  const uint32_t issue = 1700000000;
  for (const std::string& user : {std::string("\xe7\x94\xa8\xe6\x88\xb7"), std::string(64, 'z'),
                                  std::string(4096, 'q'), std::string("a b\tc")}) {
    const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, user, 60, issue, 1);
    const std::string t6 = tok::build_rtm_token_006(kAppId, kCert, user, issue + 60, 1);
    ASSERT_FALSE(t7.empty());
    ASSERT_FALSE(t6.empty());
    EXPECT_EQ(verify(t7, issue, user).status, Status::ok);
    EXPECT_EQ(verify(t6, issue, user).status, Status::ok);
  }
  // The largest user id the formats can carry. 006 only carries its CRC32, so it verifies; the 007 payload
  // holds the id itself and exceeds kMaxPayloadBytes, so the verifier refuses it.
  const std::string huge(65535, 'q');
  const std::string t7 = tok::build_rtm_token_007(kAppId, kCert, huge, 60, issue, 1);
  const std::string t6 = tok::build_rtm_token_006(kAppId, kCert, huge, issue + 60, 1);
  ASSERT_FALSE(t7.empty());
  ASSERT_FALSE(t6.empty());
  expect_invalid(verify(t7, issue, huge));
  EXPECT_EQ(verify(t6, issue, huge).status, Status::ok);
  expect_invalid(verify(t6, issue, huge.substr(1)));
}

// Legacy Signaling tokens: md5("alice" "sigapp" cert "1700000000"), computed independently.
TEST(SignalingToken, KnownAnswerAndVerification) {
  using namespace rtm::token;
  const std::string cert = "0123456789abcdef0123456789abcdef";
  const std::string t = build_signaling_token("sigapp", cert, "alice", 1700000000u);
  EXPECT_EQ(t, "1:sigapp:1700000000:0fa84cd31ff561fc87c1afd88cf1179e");
  EXPECT_EQ(build_signaling_token("", cert, "alice", 1), "");
  EXPECT_EQ(build_signaling_token("sigapp", cert, "", 1), "");

  auto v = verify_signaling_token(t, "sigapp", cert, "alice", 1699999999u);
  EXPECT_EQ(v.status, Status::ok);
  EXPECT_EQ(v.expires_at, 1700000000u);
  EXPECT_EQ(v.version, 1);
  EXPECT_EQ(verify_signaling_token(t, "sigapp", cert, "alice", 1700000000u).status, Status::expired);
  EXPECT_EQ(verify_signaling_token(t, "sigapp", cert, "bob", 1u).status, Status::invalid);
  EXPECT_EQ(verify_signaling_token(t, "other", cert, "alice", 1u).status, Status::invalid);
  EXPECT_EQ(verify_signaling_token(t, "sigapp", "fedcba9876543210fedcba9876543210", "alice", 1u).status,
            Status::invalid);
  // Malformed: every truncation, a changed digest, a padded or non-numeric time, extra fields.
  for (std::size_t n = 0; n < t.size(); ++n)
    EXPECT_EQ(verify_signaling_token(t.substr(0, n), "sigapp", cert, "alice", 1u).status, Status::invalid) << n;
  std::string bad = t;
  bad.back() = bad.back() == '0' ? '1' : '0';
  EXPECT_EQ(verify_signaling_token(bad, "sigapp", cert, "alice", 1u).status, Status::invalid);
  EXPECT_EQ(verify_signaling_token("1:sigapp:01700000000:0fa84cd31ff561fc87c1afd88cf1179e", "sigapp", cert, "alice", 1u)
                .status,
            Status::invalid);
  EXPECT_EQ(verify_signaling_token("1:sigapp:17x0000000:0fa84cd31ff561fc87c1afd88cf1179e", "sigapp", cert, "alice", 1u)
                .status,
            Status::invalid);
  EXPECT_EQ(verify_signaling_token(t + ":x", "sigapp", cert, "alice", 1u).status, Status::invalid);
  EXPECT_EQ(verify_signaling_token("_no_need_token", "sigapp", cert, "alice", 1u).status, Status::invalid);
}
