#include "core/server/tls_stream.hpp"

#include <boost/asio/ssl/error.hpp>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>

namespace net = boost::asio;

namespace rtm::server {
namespace {

// A socket BIO of our own: OpenSSL's uses write(2), which raises SIGPIPE in a process that has not
// ignored it (rtmd embedded in a test or an application); send(2) with MSG_NOSIGNAL does not.
int fd_of(BIO* b) { return static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(b))); }

bool retryable(int e) { return e == EAGAIN || e == EWOULDBLOCK || e == EINTR; }

int bio_write(BIO* b, const char* data, int len) {
  BIO_clear_retry_flags(b);
  ssize_t r = ::send(fd_of(b), data, static_cast<std::size_t>(len), MSG_NOSIGNAL);
  if (r < 0 && retryable(errno)) BIO_set_retry_write(b);
  return static_cast<int>(r);
}

int bio_read(BIO* b, char* data, int len) {
  BIO_clear_retry_flags(b);
  ssize_t r = ::recv(fd_of(b), data, static_cast<std::size_t>(len), 0);
  if (r < 0 && retryable(errno)) BIO_set_retry_read(b);
  if (r == 0) BIO_set_flags(b, BIO_FLAGS_IN_EOF);
  return static_cast<int>(r);
}

long bio_ctrl(BIO* b, int cmd, long, void*) {
  switch (cmd) {
    case BIO_CTRL_FLUSH: return 1;
    case BIO_CTRL_EOF: return BIO_test_flags(b, BIO_FLAGS_IN_EOF) != 0;
    default: return 0;
  }
}

BIO_METHOD* socket_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rtm socket");
    if (m) {
      BIO_meth_set_write(m, bio_write);
      BIO_meth_set_read(m, bio_read);
      BIO_meth_set_ctrl(m, bio_ctrl);
    }
    return m;
  }();
  return method;
}

}  // namespace

TlsStream::TlsStream(socket_type&& socket, net::ssl::context& ctx) : socket_(std::move(socket)) {
  error_code ec;
  socket_.non_blocking(true, ec);
  BIO_METHOD* method = socket_method();
  if (ec || !method) return;
  ssl_ = SSL_new(ctx.native_handle());
  if (!ssl_) return;
  BIO* bio = BIO_new(method);
  if (!bio) {
    SSL_free(ssl_);
    ssl_ = nullptr;
    return;
  }
  BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(socket_.native_handle())));
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_, bio, bio);
  SSL_set_mode(ssl_, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_options(ssl_, SSL_OP_NO_RENEGOTIATION);
  // One recv for a whole record rather than one for its header and one for its body. The read
  // buffer is still released whenever it is empty.
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_accept_state(ssl_);
}

TlsStream::TlsStream(TlsStream&& other) noexcept
    : socket_(std::move(other.socket_)), ssl_(std::exchange(other.ssl_, nullptr)), failed_(other.failed_) {}

TlsStream::~TlsStream() {
  if (ssl_) SSL_free(ssl_);
}

TlsStream::Want TlsStream::outcome(int ret, int sys_errno, error_code& ec) {
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ:
      ERR_clear_error();
      return Want::read;
    case SSL_ERROR_WANT_WRITE:
      ERR_clear_error();
      return Want::write;
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
      ec = net::error::eof;
      break;
    case SSL_ERROR_SYSCALL:
      failed_ = true;
      if (unsigned long e = ERR_get_error())
        ec = error_code(static_cast<int>(e), net::error::get_ssl_category());
      else if (sys_errno != 0)
        ec = error_code(sys_errno, boost::system::system_category());
      else
        ec = net::ssl::error::stream_truncated;  // end of stream without close_notify
      break;
    case SSL_ERROR_SSL: {
      failed_ = true;
      unsigned long e = ERR_get_error();
      if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
        ec = net::ssl::error::stream_truncated;
      else
        ec = error_code(static_cast<int>(e), net::error::get_ssl_category());
      break;
    }
    default:
      failed_ = true;
      ec = net::ssl::error::unexpected_result;
      break;
  }
  // The error queue is per thread and shared by every connection on it.
  ERR_clear_error();
  return Want::none;
}

TlsStream::Want TlsStream::handshake_step(error_code& ec) {
  if (!ssl_) {
    ec = net::error::no_memory;
    return Want::none;
  }
  ERR_clear_error();
  errno = 0;
  int r = SSL_do_handshake(ssl_);
  int sys = errno;
  if (r == 1) return Want::none;
  return outcome(r, sys, ec);
}

TlsStream::Want TlsStream::read_step(void* data, std::size_t size, std::size_t& n, error_code& ec) {
  if (!ssl_) {
    ec = net::error::no_memory;
    return Want::none;
  }
  ERR_clear_error();
  errno = 0;
  int r = SSL_read_ex(ssl_, data, size, &n);
  int sys = errno;
  if (r == 1) return Want::none;
  n = 0;
  return outcome(r, sys, ec);
}

TlsStream::Want TlsStream::write_step(const void* data, std::size_t size, std::size_t& n, error_code& ec) {
  if (!ssl_) {
    ec = net::error::no_memory;
    return Want::none;
  }
  ERR_clear_error();
  errno = 0;
  int r = SSL_write_ex(ssl_, data, size, &n);
  int sys = errno;
  if (r == 1) return Want::none;
  n = 0;
  return outcome(r, sys, ec);
}

TlsStream::Want TlsStream::shutdown_step() {
  // No close_notify after a fatal error or before the handshake finished.
  if (!ssl_ || failed_ || !SSL_is_init_finished(ssl_)) return Want::none;
  ERR_clear_error();
  int r = SSL_shutdown(ssl_);
  Want want = Want::none;
  if (r < 0 && SSL_get_error(ssl_, r) == SSL_ERROR_WANT_WRITE) want = Want::write;
  ERR_clear_error();
  return want;
}

void TlsStream::shutdown() {
  if (socket_.is_open()) shutdown_step();
}

}  // namespace rtm::server
