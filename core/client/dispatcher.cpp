#include "core/client/dispatcher.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace rtm {

Dispatcher::Dispatcher(bool own_thread, std::size_t low_water, std::function<void()> on_drained)
    : low_water_(low_water), on_drained_(std::move(on_drained)) {
  efd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  own_thread_ = own_thread;
  if (own_thread) thread_ = std::thread([this] { run(); });
}

Dispatcher::~Dispatcher() {
  stop();
  if (efd_ >= 0) ::close(efd_);
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    q_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable() && std::this_thread::get_id() != thread_.get_id()) thread_.join();
}

bool Dispatcher::on_dispatch_thread() const {
  std::lock_guard lock(mu_);
  return running_on_ == std::this_thread::get_id();
}

void Dispatcher::post(std::function<void()> fn) {
  bool was_empty;
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    was_empty = q_.empty();
    q_.push_back(std::move(fn));
    if (q_.size() > low_water_) above_low_ = true;
  }
  if (was_empty) {
    cv_.notify_one();
    signal_fd();
  }
}

std::size_t Dispatcher::size() const {
  std::lock_guard lock(mu_);
  return q_.size();
}

// The event fd is for external event loops in poll mode; a dispatcher thread waits on the condition
// variable alone, so thread mode spends no system calls on it.
void Dispatcher::signal_fd() {
  uint64_t one = 1;
  if (efd_ >= 0 && !own_thread_) [[maybe_unused]] auto n = ::write(efd_, &one, sizeof one);
}

void Dispatcher::drain_fd() {
  uint64_t v;
  if (efd_ >= 0 && !own_thread_) [[maybe_unused]] auto n = ::read(efd_, &v, sizeof v);
}

// Runs everything queued; called with the lock held, returns with it held.
int Dispatcher::run_batch(std::unique_lock<std::mutex>& lock) {
  int ran = 0;
  while (!q_.empty() && !stop_) {
    auto fn = std::move(q_.front());
    q_.pop_front();
    bool drained = above_low_ && q_.size() <= low_water_;
    if (drained) above_low_ = false;
    running_on_ = std::this_thread::get_id();
    lock.unlock();
    if (drained && on_drained_) on_drained_();
    fn();
    ++ran;
    lock.lock();
    running_on_ = {};
  }
  return ran;
}

void Dispatcher::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait(lock, [&] { return stop_ || !q_.empty(); });
    drain_fd();
    run_batch(lock);
  }
}

int Dispatcher::poll(int timeout_ms) {
  std::unique_lock lock(mu_);
  auto ready = [&] { return stop_ || woken_ || !q_.empty(); };
  if (timeout_ms < 0) cv_.wait(lock, ready);
  else cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready);
  woken_ = false;
  drain_fd();
  return run_batch(lock);
}

void Dispatcher::wakeup() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

}  // namespace rtm
