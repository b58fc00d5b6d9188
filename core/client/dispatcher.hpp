// Runs one client's callbacks, one at a time and in order, either on its own thread or from poll().
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace rtm {

class Dispatcher {
 public:
  Dispatcher(bool own_thread, std::size_t low_water, std::function<void()> on_drained);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void post(std::function<void()> fn);
  std::size_t size() const;
  int poll(int timeout_ms);
  void wakeup();
  int fd() const { return efd_; }
  // Stops: the thread (if any) finishes the callback it is running; queued callbacks are dropped.
  void stop();
  bool on_dispatch_thread() const;

 private:
  void run();
  int run_batch(std::unique_lock<std::mutex>& lock);
  void signal_fd();
  void drain_fd();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> q_;
  bool stop_ = false;
  bool woken_ = false;
  bool above_low_ = false;
  std::size_t low_water_;
  std::function<void()> on_drained_;
  int efd_ = -1;
  bool own_thread_ = false;
  std::thread::id running_on_;
  std::thread thread_;
};

}  // namespace rtm
