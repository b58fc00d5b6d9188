// The rtm.v1 wire codec: JSON objects in WebSocket text frames; messages with a binary payload
// travel in binary frames as  [u32 big-endian header length][JSON header][payload bytes]
// so that raw payloads are never base64-inflated. Each op has a fixed table of fields (codec.cpp);
// docs/protocol.md documents them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/errors.hpp"

namespace rtm::proto {

inline constexpr std::string_view kSubprotocol = "rtm.v1";
inline constexpr int kProtocolVersion = 1;

enum class Op : uint8_t {
  unknown = 0,
  // client -> server requests (carry an id, answered by `res`)
  login, logout, renew, peer,
  join, leave, cmsg, members, count, chinfo,
  query, sub, unsub, subs,
  uattr_set, uattr_add, uattr_del, uattr_clear, uattr_get,
  cattr_set, cattr_add, cattr_del, cattr_clear, cattr_get,
  inv_send, inv_cancel, inv_accept, inv_refuse,
  // client -> server, no answer
  ack, inv_ack,
  // server -> client
  res, msg, kick, error, member, mcount, cattrs, presence, inv, token_will_expire,
};

std::string_view op_name(Op op);
bool is_request(Op op);

struct Attr {
  std::string key;
  std::string value;
  std::string user;  // channel attributes: lastUpdateUserId
  int64_t ts = 0;    // channel attributes: lastUpdateTs (ms)
  bool operator==(const Attr&) const = default;
};

// One decoded frame. Only the fields of its op are meaningful.
struct Frame {
  Op op = Op::unknown;
  int64_t id = 0;          // request id for correlation (client-chosen, > 0), echoed in `res`
  int code = 0;            // res: the RTM result code; error: a ProtocolErr; inv: the event
  int reason = 0;          // kick: a ConnectionChangeReason
  std::string app;         // login
  std::string uid;         // login; member, uattr_get: the user concerned
  std::string token;       // login, renew
  std::string sdk;         // login: free-form client name/version, logged only
  bool resume = false;     // login: the SDK reconnects an existing session
  std::string sid;         // login: the SDK instance's session id; a resume must present the same one
  std::string to;          // peer; inv_*: the other party
  std::string from;        // msg, cmsg; inv: the other party
  std::string ch;          // channel id
  int type = 0;            // peer, msg, cmsg: MessageType (1 text, 2 raw)
  std::string text;        // the text of a TEXT message, the description of a RAW one
  std::string payload;     // raw bytes of a RAW message (binary frame)
  bool offline = false;    // peer: enableOfflineMessaging; msg: isOfflineMessage
  bool notify = false;     // cattr_*: enableNotificationToChannelMembers
  bool joined = false;     // member: joined (true) or left (false)
  bool legacy = false;     // login: a Signaling-API login (legacy token rules)
  bool online = false;     // inv_send: fail at once if the callee is offline
  int64_t ttl = 0;         // inv_send: the invitation fails this many ms after it was sent (0: server default)
  int64_t mid = 0;         // message id chosen by the sender (unique per sender); inv: invitation id
  int64_t ts = 0;          // serverReceivedTs (ms); res to login: server time (ms)
  uint64_t seq = 0;        // cmsg (server->client): the message's position in its channel
  uint64_t since = 0;      // join: the last channel seq the SDK has (0: none)
  uint64_t n = 0;          // ack: cumulative count of `msg` frames received on this connection
  int64_t hb = 0;          // res to login: server idle timeout in ms
  int64_t count = 0;       // mcount
  std::string detail;      // error: human-readable detail
  std::string version;     // res to login: server version string
  std::string content;     // inv_send / inv: invitation content
  std::string response;    // inv_accept, inv_refuse / inv: the callee's response
  std::vector<std::string> uids;   // query, sub, unsub, res(members, subs, count), presence
  std::vector<int64_t> nums;       // res(query, count), presence: one number per entry of uids
  std::vector<std::string> keys;   // *_del, *_get
  std::vector<Attr> attrs;         // *_set, *_add, res(*_get), cattrs
};

// Decodes one WebSocket message. Returns 0 on success or a ProtocolErr value. On INVALID_FIELD or
// UNKNOWN_OP, `out.id` and `out.op` hold what could be read, so the error can be correlated.
int decode(std::string_view data, bool binary, Frame& out);

// Encodes a frame. `binary` is set when the result must go in a binary WebSocket frame.
std::string encode(const Frame& f, bool& binary);

// Size of a message as RTM counts it against the 32 KB limit.
inline std::size_t message_size(const Frame& f) { return f.text.size() + f.payload.size(); }

}  // namespace rtm::proto
