#include "core/client/transport.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <random>

#include "core/common/log.hpp"
#include "core/protocol/codec.hpp"
#include "core/protocol/ids.hpp"
#include "core/protocol/websocket.hpp"

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace rtm {

bool parse_url(const std::string& text, Url& out) {
  std::string_view s = text;
  if (s.starts_with("ws://")) { out.tls = false; s.remove_prefix(5); }
  else if (s.starts_with("wss://")) { out.tls = true; s.remove_prefix(6); }
  else return false;
  auto slash = s.find('/');
  std::string_view hostport = s.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(s.substr(slash));
  if (hostport.empty()) return false;
  if (hostport.front() == '[') {  // [v6]:port
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return false;
    out.host = std::string(hostport.substr(1, close - 1));
    auto rest = hostport.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    out.port = rest.empty() ? "" : std::string(rest.substr(1));
  } else {
    auto colon = hostport.rfind(':');
    out.host = std::string(hostport.substr(0, colon));
    out.port = colon == std::string_view::npos ? "" : std::string(hostport.substr(colon + 1));
  }
  if (out.port.empty()) out.port = out.tls ? "443" : "80";
  if (out.host.empty() || out.port.find_first_not_of("0123456789") != std::string::npos) return false;
  return true;
}

namespace {

using namespace ws;

constexpr std::size_t kTlsReadChunk = 17 * 1024;
constexpr std::size_t kKeepCapacity = 16 * 1024;

// The client side of rtm.v1's WebSocket, framed here rather than by Beast (which parses only the
// upgrade response). Everything runs on the client's network thread, except that over plain TCP
// send_from_any_thread() may be called from any thread once the connection is open: the outbound bytes and
// the socket's writes are guarded by `mu_`, so an application thread can write its request at once
// instead of waking the network thread for it.
template <bool kTls>
class WsTransport final : public Transport, public std::enable_shared_from_this<WsTransport<kTls>> {
  using Stream = std::conditional_t<kTls, ssl::stream<tcp::socket>, tcp::socket>;

 public:
  WsTransport(net::io_context& ioc, Url url, TransportOptions opts, TransportEvents ev,
              std::shared_ptr<ssl::context> ctx)
      : ioc_(ioc), ctx_(std::move(ctx)), resolver_(ioc), s_(make_stream(ioc, ctx_.get())), timer_(ioc),
        url_(std::move(url)), opts_(std::move(opts)), ev_(std::move(ev)) {
    std::random_device rd;
    rng_ = (uint64_t{rd()} << 32) ^ rd() ^ reinterpret_cast<uintptr_t>(this);
    if (!rng_) rng_ = 0x9e3779b97f4a7c15ull;
  }

  void connect() override {
    arm(Phase::connecting, std::chrono::milliseconds(opts_.connect_timeout_ms));
    resolver_.async_resolve(url_.host, url_.port,
                            [self = this->shared_from_this()](error_code ec, tcp::resolver::results_type r) {
                              if (self->done_) return;
                              if (ec) return self->fail(ec, "resolve");
                              self->on_resolve(r);
                            });
  }

  void send(std::shared_ptr<const std::string> data, bool binary) override { send_message(*data, binary); }

  bool send_from_any_thread(const std::shared_ptr<const std::string>& data, bool binary) override {
    if constexpr (kTls)
      return false;  // the SSL object belongs to the network thread
    else
      return send_message(*data, binary);
  }

  void close() override {
    std::lock_guard l(mu_);
    if (done_ || closing_) return;
    if (!open_) {
      closing_ = true;
      return abort_locked();
    }
    send_close_locked(close_payload(close::NORMAL));
    arm(Phase::closing, std::chrono::seconds(3));
  }

  void abort() override {
    std::lock_guard l(mu_);
    abort_locked();
  }

  void resume_reading() override {
    if (paused_ && !done_) {
      paused_ = false;
      read_more();
    }
  }

  std::size_t queued_bytes() const override { return queued_.load(std::memory_order_relaxed); }

 private:
  using error_code = boost::system::error_code;
  enum class Phase { none, connecting, keepalive, closing };

  static Stream make_stream(net::io_context& ioc, ssl::context* ctx) {
    if constexpr (kTls)
      return Stream(ioc, *ctx);
    else
      return Stream(ioc);
  }
  tcp::socket& socket() {
    if constexpr (kTls)
      return s_.next_layer();
    else
      return s_;
  }

  // ---- connecting -----------------------------------------------------------------------------

  void on_resolve(const tcp::resolver::results_type& results) {
    net::async_connect(socket(), results, [self = this->shared_from_this()](error_code ec, tcp::endpoint) {
      if (self->done_) return;
      if (ec) return self->fail(ec, "connect");
      error_code ignored;
      self->socket().set_option(tcp::no_delay(true), ignored);
      if constexpr (kTls) {
        auto* ssl = self->s_.native_handle();
        if (!SSL_set_tlsext_host_name(ssl, self->url_.host.c_str())) return self->fail({}, "SNI");
        if (!self->opts_.insecure) self->s_.set_verify_callback(ssl::host_name_verification(self->url_.host));
        self->s_.async_handshake(ssl::stream_base::client, [self](error_code ec2) {
          if (self->done_) return;
          if (ec2) return self->fail(ec2, "TLS handshake");
          self->upgrade();
        });
      } else {
        self->upgrade();
      }
    });
  }

  struct Upgrade {
    std::string request;
    std::string accept;
    beast::flat_buffer buf;
    http::response_parser<http::empty_body> parser;
  };

  void upgrade() {
    up_ = std::make_unique<Upgrade>();
    uint64_t a = next_random(), b = next_random();
    std::string key = new_key(a, b);
    up_->accept = accept_key(key);
    up_->request = "GET " + url_.path + " HTTP/1.1\r\nHost: " + url_.host + ':' + url_.port +
                   "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                   "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + std::string(proto::kSubprotocol) +
                   "\r\nUser-Agent: rtmkit/0.3.0\r\n\r\n";
    up_->parser.header_limit(8192);
    net::async_write(s_, net::buffer(up_->request), [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (self->done_) return;
      if (ec) return self->fail(ec, "upgrade");
      http::async_read_header(self->s_, self->up_->buf, self->up_->parser, [self](error_code ec2, std::size_t) {
        if (self->done_) return;
        if (ec2) return self->fail(ec2, "upgrade");
        self->on_upgrade_response();
      });
    });
  }

  void on_upgrade_response() {
    auto& res = up_->parser.get();
    if (res.result() != http::status::switching_protocols)
      return fail({}, "upgrade: the server answered " + std::to_string(res.result_int()));
    if (!header_has_token(res[http::field::upgrade], "websocket") || !header_has_token(res[http::field::connection], "upgrade") ||
        res[http::field::sec_websocket_accept] != up_->accept)
      return fail({}, "upgrade: not a valid WebSocket handshake");
    if (res[http::field::sec_websocket_protocol] != proto::kSubprotocol)
      return fail({}, "the server did not accept subprotocol rtm.v1");
    auto rest = up_->buf.cdata();
    std::string early(static_cast<const char*>(rest.data()), rest.size());
    up_.reset();
    {
      std::lock_guard l(mu_);
      open_ = true;
    }
    idle_half_ = std::chrono::milliseconds(std::max<uint32_t>(opts_.idle_timeout_ms / 2, 1));
    arm(Phase::keepalive, idle_half_);
    if (ev_.opened) ev_.opened();
    if (done_) return;
    if (!early.empty()) consume(early.data(), early.size());
    if (!done_) read_more();
  }

  // ---- reading --------------------------------------------------------------------------------

  void read_more() {
    if (done_) return;
    if (ev_.may_read && !ev_.may_read()) {
      paused_ = true;
      return;
    }
    if constexpr (kTls) {
      if (!tls_buf_) tls_buf_.reset(new char[kTlsReadChunk]);
      s_.async_read_some(net::buffer(tls_buf_.get(), kTlsReadChunk),
                         [self = this->shared_from_this()](error_code ec, std::size_t n) {
                           if (self->done_) return;
                           if (ec) return self->fail(ec, "read");
                           self->alive_.received = true;
                           self->consume(self->tls_buf_.get(), n);
                           self->read_more();
                         });
    } else {
      // Reactor style: read until the socket would block, then wait for it.
      char* buf = thread_read_buffer();
      for (int i = 0; i < 16; ++i) {
        std::size_t n = 0;
        int err = 0;
        Io r = recv_now(s_.native_handle(), buf, kReadChunk, n, err);
        if (r == Io::kDone) {
          alive_.received = true;
          consume(buf, n);
          if (done_) return;
          if (ev_.may_read && !ev_.may_read()) {
            paused_ = true;
            return;
          }
          continue;
        }
        if (r == Io::kEof) return fail(net::error::eof, "read");
        if (r == Io::kFailed) return fail(error_code(err, boost::system::system_category()), "read");
        s_.async_wait(tcp::socket::wait_read, [self = this->shared_from_this()](error_code ec) {
          if (self->done_) return;
          if (ec) return self->fail(ec, "read");
          self->read_more();
        });
        return;
      }
      net::post(ioc_, [self = this->shared_from_this()] { self->read_more(); });
    }
  }

  void consume(char* data, std::size_t n) {
    in_.feed(data, n, [this](char* p, std::size_t len) {
      std::size_t used = parse(p, len);
      return done_ ? Input::kDropAll : used;
    });
  }

  std::size_t parse(char* p, std::size_t len) {
    std::size_t off = 0;
    while (!done_) {
      FrameHeader h;
      int r = read_header(reinterpret_cast<unsigned char*>(p + off), len - off, h);
      if (r < 0) break;
      if (r > 0 || h.masked) return protocol_error("a reserved bit or a masked server frame"), off;
      if (uint16_t code = check_frame(h, msg_.assembling(), msg_.size(), opts_.max_frame_bytes)) {
        if (code == close::TOO_BIG) return fail_with_close(code, "message too big"), off;
        return protocol_error("a bad control frame or broken fragmentation"), off;
      }
      if (len - off - h.size < h.len) break;
      std::string_view payload(p + off + h.size, h.len);
      off += h.size + h.len;
      on_frame(h.op, h.fin, payload);
    }
    return off;
  }

  void on_frame(uint8_t op, bool fin, std::string_view payload) {
    switch (op) {
      case kPing: {
        std::lock_guard l(mu_);
        if (!closing_) {
          append_frame(kPong, payload);
          flush_locked();
        }
        return;
      }
      case kPong: return;
      case kClose: return on_close_frame(payload);
      default: break;
    }
    std::string_view data;
    bool binary = false;
    if (msg_.add(op, fin, payload, data, binary)) deliver(data, binary);
  }

  void deliver(std::string_view data, bool binary) {
    if (!binary && !valid_utf8(data)) return fail_with_close(close::BAD_PAYLOAD, "text that is not UTF-8");
    if (ev_.frame) ev_.frame(data, binary);
  }

  void on_close_frame(std::string_view payload) {
    int code = payload.size() >= 2
                   ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
                   : 1005;
    std::string reason(payload.size() > 2 ? payload.substr(2) : std::string_view());
    {
      std::lock_guard l(mu_);
      // Answer the server's close with its code; then the connection is over for us.
      send_close_locked(payload.substr(0, std::min<std::size_t>(payload.size(), 2)));
    }
    finish(code == 1005 ? 1000 : code, "closed by the server" + (reason.empty() ? std::string() : ": " + reason));
  }

  void protocol_error(const char* what) { fail_with_close(close::PROTOCOL_ERROR, std::string("protocol error: ") + what); }

  void fail_with_close(uint16_t code, const std::string& detail) {
    {
      std::lock_guard l(mu_);
      send_close_locked(close_payload(code));
    }
    finish(0, detail);
  }

  // ---- writing (under mu_) --------------------------------------------------------------------

  uint64_t next_random() {
    // xorshift64*: masking keys need not be secret from a native client's own server.
    rng_ ^= rng_ >> 12;
    rng_ ^= rng_ << 25;
    rng_ ^= rng_ >> 27;
    return rng_ * 0x2545F4914F6CDD1Dull;
  }

  bool send_message(std::string_view data, bool binary) {
    std::lock_guard l(mu_);
    if (done_ || !open_ || closing_) return false;
    append_frame(binary ? kBinary : kText, data);
    flush_locked();
    return true;
  }

  // The one close frame this side sends; nothing is written after it.
  void send_close_locked(std::string_view payload) {
    if (closing_) return;
    closing_ = true;
    append_frame(kClose, payload);
    flush_locked();
  }

  // Appends one masked frame to the outbound bytes.
  void append_frame(uint8_t opcode, std::string_view payload) {
    uint32_t key = static_cast<uint32_t>(next_random() >> 32);
    unsigned char h[14];
    std::size_t hl = write_header(h, opcode, payload.size(), &key);
    std::size_t start = out_.size();
    out_.resize(start + hl + payload.size());
    std::memcpy(out_.data() + start, h, hl);
    mask(out_.data() + start + hl, payload.data(), payload.size(), h + hl - 4);
    queued_.store(out_.size() + inflight_.size(), std::memory_order_relaxed);
  }

  void flush_locked() {
    if (done_ || writing_) return;
    if constexpr (kTls) {
      if (out_.empty()) return;
      inflight_.swap(out_);
      out_.clear();
      writing_ = true;
      net::async_write(s_, net::buffer(inflight_), [self = this->shared_from_this()](error_code ec, std::size_t) {
        std::lock_guard l(self->mu_);
        self->writing_ = false;
        self->inflight_.clear();
        if (self->done_) return;
        if (ec) {
          net::post(self->ioc_, [self, ec] { self->fail(ec, "write"); });
          return;
        }
        self->queued_.store(self->out_.size(), std::memory_order_relaxed);
        self->flush_locked();
      });
    } else {
      while (out_head_ < out_.size()) {
        iovec iov{out_.data() + out_head_, out_.size() - out_head_};
        std::size_t n = 0;
        int err = 0;
        Io r = send_now(s_.native_handle(), &iov, 1, n, err);
        if (r == Io::kDone) {
          out_head_ += n;
          continue;
        }
        if (r == Io::kWouldBlock) {
          // The network thread waits for room; an application thread only hands it over.
          writing_ = true;
          net::dispatch(ioc_, [self = this->shared_from_this()] { self->wait_writable(); });
          break;
        }
        error_code ec(err, boost::system::system_category());
        net::post(ioc_, [self = this->shared_from_this(), ec] { self->fail(ec, "write"); });
        return;
      }
      if (out_head_ == out_.size()) {
        out_.clear();
        out_head_ = 0;
        if (out_.capacity() > kKeepCapacity) std::string().swap(out_);
      } else if (out_head_ > kKeepCapacity) {
        out_.erase(0, out_head_);
        out_head_ = 0;
      }
      queued_.store(out_.size() - out_head_, std::memory_order_relaxed);
    }
  }

  void wait_writable() {
    if constexpr (!kTls) {
      s_.async_wait(tcp::socket::wait_write, [self = this->shared_from_this()](error_code ec) {
        std::lock_guard l(self->mu_);
        self->writing_ = false;
        if (self->done_) return;
        if (ec) {
          net::post(self->ioc_, [self, ec] { self->fail(ec, "write"); });
          return;
        }
        self->flush_locked();
      });
    }
  }

  // ---- timers and the end ---------------------------------------------------------------------

  void arm(Phase what, std::chrono::steady_clock::duration after) {
    phase_ = what;
    timer_.expires_after(after);
    timer_.async_wait([self = this->shared_from_this(), what](error_code ec) {
      if (ec || self->done_ || self->phase_ != what) return;
      self->on_timer();
    });
  }

  void on_timer() {
    switch (phase_) {
      case Phase::connecting: return fail(beast::error::timeout, "connect");
      case Phase::closing: return finish(1000, "closed");
      case Phase::keepalive: {
        switch (alive_.tick()) {
          case KeepAlive::kAlive: break;
          case KeepAlive::kPing: {
            std::lock_guard l(mu_);
            append_frame(kPing, {});
            flush_locked();
            break;
          }
          case KeepAlive::kDead: return fail(beast::error::timeout, "idle");
        }
        return arm(Phase::keepalive, idle_half_);
      }
      case Phase::none: return;
    }
  }

  void fail(error_code ec, const std::string& what) {
    finish(0, what + (ec ? ": " + ec.message() : std::string()));
  }

  void abort_locked() {
    done_ = true;
    error_code ignored;
    resolver_.cancel();
    timer_.cancel();
    socket().close(ignored);
  }

  void finish(int code, std::string detail) {
    {
      std::lock_guard l(mu_);
      if (done_) return;
      abort_locked();
      out_.clear();
      out_head_ = 0;
      queued_.store(0, std::memory_order_relaxed);
    }
    if (ev_.closed) ev_.closed(code, std::move(detail));
  }

  net::io_context& ioc_;
  std::shared_ptr<ssl::context> ctx_;  // outlives s_ (TLS only)
  tcp::resolver resolver_;
  Stream s_;
  net::steady_timer timer_;
  Url url_;
  TransportOptions opts_;
  TransportEvents ev_;
  std::unique_ptr<Upgrade> up_;
  std::unique_ptr<char[]> tls_buf_;
  Input in_;          // an incomplete frame
  Reassembler msg_;   // the fragments of a message so far
  bool paused_ = false;
  KeepAlive alive_;
  Phase phase_ = Phase::none;
  std::chrono::milliseconds idle_half_{3000};

  // Shared with application threads that send directly.
  std::mutex mu_;
  std::string out_;       // masked frames not yet written
  std::size_t out_head_ = 0;
  std::string inflight_;  // TLS: the bytes of the write in progress
  std::atomic<std::size_t> queued_{0};
  uint64_t rng_ = 0;
  std::atomic<bool> done_{false};
  bool open_ = false;
  bool closing_ = false;
  bool writing_ = false;
};

// The TLS context is shared by every transport of a process with the same options.
std::shared_ptr<ssl::context> tls_context(const TransportOptions& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  if (o.insecure) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_default_verify_paths();
    if (!o.ca_file.empty()) {
      beast::error_code ec;
      ctx->load_verify_file(o.ca_file, ec);
      if (ec) RTM_LOG(warn, "client", "cannot load CA file " << o.ca_file << ": " << ec.message());
    }
    ctx->set_verify_mode(ssl::verify_peer);
  }
  return ctx;
}

}  // namespace

std::shared_ptr<Transport> make_transport(net::io_context& ioc, const Url& url, const TransportOptions& opts,
                                          TransportEvents events) {
  if (!url.tls) return std::make_shared<WsTransport<false>>(ioc, url, opts, std::move(events), nullptr);
  return std::make_shared<WsTransport<true>>(ioc, url, opts, std::move(events), tls_context(opts));
}

}  // namespace rtm
