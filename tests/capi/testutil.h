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

  /* channels: every channel callback */
  rtm_channel_t *ch_last;   /* channel of the last channel callback */
  void *ch_last_ud;         /* its rtm_channel_user_data */
  int ch_wrong_client;      /* channel callbacks whose client was not rtm_channel_client(channel) */
  int ch_join_success;
  int ch_join_failures[16];
  int nch_join_failures;
  int ch_leaves[16];
  int nch_leaves;
  int64_t ch_result_ids[1024];
  int ch_result_codes[1024];
  int nch_results;
  int nch_messages;
  rtm_message_t *ch_kept[T_MAX_KEPT];
  char ch_kept_from[T_MAX_KEPT][80];
  char ch_joined[32][80];
  int nch_joined;
  char ch_left[32][80];
  int nch_left;
  char ch_members[16][256]; /* the members of each get_members result, sorted, comma-separated */
  int ch_members_count[16];
  int ch_members_code[16];
  int nch_members;
  int ch_counts[64];
  int nch_counts;

  /* presence */
  int64_t q_rid[16];
  int q_code[16];
  char q_text[16][256]; /* "peer:state,..." sorted */
  int nq;
  int64_t sub_rid[16];
  int sub_code[16];
  int nsub;
  int64_t byopt_rid[16];
  int byopt_code[16];
  char byopt_text[16][256];
  int nbyopt;
  char changes[64][256];
  int nchanges;
  /* attributes: results of the 8 write operations (op: T_ATTR_*) */
  int attr_op[64];
  int64_t attr_rid[64];
  int attr_code[64];
  int nattr;
  int64_t ua_rid[16];
  char ua_user[16][80];
  char ua_text[16][256]; /* "key=value,..." sorted */
  int ua_code[16];
  int nua;
  int64_t ca_rid[16];
  char ca_text[16][256]; /* "key=value@user,..." sorted */
  int ca_code[16];
  int nca;
  int64_t mc_rid[16];
  char mc_text[16][256]; /* "channel:count,..." in order */
  int mc_code[16];
  int nmc;
  char ch_attrs[16][256]; /* channel_attributes_updated, "key=value@user,..." sorted */
  int nch_attrs;

  /* invitations: "kind:id[:details]" per event, and owned copies of the invitations seen */
  char inv_events[64][200];
  int ninv;
  rtm_local_invitation_t *local_kept[16];
  int nlocal_kept;
  rtm_remote_invitation_t *remote_kept[16];
  int nremote_kept;
  int inv_answer; /* in remote_invitation_received, on the borrowed handle: 1 accept, 2 refuse */

  /* optional per-test hooks, called without the lock held */
  void (*on_channel_message)(struct t_rec *r, rtm_channel_t *ch, const char *from, const rtm_message_t *m);
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
  for (i = 0; i < T_MAX_KEPT; ++i) rtm_message_destroy(r->ch_kept[i]);
  for (i = 0; i < r->nlocal_kept; ++i) rtm_local_invitation_destroy(r->local_kept[i]);
  for (i = 0; i < r->nremote_kept; ++i) rtm_remote_invitation_destroy(r->remote_kept[i]);
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

/* ---- channel callbacks ---- */

static inline void t_ch_enter(t_rec *r, rtm_client_t *c, rtm_channel_t *ch) {
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  r->ch_last = ch;
  r->ch_last_ud = rtm_channel_user_data(ch);
  if (rtm_channel_client(ch) != c) ++r->ch_wrong_client;
  pthread_mutex_unlock(&r->mu);
}

