#include "core/protocol/websocket.hpp"

#include <openssl/evp.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

namespace rtm::ws {

int read_header(const unsigned char* p, std::size_t n, FrameHeader& h) {
  if (n < 2) return -1;
  if (p[0] & 0x70) return close::PROTOCOL_ERROR;  // no extension is negotiated
  h.fin = p[0] & 0x80;
  h.op = p[0] & 0x0f;
  h.masked = p[1] & 0x80;
  uint64_t len = p[1] & 0x7f;
  std::size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
  h.size = 2 + ext + (h.masked ? 4 : 0);
  if (n < h.size) return -1;
  if (ext) {
    len = 0;
    for (std::size_t i = 0; i < ext; ++i) len = (len << 8) | p[2 + i];
    if (len >> 63) return close::PROTOCOL_ERROR;
  }
  h.len = len;
  if (h.masked) std::memcpy(h.key, p + 2 + ext, 4);
  return 0;
}

uint16_t check_frame(const FrameHeader& h, bool assembling, std::size_t assembled, std::size_t max_message) {
  if (h.op >= 8) {
    bool known = h.op == kClose || h.op == kPing || h.op == kPong;
    return !known || !h.fin || h.len > 125 ? close::PROTOCOL_ERROR : 0;
  }
  if (h.op > kBinary || (h.op == kCont) != assembling) return close::PROTOCOL_ERROR;
  if (h.len > max_message || (assembling ? assembled : 0) + h.len > max_message) return close::TOO_BIG;
  return 0;
}

std::size_t write_header(unsigned char* out, uint8_t opcode, uint64_t len, const uint32_t* key) {
  unsigned char m = key ? 0x80 : 0;
  out[0] = static_cast<unsigned char>(0x80 | opcode);
  std::size_t n;
  if (len < 126) {
    out[1] = static_cast<unsigned char>(m | len);
    n = 2;
  } else if (len < 65536) {
    out[1] = m | 126;
    out[2] = static_cast<unsigned char>(len >> 8);
    out[3] = static_cast<unsigned char>(len);
    n = 4;
  } else {
    out[1] = m | 127;
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>(len >> (56 - 8 * i));
    n = 10;
  }
  if (key) {
    std::memcpy(out + n, key, 4);
    n += 4;
  }
  return n;
}

void mask(char* dst, const char* src, std::size_t n, const unsigned char key[4]) {
  uint32_t k;
  std::memcpy(&k, key, 4);
  uint64_t k8 = (uint64_t{k} << 32) | k;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    std::memcpy(&v, src + i, 8);
    v ^= k8;
    std::memcpy(dst + i, &v, 8);
  }
  for (; i < n; ++i) dst[i] = static_cast<char>(src[i] ^ key[i & 3]);
}

std::string close_payload(uint16_t code, std::string_view reason) {
  std::string p;
  if (!code) return p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xff));
  p.append(reason.substr(0, 123));
  return p;
}

bool Reassembler::add(uint8_t op, bool fin, std::string_view payload, std::string_view& out, bool& binary) {
  if (handed_out_) {
    handed_out_ = false;
    msg_.clear();
    if (msg_.capacity() > 16 * 1024) std::string().swap(msg_);
  }
  if (op != kCont) {
    binary_ = op == kBinary;
    if (fin) {
      out = payload;
      binary = binary_;
      return true;
    }
    assembling_ = true;
  }
  msg_.append(payload);
  if (!fin) return false;
  assembling_ = false;
  handed_out_ = true;
  out = msg_;
  binary = binary_;
  return true;
}

void Reassembler::reset() {
  assembling_ = false;
  handed_out_ = false;
  std::string().swap(msg_);
}

Io recv_now(int fd, char* buf, std::size_t cap, std::size_t& n, int& err) {
  for (;;) {
    ssize_t r = ::recv(fd, buf, cap, MSG_DONTWAIT);
    if (r > 0) {
      n = static_cast<std::size_t>(r);
      return Io::kDone;
    }
    if (r == 0) return Io::kEof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io::kWouldBlock;
    err = errno;
    return Io::kFailed;
  }
}

Io send_now(int fd, const iovec* iov, int count, std::size_t& n, int& err) {
  msghdr m{};
  m.msg_iov = const_cast<iovec*>(iov);
  m.msg_iovlen = static_cast<std::size_t>(count);
  for (;;) {
    ssize_t r = ::sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r >= 0) {
      n = static_cast<std::size_t>(r);
      return Io::kDone;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io::kWouldBlock;
    err = errno;
    return Io::kFailed;
  }
}

char* thread_read_buffer() {
  thread_local std::unique_ptr<char[]> buf(new char[kReadChunk]);
  return buf.get();
}

bool header_has_token(std::string_view header, std::string_view token, bool exact) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.size() == token.size() && std::equal(item.begin(), item.end(), token.begin(), [exact](char a, char b) {
          return exact ? a == b : std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

namespace {
std::string base64(const unsigned char* p, std::size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}
}  // namespace

std::string accept_key(std::string_view key) {
  std::string in(key);
  in += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(in.data(), in.size(), md, &md_len, EVP_sha1(), nullptr);
  return base64(md, md_len);
}

std::string new_key(uint64_t a, uint64_t b) {
  unsigned char nonce[16];
  std::memcpy(nonce, &a, 8);
  std::memcpy(nonce + 8, &b, 8);
  return base64(nonce, sizeof nonce);
}

bool valid_key(std::string_view key) {
  if (key.size() != 24 || key[22] != '=' || key[23] != '=') return false;
  for (std::size_t i = 0; i < 22; ++i) {
    char c = key[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return true;
}

}  // namespace rtm::ws
