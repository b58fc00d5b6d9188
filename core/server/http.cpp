#include "core/server/http.hpp"

#include <unistd.h>

#include "core/server/metrics.hpp"
#include "core/server/service.hpp"

namespace rtm::server {

namespace {
HttpReply text(unsigned status, std::string body) { return {status, "text/plain; charset=utf-8", std::move(body), {}}; }
}  // namespace

std::optional<HttpReply> http_endpoint(ServerCore& core, std::string_view path) {
  if (path == "/healthz") return text(200, "ok\n");
  if (path == "/readyz") {
    if (core.store && !core.store->healthy()) return text(503, "not ready: the offline store cannot commit\n");
    if (!core.cfg.data_dir.empty() && ::access(core.cfg.data_dir.c_str(), W_OK) != 0)
      return text(503, "not ready: the data directory is not writable\n");
    return text(200, "ready\n");
  }
  if (path == "/metrics")
    return HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", prometheus_text(metrics_snapshot(core)), {}};
  return std::nullopt;
}

}  // namespace rtm::server
