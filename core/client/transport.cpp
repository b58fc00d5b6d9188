#include "core/client/transport.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <optional>

#include "core/common/log.hpp"
#include "core/protocol/codec.hpp"

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
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

template <class NextLayer>
class WsTransport final : public Transport, public std::enable_shared_from_this<WsTransport<NextLayer>> {
 public:
  static constexpr bool kTls = std::is_same_v<NextLayer, beast::ssl_stream<beast::tcp_stream>>;

  WsTransport(net::io_context& ioc, Url url, TransportOptions opts, TransportEvents ev,
              std::shared_ptr<ssl::context> ctx)
      : ctx_(std::move(ctx)), resolver_(ioc), ws_(make_next(ioc, ctx_.get())), url_(std::move(url)),
        opts_(std::move(opts)), ev_(std::move(ev)) {}

  void connect() override {
    resolver_.async_resolve(url_.host, url_.port,
                            [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                              if (ec) return self->fail(ec, "resolve");
                              self->on_resolve(r);
                            });
  }

  void send(std::shared_ptr<const std::string> data, bool binary) override {
    if (done_ || !open_) return;
    queued_ += data->size();
    queue_.emplace_back(std::move(data), binary);
    if (queue_.size() == 1) do_write();
  }

  void close() override {
    if (done_ || closing_) return;
    closing_ = true;
    if (!open_) return abort();
    ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](beast::error_code) {
      self->finish(static_cast<int>(websocket::close_code::normal), "closed");
    });
  }

  void abort() override {
    done_ = true;
    beast::error_code ec;
    resolver_.cancel();
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  void resume_reading() override {
    if (paused_ && !done_) {
      paused_ = false;
      do_read();
    }
  }

  std::size_t queued_bytes() const override { return queued_; }

 private:
  auto& lowest() { return beast::get_lowest_layer(ws_); }

  static NextLayer make_next(net::io_context& ioc, ssl::context* ctx) {
    if constexpr (kTls) return NextLayer(ioc.get_executor(), *ctx);
    else return NextLayer(ioc.get_executor());
  }

  void on_resolve(const tcp::resolver::results_type& results) {
    if (done_) return;
    lowest().expires_after(std::chrono::milliseconds(opts_.connect_timeout_ms));
    lowest().async_connect(results, [self = this->shared_from_this()](beast::error_code ec, tcp::endpoint) {
      if (ec) return self->fail(ec, "connect");
      beast::error_code ignored;
      self->lowest().socket().set_option(tcp::no_delay(true), ignored);
      if constexpr (kTls) {
        self->tls_handshake();
      } else {
        self->ws_handshake();
      }
    });
  }

  void tls_handshake() {
    if constexpr (kTls) {
      auto* ssl = ws_.next_layer().native_handle();
      if (!SSL_set_tlsext_host_name(ssl, url_.host.c_str())) return fail({}, "SNI");
      if (!opts_.insecure) ws_.next_layer().set_verify_callback(ssl::host_name_verification(url_.host));
      ws_.next_layer().async_handshake(ssl::stream_base::client, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->fail(ec, "TLS handshake");
        self->ws_handshake();
      });
    }
  }

  void ws_handshake() {
    if (done_) return;
    lowest().expires_never();
    websocket::stream_base::timeout t;
    t.handshake_timeout = std::chrono::milliseconds(opts_.connect_timeout_ms);
    t.idle_timeout = std::chrono::milliseconds(opts_.idle_timeout_ms);
    t.keep_alive_pings = true;  // the client default of Beast detects nothing; ping at half the idle time
    ws_.set_option(t);
    ws_.read_message_max(opts_.max_frame_bytes);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(http::field::sec_websocket_protocol, proto::kSubprotocol);
      req.set(http::field::user_agent, "rtmkit/0.3.0");
    }));
    std::string host = url_.host + ':' + url_.port;
    ws_.async_handshake(res_, host, url_.path, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail(ec, "upgrade");
      if (self->res_[http::field::sec_websocket_protocol] != proto::kSubprotocol)
        return self->fail({}, "the server did not accept subprotocol rtm.v1");
      self->open_ = true;
      if (self->ev_.opened) self->ev_.opened();
      if (!self->done_) self->do_read();
    });
  }

  void do_read() {
    if (done_) return;
    if (ev_.may_read && !ev_.may_read()) {
      paused_ = true;
      return;
    }
    ws_.async_read(buf_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->done_) return;
      if (ec) {
        int code = ec == websocket::error::closed ? self->ws_.reason().code : 0;
        return self->finish(code, ec.message());
      }
      auto d = self->buf_.cdata();
      self->ev_.frame(std::string_view(static_cast<const char*>(d.data()), d.size()), self->ws_.got_binary());
      self->buf_.consume(self->buf_.size());
      self->do_read();
    });
  }

  void do_write() {
    auto& [data, binary] = queue_.front();
    ws_.binary(binary);
    ws_.async_write(net::buffer(*data), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->done_) return;
      if (ec) return self->finish(0, ec.message());
      self->queued_ -= self->queue_.front().first->size();
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->do_write();
    });
  }

  void fail(beast::error_code ec, const char* what) {
    finish(0, std::string(what) + (ec ? ": " + ec.message() : std::string()));
  }

  void finish(int code, std::string detail) {
    if (done_) return;
    done_ = true;
    beast::error_code ignored;
    lowest().socket().close(ignored);
    queue_.clear();
    queued_ = 0;
    if (ev_.closed) ev_.closed(code, std::move(detail));
  }

  std::shared_ptr<ssl::context> ctx_;  // outlives ws_ (TLS only)
  tcp::resolver resolver_;
  websocket::stream<NextLayer> ws_;
  Url url_;
  TransportOptions opts_;
  TransportEvents ev_;
  websocket::response_type res_;
  beast::flat_buffer buf_;
  std::deque<std::pair<std::shared_ptr<const std::string>, bool>> queue_;
  std::size_t queued_ = 0;
  bool open_ = false;
  bool closing_ = false;
  bool done_ = false;
  bool paused_ = false;
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
  if (!url.tls) return std::make_shared<WsTransport<beast::tcp_stream>>(ioc, url, opts, std::move(events), nullptr);
  return std::make_shared<WsTransport<beast::ssl_stream<beast::tcp_stream>>>(ioc, url, opts, std::move(events),
                                                                             tls_context(opts));
}

}  // namespace rtm
