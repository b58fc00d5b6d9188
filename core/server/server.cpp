#include "core/server/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "core/common/log.hpp"
#include "core/server/listener.hpp"
#include "core/server/service.hpp"
#include "core/server/tls.hpp"

namespace net = boost::asio;
namespace fs = std::filesystem;

namespace rtm::server {

const char* project_version() { return RTM_PROJECT_VERSION; }

struct Server::Impl {
  ServerCore core;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<net::ssl::context> tls;
  std::vector<std::shared_ptr<Listener>> listeners;
  std::vector<std::thread> threads;
  ConnTracker tracker;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::unordered_map<const Conn*, std::weak_ptr<Conn>> conns;
  std::optional<net::steady_timer> ticker;
  bool running = false;

  // Grace expiry, member counts, invitation deadlines: every housekeeping_interval_ms.
  void tick() {
    ticker->expires_after(std::chrono::milliseconds(core.cfg.housekeeping_interval_ms));
    ticker->async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      core.housekeeping();
      tick();
    });
  }

  explicit Impl(ServerConfig cfg) : ioc(static_cast<int>(threads_for(cfg))) {
    core.cfg = std::move(cfg);
    tracker.opened = [this](const std::shared_ptr<Conn>& c) {
      std::lock_guard lock(mu);
      conns.emplace(c.get(), c);
    };
    tracker.closed = [this](const Conn* c) {
      std::lock_guard lock(mu);
      conns.erase(c);
      if (conns.empty()) cv.notify_all();
    };
  }

  static unsigned threads_for(const ServerConfig& cfg) {
    unsigned n = cfg.io_threads ? cfg.io_threads : std::thread::hardware_concurrency();
    return n ? n : 1;
  }

  void setup_tls() {
    auto& cfg = core.cfg;
    std::string cert = cfg.tls_cert_file, key = cfg.tls_key_file;
    if (cert.empty() && key.empty()) {
      if (!cfg.dev) throw std::runtime_error("a wss listener needs tls_cert_file and tls_key_file (or --dev)");
      cert = (fs::path(cfg.data_dir) / "dev-cert.pem").string();
      key = (fs::path(cfg.data_dir) / "dev-key.pem").string();
      if (!fs::exists(cert) || !fs::exists(key)) {
        std::string err;
        if (!generate_self_signed(cert, key, err)) throw std::runtime_error("self-signed certificate: " + err);
        RTM_LOG(info, "server", "generated a self-signed development certificate: " << cert);
      }
    }
    tls.emplace(net::ssl::context::tls_server);
    tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                     net::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    // Idle TLS connections give their read/write buffers back.
    SSL_CTX_set_mode(tls->native_handle(), SSL_MODE_RELEASE_BUFFERS);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(cert, ec);
    if (ec) throw std::runtime_error("cannot load TLS certificate " + cert + ": " + ec.message());
    tls->use_private_key_file(key, net::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("cannot load TLS private key " + key + ": " + ec.message());
  }
};

Server::Server(ServerConfig cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}

Server::~Server() { stop(); }

const ServerConfig& Server::config() const { return impl_->core.cfg; }

void Server::start() {
  auto& d = *impl_;
  auto& cfg = d.core.cfg;
  if (d.running) return;
  if (std::string err; !validate(cfg, err)) throw std::runtime_error(err);
  if (cfg.listen.empty()) {
    cfg.listen.push_back({"127.0.0.1", 9600, false});
    if (cfg.dev) cfg.listen.push_back({"127.0.0.1", 9601, true});
  }
  for (auto& a : cfg.apps) d.core.apps[a.app_id] = a;
  if (d.core.apps.empty())
    RTM_LOG(warn, "server", "no apps configured: any app id may log in without a token (development mode)");

  std::error_code fec;
  fs::create_directories(cfg.data_dir, fec);
  if (fec) throw std::runtime_error("cannot create data directory " + cfg.data_dir + ": " + fec.message());
  StoreOptions so;
  so.path = (fs::path(cfg.data_dir) / "rtmd.sqlite").string();
  so.max_per_user = cfg.offline_max_per_user;
  so.ttl_seconds = cfg.offline_ttl_seconds;
  so.sync = cfg.store_sync;
  d.core.store = std::make_unique<OfflineStore>(so);

  d.core.single_thread = Impl::threads_for(cfg) == 1;
  bool any_tls = false;
  for (auto& l : cfg.listen) any_tls |= l.tls;
  if (any_tls) d.setup_tls();
  for (auto& l : cfg.listen) {
    d.listeners.push_back(start_listener(d.ioc, l, d.core, l.tls ? &*d.tls : nullptr, d.tracker));
    RTM_LOG(info, "server", "listening on " << (l.tls ? "wss://" : "ws://") << l.address << ':'
                                            << d.listeners.back()->port());
  }
  d.work.emplace(d.ioc.get_executor());
  d.ticker.emplace(net::make_strand(d.ioc));
  d.tick();
  unsigned n = Impl::threads_for(cfg);
  for (unsigned i = 0; i < n; ++i) d.threads.emplace_back([&d] { d.ioc.run(); });
  d.running = true;
}

uint16_t Server::port(bool tls) const {
  for (auto& l : impl_->listeners)
    if (l->tls() == tls) return l->port();
  return 0;
}

std::size_t Server::connection_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->conns.size();
}

void Server::stop() {
  auto& d = *impl_;
  if (!d.running) return;
  d.running = false;
  for (auto& l : d.listeners) l->stop();
  net::post(d.ticker->get_executor(), [&d] { d.ticker->cancel(); });
  std::vector<std::shared_ptr<Conn>> live;
  {
    std::lock_guard lock(d.mu);
    for (auto& [p, w] : d.conns)
      if (auto c = w.lock()) live.push_back(std::move(c));
  }
  for (auto& c : live) c->shutdown();
  live.clear();
  {
    std::unique_lock lock(d.mu);
    d.cv.wait_for(lock, std::chrono::seconds(5), [&] { return d.conns.empty(); });
  }
  // Offline copies of messages that were in flight are written by now; make them durable.
  if (d.core.store) d.core.store->flush();
  d.work.reset();
  d.ioc.stop();
  for (auto& t : d.threads) t.join();
  d.threads.clear();
  d.listeners.clear();
  d.core.store.reset();  // its thread may still post completions; the io_context outlives it
  d.ticker.reset();
  RTM_LOG(info, "server", "stopped");
}

}  // namespace rtm::server
