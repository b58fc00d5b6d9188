// Beast transports for Conn: plain and TLS WebSocket sessions, and the listener.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <optional>

#include "core/common/log.hpp"
#include "core/server/listener.hpp"
#include "core/server/service.hpp"
#include "core/server/state.hpp"
#include "core/server/tls_stream.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace rtm::server {
namespace {

bool offers_subprotocol(std::string_view header) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == proto::kSubprotocol) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

template <class NextLayer>
class WsConn final : public Conn {
 public:
  WsConn(ServerCore& core, net::any_io_executor strand, NextLayer&& next, ConnTracker& tracker)
      : Conn(core, strand), ws_(std::move(next)), tracker_(tracker) {}

  void start() {
    tracker_.opened(shared_from_this());
    net::dispatch(strand_, [self = self()] { self->on_start(); });
  }

 private:
  std::shared_ptr<WsConn> self() { return std::static_pointer_cast<WsConn>(shared_from_this()); }
  auto& lowest() { return beast::get_lowest_layer(ws_); }

  static constexpr bool kTls = std::is_same_v<NextLayer, TlsStream>;

  void on_start() {
    if constexpr (kTls) {
      // TlsStream has no timeouts: one deadline covers the TLS handshake and the upgrade request.
      close_timer_.emplace(strand_);
      close_timer_->expires_after(std::chrono::seconds(10));
      close_timer_->async_wait([self = self()](beast::error_code ec) {
        if (!ec && !self->open_) self->lowest().close();
      });
      ws_.next_layer().async_handshake([self = self()](beast::error_code ec) {
        if (ec) return self->finish(ec);
        self->read_upgrade();
      });
    } else {
      lowest().expires_after(std::chrono::seconds(10));
      read_upgrade();
    }
  }

  void read_upgrade() {
    parser_.emplace();
    parser_->body_limit(4096);
    http::async_read(ws_.next_layer(), buf_, *parser_, [self = self()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish(ec);
      self->on_upgrade_request();
    });
  }

  void on_upgrade_request() {
    auto req = parser_->release();
    parser_.reset();
    if (!websocket::is_upgrade(req) || !offers_subprotocol(req[http::field::sec_websocket_protocol])) {
      // Not a WebSocket upgrade offering rtm.v1: answer plainly and close.
      auto res = std::make_shared<http::response<http::string_body>>(http::status::bad_request, req.version());
      res->set(http::field::server, core_.version);
      res->set(http::field::content_type, "text/plain");
      res->body() = "rtmd speaks WebSocket with subprotocol rtm.v1\n";
      res->keep_alive(false);
      res->prepare_payload();
      http::async_write(ws_.next_layer(), *res, [self = self(), res](beast::error_code ec, std::size_t) {
        self->finish(ec);
      });
      return;
    }
    if constexpr (kTls)
      close_timer_.reset();
    else
      lowest().expires_never();
    websocket::stream_base::timeout t;
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = std::chrono::milliseconds(core_.cfg.idle_timeout_ms);
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(core_.cfg.max_frame_bytes);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator([v = core_.version](websocket::response_type& res) {
      res.set(http::field::server, v);
      res.set(http::field::sec_websocket_protocol, proto::kSubprotocol);
    }));
    ws_.async_accept(req, [self = self()](beast::error_code ec) {
      if (ec) return self->finish(ec);
      self->open_ = true;
      self->on_open();
      self->do_read();
    });
  }

  void do_read() {
    ws_.async_read(buf_, [self = self()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish(ec);
      auto data = self->buf_.cdata();
      self->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()), self->ws_.got_binary());
      self->buf_.consume(self->buf_.size());
      if (self->buf_.capacity() > 16384) self->buf_.shrink_to_fit();
      if (!self->closing_) self->do_read();
    });
  }

  void write(std::shared_ptr<const std::string> data, bool binary) override {
    if (closing_ || !open_) return;
    if (queued_bytes_ + data->size() > core_.cfg.outbound_queue_bytes) {
      RTM_LOG(warn, "session", "outbound queue over " << core_.cfg.outbound_queue_bytes << " bytes; closing");
      // Drop what is queued, except the message being written (its buffer is in use).
      queue_.truncate_after_front();
      queued_bytes_ = queue_.empty() ? 0 : queue_.front().first->size();
      close(close_code::SLOW_CONSUMER, "slow consumer");
      return;
    }
    queued_bytes_ += data->size();
    queue_.emplace_back(std::move(data), binary);
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    auto& [data, binary] = queue_.front();
    ws_.binary(binary);
    ws_.async_write(net::buffer(*data), [self = self()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish(ec);
      if (self->queue_.empty()) return;  // cleared by an overflow close
      self->queued_bytes_ -= self->queue_.front().first->size();
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->do_write();
    });
  }

  void close(uint16_t code, std::string_view reason) override {
    if (closing_) return;
    closing_ = true;
    if (!open_) return finish({});
    // Give the close handshake a bounded time; then drop the socket.
    close_timer_.emplace(strand_);
    close_timer_->expires_after(std::chrono::seconds(3));
    close_timer_->async_wait([self = self()](beast::error_code ec) {
      if (!ec) self->lowest().close();
    });
    websocket::close_reason cr;
    cr.code = code;
    cr.reason.assign(reason.data(), std::min<std::size_t>(reason.size(), 120));
    ws_.async_close(cr, [self = self()](beast::error_code) {
      if (self->close_timer_) self->close_timer_->cancel();
      self->finish({});
    });
  }

  void finish(beast::error_code ec) {
    if (finished_) return;
    finished_ = true;
    if (ec && ec != websocket::error::closed && ec != net::error::eof && ec != net::error::operation_aborted &&
        ec != beast::error::timeout && ec != net::ssl::error::stream_truncated)
      RTM_LOG(debug, "session", "connection ended: " << ec.message());
    closing_ = true;
    if constexpr (kTls) {
      if (close_timer_ && !open_) close_timer_->cancel();  // the handshake deadline
    }
    on_closed();
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
    tracker_.closed(this);
  }

  websocket::stream<NextLayer> ws_;
  ConnTracker& tracker_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  Fifo<std::pair<std::shared_ptr<const std::string>, bool>> queue_;
  std::size_t queued_bytes_ = 0;
  std::optional<net::steady_timer> close_timer_;
  bool open_ = false;
  bool closing_ = false;
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
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        auto strand = s.get_executor();
        if (self->tls_) {
          auto c = std::make_shared<WsConn<TlsStream>>(self->core_, strand, TlsStream(std::move(s), *self->tls_),
                                                       self->tracker_);
          c->start();
        } else {
          auto c = std::make_shared<WsConn<beast::tcp_stream>>(self->core_, strand, beast::tcp_stream(std::move(s)),
                                                               self->tracker_);
          c->start();
        }
      } else {
        // Out of descriptors or similar: back off instead of spinning on the error.
        RTM_LOG(warn, "listener", "accept: " << ec.message());
        self->backoff_.expires_after(std::chrono::milliseconds(100));
        self->backoff_.async_wait([self](beast::error_code) { self->accept(); });
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
