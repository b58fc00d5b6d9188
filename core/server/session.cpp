// The server's WebSocket sessions (RFC 6455) over plain TCP and over TlsStream, and the listener.
//
// The HTTP upgrade request is read with Beast's parser; after the upgrade the session frames the
// bytes itself. Reads are reactor style: the socket is waited on while idle, then read until it
// would block into a buffer owned by the I/O thread, so an idle connection holds no read buffer.
// Only an incomplete frame is copied into the session. Writes go out at once from the handler that
// makes them (one sendmsg for everything queued); only a full socket buffer defers the rest to a
// write wait. Replies to frames read in one batch are flushed together after the batch.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <sys/uio.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/common/log.hpp"
#include "core/protocol/ids.hpp"
#include "core/protocol/websocket.hpp"
#include "core/server/listener.hpp"
#include "core/server/http.hpp"
#include "core/server/rest.hpp"
#include "core/server/service.hpp"
#include "core/server/state.hpp"
#include "core/server/tls_stream.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace rtm::server {
namespace {

bool valid_close_code(unsigned code) {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

using namespace ws;

constexpr int kReadsPerTurn = 16;      // then other connections get the thread
constexpr std::size_t kMaxHttpBody = 256 * 1024;  // a REST message: 32 KB of payload, JSON-escaped
constexpr std::size_t kMaxIov = 64;    // frames per sendmsg
constexpr std::size_t kTlsRecord = 16384;  // the largest TLS record payload


template <bool kTls>
class WsConn final : public Conn {
  using Stream = std::conditional_t<kTls, TlsStream, tcp::socket>;

 public:
  WsConn(ServerCore& core, net::any_io_executor strand, Stream&& s, ConnTracker& tracker)
      : Conn(core, strand), s_(std::move(s)), tracker_(tracker), deadline_(strand_) {}

  void start() {
    tracker_.opened(shared_from_this());
    net::dispatch(strand_, [self = self()] { self->on_start(); });
  }

 private:
  // One queued outbound item: a WebSocket frame (header + payload) or raw bytes (the HTTP reply).
  struct Out {
    std::shared_ptr<const std::string> data;
    unsigned char hdr[14] = {};
    uint8_t hlen = 0;
    std::size_t size() const { return hlen + data->size(); }
  };
  enum class Step { done, want_read, want_write, failed };
  enum class Deadline { none, handshake, keepalive, closing };

  std::shared_ptr<WsConn> self() { return std::static_pointer_cast<WsConn>(shared_from_this()); }
  tcp::socket& socket() {
    if constexpr (kTls)
      return s_.socket();
    else
      return s_;
  }

  // ---- handshake ------------------------------------------------------------------------------

  void on_start() {
    arm(Deadline::handshake, std::chrono::seconds(10));  // TLS handshake and upgrade request
    if constexpr (kTls) {
      s_.async_handshake([self = self()](error_code ec) {
        if (ec) return self->finish(ec);
        self->read_upgrade();
      });
    } else {
      read_upgrade();
    }
  }

  struct Upgrade {
    beast::flat_buffer buf;
    http::request_parser<http::string_body> parser;  // bodies only for the REST API
  };

  // Reads the next HTTP request: the upgrade, or one of the plain HTTP endpoints. Bytes already read
  // behind a previous request on this connection (HTTP keep-alive, pipelining) are kept.
  void read_upgrade() {
    auto next = std::make_unique<Upgrade>();
    if (up_) next->buf = std::move(up_->buf);
    up_ = std::move(next);
    up_->parser.body_limit(kMaxHttpBody);
    up_->parser.header_limit(8192);
    http::async_read(s_, up_->buf, up_->parser, [self = self()](error_code ec, std::size_t) {
      if (self->finished_) return;
      if (ec == http::error::header_limit) return self->refuse(http::status::request_header_fields_too_large, false);
      if (ec == http::error::body_limit) return self->refuse(http::status::payload_too_large, false);
      // Bytes that are not HTTP get an answer too; a connection that ended or failed does not.
      if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message)
        return self->refuse(http::status::bad_request, false);
      if (ec) return self->finish(ec);
      self->on_upgrade_request();
    });
  }

  void refuse(http::status status, bool version_header) {
    std::string r = "HTTP/1.1 " + std::to_string(static_cast<unsigned>(status)) + ' ' +
                    std::string(http::obsolete_reason(status)) + "\r\nServer: " + core_.version +
                    "\r\nContent-Type: text/plain\r\nConnection: close\r\n";
    if (version_header) r += "Sec-WebSocket-Version: 13\r\n";
    static constexpr std::string_view body = "rtmd speaks WebSocket with subprotocol rtm.v1\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    r += body;
    closing_ = true;
    enqueue_raw(std::make_shared<const std::string>(std::move(r)));
    flush();
  }

  // A request for one of rtmd's HTTP endpoints (/healthz, /readyz, /metrics, the REST API):
  // answered, then the connection reads the next request unless the client asked to close. Returns
  // false for any other.
  bool serve_http(http::request<http::string_body>& req) {
    std::string_view target = req.target();
    std::string_view path = target.substr(0, target.find('?'));
    bool keep = req.keep_alive();
    bool head = req.method() == http::verb::head;
    if (is_rest_path(path)) {
      RestRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(target);
      r.body = std::move(req.body());
      r.authorization = std::string(req[http::field::authorization]);
      r.token = std::string(req["x-agora-token"]);
      r.token_uid = std::string(req["x-agora-uid"]);
      r.secure = kTls;
      error_code ec;
      auto peer = socket().remote_endpoint(ec);
      r.loopback = !ec && peer.address().is_loopback();
      r.executor = strand_;
      deadline_kind_ = Deadline::none;  // the answer may wait for a receiver's acknowledgement
      handle_rest(core_, std::move(r), [self = self(), keep](HttpReply reply) {
        net::post(self->strand_, [self, keep, reply = std::move(reply)] {
          if (!self->finished_) self->answer_http(reply, keep, false);
        });
      });
      return true;
    }
    if (req.method() != http::verb::get && !head) return false;
    auto reply = http_endpoint(core_, path);
    if (!reply) return false;
    answer_http(*reply, keep, head);
    return true;
  }

  void answer_http(const HttpReply& reply, bool keep, bool head) {
    std::string r = "HTTP/1.1 " + std::to_string(reply.status) + ' ' +
                    std::string(http::obsolete_reason(static_cast<http::status>(reply.status))) +
                    "\r\nServer: " + core_.version + "\r\nContent-Type: " + reply.content_type +
                    "\r\nCache-Control: no-store\r\n" + reply.headers +
                    "Content-Length: " + std::to_string(reply.body.size()) +
                    (keep ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    if (!head) r += reply.body;
    if (!keep) closing_ = true;
    enqueue_raw(std::make_shared<const std::string>(std::move(r)));
    flush();
    if (keep && !finished_ && !write_broken_) {
      arm(Deadline::handshake, std::chrono::seconds(10));  // an idle keep-alive connection is closed then
      read_upgrade();
    }
  }

  void on_upgrade_request() {
    auto& req = up_->parser.get();
    bool upgrade = req.method() == http::verb::get && req.version() >= 11 &&
                   header_has_token(req[http::field::connection], "upgrade") &&
                   header_has_token(req[http::field::upgrade], "websocket");
    if (!upgrade && serve_http(req)) return;
    if (!upgrade || !header_has_token(req[http::field::sec_websocket_protocol], proto::kSubprotocol, /*exact=*/true) ||
        !ws::valid_key(req[http::field::sec_websocket_key]))
      return refuse(http::status::bad_request, false);
    if (req[http::field::sec_websocket_version] != "13") return refuse(http::status::upgrade_required, true);

    std::string r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
    r += ws::accept_key(req[http::field::sec_websocket_key]);
    r += "\r\nSec-WebSocket-Protocol: ";
    r += proto::kSubprotocol;
    r += "\r\nServer: ";
    r += core_.version;
    r += "\r\n\r\n";
    // Frames the client sent right behind its request.
    auto rest = up_->buf.cdata();
    std::string early(static_cast<const char*>(rest.data()), rest.size());
    up_.reset();

    enqueue_raw(std::make_shared<const std::string>(std::move(r)));
    flush();  // the 101 goes out before anything the early frames produce
    if (finished_ || write_broken_) return;
    open_ = true;
    Metrics::inc(core_.metrics.connections_opened[kTls]);
    core_.metrics.connections_open[kTls].fetch_add(1, std::memory_order_relaxed);
    idle_half_ = std::chrono::milliseconds(std::max<uint32_t>(core_.cfg.idle_timeout_ms / 2, 1));
    arm(Deadline::keepalive, idle_half_);
    on_open();
    corked_ = true;
    if (!early.empty()) consume(early.data(), early.size());
    corked_ = false;
    flush();
    if (!finished_) on_readable();
  }

  // ---- reading --------------------------------------------------------------------------------

  Step read_now(char* buf, std::size_t cap, std::size_t& n, error_code& ec) {
    if constexpr (kTls) {
      switch (s_.read_step(buf, cap, n, ec)) {
        case TlsStream::Want::read: return Step::want_read;
        case TlsStream::Want::write: return Step::want_write;
        case TlsStream::Want::none: return ec ? Step::failed : Step::done;
      }
      return Step::failed;
    } else {
      int err = 0;
      switch (recv_now(s_.native_handle(), buf, cap, n, err)) {
        case Io::kDone: return Step::done;
        case Io::kWouldBlock: return Step::want_read;
        case Io::kEof: ec = net::error::eof; return Step::failed;
        case Io::kFailed: break;
      }
      ec = error_code(err, boost::system::system_category());
      return Step::failed;
    }
  }

  // Reads until the socket would block (a wait only ever follows EAGAIN, so no readiness is
  // missed), a bounded number of times per turn.
  void on_readable() {
    char* buf = thread_read_buffer();
    for (int i = 0; i < kReadsPerTurn; ++i) {
      if (finished_) return;
      std::size_t n = 0;
      error_code ec;
      switch (read_now(buf, kReadChunk, n, ec)) {
        case Step::done:
          core_.metrics.bytes_received[kTls].fetch_add(n, std::memory_order_relaxed);
          alive_.received = true;
          if (draining_) continue;
          corked_ = true;
          consume(buf, n);
          corked_ = false;
          flush();
          continue;
        case Step::want_read: return wait(tcp::socket::wait_read, &WsConn::on_readable);
        case Step::want_write: return wait(tcp::socket::wait_write, &WsConn::on_readable);
        case Step::failed: return finish(ec);
      }
    }
    net::post(strand_, [self = self()] {
      if (!self->finished_) self->on_readable();
    });
  }

  void wait(tcp::socket::wait_type type, void (WsConn::*next)()) {
    socket().async_wait(type, [self = self(), next](error_code ec) {
      if (self->finished_) return;
      if (ec) return self->finish(ec);
      ((*self).*next)();
    });
  }

  // Parses the frames in [data, data + n); an incomplete frame at the end is kept for later.
  void consume(char* data, std::size_t n) {
    in_.feed(data, n, [this](char* p, std::size_t len) {
      std::size_t used = parse(p, len);
      return finished_ || failed_ ? Input::kDropAll : used;
    });
  }

  // Returns how many bytes the complete frames at the front of [p, p + len) took.
  std::size_t parse(char* p, std::size_t len) {
    std::size_t off = 0;
    while (!finished_ && !failed_ && !got_close_) {  // nothing counts after the peer's close
      FrameHeader h;
      int r = read_header(reinterpret_cast<unsigned char*>(p + off), len - off, h);
      if (r < 0) break;
      if (r > 0) return fail(static_cast<uint16_t>(r)), off;
      if (!h.masked) return fail(close::PROTOCOL_ERROR), off;  // client frames are masked
      // The limits hold before the payload is read.
      if (uint16_t code = check_frame(h, msg_.assembling(), msg_.size(), core_.cfg.max_frame_bytes)) return fail(code), off;
      if (len - off - h.size < h.len) break;
      char* payload = p + off + h.size;
      mask(payload, payload, h.len, h.key);
      off += h.size + h.len;
      on_frame(h.op, h.fin, std::string_view(payload, h.len));
    }
    return off;
  }

  void on_frame(uint8_t op, bool fin, std::string_view payload) {
    switch (op) {
      case kPing:
        if (close_sent_) return;
        // Pongs count against the outbound bound like everything else: a peer that pings and
        // never reads is a slow consumer.
        if (queued_bytes_ + payload.size() > core_.cfg.outbound_queue_bytes) {
          Metrics::inc(core_.metrics.slow_consumers_closed);
          return close(close_code::SLOW_CONSUMER, "slow consumer");
        }
        enqueue(std::make_shared<const std::string>(payload), kPong);
        return;
      case kPong: return;
      case kClose: return on_close_frame(payload);
      default: break;
    }
    std::string_view data;
    bool binary = false;
    if (msg_.add(op, fin, payload, data, binary)) on_data(data, binary);
  }

  void on_data(std::string_view data, bool binary) {
    if (!binary && !valid_utf8(data)) return fail(close::BAD_PAYLOAD);
    if (closing_) return;  // after a close only the peer's close matters
    on_message(data, binary);
  }

  void on_close_frame(std::string_view payload) {
    uint16_t code = 0;
    if (payload.size() == 1) return fail(close::PROTOCOL_ERROR);
    if (payload.size() >= 2) {
      code = static_cast<uint16_t>((static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]));
      if (!valid_close_code(code)) return fail(close::PROTOCOL_ERROR);
      if (!valid_utf8(payload.substr(2))) return fail(close::BAD_PAYLOAD);
    }
    got_close_ = true;
    if (!close_sent_) {
      closing_ = true;
      send_close(code, {});
      arm(Deadline::closing, std::chrono::seconds(3));
    }
    if (queue_.empty()) teardown();
  }

  // A protocol violation: close with `code`; nothing more is read from this peer.
  void fail(uint16_t code) {
    failed_ = true;
    msg_.reset();
    closing_ = true;
    if (!close_sent_) {
      send_close(code, {});
      arm(Deadline::closing, std::chrono::seconds(3));
    }
    if (!corked_) flush();
  }

  // ---- writing --------------------------------------------------------------------------------

  void enqueue(std::shared_ptr<const std::string> data, uint8_t opcode) {
    Out o;
    o.hlen = static_cast<uint8_t>(write_header(o.hdr, opcode, data->size()));
    queued_bytes_ += data->size();
    o.data = std::move(data);
    queue_.push_back(std::move(o));
  }

  void enqueue_raw(std::shared_ptr<const std::string> data) {
    Out o;
    queued_bytes_ += data->size();
    o.data = std::move(data);
    queue_.push_back(std::move(o));
  }

  void send_close(uint16_t code, std::string_view reason) {
    close_sent_ = true;
    enqueue(std::make_shared<const std::string>(close_payload(code, reason)), kClose);
  }

  void write(std::shared_ptr<const std::string> data, bool binary) override {
    if (closing_ || !open_) return;
    if (queued_bytes_ + data->size() > core_.cfg.outbound_queue_bytes) {
      RTM_LOG(warn, "session", "outbound queue over " << core_.cfg.outbound_queue_bytes << " bytes; closing");
      // Drop what is queued, except an item partly written already. A TLS write that must be
      // repeated may span several items: then nothing is dropped (the close deadline bounds it).
      if (retry_len_ == 0 && front_off_ > 0) {
        queue_.truncate_after_front();
        queued_bytes_ = queue_.front().data->size();
      } else if (retry_len_ == 0) {
        queue_.clear();
        queued_bytes_ = 0;
      }
      Metrics::inc(core_.metrics.slow_consumers_closed);
      close(close_code::SLOW_CONSUMER, "slow consumer");
      return;
    }
    enqueue(std::move(data), binary ? kBinary : kText);
    if (!corked_) flush();
  }

  Step write_now(std::size_t& n, error_code& ec) {
    if constexpr (kTls) {
      // One TLS record for several small frames; a retry after WANT_WRITE repeats the same bytes.
      char scratch[kTlsRecord];
      const char* data = scratch;
      std::size_t len = 0;
      std::size_t limit = retry_len_ ? retry_len_ : kTlsRecord;
      std::size_t skip = front_off_;
      auto& f = queue_.front();
      if (skip >= f.hlen && f.data->size() - (skip - f.hlen) >= kTlsRecord) {
        data = f.data->data() + (skip - f.hlen);  // a large payload goes as it is
        len = f.data->size() - (skip - f.hlen);
      } else {
        for (std::size_t i = 0; i < queue_.size() && len < limit; ++i) {
          auto& o = queue_[i];
          auto put = [&](const void* src, std::size_t size) {
            if (skip >= size) {
              skip -= size;
              return;
            }
            std::size_t take = std::min(size - skip, limit - len);
            std::memcpy(scratch + len, static_cast<const char*>(src) + skip, take);
            len += take;
            skip = 0;
          };
          put(o.hdr, o.hlen);
          put(o.data->data(), o.data->size());
        }
      }
      switch (s_.write_step(data, len, n, ec)) {
        case TlsStream::Want::none: retry_len_ = 0; return ec ? Step::failed : Step::done;
        case TlsStream::Want::read: retry_len_ = len; return Step::want_read;
        case TlsStream::Want::write: retry_len_ = len; return Step::want_write;
      }
      return Step::failed;
    } else {
      iovec iov[2 * kMaxIov];
      int cnt = 0;
      std::size_t skip = front_off_;
      for (std::size_t i = 0; i < queue_.size() && i < kMaxIov; ++i) {
        auto& o = queue_[i];
        auto put = [&](const void* src, std::size_t size) {
          if (skip >= size) {
            skip -= size;
            return;
          }
          iov[cnt].iov_base = const_cast<char*>(static_cast<const char*>(src) + skip);
          iov[cnt].iov_len = size - skip;
          ++cnt;
          skip = 0;
        };
        put(o.hdr, o.hlen);
        put(o.data->data(), o.data->size());
      }
      int err = 0;
      switch (send_now(s_.native_handle(), iov, cnt, n, err)) {
        case Io::kDone: return Step::done;
        case Io::kWouldBlock: return Step::want_write;
        case Io::kEof:
        case Io::kFailed: break;
      }
      ec = error_code(err, boost::system::system_category());
      return Step::failed;
    }
  }

  void flush() {
    if (finished_ || write_waiting_ || write_broken_) return;
    while (!queue_.empty()) {
      std::size_t n = 0;
      error_code ec;
      switch (write_now(n, ec)) {
        case Step::done: written(n); continue;
        case Step::want_write: return write_wait(tcp::socket::wait_write);
        case Step::want_read: return write_wait(tcp::socket::wait_read);
        case Step::failed:
          // Not finished here: the protocol layer may be in the middle of the call that wrote
          // (a delivery being filed, a kick), and must not see the connection end under it.
          write_broken_ = true;
          closing_ = true;
          net::post(strand_, [self = self(), ec] { self->finish(ec); });
          return;
      }
    }
    if (!open_ && closing_) return finish({});  // the refusal of an upgrade is out
    if (close_sent_ && (got_close_ || failed_)) teardown();
  }

  void write_wait(tcp::socket::wait_type type) {
    write_waiting_ = true;
    socket().async_wait(type, [self = self()](error_code ec) {
      self->write_waiting_ = false;
      if (self->finished_) return;
      if (ec) return self->finish(ec);
      self->flush();
    });
  }

  void written(std::size_t n) {
    core_.metrics.bytes_sent[kTls].fetch_add(n, std::memory_order_relaxed);
    while (n > 0 && !queue_.empty()) {
      auto& f = queue_.front();
      std::size_t left = f.size() - front_off_;
      if (n < left) {
        front_off_ += n;
        return;
      }
      n -= left;
      front_off_ = 0;
      queued_bytes_ -= f.data->size();
      queue_.pop_front();
    }
  }

  // ---- closing --------------------------------------------------------------------------------

  void close(uint16_t code, std::string_view reason) override {
    if (closing_) return;
    closing_ = true;
    if (!open_) return finish({});
    // The peer gets a bounded time to answer the close; then the socket is dropped.
    send_close(code, reason);
    arm(Deadline::closing, std::chrono::seconds(3));
    if (!corked_) flush();
  }

  // Both close frames are out (or the peer broke the protocol): the server ends the TCP connection
  // first, and reads until the peer's end so that unread bytes do not turn the close into a reset.
  void teardown() {
    if (draining_ || finished_) return;
    draining_ = true;
    if constexpr (kTls) s_.shutdown();
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  void arm(Deadline what, std::chrono::steady_clock::duration after) {
    deadline_kind_ = what;
    deadline_.expires_after(after);
    deadline_.async_wait([self = self(), what](error_code ec) {
      if (ec || self->finished_ || self->deadline_kind_ != what) return;
      self->on_deadline();
    });
  }

  void on_deadline() {
    switch (deadline_kind_) {
      case Deadline::keepalive:
        if (closing_) return;
        switch (alive_.tick()) {
          case KeepAlive::kAlive: break;
          case KeepAlive::kPing:
            enqueue(std::make_shared<const std::string>(), kPing);
            flush();
            break;
          case KeepAlive::kDead: return finish(beast::error::timeout);
        }
        return arm(Deadline::keepalive, idle_half_);
      case Deadline::handshake:
      case Deadline::closing: return finish(beast::error::timeout);
      case Deadline::none: return;
    }
  }

  void finish(error_code ec) {
    if (finished_) return;
    finished_ = true;
    if (ec && ec != net::error::eof && ec != net::error::operation_aborted && ec != beast::error::timeout &&
        ec != net::ssl::error::stream_truncated && ec != net::error::connection_reset)
      RTM_LOG(debug, "session", "connection ended: " << ec.message());
    closing_ = true;
    deadline_kind_ = Deadline::none;
    deadline_.cancel();
    on_closed();
    if (open_) core_.metrics.connections_open[kTls].fetch_sub(1, std::memory_order_relaxed);
    error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
    queue_.clear();
    // up_ stays: a pending upgrade read still refers to its buffer until it completes.
    tracker_.closed(this);
  }

  Stream s_;
  ConnTracker& tracker_;
  net::steady_timer deadline_;
  std::unique_ptr<Upgrade> up_;     // only until the upgrade
  Input in_;                        // an incomplete frame
  Reassembler msg_;                 // the fragments of a message so far
  Fifo<Out> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t front_off_ = 0;       // bytes of queue_.front() already written
  std::size_t retry_len_ = 0;       // TLS: the length of a write that must be repeated
  std::chrono::milliseconds idle_half_{5000};
  Deadline deadline_kind_ = Deadline::none;
  bool open_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool got_close_ = false;
  bool failed_ = false;
  bool draining_ = false;
  bool corked_ = false;
  bool write_waiting_ = false;
  bool write_broken_ = false;  // a write failed; finish() is on its way
  KeepAlive alive_;
  bool finished_ = false;
};

class TcpListener final : public Listener, public std::enable_shared_from_this<TcpListener> {
 public:
  TcpListener(net::io_context& ioc, const ListenConfig& lc, ServerCore& core, net::ssl::context* tls,
              ConnTracker& tracker)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), backoff_(acceptor_.get_executor()), core_(core), tls_(tls),
        tracker_(tracker) {
    tcp::endpoint ep(net::ip::make_address(lc.address), lc.port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
  }

  uint16_t port() const override { return port_; }
  bool tls() const override { return tls_ != nullptr; }

  void stop() override {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      error_code ec;
      self->acceptor_.close(ec);
    });
  }

