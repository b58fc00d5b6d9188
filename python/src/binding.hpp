// Shared by the source files of the _rtmkit extension module: the helpers every binding of a C ABI
// header needs. A source file that binds another header (as signaling.cpp does) includes this,
// defines `void bind_x(py::module_&)` and registers it with `static rtmpy::RegisterBinder r("x",
// bind_x);`: python/CMakeLists.txt compiles every src/*.cpp, and PYBIND11_MODULE runs the binders.
#pragma once

#include <pybind11/pybind11.h>

#include <rtmkit/rtmkit.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rtmpy {

namespace py = pybind11;

// ---- errors -----------------------------------------------------------------------------------------

struct CResult {
  rtm_result_t rc = RTM_OK;
  std::string message;  // rtm_last_error() of the failing call, read on the calling thread
};

// Runs `f` (a call into the library) with the GIL released and keeps the thread-local error message.
template <class F>
CResult call_nogil(F&& f) {
  CResult r;
  {
    py::gil_scoped_release release;
    r.rc = static_cast<rtm_result_t>(f());
    if (r.rc != RTM_OK) r.message = rtm_last_error();
  }
  return r;
}

// Raises the exception the Python layer builds for (op, code): rtmkit._errors._error(op, code, msg)
// returns an instance of the RtmError subclass of that operation.
[[noreturn]] inline void raise_rtm(int op, int code, const std::string& message) {
  py::object exc = py::module_::import("rtmkit._errors").attr("_error")(op, code, message);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

inline void check(const CResult& r, int op) {
  if (r.rc != RTM_OK) raise_rtm(r.rc < 0 ? 0 : op, r.rc, r.message);
}

[[noreturn]] inline void raise_closed(const char* what) {
  raise_rtm(-1, RTM_ERR_INVALID_STATE, std::string(what) + " is closed");  // -1: ClientClosedError
}

// ---- interpreter state ------------------------------------------------------------------------------

inline bool finalizing() noexcept {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

// ---- a gate: operations enter it, close() shuts it and waits until no operation is inside --------

struct Gate {
  std::atomic<bool> closed{false};
  std::atomic<int> inflight{0};

  bool enter() noexcept {
    inflight.fetch_add(1);
    if (closed.load()) {
      inflight.fetch_sub(1);
      return false;
    }
    return true;
  }
  void leave() noexcept { inflight.fetch_sub(1); }
  // True for the caller that closed it. Call wait_idle() without the GIL afterwards.
  bool close() noexcept { return !closed.exchange(true); }
  void wait_idle() const noexcept {
    while (inflight.load() != 0) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
};

class GateGuard {
 public:
  GateGuard(Gate& g, const char* what) : g_(g) {
    if (!g_.enter()) raise_closed(what);
  }
  ~GateGuard() { g_.leave(); }
  GateGuard(const GateGuard&) = delete;
  GateGuard& operator=(const GateGuard&) = delete;

 private:
  Gate& g_;
};

// ---- the callback box: the client's user data ------------------------------------------------------

struct CallbackBox {
  explicit CallbackBox(size_t events) : cbs(events), has(events, 0) {}
  std::vector<py::object> cbs;  // a callable or None per event
  std::vector<char> has;        // read without the GIL
  // The thread running a callback of this client right now (callbacks of one client never overlap).
  std::atomic<std::thread::id> cb_thread{};
  // Poll mode: the thread inside poll(), and the first exception a callback raised there.
  std::thread::id poll_thread{};
  std::unique_ptr<py::error_already_set> poll_error;
  // Thread mode: the Python thread state of the dispatcher thread, made once by the thread-start
  // hook and kept (a state created and deleted per callback costs several microseconds). Deleted
  // by free_box, after the library joined that thread.
  PyThreadState* dispatch_tstate = nullptr;

  void report(py::error_already_set& e, const char* where) noexcept {
    try {
      if (poll_thread == std::this_thread::get_id() && !poll_error) {
        poll_error = std::make_unique<py::error_already_set>(std::move(e));
        return;
      }
      e.discard_as_unraisable(where);
    } catch (...) {
      PyErr_Clear();
    }
  }
};

// The library calls this once, on the thread destroying the client, after the last callback.
inline void RTM_CALL free_box(void* p) noexcept {
  auto* box = static_cast<CallbackBox*>(p);
  if (!box) return;
  if (finalizing()) return;  // the references cannot be dropped any more; the process is ending
  py::gil_scoped_acquire gil;
  if (PyThreadState* ts = box->dispatch_tstate) {
    PyThreadState_Clear(ts);
    PyThreadState_Delete(ts);
  }
  delete box;
}

using ConfPtr = std::unique_ptr<rtm_conf_t, void (*)(rtm_conf_t*)>;

// The conf a client or Signal instance is created from: `settings`, the dispatch mode, the C
// callbacks (`register_cbs`), and as user data a callback box with one callable or None per event
// (`callbacks`, `events` entries, listed in `events_name`). `box` is set to the box, which the conf
// owns: dropping the conf after a failed creation frees it (free_box takes the GIL).
inline ConfPtr make_conf(const std::vector<std::pair<std::string, std::string>>& settings,
                         const py::sequence& callbacks, size_t events, const char* events_name, bool poll_mode,
                         void (*register_cbs)(rtm_conf_t*), CallbackBox*& box) {
  if (py::len(callbacks) != events)
    throw py::value_error("callbacks must list " + std::to_string(events) + " entries (see " + events_name + ")");
  rtm_conf_t* c = nullptr;
  rtm_result_t rc = rtm_conf_new(&c);
  if (rc != RTM_OK) raise_rtm(0, rc, rtm_last_error());
  ConfPtr conf(c, rtm_conf_destroy);
  char err[512];
  for (const auto& [k, v] : settings) {
    rc = rtm_conf_set(c, k.c_str(), v.c_str(), err, sizeof err);
    if (rc != RTM_OK) raise_rtm(0, rc, err);
  }
  rc = rtm_conf_set(c, "callback.dispatch", poll_mode ? "poll" : "thread", err, sizeof err);
  if (rc != RTM_OK) raise_rtm(0, rc, err);
  register_cbs(c);
  auto owned = std::make_unique<CallbackBox>(events);
  for (size_t i = 0; i < events; ++i) {
    py::object f = callbacks[i];
    owned->has[i] = !f.is_none();
    owned->cbs[i] = std::move(f);
  }
  box = owned.get();
  rtm_conf_set_user_data(c, owned.release(), free_box);
  return conf;
}

// Thread mode, on the dispatcher thread before any callback: a thread state that the callbacks'
// gil_scoped_acquire finds and reuses (its gilstate counter stays at one until free_box).
inline void RTM_CALL t_thread_start(rtm_client_t*, const char*, void* ud) noexcept {
  auto* box = static_cast<CallbackBox*>(ud);
  if (!box || finalizing()) return;
  PyGILState_Ensure();
  box->dispatch_tstate = PyThreadState_Get();
  PyEval_SaveThread();
}

class CallbackScope {
 public:
  explicit CallbackScope(CallbackBox* b) : b_(b), prev_(b->cb_thread.exchange(std::this_thread::get_id())) {}
  ~CallbackScope() { b_->cb_thread.store(prev_); }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  CallbackBox* b_;
  std::thread::id prev_;
};

// Runs `call(callable)` for event `ev` with the GIL held. noexcept: nothing escapes into the library.
template <class F>
void fire(void* ud, int ev, F&& call, const char* where) noexcept {
  auto* box = static_cast<CallbackBox*>(ud);
  if (!box || !box->has[ev]) return;
  // Before 3.14 a thread taking the GIL during finalization is terminated; from 3.14 it hangs. The
  // atexit hook closes every client before that point; this check covers a client created after it.
  if (finalizing()) return;
  py::gil_scoped_acquire gil;
  CallbackScope scope(box);
  try {
    call(box->cbs[ev]);
  } catch (py::error_already_set& e) {
    box->report(e, where);
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
    py::error_already_set err;
    box->report(err, where);
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception in a callback");
    py::error_already_set err;
    box->report(err, where);
  }
}

// ---- conversions (GIL held) ------------------------------------------------------------------------

inline py::object str_or_none(const char* s) {
  if (!s) return py::none();
  PyObject* o = PyUnicode_DecodeUTF8(s, static_cast<Py_ssize_t>(std::strlen(s)), "surrogateescape");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

inline py::object str_n(const char* s, size_t n) {
  PyObject* o = PyUnicode_DecodeUTF8(s ? s : "", static_cast<Py_ssize_t>(s ? n : 0), "surrogateescape");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

inline py::list str_list(const char* const* ids, size_t count) {
  py::list l(count);
  for (size_t i = 0; i < count; ++i) l[i] = str_or_none(ids ? ids[i] : nullptr);
  return l;
}

// ---- registration of the bindings of further headers ------------------------------------------------

using Binder = void (*)(py::module_&);

// Plain function pointers: no Python object lives in this static.
inline std::vector<std::pair<const char*, Binder>>& binders() {
  static auto* v = new std::vector<std::pair<const char*, Binder>>();
  return *v;
}

struct RegisterBinder {
  RegisterBinder(const char* name, Binder b) { binders().emplace_back(name, b); }
};

// Objects of further bindings that must be closed by the atexit hook (_rtmkit.close_all), before
// the clients: they add themselves on creation and remove themselves on destruction.
class ExitClosable {
 public:
  virtual ~ExitClosable() = default;
  virtual py::object self_object() = 0;  // the Python object, kept alive while closing
  virtual void close() = 0;
};

struct ExitRegistry {
  std::mutex mu;
  std::unordered_set<ExitClosable*> objects;
};

inline ExitRegistry& exit_registry() {
  static auto* r = new ExitRegistry();  // plain pointers only
  return *r;
}

}  // namespace rtmpy
