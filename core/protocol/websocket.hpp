// RFC 6455 framing shared by rtmd's sessions and the client transport: frame headers, masking,
// the checks every frame must pass, the reassembly of fragmented messages, the upgrade's header
// helpers, and the non-blocking socket calls both sides read and write with.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct iovec;

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

// Bytes of an incomplete frame kept between reads. feed() hands `parse` the bytes to look at (the
// read buffer itself when nothing is kept) and keeps what it did not use. `parse(char*, size_t)`
// returns the bytes its complete frames took, or kDropAll when nothing more is to be parsed.
class Input {
 public:
  static constexpr std::size_t kDropAll = static_cast<std::size_t>(-1);
  template <class Parse>
  void feed(char* data, std::size_t n, Parse&& parse) {
    if (kept_.empty()) {
      std::size_t used = parse(data, n);
      if (used != kDropAll && used < n) kept_.assign(data + used, n - used);
    } else {
      kept_.append(data, n);
      std::size_t used = parse(kept_.data(), kept_.size());
      if (used == kDropAll) kept_.clear();
      else kept_.erase(0, used);
    }
    if (kept_.empty() && kept_.capacity() > 16 * 1024) std::string().swap(kept_);
  }

 private:
  std::string kept_;
};

// Liveness by silence, ticked every half idle period: a ping after a half without anything
// received, the end after another silent half.
struct KeepAlive {
  enum Tick { kAlive, kPing, kDead };
  bool received = false;  // set on every read
  bool pinged = false;
  Tick tick() {
    if (received) {
      received = pinged = false;
      return kAlive;
    }
    if (pinged) return kDead;
    pinged = true;
    return kPing;
  }
};

// Non-blocking socket calls. `n` is set on kDone; `err` (an errno value) on kFailed.
enum class Io { kDone, kWouldBlock, kEof, kFailed };
Io recv_now(int fd, char* buf, std::size_t cap, std::size_t& n, int& err);
Io send_now(int fd, const iovec* iov, int count, std::size_t& n, int& err);  // MSG_NOSIGNAL

// The I/O thread's read buffer (kReadChunk bytes): connections read into it and keep only
// incomplete frames, so an idle connection holds no read buffer.
inline constexpr std::size_t kReadChunk = 64 * 1024;
char* thread_read_buffer();

// HTTP header helpers for the upgrade.
// A comma-separated list holds `token` (surrounding blanks ignored; letter case too unless `exact`).
bool header_has_token(std::string_view header, std::string_view token, bool exact = false);
std::string accept_key(std::string_view key);                            // Sec-WebSocket-Accept
std::string new_key(uint64_t a, uint64_t b);                             // Sec-WebSocket-Key of 16 bytes
bool valid_key(std::string_view key);                                    // base64 of 16 bytes

}  // namespace rtm::ws
