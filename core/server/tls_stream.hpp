// The server side of wss: OpenSSL driven directly on the connection's socket.
//
// asio::ssl::stream keeps two 17 KB staging buffers and a BIO pair (two more) per connection for
// as long as it lives. TlsStream has none: OpenSSL reads and writes the socket itself through a
// small BIO, and with SSL_MODE_RELEASE_BUFFERS an idle connection keeps only its SSL object.
//
// Two ways to use it, both on the socket's executor (the connection's strand), so the SSL object
// is never used by two threads at once:
// - asynchronously (async_handshake, and async_read_some for Beast's HTTP parser, which reads the
//   upgrade request): a step that OpenSSL cannot finish (SSL_ERROR_WANT_READ / WANT_WRITE) waits for
//   the socket with async_wait and is tried again;
// - one non-blocking step at a time (read_step, write_step), which the WebSocket session uses with
//   its own socket waits.
// Closing the socket completes pending operations with operation_aborted.
#pragma once
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/async_base.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

struct ssl_st;

namespace rtm::server {

class TlsStream {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;
  using error_code = boost::system::error_code;

  // Takes an accepted socket; the context is shared and must outlive the stream.
  TlsStream(socket_type&& socket, boost::asio::ssl::context& ctx);
  // Only before any operation was started.
  TlsStream(TlsStream&& other) noexcept;
  TlsStream& operator=(TlsStream&&) = delete;
  ~TlsStream();

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  socket_type& socket() noexcept { return socket_; }

  // The server handshake. Handler: void(error_code).
  template <class Handler>
  auto async_handshake(Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(error_code)>(
        [this](auto&& h) {
          start<false>(std::forward<decltype(h)>(h), [this](error_code& ec, std::size_t&) { return handshake_step(ec); });
        },
        handler);
  }

  template <class MutableBuffers, class Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(error_code, std::size_t)>(
        [this](auto&& h, const MutableBuffers& b) {
          start<true>(std::forward<decltype(h)>(h),
                      [this, b](error_code& ec, std::size_t& n) { return read_buffers(b, n, ec); });
        },
        handler, buffers);
  }

  enum class Want { none, read, write };
  // One attempt each, never blocking. Want::none means done, with `ec` set on failure (eof after
  // the peer's close_notify); otherwise wait for the socket as told and repeat the same call.
  // A write may be partial (`n` < size).
  Want read_step(void* data, std::size_t size, std::size_t& n, error_code& ec);
  Want write_step(const void* data, std::size_t size, std::size_t& n, error_code& ec);

  // Sends close_notify, best effort: it does not wait for the peer's.
  void shutdown();

 private:
  template <class Handler, class Step, bool Bytes>
  class Op;

  template <bool Bytes, class Handler, class Step>
  void start(Handler&& h, Step step) {
    Op<std::decay_t<Handler>, Step, Bytes>(std::forward<Handler>(h), *this, std::move(step));
  }

  Want handshake_step(error_code& ec);
  Want shutdown_step();
  Want outcome(int ret, int sys_errno, error_code& ec);

  template <class MutableBuffers>
  Want read_buffers(const MutableBuffers& b, std::size_t& n, error_code& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(b); it != boost::asio::buffer_sequence_end(b); ++it) {
      boost::asio::mutable_buffer m = *it;
      if (m.size() != 0) return read_step(m.data(), m.size(), n, ec);
    }
    return Want::none;
  }

  socket_type socket_;
  ssl_st* ssl_ = nullptr;
  bool failed_ = false;  // after a fatal error no close_notify may be sent
};

// Runs `step` until it is done, waiting on the socket in between. Never completes inside the
// initiating call.
template <class Handler, class Step, bool Bytes>
class TlsStream::Op : public boost::beast::async_base<Handler, TlsStream::executor_type> {
 public:
  template <class H>
  Op(H&& h, TlsStream& s, Step step)
      : boost::beast::async_base<Handler, executor_type>(std::forward<H>(h), s.get_executor()),
        s_(s),
        step_(std::move(step)) {
    (*this)({}, false);
  }

  void operator()(error_code ec, bool cont = true) {
    std::size_t n = 0;
    if (!ec) {
      Want want = Want::none;
      // The socket may have been closed after the wait completed: its descriptor number could
      // already belong to another connection.
      if (!s_.socket_.is_open())
        ec = boost::asio::error::operation_aborted;
      else
        want = step_(ec, n);
      if (want != Want::none) {
        s_.socket_.async_wait(want == Want::read ? socket_type::wait_read : socket_type::wait_write, std::move(*this));
        return;
      }
    }
    if constexpr (Bytes)
      this->complete(cont, ec, n);
    else
      this->complete(cont, ec);
  }

 private:
  TlsStream& s_;
  Step step_;
};

}  // namespace rtm::server
