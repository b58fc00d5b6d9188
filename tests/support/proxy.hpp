// A TCP proxy between clients and rtmd that a test can use to cut connections or refuse new ones,
// as a network failure would, while rtmd itself keeps running.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <future>
#include <list>
#include <memory>
#include <thread>

namespace rtm::test {

class Proxy {
 public:
  explicit Proxy(uint16_t target) : target_(target), acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~Proxy() {
    boost::asio::post(ioc_, [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      for (auto& p : pairs_) p->close();
    });
    ioc_.stop();
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }

  // Drops every open connection (both sides see a reset).
  void cut() {
    run([this] {
      for (auto& p : pairs_) p->close();
      pairs_.clear();
    });
  }
  // Open connections stay open but carry nothing more in either direction, as when a network path
  // dies silently; only idle timeouts can notice.
  void freeze() {
    run([this] {
      for (auto& p : pairs_) p->frozen = true;
      pairs_.clear();  // the pairs live on through their pending reads
    });
  }
  // While blocked, new connections are closed at once.
  void block(bool b) { blocked_ = b; }

 private:
  struct Pair : std::enable_shared_from_this<Pair> {
    boost::asio::ip::tcp::socket a, b;
    std::array<char, 16384> ba{}, bb{};
    bool frozen = false;
    explicit Pair(boost::asio::io_context& io) : a(io), b(io) {}
    void close() {
      boost::system::error_code ec;
      a.set_option(boost::asio::socket_base::linger(true, 0), ec);
      a.close(ec);
      b.close(ec);
    }
    void pump(boost::asio::ip::tcp::socket& from, boost::asio::ip::tcp::socket& to, std::array<char, 16384>& buf) {
      from.async_read_some(boost::asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf](auto ec, std::size_t n) {
        if (ec) return self->close();
        if (self->frozen) return self->pump(from, to, buf);  // swallowed
        boost::asio::async_write(to, boost::asio::buffer(buf.data(), n), [self, &from, &to, &buf](auto ec2, std::size_t) {
          if (ec2) return self->close();
          self->pump(from, to, buf);
        });
      });
    }
  };

  template <class F>
  void run(F f) {
    std::promise<void> done;
    boost::asio::post(ioc_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  void accept() {
    auto p = std::make_shared<Pair>(ioc_);
    acceptor_.async_accept(p->a, [this, p](boost::system::error_code ec) {
      if (ec) return;
      if (blocked_) {
        p->close();
      } else {
        boost::system::error_code cec;
        p->b.connect({boost::asio::ip::make_address("127.0.0.1"), target_}, cec);
        if (cec) {
          p->close();
        } else {
          pairs_.push_back(p);
          p->pump(p->a, p->b, p->ba);
          p->pump(p->b, p->a, p->bb);
        }
      }
      accept();
    });
  }

  uint16_t target_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> blocked_{false};
  std::list<std::shared_ptr<Pair>> pairs_;
  std::thread thread_;
};

}  // namespace rtm::test
