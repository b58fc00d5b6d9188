// The rtm.v1 wire codec: JSON objects in WebSocket text frames; messages with a binary payload
// travel in binary frames as  [u32 big-endian header length][JSON header][payload bytes]
// so that raw payloads are never base64-inflated. See docs/protocol.md.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/protocol/errors.hpp"

namespace rtm::proto {

inline constexpr std::string_view kSubprotocol = "rtm.v1";
inline constexpr int kProtocolVersion = 1;

enum class Op : uint8_t {
  unknown = 0,
  // client -> server
  login, logout, renew, peer, ack,
  // server -> client
  res, msg, kick, error,
};

std::string_view op_name(Op op);

// One decoded frame. Only the fields of its op are meaningful.
struct Frame {
  Op op = Op::unknown;
  int64_t id = 0;          // request id for correlation (client-chosen, > 0), echoed in `res`
  int code = 0;            // res: the RTM result code of the request; error: a ProtocolErr
  int reason = 0;          // kick: a ConnectionChangeReason
  std::string app;         // login
  std::string uid;         // login
  std::string token;       // login, renew
  std::string sdk;         // login: free-form client name/version, logged only
  std::string to;          // peer
  std::string from;        // msg
  int type = 0;            // peer, msg: MessageType (1 text, 2 raw)
  std::string text;        // peer, msg: the text of a TEXT message, the description of a RAW one
  std::string payload;     // peer, msg: raw bytes of a RAW message (binary frame)
  bool offline = false;    // peer: enableOfflineMessaging; msg: isOfflineMessage
  int64_t mid = 0;         // peer, msg: message id chosen by the sender (unique per sender)
  int64_t ts = 0;          // msg: serverReceivedTs (ms); res to login: server time (ms)
  uint64_t n = 0;          // ack: cumulative count of `msg` frames received on this connection
  int64_t hb = 0;          // res to login: server idle timeout in ms
  std::string detail;      // error: human-readable detail
  std::string version;     // res to login: server version string
};

// Decodes one WebSocket message. Returns 0 on success or a ProtocolErr value. On INVALID_FIELD or
// UNKNOWN_OP, `out.id` and `out.op` hold what could be read, so the error can be correlated.
int decode(std::string_view data, bool binary, Frame& out);

// Encodes a frame. `binary` is set when the result must go in a binary WebSocket frame.
std::string encode(const Frame& f, bool& binary);

// Size of a message as RTM counts it against the 32 KB limit.
inline std::size_t message_size(const Frame& f) { return f.text.size() + f.payload.size(); }

}  // namespace rtm::proto
