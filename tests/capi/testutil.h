/* Support for the C tests of the C API: checks, time, temporary directories, an embedded server,
 * and a recorder that stores every callback of a client so that tests can wait for them. C99 + POSIX. */
#ifndef RTMKIT_TESTUTIL_H
#define RTMKIT_TESTUTIL_H

#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rtmkit/rtmkit.h>

/* ---- checks --------------------------------------------------------------------------------------- */

static int t_failures = 0;

#define CHECK(cond)                                                                          \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, \
              rtm_last_error());                                                             \
      ++t_failures;                                                                          \
    }                                                                                        \
  } while (0)

/* Fatal: the rest of the test makes no sense without it. */
#define REQUIRE(cond)                                                                          \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "%s:%d: REQUIRE failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, \
              rtm_last_error());                                                               \
      exit(1);                                                                                 \
    }                                                                                          \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                                              \
  do {                                                                                                  \
    long long va_ = (long long)(a), vb_ = (long long)(b);                                               \
    if (va_ != vb_) {                                                                                   \
      fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, %s == %lld (last error: %s)\n", __FILE__, __LINE__, \
              #a, va_, #b, vb_, rtm_last_error());                                                      \
      ++t_failures;                                                                                     \
    }                                                                                                   \
  } while (0)

#define CHECK_STR(a, b)                                                                                       \
  do {                                                                                                        \
    const char *sa_ = (a), *sb_ = (b);                                                                        \
    if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                                              \
      fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", %s == \"%s\"\n", __FILE__, __LINE__, #a,          \
              sa_ ? sa_ : "(null)", #b, sb_ ? sb_ : "(null)");                                                \
      ++t_failures;                                                                                           \
    }                                                                                                         \
  } while (0)

static inline int t_finish(const char *name) {
  if (t_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", name, t_failures);
    return 1;
  }
  printf("%s: ok\n", name);
  return 0;
}

/* ---- time ------------------------------------------------------------------------------------------ */

static inline int64_t t_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void t_sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* ---- temporary directories ------------------------------------------------------------------------- */

static inline int t_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static inline void t_rmtree(const char *dir) { nftw(dir, t_rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static inline char *t_mkdtemp(char *buf, size_t size) {
  const char *base = getenv("TMPDIR");
  snprintf(buf, size, "%s/rtmkit-capi-XXXXXX", base && *base ? base : "/tmp");
  REQUIRE(mkdtemp(buf) != NULL);
  return buf;
}

/* ---- embedded server ------------------------------------------------------------------------------- */

typedef struct t_server {
  rtm_server_t *server;
  char dir[256];
  char url[128];
  char wss_url[128];
} t_server;

/* Starts a server on 127.0.0.1 (port 0: ephemeral) with `apps` ("" for any) and optional extra
 * key/value pairs (NULL-terminated). */
static inline void t_server_start(t_server *s, int port, const char *apps, int with_tls, ...) {
  rtm_server_conf_t *conf = NULL;
  char listen[128], err[256];
  va_list ap;
  const char *k;
  REQUIRE(rtm_server_conf_new(&conf) == RTM_OK);
  t_mkdtemp(s->dir, sizeof s->dir);
  if (with_tls)
    snprintf(listen, sizeof listen, "ws://127.0.0.1:%d, wss://127.0.0.1:0", port);
  else
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
  REQUIRE(rtm_server_conf_set(conf, "listen", listen, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_server_conf_set(conf, "data_dir", s->dir, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_server_conf_set(conf, "apps", apps, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_server_conf_set(conf, "io_threads", "2", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_server_conf_set(conf, "store_sync", "false", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_server_conf_set(conf, "log_level", "error", err, sizeof err) == RTM_OK);
  if (with_tls) REQUIRE(rtm_server_conf_set(conf, "dev", "true", err, sizeof err) == RTM_OK);
  va_start(ap, with_tls);
  while ((k = va_arg(ap, const char *)) != NULL) {
    const char *v = va_arg(ap, const char *);
    REQUIRE(rtm_server_conf_set(conf, k, v, err, sizeof err) == RTM_OK);
  }
  va_end(ap);
  REQUIRE(rtm_server_new(&s->server, conf) == RTM_OK);
  REQUIRE(rtm_server_start(s->server) == RTM_OK);
  snprintf(s->url, sizeof s->url, "ws://127.0.0.1:%u", (unsigned)rtm_server_port(s->server, 0));
  snprintf(s->wss_url, sizeof s->wss_url, "wss://127.0.0.1:%u", (unsigned)rtm_server_port(s->server, 1));
}

static inline void t_server_stop(t_server *s) {
  rtm_server_destroy(s->server);
  s->server = NULL;
  t_rmtree(s->dir);
}

/* A free TCP port on 127.0.0.1 (bound once by a throwaway server). */
static inline int t_free_port(void) {
  t_server s;
  int port;
  t_server_start(&s, 0, "", 0, (const char *)NULL);
  port = rtm_server_port(s.server, 0);
  t_server_stop(&s);
  return port;
}

/* ---- recorder -------------------------------------------------------------------------------------- */

#define T_MAX_EVENTS 4096
#define T_MAX_KEPT 64

typedef struct t_rec {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  const char *name;
  rtm_client_t *client;
  int poll_mode;

  int states[64][2];
  int nstates;
  int login_success;
  int login_failures[16];
  int nlogin_failures;
  int logouts[16];
  int nlogouts;
  char renew_tokens[8][600];
  int renew_codes[8];
  int nrenew;
  int token_expired;
  int token_will_expire;
  int64_t result_ids[T_MAX_EVENTS];
  int result_codes[T_MAX_EVENTS];
  int nresults;
  int nmessages;
  rtm_message_t *kept[T_MAX_KEPT]; /* copies of the first messages received */
  char kept_from[T_MAX_KEPT][80];

  int freed;                /* user-data destructor calls */
  int thread_starts;        /* thread-start hook calls */
  char thread_name[32];
  pthread_t hook_thread;    /* thread of the thread-start hook */
  pthread_t cb_thread;      /* thread of the last callback */
  int callbacks;            /* every callback */
  int concurrent;           /* callbacks found running at the same time (must stay 0) */
  int running;
  int after_destroy;        /* callbacks that started after destroy returned (must stay 0) */
  int destroyed;

  /* optional per-test hooks, called without the lock held */
  void (*on_message)(struct t_rec *r, const char *from, const rtm_message_t *m);
  void (*on_login_success)(struct t_rec *r);
  void *test_data;
} t_rec;

static inline void t_rec_init(t_rec *r, const char *name) {
  memset(r, 0, sizeof *r);
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  r->name = name;
}

static inline void t_rec_fini(t_rec *r) {
  int i;
  for (i = 0; i < T_MAX_KEPT; ++i) rtm_message_destroy(r->kept[i]);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
}

static inline void t_enter(t_rec *r) {
  pthread_mutex_lock(&r->mu);
  if (r->destroyed) ++r->after_destroy;
  if (r->running) ++r->concurrent;
  ++r->running;
  ++r->callbacks;
  r->cb_thread = pthread_self();
  pthread_mutex_unlock(&r->mu);
}

static inline void t_leave(t_rec *r) {
  pthread_mutex_lock(&r->mu);
  --r->running;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

static inline void t_on_state(rtm_client_t *c, rtm_connection_state_t s, rtm_connection_change_reason_t why, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nstates < 64) {
    r->states[r->nstates][0] = (int)s;
    r->states[r->nstates][1] = (int)why;
    ++r->nstates;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_login_success(rtm_client_t *c, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  if (r->on_login_success) r->on_login_success(r);
  pthread_mutex_lock(&r->mu);
  ++r->login_success;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_login_failure(rtm_client_t *c, rtm_login_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nlogin_failures < 16) r->login_failures[r->nlogin_failures++] = (int)code;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_logout(rtm_client_t *c, rtm_logout_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nlogouts < 16) r->logouts[r->nlogouts++] = (int)code;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_renew(rtm_client_t *c, const char *token, rtm_renew_token_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nrenew < 8) {
    snprintf(r->renew_tokens[r->nrenew], sizeof r->renew_tokens[0], "%s", token);
    r->renew_codes[r->nrenew++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_token_expired(rtm_client_t *c, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  ++r->token_expired;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_token_will_expire(rtm_client_t *c, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  ++r->token_will_expire;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_result(rtm_client_t *c, int64_t id, rtm_peer_message_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nresults < T_MAX_EVENTS) {
    r->result_ids[r->nresults] = id;
    r->result_codes[r->nresults++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_message(rtm_client_t *c, const char *from, const rtm_message_t *m, void *ud) {
  t_rec *r = (t_rec *)ud;
  rtm_message_t *copy = NULL;
  (void)c;
  t_enter(r);
  if (r->on_message) r->on_message(r, from, m);
  pthread_mutex_lock(&r->mu);
  if (r->nmessages < T_MAX_KEPT && rtm_message_copy(&copy, m) == RTM_OK) {
    r->kept[r->nmessages] = copy;
    snprintf(r->kept_from[r->nmessages], sizeof r->kept_from[0], "%s", from);
  }
  ++r->nmessages;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_thread_start(rtm_client_t *c, const char *name, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  pthread_mutex_lock(&r->mu);
  ++r->thread_starts;
  r->hook_thread = pthread_self();
  snprintf(r->thread_name, sizeof r->thread_name, "%s", name);
  pthread_mutex_unlock(&r->mu);
}

static inline void t_free_ud(void *ud) {
  t_rec *r = (t_rec *)ud;
  pthread_mutex_lock(&r->mu);
  ++r->freed;
  pthread_mutex_unlock(&r->mu);
}

/* A conf with every callback of the recorder registered. */
static inline rtm_conf_t *t_conf(t_rec *r, const char *url, const char *app, int poll_mode) {
  rtm_conf_t *conf = NULL;
  char err[256];
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "app_id", app, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "url", url, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "callback.dispatch", poll_mode ? "poll" : "thread", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "tls_insecure_skip_verify", "true", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "reconnect_min_ms", "100", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "reconnect_max_ms", "400", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set_connection_state_changed_cb(conf, t_on_state) == RTM_OK);
  REQUIRE(rtm_conf_set_login_success_cb(conf, t_on_login_success) == RTM_OK);
  REQUIRE(rtm_conf_set_login_failure_cb(conf, t_on_login_failure) == RTM_OK);
  REQUIRE(rtm_conf_set_logout_cb(conf, t_on_logout) == RTM_OK);
  REQUIRE(rtm_conf_set_renew_token_result_cb(conf, t_on_renew) == RTM_OK);
  REQUIRE(rtm_conf_set_token_expired_cb(conf, t_on_token_expired) == RTM_OK);
  REQUIRE(rtm_conf_set_token_privilege_will_expire_cb(conf, t_on_token_will_expire) == RTM_OK);
  REQUIRE(rtm_conf_set_send_message_result_cb(conf, t_on_result) == RTM_OK);
  REQUIRE(rtm_conf_set_message_received_from_peer_cb(conf, t_on_message) == RTM_OK);
  REQUIRE(rtm_conf_set_thread_start_cb(conf, t_on_thread_start) == RTM_OK);
  REQUIRE(rtm_conf_set_user_data(conf, r, t_free_ud) == RTM_OK);
  r->poll_mode = poll_mode;
  return conf;
}

static inline rtm_client_t *t_client(t_rec *r, const char *url, const char *app, int poll_mode) {
  rtm_conf_t *conf = t_conf(r, url, app, poll_mode);
  REQUIRE(rtm_client_new(&r->client, conf) == RTM_OK);
  return r->client;
}

/* ---- waiting ----------------------------------------------------------------------------------------- */

/* The recorders the waits pump in poll mode. */
static t_rec *t_pumped[8];
static int t_npumped = 0;

static inline void t_pump_add(t_rec *r) {
  if (r->poll_mode) t_pumped[t_npumped++] = r;
}

static inline void t_pump_remove(t_rec *r) {
  int i, j = 0;
  for (i = 0; i < t_npumped; ++i)
    if (t_pumped[i] != r) t_pumped[j++] = t_pumped[i];
  t_npumped = j;
}

/* Runs pending callbacks of every poll-mode client: waits (up to ms) on their event fds, then polls
 * each without blocking. In thread mode only sleeps a little. */
static inline void t_pump(int ms) {
  struct pollfd fds[8];
  int i;
  if (t_npumped == 0) {
    t_sleep_ms(ms < 5 ? ms : 5);
    return;
  }
  for (i = 0; i < t_npumped; ++i) {
    fds[i].fd = rtm_client_event_fd(t_pumped[i]->client);
    fds[i].events = POLLIN;
    fds[i].revents = 0;
  }
  poll(fds, (nfds_t)t_npumped, ms);
  for (i = 0; i < t_npumped; ++i) {
    int n = rtm_client_poll(t_pumped[i]->client, 0);
    if (n < 0) fprintf(stderr, "rtm_client_poll(%s): %s\n", t_pumped[i]->name, rtm_last_error());
  }
}

typedef int (*t_pred)(t_rec *r, long long arg);

/* Waits up to timeout_ms for pred(r, arg) (evaluated under r's lock). */
static inline int t_wait(t_rec *r, t_pred pred, long long arg, int timeout_ms) {
  int64_t deadline = t_now_ms() + timeout_ms;
  for (;;) {
    int ok;
    pthread_mutex_lock(&r->mu);
    ok = pred(r, arg);
    pthread_mutex_unlock(&r->mu);
    if (ok) return 1;
    if (t_now_ms() >= deadline) return 0;
    t_pump(10);
  }
}

static inline int t_p_state(t_rec *r, long long state) { return r->nstates > 0 && r->states[r->nstates - 1][0] == state; }
static inline int t_p_login_success(t_rec *r, long long n) { return r->login_success >= n; }
static inline int t_p_login_failures(t_rec *r, long long n) { return r->nlogin_failures >= n; }
static inline int t_p_logouts(t_rec *r, long long n) { return r->nlogouts >= n; }
static inline int t_p_renews(t_rec *r, long long n) { return r->nrenew >= n; }
static inline int t_p_token_will_expire(t_rec *r, long long n) { return r->token_will_expire >= n; }
static inline int t_p_token_expired(t_rec *r, long long n) { return r->token_expired >= n; }
static inline int t_p_messages(t_rec *r, long long n) { return r->nmessages >= n; }
static inline int t_p_results(t_rec *r, long long n) { return r->nresults >= n; }
static inline int t_p_result_for(t_rec *r, long long id) {
  int i;
  for (i = 0; i < r->nresults; ++i)
    if (r->result_ids[i] == id) return 1;
  return 0;
}

/* The result code of message `id` (waits for it); -1 if none came. */
static inline int t_result_of(t_rec *r, int64_t id, int timeout_ms) {
  int i, code = -1;
  if (!t_wait(r, t_p_result_for, id, timeout_ms)) return -1;
  pthread_mutex_lock(&r->mu);
  for (i = 0; i < r->nresults; ++i)
    if (r->result_ids[i] == id) code = r->result_codes[i];
  pthread_mutex_unlock(&r->mu);
  return code;
}

/* Logs in and waits for CONNECTED. */
static inline int t_login(t_rec *r, const char *token, const char *uid) {
  rtm_result_t rc = rtm_client_login(r->client, token, uid);
  if (rc != RTM_OK) {
    fprintf(stderr, "login %s: %d %s\n", uid, rc, rtm_last_error());
    return 0;
  }
  return t_wait(r, t_p_state, RTM_CONNECTION_STATE_CONNECTED, 10000);
}

/* Destroys the client and checks the user-data destructor ran exactly once. */
static inline void t_destroy(t_rec *r) {
  t_pump_remove(r);
  CHECK_EQ_INT(rtm_client_destroy(r->client), RTM_OK);
  pthread_mutex_lock(&r->mu);
  r->destroyed = 1;
  pthread_mutex_unlock(&r->mu);
  r->client = NULL;
  CHECK_EQ_INT(r->freed, 1);
  CHECK_EQ_INT(r->concurrent, 0);
}

#endif /* RTMKIT_TESTUTIL_H */