  void accept() {
    net::any_io_executor ex = core_.single_thread ? net::any_io_executor(ioc_.get_executor()) : net::make_strand(ioc_);
    acceptor_.async_accept(std::move(ex), [self = shared_from_this()](error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        auto strand = s.get_executor();
        if (self->tls_) {
          auto c = std::make_shared<WsConn<true>>(self->core_, strand, TlsStream(std::move(s), *self->tls_),
                                                  self->tracker_);
          c->start();
        } else {
          auto c = std::make_shared<WsConn<false>>(self->core_, strand, std::move(s), self->tracker_);
          c->start();
        }
      } else {
        // Out of descriptors or similar: back off instead of spinning on the error.
        RTM_LOG(warn, "listener", "accept: " << ec.message());
        self->backoff_.expires_after(std::chrono::milliseconds(100));
        self->backoff_.async_wait([self](error_code) { self->accept(); });
        return;
      }
      self->accept();
    });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer backoff_;
  ServerCore& core_;
  net::ssl::context* tls_;
  ConnTracker& tracker_;
  uint16_t port_ = 0;
};

}  // namespace

std::shared_ptr<Listener> start_listener(net::io_context& ioc, const ListenConfig& lc, ServerCore& core,
                                         net::ssl::context* tls, ConnTracker& tracker) {
  auto l = std::make_shared<TcpListener>(ioc, lc, core, tls, tracker);
  l->accept();
  return l;
}

}  // namespace rtm::server
