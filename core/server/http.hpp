// rtmd's plain HTTP endpoints, served on the WebSocket listeners to requests that are not an
// upgrade: /healthz (the process answers), /readyz (it can take sessions: the offline store commits
// and its directory is writable) and /metrics (Prometheus text). docs/operations.md lists them.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace rtm::server {

struct ServerCore;

struct HttpReply {
  unsigned status = 200;
  std::string content_type;
  std::string body;
  std::string headers;  // more header lines, each ending in \r\n
};

// The reply for `path`, or nothing when the path is not one of the endpoints.
std::optional<HttpReply> http_endpoint(ServerCore& core, std::string_view path);

}  // namespace rtm::server
