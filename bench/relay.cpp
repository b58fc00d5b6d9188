// The baseline server: a minimal TCP relay and echo in one epoll loop, with no framing, no parsing and
// no allocation per message. Whatever arrives on a connection is written to its partner at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "bench/scenarios.hpp"

namespace bench {
namespace {

int listen_any() {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s, 1024) != 0) return -1;
  return s;
}

uint16_t port_of(int s) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

bool write_all(int fd, const char* p, std::size_t n) {
  while (n) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);  // blocking socket: waits for room
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

[[noreturn]] void relay_main(int relay_l, int echo_l) {
  int ep = ::epoll_create1(0);
  auto watch = [ep](int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  };
  watch(relay_l);
  watch(echo_l);
  std::vector<int> partner(1 << 16, -1);
  int unpaired = -1;
  std::vector<char> buf(1 << 16);
  epoll_event events[64];
  for (;;) {
    int n = ::epoll_wait(ep, events, 64, -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == relay_l || fd == echo_l) {
        for (;;) {
          int c = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);  // blocking data socket
          if (c < 0) break;
          if (static_cast<std::size_t>(c) >= partner.size()) {
            ::close(c);
            continue;
          }
          int one = 1;
          ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          if (fd == echo_l) {
            partner[static_cast<std::size_t>(c)] = c;
          } else if (unpaired < 0) {
            unpaired = c;
          } else {
            partner[static_cast<std::size_t>(c)] = unpaired;
            partner[static_cast<std::size_t>(unpaired)] = c;
            unpaired = -1;
          }
          watch(c);
        }
        continue;
      }
      ssize_t r = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      int to = partner[static_cast<std::size_t>(fd)];
      if (r <= 0 || to < 0 || !write_all(to, buf.data(), static_cast<std::size_t>(r))) {
        ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        partner[static_cast<std::size_t>(fd)] = -1;
        if (fd == unpaired) unpaired = -1;
      }
    }
  }
}

}  // namespace

void spawn_relay(int cpu, Child& out) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive rtm-bench
    ::close(fds[0]);
    pin_to_cpu(cpu);
    int relay_l = listen_any(), echo_l = listen_any();
    uint16_t ports[2] = {relay_l < 0 ? uint16_t{0} : port_of(relay_l), echo_l < 0 ? uint16_t{0} : port_of(echo_l)};
    if (::write(fds[1], ports, sizeof ports) != static_cast<ssize_t>(sizeof ports)) ::_exit(1);
    ::close(fds[1]);
    if (relay_l < 0 || echo_l < 0) ::_exit(1);
    relay_main(relay_l, echo_l);
  }
  ::close(fds[1]);
  out.pid = pid;
  uint16_t ports[2] = {0, 0};
  ssize_t n = ::read(fds[0], ports, sizeof ports);
  ::close(fds[0]);
  if (n != static_cast<ssize_t>(sizeof ports) || !ports[0] || !ports[1]) throw std::runtime_error("relay did not start");
  out.ws_port = ports[0];
  out.wss_port = ports[1];
}

}  // namespace bench
