// The REST API an app's backend calls (docs/rest-api.md): Agora RTM 1.x's server-side API under
// /dev/v2/project/<appid>/rtm/ (peer and channel messages, user and channel events), plus presence
// and membership queries. Served on rtmd's listeners next to WebSocket.
#pragma once
#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "core/server/http.hpp"

namespace rtm::server {

struct ServerCore;

struct RestRequest {
  std::string method;          // "GET", "POST", ...
  std::string target;          // path and query
  std::string body;
  std::string authorization;   // the Authorization header
  std::string token, token_uid;  // x-agora-token, x-agora-uid
  bool secure = false;         // came over wss
  bool loopback = false;       // from 127.0.0.0/8 or ::1
  boost::asio::any_io_executor executor;  // for the wait of a peer message
};

inline constexpr std::string_view kRestPrefix = "/dev/v2/project/";

inline bool is_rest_path(std::string_view path) { return path.substr(0, kRestPrefix.size()) == kRestPrefix; }

// Answers `req`. `reply` runs exactly once, before this returns or later on any thread (a peer
// message with wait_for_ack waits for the receiver's acknowledgement).
void handle_rest(ServerCore& core, RestRequest req, std::function<void(HttpReply)> reply);

}  // namespace rtm::server
