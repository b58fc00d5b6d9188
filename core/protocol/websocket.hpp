// RFC 6455 framing shared by rtmd's sessions and the client transport: frame headers, masking,
// the checks every frame must pass, the reassembly of fragmented messages, and the upgrade's
// header helpers. I/O stays with the caller.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtm::ws {

enum Opcode : uint8_t { kCont = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };

namespace close {
inline constexpr uint16_t NORMAL = 1000;
inline constexpr uint16_t PROTOCOL_ERROR = 1002;
inline constexpr uint16_t BAD_PAYLOAD = 1007;
inline constexpr uint16_t TOO_BIG = 1009;
}  // namespace close

struct FrameHeader {
  bool fin = false;
  uint8_t op = 0;
  bool masked = false;
  uint64_t len = 0;          // payload bytes
  std::size_t size = 0;      // header bytes, masking key included
  unsigned char key[4] = {};
};

// Reads the header at the front of [p, p + n). Returns 0 when it is complete, -1 when more bytes
// are needed, or a close code: 1002 for a reserved bit or a 64-bit length with its top bit set.
int read_header(const unsigned char* p, std::size_t n, FrameHeader& h);

// The checks every frame passes before its payload is read, given how much of a fragmented
// message has been assembled (`assembling`: a message is in progress). 0 or a close code: 1002
// for a bad control frame, an unknown opcode or broken fragmentation, 1009 for a message that
// would exceed `max_message`.
uint16_t check_frame(const FrameHeader& h, bool assembling, std::size_t assembled, std::size_t max_message);

// Writes a header for a final frame into `out` (at least 14 bytes); `key` set means masked.
// Returns its size.
std::size_t write_header(unsigned char* out, uint8_t opcode, uint64_t len, const uint32_t* key = nullptr);

// dst[i] = src[i] ^ key[i % 4]; dst may equal src.
void mask(char* dst, const char* src, std::size_t n, const unsigned char key[4]);

// A close frame's payload: the code (absent when 0) and the reason, cut to 123 bytes.
std::string close_payload(uint16_t code, std::string_view reason = {});

// Puts fragmented messages together. A complete message is handed out as a view that stays valid
// until the next call.
class Reassembler {
 public:
  // Takes a data frame (opcode text, binary or continuation) that passed check_frame. True when it
  // completes a message, which `out` / `binary` then describe.
  bool add(uint8_t op, bool fin, std::string_view payload, std::string_view& out, bool& binary);
  bool assembling() const { return assembling_; }
  std::size_t size() const { return msg_.size(); }
  void reset();

 private:
  std::string msg_;
  bool assembling_ = false;
  bool binary_ = false;
  bool handed_out_ = false;
};

// HTTP header helpers for the upgrade.
bool header_has_token(std::string_view header, std::string_view token);  // comma list, any case
std::string accept_key(std::string_view key);                            // Sec-WebSocket-Accept
std::string new_key(uint64_t a, uint64_t b);                             // Sec-WebSocket-Key of 16 bytes
bool valid_key(std::string_view key);                                    // base64 of 16 bytes

}  // namespace rtm::ws
