#pragma once
#include <string>

namespace rtm::server {
// Writes a self-signed certificate (CN=localhost, SAN localhost and 127.0.0.1, P-256, one year) and
// its private key (mode 0600) as PEM files. Returns false with `error` set on failure.
bool generate_self_signed(const std::string& cert_path, const std::string& key_path, std::string& error);
}  // namespace rtm::server