static inline void t_on_ch_join_success(rtm_client_t *c, rtm_channel_t *ch, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  ++r->ch_join_success;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_join_failure(rtm_client_t *c, rtm_channel_t *ch, rtm_join_channel_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_join_failures < 16) r->ch_join_failures[r->nch_join_failures++] = (int)code;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_leave(rtm_client_t *c, rtm_channel_t *ch, rtm_leave_channel_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_leaves < 16) r->ch_leaves[r->nch_leaves++] = (int)code;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_message(rtm_client_t *c, rtm_channel_t *ch, const char *from, const rtm_message_t *m,
                                   void *ud) {
  t_rec *r = (t_rec *)ud;
  rtm_message_t *copy = NULL;
  t_ch_enter(r, c, ch);
  if (r->on_channel_message) r->on_channel_message(r, ch, from, m);
  pthread_mutex_lock(&r->mu);
  if (r->nch_messages < T_MAX_KEPT && rtm_message_copy(&copy, m) == RTM_OK) {
    r->ch_kept[r->nch_messages] = copy;
    snprintf(r->ch_kept_from[r->nch_messages], sizeof r->ch_kept_from[0], "%s", from);
  }
  ++r->nch_messages;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_result(rtm_client_t *c, rtm_channel_t *ch, int64_t id, rtm_channel_message_err_t code,
                                  void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_results < 1024) {
    r->ch_result_ids[r->nch_results] = id;
    r->ch_result_codes[r->nch_results++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_member_joined(rtm_client_t *c, rtm_channel_t *ch, const char *member, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_joined < 32) snprintf(r->ch_joined[r->nch_joined++], sizeof r->ch_joined[0], "%s", member);
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_member_left(rtm_client_t *c, rtm_channel_t *ch, const char *member, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_left < 32) snprintf(r->ch_left[r->nch_left++], sizeof r->ch_left[0], "%s", member);
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline int t_cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static inline void t_on_ch_members(rtm_client_t *c, rtm_channel_t *ch, const char *const *ids, size_t count,
                                   rtm_get_members_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  const char *sorted[64];
  size_t i, n = count < 64 ? count : 64;
  t_ch_enter(r, c, ch);
  for (i = 0; i < n; ++i) sorted[i] = ids[i];
  qsort(sorted, n, sizeof sorted[0], t_cmp_str);
  pthread_mutex_lock(&r->mu);
  if (r->nch_members < 16) {
    char *out = r->ch_members[r->nch_members];
    size_t len = 0;
    out[0] = 0;
    for (i = 0; i < n; ++i)
      len += (size_t)snprintf(out + len, len < 256 ? 256 - len : 0, "%s%s", i ? "," : "", sorted[i]);
    r->ch_members_count[r->nch_members] = (int)count;
    r->ch_members_code[r->nch_members++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_count(rtm_client_t *c, rtm_channel_t *ch, int count, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_counts < 64) r->ch_counts[r->nch_counts++] = count;
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

/* ---- presence and attribute callbacks ---- */

enum { T_ATTR_SET_USER, T_ATTR_ADD_USER, T_ATTR_DEL_USER, T_ATTR_CLEAR_USER, T_ATTR_SET_CH, T_ATTR_ADD_CH, T_ATTR_DEL_CH,
       T_ATTR_CLEAR_CH };

/* Joins `n` strings sorted (or in order), comma-separated, into out[256]. */
static inline void t_join(char *out, char items[][128], size_t n, int sort) {
  const char *p[64];
  size_t i, len = 0;
  if (n > 64) n = 64;
  for (i = 0; i < n; ++i) p[i] = items[i];
  if (sort) qsort(p, n, sizeof p[0], t_cmp_str);
  out[0] = 0;
  for (i = 0; i < n; ++i)
    if (len < 256) len += (size_t)snprintf(out + len, 256 - len, "%s%s", i ? "," : "", p[i]);
}

static inline void t_status_text(char *out, const char *const *ids, const rtm_peer_online_state_t *st, size_t n) {
  char items[64][128];
  size_t i;
  for (i = 0; i < n && i < 64; ++i) snprintf(items[i], sizeof items[i], "%s:%d", ids[i], (int)st[i]);
  t_join(out, items, n, 1);
}

static inline void t_on_query(rtm_client_t *c, int64_t rid, const char *const *ids, const rtm_peer_online_state_t *st,
                              size_t n, rtm_query_peers_online_status_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nq < 16) {
    t_status_text(r->q_text[r->nq], ids, st, n);
    r->q_rid[r->nq] = rid;
    r->q_code[r->nq++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_sub(rtm_client_t *c, int64_t rid, rtm_peer_subscription_status_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nsub < 16) {
    r->sub_rid[r->nsub] = rid;
    r->sub_code[r->nsub++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_byopt(rtm_client_t *c, int64_t rid, const char *const *ids, size_t n,
                              rtm_query_peers_by_subscription_option_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  char items[64][128];
  size_t i;
  (void)c;
  t_enter(r);
  for (i = 0; i < n && i < 64; ++i) snprintf(items[i], sizeof items[i], "%s", ids[i]);
  pthread_mutex_lock(&r->mu);
  if (r->nbyopt < 16) {
    t_join(r->byopt_text[r->nbyopt], items, n, 1);
    r->byopt_rid[r->nbyopt] = rid;
    r->byopt_code[r->nbyopt++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_status_changed(rtm_client_t *c, const char *const *ids, const rtm_peer_online_state_t *st,
                                       size_t n, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nchanges < 64) t_status_text(r->changes[r->nchanges++], ids, st, n);
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_attr_result(t_rec *r, int op, int64_t rid, rtm_attribute_operation_err_t code) {
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nattr < 64) {
    r->attr_op[r->nattr] = op;
    r->attr_rid[r->nattr] = rid;
    r->attr_code[r->nattr++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

#define T_ATTR_CB(fn, op)                                                                       \
  static inline void fn(rtm_client_t *c, int64_t rid, rtm_attribute_operation_err_t code, void *ud) { \
    (void)c;                                                                                    \
    t_attr_result((t_rec *)ud, op, rid, code);                                                  \
  }
T_ATTR_CB(t_on_set_user_attrs, T_ATTR_SET_USER)
T_ATTR_CB(t_on_add_user_attrs, T_ATTR_ADD_USER)
T_ATTR_CB(t_on_del_user_attrs, T_ATTR_DEL_USER)
T_ATTR_CB(t_on_clear_user_attrs, T_ATTR_CLEAR_USER)
T_ATTR_CB(t_on_set_ch_attrs, T_ATTR_SET_CH)
T_ATTR_CB(t_on_add_ch_attrs, T_ATTR_ADD_CH)
T_ATTR_CB(t_on_del_ch_attrs, T_ATTR_DEL_CH)
T_ATTR_CB(t_on_clear_ch_attrs, T_ATTR_CLEAR_CH)
#undef T_ATTR_CB

static inline void t_ch_attrs_text(char *out, const rtm_channel_attribute_t *a, size_t n) {
  char items[64][128];
  size_t i;
  for (i = 0; i < n && i < 64; ++i) {
    snprintf(items[i], sizeof items[i], "%s=%s@%s", a[i].key, a[i].value, a[i].last_update_user_id);
    if (a[i].last_update_ts < 1600000000000LL) snprintf(items[i], sizeof items[i], "bad timestamp");
  }
  t_join(out, items, n, 1);
}

static inline void t_on_get_user_attrs(rtm_client_t *c, int64_t rid, const char *user, const rtm_attribute_t *a,
                                       size_t n, rtm_attribute_operation_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  char items[64][128];
  size_t i;
  (void)c;
  t_enter(r);
  for (i = 0; i < n && i < 64; ++i) snprintf(items[i], sizeof items[i], "%s=%s", a[i].key, a[i].value);
  pthread_mutex_lock(&r->mu);
  if (r->nua < 16) {
    t_join(r->ua_text[r->nua], items, n, 1);
    snprintf(r->ua_user[r->nua], sizeof r->ua_user[0], "%s", user);
    r->ua_rid[r->nua] = rid;
    r->ua_code[r->nua++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_get_ch_attrs(rtm_client_t *c, int64_t rid, const rtm_channel_attribute_t *a, size_t n,
                                     rtm_attribute_operation_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  pthread_mutex_lock(&r->mu);
  if (r->nca < 16) {
    t_ch_attrs_text(r->ca_text[r->nca], a, n);
    r->ca_rid[r->nca] = rid;
    r->ca_code[r->nca++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_member_count(rtm_client_t *c, int64_t rid, const char *const *ids, const int *counts, size_t n,
                                     rtm_get_channel_member_count_err_t code, void *ud) {
  t_rec *r = (t_rec *)ud;
  char items[64][128];
  size_t i;
  (void)c;
  t_enter(r);
  for (i = 0; i < n && i < 64; ++i) snprintf(items[i], sizeof items[i], "%s:%d", ids[i], counts[i]);
  pthread_mutex_lock(&r->mu);
  if (r->nmc < 16) {
    t_join(r->mc_text[r->nmc], items, n, 0);
    r->mc_rid[r->nmc] = rid;
    r->mc_code[r->nmc++] = (int)code;
  }
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

static inline void t_on_ch_attrs_updated(rtm_client_t *c, rtm_channel_t *ch, const rtm_channel_attribute_t *a,
                                         size_t n, void *ud) {
  t_rec *r = (t_rec *)ud;
  t_ch_enter(r, c, ch);
  pthread_mutex_lock(&r->mu);
  if (r->nch_attrs < 16) t_ch_attrs_text(r->ch_attrs[r->nch_attrs++], a, n);
  pthread_mutex_unlock(&r->mu);
  t_leave(r);
}

/* ---- invitation callbacks ---- */

static inline void t_inv_event(t_rec *r, const char *fmt, ...) {
  va_list ap;
  pthread_mutex_lock(&r->mu);
  if (r->ninv < 64) {
    va_start(ap, fmt);
    vsnprintf(r->inv_events[r->ninv++], sizeof r->inv_events[0], fmt, ap);
    va_end(ap);
  }
  pthread_mutex_unlock(&r->mu);
}

static inline void t_keep_local(t_rec *r, rtm_local_invitation_t *inv) {
  rtm_local_invitation_t *copy = NULL;
  if (rtm_local_invitation_copy(&copy, inv) != RTM_OK) return;
  pthread_mutex_lock(&r->mu);
  if (r->nlocal_kept < 16) r->local_kept[r->nlocal_kept++] = copy;
  else rtm_local_invitation_destroy(copy);
  pthread_mutex_unlock(&r->mu);
}

static inline void t_on_local_received(rtm_client_t *c, rtm_local_invitation_t *inv, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  t_keep_local(r, inv);
  t_inv_event(r, "local_received:%lld:%d", (long long)rtm_local_invitation_id(inv), (int)rtm_local_invitation_state(inv));
  t_leave(r);
}

static inline void t_on_local_accepted(rtm_client_t *c, rtm_local_invitation_t *inv, const char *resp, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  t_inv_event(r, "local_accepted:%lld:%s", (long long)rtm_local_invitation_id(inv), resp);
  t_leave(r);
}

static inline void t_on_local_refused(rtm_client_t *c, rtm_local_invitation_t *inv, const char *resp, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  t_inv_event(r, "local_refused:%lld:%s", (long long)rtm_local_invitation_id(inv), resp);
  t_leave(r);
}

static inline void t_on_local_canceled(rtm_client_t *c, rtm_local_invitation_t *inv, void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  t_inv_event(r, "local_canceled:%lld", (long long)rtm_local_invitation_id(inv));
  t_leave(r);
}

static inline void t_on_local_failure(rtm_client_t *c, rtm_local_invitation_t *inv, rtm_local_invitation_err_t code,
                                      void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  t_inv_event(r, "local_failure:%lld:%d", (long long)rtm_local_invitation_id(inv), (int)code);
  t_leave(r);
}

static inline void t_on_remote_received(rtm_client_t *c, rtm_remote_invitation_t *inv, void *ud) {
  t_rec *r = (t_rec *)ud;
  rtm_remote_invitation_t *copy = NULL;
  t_enter(r);
  if (rtm_remote_invitation_copy(&copy, inv) == RTM_OK) {
    pthread_mutex_lock(&r->mu);
    if (r->nremote_kept < 16) r->remote_kept[r->nremote_kept++] = copy;
    else rtm_remote_invitation_destroy(copy);
    pthread_mutex_unlock(&r->mu);
  }
  t_inv_event(r, "remote_received:%lld:%s:%s:%s:%d", (long long)rtm_remote_invitation_id(inv),
              rtm_remote_invitation_caller_id(inv), rtm_remote_invitation_content(inv),
              rtm_remote_invitation_channel_id(inv), (int)rtm_remote_invitation_state(inv));
  if (r->inv_answer) { /* answer at once, on the borrowed handle */
    rtm_remote_invitation_set_response(inv, r->inv_answer == 1 ? "yes" : "no");
    if (r->inv_answer == 1) CHECK_EQ_INT(rtm_client_accept_remote_invitation(c, inv), RTM_OK);
    else CHECK_EQ_INT(rtm_client_refuse_remote_invitation(c, inv), RTM_OK);
  }
  t_leave(r);
}

#define T_REMOTE_CB(fn, kind)                                                                 \
  static inline void fn(rtm_client_t *c, rtm_remote_invitation_t *inv, void *ud) {          \
    t_rec *r = (t_rec *)ud;                                                                 \
    (void)c;                                                                                \
    t_enter(r);                                                                             \
    t_inv_event(r, kind ":%lld:%d", (long long)rtm_remote_invitation_id(inv), (int)rtm_remote_invitation_state(inv)); \
    t_leave(r);                                                                             \
  }
T_REMOTE_CB(t_on_remote_accepted, "remote_accepted")
T_REMOTE_CB(t_on_remote_refused, "remote_refused")
T_REMOTE_CB(t_on_remote_canceled, "remote_canceled")
#undef T_REMOTE_CB

static inline void t_on_remote_failure(rtm_client_t *c, rtm_remote_invitation_t *inv, rtm_remote_invitation_err_t code,
                                       void *ud) {
  t_rec *r = (t_rec *)ud;
  (void)c;
  t_enter(r);
  t_inv_event(r, "remote_failure:%lld:%d", (long long)rtm_remote_invitation_id(inv), (int)code);
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
  REQUIRE(rtm_conf_set_channel_join_success_cb(conf, t_on_ch_join_success) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_join_failure_cb(conf, t_on_ch_join_failure) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_leave_cb(conf, t_on_ch_leave) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_message_received_cb(conf, t_on_ch_message) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_send_message_result_cb(conf, t_on_ch_result) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_member_joined_cb(conf, t_on_ch_member_joined) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_member_left_cb(conf, t_on_ch_member_left) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_get_members_result_cb(conf, t_on_ch_members) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_member_count_updated_cb(conf, t_on_ch_count) == RTM_OK);
  REQUIRE(rtm_conf_set_channel_attributes_updated_cb(conf, t_on_ch_attrs_updated) == RTM_OK);
  REQUIRE(rtm_conf_set_query_peers_online_status_result_cb(conf, t_on_query) == RTM_OK);
  REQUIRE(rtm_conf_set_subscription_request_result_cb(conf, t_on_sub) == RTM_OK);
  REQUIRE(rtm_conf_set_query_peers_by_subscription_option_result_cb(conf, t_on_byopt) == RTM_OK);
  REQUIRE(rtm_conf_set_peers_online_status_changed_cb(conf, t_on_status_changed) == RTM_OK);
  REQUIRE(rtm_conf_set_set_local_user_attributes_result_cb(conf, t_on_set_user_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_add_or_update_local_user_attributes_result_cb(conf, t_on_add_user_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_delete_local_user_attributes_result_cb(conf, t_on_del_user_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_clear_local_user_attributes_result_cb(conf, t_on_clear_user_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_get_user_attributes_result_cb(conf, t_on_get_user_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_set_channel_attributes_result_cb(conf, t_on_set_ch_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_add_or_update_channel_attributes_result_cb(conf, t_on_add_ch_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_delete_channel_attributes_result_cb(conf, t_on_del_ch_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_clear_channel_attributes_result_cb(conf, t_on_clear_ch_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_get_channel_attributes_result_cb(conf, t_on_get_ch_attrs) == RTM_OK);
  REQUIRE(rtm_conf_set_get_channel_member_count_result_cb(conf, t_on_member_count) == RTM_OK);
  REQUIRE(rtm_conf_set_local_invitation_received_by_peer_cb(conf, t_on_local_received) == RTM_OK);
  REQUIRE(rtm_conf_set_local_invitation_accepted_cb(conf, t_on_local_accepted) == RTM_OK);
  REQUIRE(rtm_conf_set_local_invitation_refused_cb(conf, t_on_local_refused) == RTM_OK);
  REQUIRE(rtm_conf_set_local_invitation_canceled_cb(conf, t_on_local_canceled) == RTM_OK);
  REQUIRE(rtm_conf_set_local_invitation_failure_cb(conf, t_on_local_failure) == RTM_OK);
  REQUIRE(rtm_conf_set_remote_invitation_received_cb(conf, t_on_remote_received) == RTM_OK);
  REQUIRE(rtm_conf_set_remote_invitation_accepted_cb(conf, t_on_remote_accepted) == RTM_OK);
  REQUIRE(rtm_conf_set_remote_invitation_refused_cb(conf, t_on_remote_refused) == RTM_OK);
  REQUIRE(rtm_conf_set_remote_invitation_canceled_cb(conf, t_on_remote_canceled) == RTM_OK);
  REQUIRE(rtm_conf_set_remote_invitation_failure_cb(conf, t_on_remote_failure) == RTM_OK);
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

static inline int t_p_ch_join_success(t_rec *r, long long n) { return r->ch_join_success >= n; }
static inline int t_p_ch_join_failures(t_rec *r, long long n) { return r->nch_join_failures >= n; }
static inline int t_p_ch_leaves(t_rec *r, long long n) { return r->nch_leaves >= n; }
static inline int t_p_ch_messages(t_rec *r, long long n) { return r->nch_messages >= n; }
static inline int t_p_ch_results(t_rec *r, long long n) { return r->nch_results >= n; }
static inline int t_p_ch_joined(t_rec *r, long long n) { return r->nch_joined >= n; }
static inline int t_p_ch_left(t_rec *r, long long n) { return r->nch_left >= n; }
static inline int t_p_ch_members(t_rec *r, long long n) { return r->nch_members >= n; }
static inline int t_p_ch_count_is(t_rec *r, long long n) { return r->nch_counts > 0 && r->ch_counts[r->nch_counts - 1] == n; }
static inline int t_p_ch_result_for(t_rec *r, long long id) {
  int i;
  for (i = 0; i < r->nch_results; ++i)
    if (r->ch_result_ids[i] == id) return 1;
  return 0;
}

static inline int t_p_nq(t_rec *r, long long n) { return r->nq >= n; }
static inline int t_p_nsub(t_rec *r, long long n) { return r->nsub >= n; }
static inline int t_p_nbyopt(t_rec *r, long long n) { return r->nbyopt >= n; }
static inline int t_p_nchanges(t_rec *r, long long n) { return r->nchanges >= n; }
static inline int t_p_nattr(t_rec *r, long long n) { return r->nattr >= n; }
static inline int t_p_nua(t_rec *r, long long n) { return r->nua >= n; }
static inline int t_p_nca(t_rec *r, long long n) { return r->nca >= n; }
static inline int t_p_nmc(t_rec *r, long long n) { return r->nmc >= n; }
static inline int t_p_nch_attrs(t_rec *r, long long n) { return r->nch_attrs >= n; }

/* The result code of channel message `id` (waits for it); -1 if none came. */
static inline int t_ch_result_of(t_rec *r, int64_t id, int timeout_ms) {
  int i, code = -1;
  if (!t_wait(r, t_p_ch_result_for, id, timeout_ms)) return -1;
  pthread_mutex_lock(&r->mu);
  for (i = 0; i < r->nch_results; ++i)
    if (r->ch_result_ids[i] == id) code = r->ch_result_codes[i];
  pthread_mutex_unlock(&r->mu);
  return code;
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
