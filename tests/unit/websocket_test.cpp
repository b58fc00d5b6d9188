// RFC 6455 framing helpers shared by rtmd and the client.
#include <gtest/gtest.h>

#include <string>

#include "core/protocol/websocket.hpp"

using namespace rtm::ws;

namespace {
const unsigned char* u(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }
}  // namespace

TEST(WebSocketFraming, AcceptKeyOfTheRfcSample) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_TRUE(valid_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_TRUE(valid_key(new_key(1, 2)));
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25jZQ="));
  EXPECT_FALSE(valid_key("dGhlIHNhbXBsZSBub25jZ!=="));
  EXPECT_NE(new_key(1, 2), new_key(1, 3));
}

TEST(WebSocketFraming, HeadersRoundTripForEveryLengthForm) {
  for (uint64_t len : {0ull, 125ull, 126ull, 65535ull, 65536ull, 1ull << 40}) {
    for (bool masked : {false, true}) {
      unsigned char buf[14];
      uint32_t key = 0x01020304;
      std::size_t n = write_header(buf, kBinary, len, masked ? &key : nullptr);
      FrameHeader h;
      EXPECT_EQ(read_header(buf, n - 1, h), -1) << len;  // one byte short
      ASSERT_EQ(read_header(buf, n, h), 0) << len;
      EXPECT_EQ(h.size, n);
      EXPECT_EQ(h.len, len);
      EXPECT_EQ(h.op, kBinary);
      EXPECT_TRUE(h.fin);
      EXPECT_EQ(h.masked, masked);
    }
  }
}

TEST(WebSocketFraming, ReservedBitsAndAnOversizedLengthAreProtocolErrors) {
  FrameHeader h;
  EXPECT_EQ(read_header(u(std::string("\xc1\x00", 2)), 2, h), close::PROTOCOL_ERROR);
  std::string top = {'\x82', '\x7f', '\x80', 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(read_header(u(top), top.size(), h), close::PROTOCOL_ERROR);
  EXPECT_EQ(read_header(u(std::string("\x81", 1)), 1, h), -1);
}

TEST(WebSocketFraming, FrameChecks) {
  FrameHeader h;
  h.fin = true;
  h.op = kPing;
  h.len = 125;
  EXPECT_EQ(check_frame(h, false, 0, 1000), 0);
  h.len = 126;
  EXPECT_EQ(check_frame(h, false, 0, 1000), close::PROTOCOL_ERROR);  // control frame too long
  h.len = 1;
  h.fin = false;
  EXPECT_EQ(check_frame(h, false, 0, 1000), close::PROTOCOL_ERROR);  // fragmented control frame
  h.fin = true;
  h.op = 11;
  EXPECT_EQ(check_frame(h, false, 0, 1000), close::PROTOCOL_ERROR);  // unknown control opcode
  h.op = 3;
  EXPECT_EQ(check_frame(h, false, 0, 1000), close::PROTOCOL_ERROR);  // unknown data opcode
  h.op = kCont;
  EXPECT_EQ(check_frame(h, false, 0, 1000), close::PROTOCOL_ERROR);  // nothing to continue
  h.op = kText;
  EXPECT_EQ(check_frame(h, true, 10, 1000), close::PROTOCOL_ERROR);  // new message inside one
  h.op = kCont;
  h.len = 991;
  EXPECT_EQ(check_frame(h, true, 10, 1000), close::TOO_BIG);
  h.len = 990;
  EXPECT_EQ(check_frame(h, true, 10, 1000), 0);
  h.op = kBinary;
  h.len = 1001;
  EXPECT_EQ(check_frame(h, false, 0, 1000), close::TOO_BIG);
}

TEST(WebSocketFraming, MaskingTwiceRestoresAndWorksInPlace) {
  std::string text = "masking covers every byte, including a tail of odd length!";
  const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  std::string masked(text.size(), '\0');
  mask(masked.data(), text.data(), text.size(), key);
  EXPECT_EQ(static_cast<unsigned char>(masked[0]), static_cast<unsigned char>(text[0] ^ 0x37));
  EXPECT_EQ(static_cast<unsigned char>(masked[5]), static_cast<unsigned char>(text[5] ^ 0xfa));
  mask(masked.data(), masked.data(), masked.size(), key);
  EXPECT_EQ(masked, text);
}

TEST(WebSocketFraming, ReassemblerJoinsFragmentsAndPassesWholeMessagesThrough) {
  Reassembler r;
  std::string_view out;
  bool binary = true;
  EXPECT_TRUE(r.add(kText, true, "whole", out, binary));
  EXPECT_EQ(out, "whole");
  EXPECT_FALSE(binary);
  EXPECT_FALSE(r.add(kBinary, false, "ab", out, binary));
  EXPECT_TRUE(r.assembling());
  EXPECT_FALSE(r.add(kCont, false, "cd", out, binary));
  EXPECT_EQ(r.size(), 4u);
  EXPECT_TRUE(r.add(kCont, true, "ef", out, binary));
  EXPECT_EQ(out, "abcdef");
  EXPECT_TRUE(binary);
  EXPECT_FALSE(r.assembling());
  EXPECT_TRUE(r.add(kText, true, "next", out, binary));
  EXPECT_EQ(out, "next");
  EXPECT_EQ(r.size(), 0u);
}

TEST(WebSocketFraming, HeaderTokensAndClosePayloads) {
  EXPECT_TRUE(header_has_token("keep-alive, Upgrade", "upgrade"));
  EXPECT_TRUE(header_has_token("WebSocket", "websocket"));
  EXPECT_FALSE(header_has_token("upgraded", "upgrade"));
  EXPECT_EQ(close_payload(0), "");
  EXPECT_EQ(close_payload(1000, "bye"), std::string("\x03\xe8" "bye", 5));
  EXPECT_EQ(close_payload(4100, std::string(200, 'r')).size(), 125u);
}
