#include <gtest/gtest.h>

#include "core/protocol/codec.hpp"
#include "core/protocol/ids.hpp"

using namespace rtm;
using proto::Frame;
using proto::Op;

namespace {
Frame round_trip(const Frame& in, bool expect_binary) {
  bool binary = false;
  std::string wire = proto::encode(in, binary);
  EXPECT_EQ(binary, expect_binary);
  Frame out;
  EXPECT_EQ(proto::decode(wire, binary, out), 0) << wire;
  return out;
}
}  // namespace

TEST(Codec, LoginRoundTrip) {
  Frame f;
  f.op = Op::login; f.id = 7; f.app = "app"; f.uid = "alice"; f.token = "007abc"; f.sdk = "x";
  auto g = round_trip(f, false);
  EXPECT_EQ(g.op, Op::login);
  EXPECT_EQ(g.id, 7);
  EXPECT_EQ(g.app, "app");
  EXPECT_EQ(g.uid, "alice");
  EXPECT_EQ(g.token, "007abc");
}

TEST(Codec, TextPeerMessageRoundTrip) {
  Frame f;
  f.op = Op::peer; f.id = 3; f.to = "bob"; f.type = 1; f.text = "h\xc3\xa9llo \"quoted\"\n"; f.offline = true;
  f.mid = (int64_t(1) << 62) + 5;
  auto g = round_trip(f, false);
  EXPECT_EQ(g.to, "bob");
  EXPECT_EQ(g.text, f.text);
  EXPECT_TRUE(g.offline);
  EXPECT_EQ(g.mid, f.mid);
}

TEST(Codec, RawMessageTravelsAsBinaryWithoutInflation) {
  Frame f;
  f.op = Op::msg; f.from = "alice"; f.type = 2; f.text = "desc"; f.mid = 9; f.ts = 1700000000123;
  for (int i = 0; i < 1000; ++i) f.payload.push_back(static_cast<char>(i & 0xff));
  bool binary = false;
  std::string wire = proto::encode(f, binary);
  EXPECT_TRUE(binary);
  EXPECT_LT(wire.size(), f.payload.size() + 120);  // header only, no base64
  Frame g;
  ASSERT_EQ(proto::decode(wire, true, g), 0);
  EXPECT_EQ(g.payload, f.payload);
  EXPECT_EQ(g.text, "desc");
  EXPECT_EQ(g.ts, f.ts);
}

TEST(Codec, ResAckKickErrorRoundTrip) {
  Frame r; r.op = Op::res; r.id = 11; r.code = 4; r.ts = 5; r.hb = 6; r.version = "v";
  auto g = round_trip(r, false);
  EXPECT_EQ(g.code, 4); EXPECT_EQ(g.hb, 6); EXPECT_EQ(g.version, "v");
  Frame a; a.op = Op::ack; a.n = 123456789012ULL;
  EXPECT_EQ(round_trip(a, false).n, 123456789012ULL);
  Frame k; k.op = Op::kick; k.reason = 8;
  EXPECT_EQ(round_trip(k, false).reason, 8);
  Frame e; e.op = Op::error; e.code = 1003; e.detail = "x";
  EXPECT_EQ(round_trip(e, false).code, 1003);
}

TEST(Codec, MalformedInputIsRejectedWithItsCode) {
  Frame f;
  const int malformed = static_cast<int>(ProtocolErr::MALFORMED_FRAME);
  const int invalid = static_cast<int>(ProtocolErr::INVALID_FIELD);
  EXPECT_EQ(proto::decode("not json", false, f), malformed);
  EXPECT_EQ(proto::decode("[1,2]", false, f), malformed);
  EXPECT_EQ(proto::decode("{\"op\":\"login\"} trailing", false, f), malformed);
  EXPECT_EQ(proto::decode("", false, f), malformed);
  EXPECT_EQ(proto::decode(std::string("\0\0\0\xff{}", 7), true, f), malformed);  // header longer than frame
  EXPECT_EQ(proto::decode("ab", true, f), malformed);
  EXPECT_EQ(proto::decode("{}", false, f), invalid);                               // no op
  EXPECT_EQ(proto::decode("{\"op\":5}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"login\",\"id\":1,\"app\":\"a\",\"uid\":7}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"login\",\"id\":\"1\",\"app\":\"a\",\"uid\":\"u\"}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"peer\",\"id\":0,\"to\":\"b\",\"type\":1,\"mid\":1}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"peer\",\"id\":1,\"to\":\"b\",\"type\":3,\"mid\":1}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"ack\",\"n\":-1}", false, f), invalid);
  // Text that is not valid UTF-8 never reaches a receiver.
  EXPECT_EQ(proto::decode("{\"op\":\"peer\",\"id\":1,\"to\":\"b\",\"type\":1,\"mid\":1,\"text\":\"\\udc00\"}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"peer\",\"id\":1,\"to\":\"b\",\"type\":1,\"mid\":1,\"text\":\"\xc0\xaf\"}", false, f), invalid);
  EXPECT_EQ(proto::decode("{\"op\":\"peer\",\"id\":1,\"to\":\"b\",\"type\":1,\"mid\":1,\"text\":\"\xff\"}", false, f), invalid);
  Frame ok;
  EXPECT_EQ(proto::decode("{\"op\":\"peer\",\"id\":1,\"to\":\"b\",\"type\":1,\"mid\":1,\"text\":\"\\ud83d\\ude00 \xe2\x82\xac\"}", false, ok), 0);
  EXPECT_EQ(ok.text, "\xf0\x9f\x98\x80 \xe2\x82\xac");
  Frame u;
  EXPECT_EQ(proto::decode("{\"op\":\"teleport\",\"id\":42}", false, u), static_cast<int>(ProtocolErr::UNKNOWN_OP));
  EXPECT_EQ(u.id, 42);
}

TEST(Ids, UserIdRules) {
  EXPECT_TRUE(valid_user_id("alice"));
  EXPECT_TRUE(valid_user_id("a b!#$%&()+-:;<=.>?@[]^_{}|~,"));
  EXPECT_TRUE(valid_user_id(std::string(64, 'x')));
  EXPECT_FALSE(valid_user_id(std::string(65, 'x')));
  EXPECT_FALSE(valid_user_id(""));
  EXPECT_FALSE(valid_user_id("null"));
  EXPECT_TRUE(valid_user_id("Null"));
  EXPECT_FALSE(valid_user_id("a/b"));
  EXPECT_FALSE(valid_user_id("a\"b"));
  EXPECT_FALSE(valid_user_id("a*b"));
  EXPECT_FALSE(valid_user_id("\xc3\xa9"));
  EXPECT_FALSE(valid_user_id(std::string("a\0b", 3)));
}
