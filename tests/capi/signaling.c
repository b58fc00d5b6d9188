/* End-to-end tests of the Signaling compatibility API (signaling.h) against the embedded server:
 * every method and callback, legacy tokens, DTMF, the `extra` options, every invoke command, and
 * interop with RTM-API clients in both directions. Usage: capi_signaling <test> [thread|poll]. */
#include "testutil.h"

/* ---- an event log: every callback appends one line "event|arg|arg..."; tests wait for lines ---- */

#define E_MAX 512

typedef struct elog {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char lines[E_MAX][600];
  int n;
  int wrong_thread; /* callbacks not on the instance's dispatcher */
} elog;

static void e_init(elog *e) {
  memset(e, 0, sizeof *e);
  pthread_mutex_init(&e->mu, NULL);
  pthread_cond_init(&e->cv, NULL);
}

static void e_fini(elog *e) {
  pthread_mutex_destroy(&e->mu);
  pthread_cond_destroy(&e->cv);
}

static void e_add(elog *e, const char *fmt, ...) {
  va_list ap;
  pthread_mutex_lock(&e->mu);
  if (e->n < E_MAX) {
    va_start(ap, fmt);
    vsnprintf(e->lines[e->n++], sizeof e->lines[0], fmt, ap);
    va_end(ap);
  }
  pthread_cond_broadcast(&e->cv);
  pthread_mutex_unlock(&e->mu);
}

static int e_count_locked(elog *e, const char *line) {
  int i, c = 0;
  for (i = 0; i < e->n; ++i)
    if (strcmp(e->lines[i], line) == 0) ++c;
  return c;
}

static int e_count(elog *e, const char *line) {
  int c;
  pthread_mutex_lock(&e->mu);
  c = e_count_locked(e, line);
  pthread_mutex_unlock(&e->mu);
  return c;
}

/* Waits for `count` lines equal to `line`; prints the log when it does not come. */
static int e_wait_n(elog *e, const char *line, int count, int timeout_ms) {
  int64_t deadline = t_now_ms() + timeout_ms;
  int ok, i;
  pthread_mutex_lock(&e->mu);
  while (!(ok = e_count_locked(e, line) >= count) && t_now_ms() < deadline) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec += 1;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&e->cv, &e->mu, &ts);
  }
  if (!ok) {
    fprintf(stderr, "waited for \"%s\" x%d; the log has:\n", line, count);
    for (i = 0; i < e->n; ++i) fprintf(stderr, "  %s\n", e->lines[i]);
  }
  pthread_mutex_unlock(&e->mu);
  return ok;
}
#define E_WAIT(e, line) e_wait_n((e), (line), 1, 10000)

/* The index of the first line equal to `line` (-1 if none). */
static int e_index(elog *e, const char *line) {
  int i, r = -1;
  pthread_mutex_lock(&e->mu);
  for (i = 0; i < e->n && r < 0; ++i)
    if (strcmp(e->lines[i], line) == 0) r = i;
  pthread_mutex_unlock(&e->mu);
  return r;
}

/* ---- Signal instances ------------------------------------------------------------------------------ */

static int g_poll = 0;

typedef struct sig_t_ {
  rtm_sig_t *sig;
  elog log;
  pthread_t pump;
  int stop; /* set by s_free, read by the pump thread: both under log.mu */
  int pumping;
} sig_t_;

#define LOG(ud) (&((sig_t_ *)(ud))->log)

static void s_login_success(rtm_sig_t *s, uint32_t uid, int fd, void *ud) { (void)s; e_add(LOG(ud), "login_success|%u|%d", uid, fd); }
static void s_login_failed(rtm_sig_t *s, int ecode, void *ud) { (void)s; e_add(LOG(ud), "login_failed|%d", ecode); }
static void s_logout(rtm_sig_t *s, int ecode, void *ud) { (void)s; e_add(LOG(ud), "logout|%d", ecode); }
static void s_reconnecting(rtm_sig_t *s, uint32_t n, void *ud) { (void)s; e_add(LOG(ud), "reconnecting|%u", n); }
static void s_reconnected(rtm_sig_t *s, int fd, void *ud) { (void)s; e_add(LOG(ud), "reconnected|%d", fd); }
static void s_joined(rtm_sig_t *s, const char *ch, void *ud) { (void)s; e_add(LOG(ud), "joined|%s", ch); }
static void s_join_failed(rtm_sig_t *s, const char *ch, int ecode, void *ud) {
  (void)s;
  e_add(LOG(ud), "join_failed|%s|%d", ch, ecode);
}
static void s_leaved(rtm_sig_t *s, const char *ch, int ecode, void *ud) { (void)s; e_add(LOG(ud), "leaved|%s|%d", ch, ecode); }
static void s_user_joined(rtm_sig_t *s, const char *a, uint32_t uid, void *ud) { (void)s; e_add(LOG(ud), "user_joined|%s|%u", a, uid); }
static void s_user_leaved(rtm_sig_t *s, const char *a, uint32_t uid, void *ud) { (void)s; e_add(LOG(ud), "user_leaved|%s|%u", a, uid); }
static void s_user_list(rtm_sig_t *s, size_t n, const char *const *accounts, const uint32_t *uids, void *ud) {
  char buf[512];
  size_t i, len = 0;
  (void)s;
  buf[0] = 0;
  for (i = 0; i < n && len < sizeof buf; ++i)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%u", i ? "," : "", accounts[i], uids[i]);
  e_add(LOG(ud), "user_list|%s", buf);
}
static void s_attr(rtm_sig_t *s, const char *ch, const char *k, const char *v, const char *type, void *ud) {
  (void)s;
  e_add(LOG(ud), "attr|%s|%s|%s|%s", ch, k, v, type);
}
static void s_num(rtm_sig_t *s, const char *ch, int ecode, int num, void *ud) { (void)s; e_add(LOG(ud), "num|%s|%d|%d", ch, ecode, num); }
static void s_isin(rtm_sig_t *s, const char *ch, const char *a, int in, void *ud) { (void)s; e_add(LOG(ud), "isin|%s|%s|%d", ch, a, in); }
static void s_instant(rtm_sig_t *s, const char *a, uint32_t uid, const char *msg, void *ud) {
  (void)s;
  e_add(LOG(ud), "instant|%s|%u|%s", a, uid, msg);
}
static void s_chmsg(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, const char *msg, void *ud) {
  (void)s;
  e_add(LOG(ud), "chmsg|%s|%s|%u|%s", ch, a, uid, msg);
}
static void s_sent(rtm_sig_t *s, const char *id, void *ud) { (void)s; e_add(LOG(ud), "sent|%s", id); }
static void s_send_error(rtm_sig_t *s, const char *id, int ecode, void *ud) { (void)s; e_add(LOG(ud), "send_error|%s|%d", id, ecode); }
static void s_inv_received(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, const char *extra, void *ud) {
  (void)s;
  e_add(LOG(ud), "invite_received|%s|%s|%u|%s", ch, a, uid, extra);
}
static void s_inv_by_peer(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, void *ud) {
  (void)s;
  e_add(LOG(ud), "received_by_peer|%s|%s|%u", ch, a, uid);
}
static void s_inv_accepted(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, const char *extra, void *ud) {
  (void)s;
  e_add(LOG(ud), "accepted_by_peer|%s|%s|%u|%s", ch, a, uid, extra);
}
static void s_inv_refused(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, const char *extra, void *ud) {
  (void)s;
  e_add(LOG(ud), "refused_by_peer|%s|%s|%u|%s", ch, a, uid, extra);
}
static void s_inv_failed(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, int ecode, const char *extra, void *ud) {
  (void)s;
  e_add(LOG(ud), "invite_failed|%s|%s|%u|%d|%s", ch, a, uid, ecode, extra);
}
static void s_end_by_peer(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, const char *extra, void *ud) {
  (void)s;
  e_add(LOG(ud), "end_by_peer|%s|%s|%u|%s", ch, a, uid, extra);
}
static void s_end_by_myself(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, void *ud) {
  (void)s;
  e_add(LOG(ud), "end_by_myself|%s|%s|%u", ch, a, uid);
}
static void s_inv_msg(rtm_sig_t *s, const char *ch, const char *a, uint32_t uid, const char *type, const char *data,
                      const char *extra, void *ud) {
  (void)s;
  e_add(LOG(ud), "invite_msg|%s|%s|%u|%s|%s|%s", ch, a, uid, type, data, extra);
}
static void s_invoke(rtm_sig_t *s, const char *id, int err, const char *resp, void *ud) {
  (void)s;
  e_add(LOG(ud), "invoke|%s|%d|%s", id, err, resp);
}
static void s_status(rtm_sig_t *s, const char *a, const char *st, void *ud) { (void)s; e_add(LOG(ud), "status|%s|%s", a, st); }
static void s_uattr(rtm_sig_t *s, const char *a, const char *k, const char *v, void *ud) {
  (void)s;
  e_add(LOG(ud), "uattr|%s|%s|%s", a, k, v);
}
static void s_uattr_all(rtm_sig_t *s, const char *a, const char *json, void *ud) { (void)s; e_add(LOG(ud), "uattr_all|%s|%s", a, json); }
static void s_error(rtm_sig_t *s, const char *name, int ecode, const char *desc, void *ud) {
  (void)s;
  (void)desc;
  e_add(LOG(ud), "error|%s|%d", name, ecode);
}

static void s_thread_start(rtm_client_t *c, const char *name, void *ud) {
  e_add(LOG(ud), "thread_start|%s|%s", name, c ? "client" : "null");
}

static int s_stopping(sig_t_ *t) {
  int stop;
  pthread_mutex_lock(&t->log.mu);
  stop = t->stop;
  pthread_mutex_unlock(&t->log.mu);
  return stop;
}

static void *s_pump_main(void *arg) {
  sig_t_ *t = (sig_t_ *)arg;
  while (!s_stopping(t)) {
    struct pollfd p;
    p.fd = rtm_sig_event_fd(t->sig);
    p.events = POLLIN;
    p.revents = 0;
    poll(&p, 1, 10);
    if (rtm_sig_poll(t->sig, 0) < 0) fprintf(stderr, "rtm_sig_poll: %s\n", rtm_last_error());
  }
  return NULL;
}

static void s_new(sig_t_ *t, const char *url, const char *app) {
  rtm_conf_t *conf = NULL;
  char err[256];
  memset(t, 0, sizeof *t);
  e_init(&t->log);
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "app_id", app, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "url", url, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "idle_timeout_ms", "2000", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "reconnect_max_ms", "500", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "login_timeout_ms", "3000", err, sizeof err) == RTM_OK);
  if (g_poll) REQUIRE(rtm_conf_set(conf, "callback.dispatch", "poll", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set_user_data(conf, t, NULL) == RTM_OK);
  rtm_conf_set_thread_start_cb(conf, s_thread_start);
  rtm_conf_set_sig_login_success_cb(conf, s_login_success);
  rtm_conf_set_sig_login_failed_cb(conf, s_login_failed);
  rtm_conf_set_sig_logout_cb(conf, s_logout);
  rtm_conf_set_sig_reconnecting_cb(conf, s_reconnecting);
  rtm_conf_set_sig_reconnected_cb(conf, s_reconnected);
  rtm_conf_set_sig_channel_joined_cb(conf, s_joined);
  rtm_conf_set_sig_channel_join_failed_cb(conf, s_join_failed);
  rtm_conf_set_sig_channel_leaved_cb(conf, s_leaved);
  rtm_conf_set_sig_channel_user_joined_cb(conf, s_user_joined);
  rtm_conf_set_sig_channel_user_leaved_cb(conf, s_user_leaved);
  rtm_conf_set_sig_channel_user_list_cb(conf, s_user_list);
  rtm_conf_set_sig_channel_attr_updated_cb(conf, s_attr);
  rtm_conf_set_sig_channel_query_user_num_result_cb(conf, s_num);
  rtm_conf_set_sig_channel_query_user_is_in_cb(conf, s_isin);
  rtm_conf_set_sig_message_instant_receive_cb(conf, s_instant);
  rtm_conf_set_sig_message_channel_receive_cb(conf, s_chmsg);
  rtm_conf_set_sig_message_send_success_cb(conf, s_sent);
  rtm_conf_set_sig_message_send_error_cb(conf, s_send_error);
  rtm_conf_set_sig_invite_received_cb(conf, s_inv_received);
  rtm_conf_set_sig_invite_received_by_peer_cb(conf, s_inv_by_peer);
  rtm_conf_set_sig_invite_accepted_by_peer_cb(conf, s_inv_accepted);
  rtm_conf_set_sig_invite_refused_by_peer_cb(conf, s_inv_refused);
  rtm_conf_set_sig_invite_failed_cb(conf, s_inv_failed);
  rtm_conf_set_sig_invite_end_by_peer_cb(conf, s_end_by_peer);
  rtm_conf_set_sig_invite_end_by_myself_cb(conf, s_end_by_myself);
  rtm_conf_set_sig_invite_msg_cb(conf, s_inv_msg);
  rtm_conf_set_sig_invoke_ret_cb(conf, s_invoke);
  rtm_conf_set_sig_query_user_status_result_cb(conf, s_status);
  rtm_conf_set_sig_user_attr_result_cb(conf, s_uattr);
  rtm_conf_set_sig_user_attr_all_result_cb(conf, s_uattr_all);
  CHECK_EQ_INT(rtm_conf_set_sig_error_cb(NULL, s_error), RTM_ERR_INVALID_ARG);
  rtm_conf_set_sig_error_cb(conf, s_error);
  REQUIRE(rtm_sig_new(&t->sig, conf) == RTM_OK);
  CHECK(rtm_sig_user_data(t->sig) == t);
  if (g_poll) {
    t->pumping = 1;
    REQUIRE(pthread_create(&t->pump, NULL, s_pump_main, t) == 0);
  } else {
    CHECK_EQ_INT(rtm_sig_poll(t->sig, 0), RTM_ERR_INVALID_STATE);
  }
}

static void s_free(sig_t_ *t) {
  if (t->pumping) {
    pthread_mutex_lock(&t->log.mu);
    t->stop = 1;
    pthread_mutex_unlock(&t->log.mu);
    rtm_sig_wakeup(t->sig);
    pthread_join(t->pump, NULL);
  }
  CHECK_EQ_INT(rtm_sig_destroy(t->sig), RTM_OK);
  e_fini(&t->log);
}

static void s_login(sig_t_ *t, const char *account, const char *token) {
  REQUIRE(rtm_sig_login(t->sig, account, token) == RTM_OK);
  REQUIRE(E_WAIT(&t->log, "login_success|0|0"));
  CHECK_EQ_INT(rtm_sig_get_status(t->sig), RTM_SIG_STATUS_LOGGED_IN);
  CHECK_STR(rtm_sig_account(t->sig), account);
}

/* ---- an RTM-API client for interop ---------------------------------------------------------------- */

typedef struct rtmc_t_ {
  rtm_client_t *c;
  elog log;
  rtm_remote_invitation_t *remote; /* the last incoming invitation (a copy) */
  rtm_channel_t *ch;
  t_rec pump_rec;
} rtmc_t_;

static void r_peer(rtm_client_t *c, const char *from, const rtm_message_t *m, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "peer|%s|%s", from, rtm_message_text(m, NULL));
}
static void r_result(rtm_client_t *c, int64_t id, rtm_peer_message_err_t e, void *ud) {
  (void)c;
  (void)id;
  e_add(&((rtmc_t_ *)ud)->log, "result|%d", (int)e);
}
static void r_ch_joined(rtm_client_t *c, rtm_channel_t *ch, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "joined|%s", rtm_channel_id(ch));
}
static void r_ch_member_joined(rtm_client_t *c, rtm_channel_t *ch, const char *m, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "member_joined|%s|%s", rtm_channel_id(ch), m);
}
static void r_ch_member_left(rtm_client_t *c, rtm_channel_t *ch, const char *m, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "member_left|%s|%s", rtm_channel_id(ch), m);
}
static void r_ch_msg(rtm_client_t *c, rtm_channel_t *ch, const char *from, const rtm_message_t *m, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "chmsg|%s|%s|%s", rtm_channel_id(ch), from, rtm_message_text(m, NULL));
}
static void r_ch_attrs(rtm_client_t *c, rtm_channel_t *ch, const rtm_channel_attribute_t *a, size_t n, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "attrs|%s|%u|%s", rtm_channel_id(ch), (unsigned)n, n ? a[0].key : "");
}
static void r_remote_received(rtm_client_t *c, rtm_remote_invitation_t *inv, void *ud) {
  rtmc_t_ *r = (rtmc_t_ *)ud;
  const char *ch = rtm_remote_invitation_channel_id(inv), *content = rtm_remote_invitation_content(inv);
  (void)c;
  rtm_remote_invitation_destroy(r->remote);
  r->remote = NULL;
  rtm_remote_invitation_copy(&r->remote, inv);
  e_add(&r->log, "remote_received|%s|%s|%s", rtm_remote_invitation_caller_id(inv), ch, content);
}
static void r_remote_canceled(rtm_client_t *c, rtm_remote_invitation_t *inv, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "remote_canceled|%s", rtm_remote_invitation_caller_id(inv));
}
static void r_remote_accepted(rtm_client_t *c, rtm_remote_invitation_t *inv, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "remote_accepted|%s", rtm_remote_invitation_caller_id(inv));
}
static void r_local_by_peer(rtm_client_t *c, rtm_local_invitation_t *inv, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "local_by_peer|%s", rtm_local_invitation_callee_id(inv));
}
static void r_local_accepted(rtm_client_t *c, rtm_local_invitation_t *inv, const char *resp, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "local_accepted|%s|%s", rtm_local_invitation_callee_id(inv), resp);
}
static void r_local_refused(rtm_client_t *c, rtm_local_invitation_t *inv, const char *resp, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "local_refused|%s|%s", rtm_local_invitation_callee_id(inv), resp);
}
static void r_local_canceled(rtm_client_t *c, rtm_local_invitation_t *inv, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "local_canceled|%s", rtm_local_invitation_callee_id(inv));
}
static void r_query(rtm_client_t *c, int64_t rid, const char *const *ids, const rtm_peer_online_state_t *st, size_t n,
                    rtm_query_peers_online_status_err_t e, void *ud) {
  (void)c;
  (void)rid;
  e_add(&((rtmc_t_ *)ud)->log, "query|%d|%s|%d", (int)e, n ? ids[0] : "", n ? (int)st[0] : -1);
}
static void r_login_ok(rtm_client_t *c, void *ud) {
  (void)c;
  e_add(&((rtmc_t_ *)ud)->log, "login_success");
}

static void r_new(rtmc_t_ *r, const char *url, const char *app, const char *user) {
  rtm_conf_t *conf = NULL;
  char err[256];
  memset(r, 0, sizeof *r);
  e_init(&r->log);
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "app_id", app, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "url", url, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set_user_data(conf, r, NULL) == RTM_OK);
  rtm_conf_set_login_success_cb(conf, r_login_ok);
  rtm_conf_set_message_received_from_peer_cb(conf, r_peer);
  rtm_conf_set_send_message_result_cb(conf, r_result);
  rtm_conf_set_channel_join_success_cb(conf, r_ch_joined);
  rtm_conf_set_channel_member_joined_cb(conf, r_ch_member_joined);
  rtm_conf_set_channel_member_left_cb(conf, r_ch_member_left);
  rtm_conf_set_channel_message_received_cb(conf, r_ch_msg);
  rtm_conf_set_channel_attributes_updated_cb(conf, r_ch_attrs);
  rtm_conf_set_remote_invitation_received_cb(conf, r_remote_received);
  rtm_conf_set_remote_invitation_canceled_cb(conf, r_remote_canceled);
  rtm_conf_set_remote_invitation_accepted_cb(conf, r_remote_accepted);
  rtm_conf_set_local_invitation_received_by_peer_cb(conf, r_local_by_peer);
  rtm_conf_set_local_invitation_accepted_cb(conf, r_local_accepted);
  rtm_conf_set_local_invitation_refused_cb(conf, r_local_refused);
  rtm_conf_set_local_invitation_canceled_cb(conf, r_local_canceled);
  rtm_conf_set_query_peers_online_status_result_cb(conf, r_query);
  REQUIRE(rtm_client_new(&r->c, conf) == RTM_OK);
  REQUIRE(rtm_client_login(r->c, "", user) == RTM_OK);
  REQUIRE(E_WAIT(&r->log, "login_success"));
}

static void r_free(rtmc_t_ *r) {
  CHECK_EQ_INT(rtm_client_destroy(r->c), RTM_OK);
  rtm_remote_invitation_destroy(r->remote);
  e_fini(&r->log);
}

static void send_text(rtmc_t_ *r, const char *peer, const char *text) {
  rtm_message_t *m = NULL;
  int64_t id = 0;
  REQUIRE(rtm_message_new_text(&m, text) == RTM_OK);
  REQUIRE(rtm_client_send_message_to_peer(&id, r->c, peer, m, NULL) == RTM_OK);
  rtm_message_destroy(m);
}

/* ---- tests ----------------------------------------------------------------------------------------- */

#define CERT "0123456789abcdef0123456789abcdef"

static void test_tokens(void) {
  t_server s;
  sig_t_ a;
  char tok[256], line[300];
  size_t n = sizeof tok;
  uint32_t future = (uint32_t)time(NULL) + 3600, past = (uint32_t)time(NULL) - 10;

  /* Known answer: md5("alice" "sigapp" CERT "1700000000"). */
  CHECK_EQ_INT(rtm_token_build_signaling(tok, &n, "sigapp", CERT, "alice", 1700000000u), RTM_OK);
  CHECK_STR(tok, "1:sigapp:1700000000:0fa84cd31ff561fc87c1afd88cf1179e");
  CHECK_EQ_INT(n, strlen(tok) + 1);
  n = 4;
  CHECK_EQ_INT(rtm_token_build_signaling(tok, &n, "sigapp", CERT, "alice", 1700000000u), RTM_ERR_BUFFER_TOO_SMALL);
  n = sizeof tok;
  CHECK_EQ_INT(rtm_token_build_signaling(tok, &n, "sigapp", "", "alice", 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_signaling(tok, NULL, "sigapp", CERT, "alice", 1), RTM_ERR_INVALID_ARG);

  t_server_start(&s, 0, "sigapp:" CERT ",free", 0, "rate_limits", "off", (const char *)NULL);
  s_new(&a, s.url, "sigapp");
  CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_NOT_LOGGED_IN);
  CHECK_EQ_INT(rtm_sig_login(NULL, "alice", "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_sig_login(a.sig, NULL, "x"), RTM_ERR_INVALID_ARG);

  /* expired, forged, for another account, _no_need_token with a certificate, bad account */
  n = sizeof tok;
  REQUIRE(rtm_token_build_signaling(tok, &n, "sigapp", CERT, "alice", past) == RTM_OK);
  rtm_sig_login(a.sig, "alice", tok);
  CHECK(E_WAIT(&a.log, "login_failed|204"));
  n = sizeof tok;
  REQUIRE(rtm_token_build_signaling(tok, &n, "sigapp", CERT, "bob", future) == RTM_OK);
  rtm_sig_login(a.sig, "alice", tok);
  CHECK(e_wait_n(&a.log, "login_failed|206", 1, 10000));
  tok[strlen(tok) - 1] = tok[strlen(tok) - 1] == 'a' ? 'b' : 'a';
  rtm_sig_login(a.sig, "bob", tok);
  CHECK(e_wait_n(&a.log, "login_failed|206", 2, 10000));
  rtm_sig_login(a.sig, "alice", "_no_need_token");
  CHECK(e_wait_n(&a.log, "login_failed|206", 3, 10000));
  rtm_sig_login(a.sig, "bad/account", "_no_need_token");
  CHECK(E_WAIT(&a.log, "login_failed|209"));
  CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_NOT_LOGGED_IN);

  /* a genuine token; a second login while logged in is ignored */
  n = sizeof tok;
  REQUIRE(rtm_token_build_signaling(tok, &n, "sigapp", CERT, "alice", future) == RTM_OK);
  s_login(&a, "alice", tok);
  CHECK_EQ_INT(rtm_sig_login(a.sig, "alice", tok), RTM_OK);
  /* logout, then logout again */
  CHECK_EQ_INT(rtm_sig_logout(a.sig), RTM_OK);
  CHECK(E_WAIT(&a.log, "logout|101"));
  CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_NOT_LOGGED_IN);
  rtm_sig_logout(a.sig);
  CHECK(E_WAIT(&a.log, "logout|108"));
  CHECK_EQ_INT(e_count(&a.log, "login_success|0|0"), 1);
  CHECK_EQ_INT(e_count(&a.log, "login_failed|208"), 0); /* the second login was ignored, not refused */
  s_free(&a);

  /* an app without certificate takes _no_need_token */
  s_new(&a, s.url, "free");
  s_login(&a, "carol", "_no_need_token");
  s_free(&a);

  /* nobody listening: login2's attempts run out (LOGIN_E_NET); logout while logging in cancels */
  {
    int port = t_free_port();
    char url[64];
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", port);
    s_new(&a, url, "free");
    CHECK_EQ_INT(rtm_sig_login2(a.sig, "dave", "_no_need_token", 20, 2), RTM_OK);
    CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_LOGGING_IN);
    CHECK(e_wait_n(&a.log, "login_failed|201", 1, 20000));
    rtm_sig_login(a.sig, "dave", "_no_need_token");
    CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_LOGGING_IN);
    rtm_sig_logout(a.sig);
    CHECK(E_WAIT(&a.log, "login_failed|203"));
    CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_NOT_LOGGED_IN);
    s_free(&a);
  }
  snprintf(line, sizeof line, "%s", rtm_sig_ecode_name(RTM_SIG_LOGIN_E_TOKENWRONG));
  CHECK_STR(line, "LOGIN_E_TOKENWRONG");
  CHECK_STR(rtm_sig_ecode_name(12345), "UNKNOWN");
  t_server_stop(&s);
}

static void test_messages(void) {
  t_server s;
  sig_t_ a, b;
  char big[40000];
  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  s_new(&a, s.url, "app");
  s_new(&b, s.url, "app");

  /* not logged in */
  rtm_sig_message_instant_send(a.sig, "bob", "hi", "early");
  CHECK(E_WAIT(&a.log, "send_error|early|1003"));
  CHECK_EQ_INT(rtm_sig_message_instant_send(a.sig, NULL, "x", "y"), RTM_ERR_INVALID_ARG);

  s_login(&a, "alice", "_no_need_token");
  s_login(&b, "bob", "_no_need_token");
  /* the thread-start hook: once, on the instance's own thread, before any other callback (thread
   * mode); never in poll mode */
  CHECK_EQ_INT(e_count(&a.log, "thread_start|rtm-sig|null"), g_poll ? 0 : 1);
  if (!g_poll) CHECK_EQ_INT(e_index(&a.log, "thread_start|rtm-sig|null"), 0);
  rtm_sig_message_instant_send(a.sig, "bob", "hello bob", "m-1");
  CHECK(E_WAIT(&a.log, "sent|m-1"));
  CHECK(E_WAIT(&b.log, "instant|alice|0|hello bob"));
  rtm_sig_message_instant_send(b.sig, "alice", "hello alice", NULL);
  CHECK(E_WAIT(&a.log, "instant|bob|0|hello alice"));
  CHECK(E_WAIT(&b.log, "sent|m1"));  /* an assigned id */

  /* bad input: too large, bad account */
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  rtm_sig_message_instant_send(a.sig, "bob", big, "big");
  CHECK(E_WAIT(&a.log, "send_error|big|1005"));
  rtm_sig_message_instant_send(a.sig, "bad/id", "x", "badid");
  CHECK(E_WAIT(&a.log, "send_error|badid|1004"));

  /* an offline peer: rtmd keeps it (success), and delivers it at the next login */
  rtm_sig_logout(b.sig);
  CHECK(E_WAIT(&b.log, "logout|101"));
  rtm_sig_message_instant_send(a.sig, "bob", "while away", "m-2");
  CHECK(E_WAIT(&a.log, "sent|m-2"));
  rtm_sig_login(b.sig, "bob", "_no_need_token");
  CHECK(E_WAIT(&b.log, "instant|alice|0|while away"));
  s_free(&a);
  s_free(&b);
  t_server_stop(&s);
}

static void test_channels(void) {
  t_server s;
  sig_t_ a, b, c;
  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  s_new(&a, s.url, "app");
  s_new(&b, s.url, "app");
  s_new(&c, s.url, "app");

  rtm_sig_channel_join(a.sig, "room");
  CHECK(E_WAIT(&a.log, "join_failed|room|1003"));
  s_login(&a, "alice", "_no_need_token");
  s_login(&b, "bob", "_no_need_token");
  s_login(&c, "carol", "_no_need_token");

  rtm_sig_channel_join(a.sig, "bad/room");
  CHECK(E_WAIT(&a.log, "join_failed|bad/room|1004"));
  rtm_sig_channel_join(a.sig, "room");
  CHECK(E_WAIT(&a.log, "joined|room"));
  CHECK(E_WAIT(&a.log, "user_list|alice:0"));
  CHECK(e_index(&a.log, "joined|room") < e_index(&a.log, "user_list|alice:0"));
  rtm_sig_channel_join(b.sig, "room");
  CHECK(E_WAIT(&b.log, "user_list|bob:0,alice:0")); /* newest first */
  CHECK(E_WAIT(&a.log, "user_joined|bob|0"));

  /* attributes: every member sees each change */
  rtm_sig_channel_set_attr(a.sig, "room", "topic", "news");
  CHECK(E_WAIT(&a.log, "attr|room|topic|news|update"));
  CHECK(E_WAIT(&b.log, "attr|room|topic|news|update"));
  rtm_sig_channel_set_attr(b.sig, "room", "mood", "calm");
  CHECK(E_WAIT(&a.log, "attr|room|mood|calm|update"));
  /* a new member gets the existing ones replayed after its user list */
  rtm_sig_channel_join(c.sig, "room");
  CHECK(E_WAIT(&c.log, "attr|room|topic|news|update"));
  CHECK(E_WAIT(&c.log, "attr|room|mood|calm|update"));
  CHECK(e_index(&c.log, "user_list|carol:0,bob:0,alice:0") >= 0);
  CHECK(e_index(&c.log, "user_list|carol:0,bob:0,alice:0") < e_index(&c.log, "attr|room|topic|news|update"));
  rtm_sig_channel_del_attr(a.sig, "room", "mood");
  CHECK(E_WAIT(&b.log, "attr|room|mood||del"));
  CHECK(E_WAIT(&c.log, "attr|room|mood||del"));
  rtm_sig_channel_set_attr(b.sig, "room", "mood", "loud");
  CHECK(E_WAIT(&a.log, "attr|room|mood|loud|update"));
  rtm_sig_channel_clear_attr(b.sig, "room");
  CHECK(E_WAIT(&a.log, "attr|room|||clear"));
  CHECK(E_WAIT(&c.log, "attr|room|||clear"));
  rtm_sig_channel_set_attr(a.sig, "room", "", "v");
  CHECK(E_WAIT(&a.log, "error|channelSetAttr|1004"));

  /* messages reach every member, the sender included */
  rtm_sig_message_channel_send(a.sig, "room", "hi all", "c-1");
  CHECK(E_WAIT(&a.log, "sent|c-1"));
  CHECK(E_WAIT(&a.log, "chmsg|room|alice|0|hi all"));
  CHECK(E_WAIT(&b.log, "chmsg|room|alice|0|hi all"));
  CHECK(E_WAIT(&c.log, "chmsg|room|alice|0|hi all"));
  rtm_sig_message_channel_send(a.sig, "elsewhere", "x", "c-2");
  CHECK(E_WAIT(&a.log, "send_error|c-2|400"));

  /* queries */
  rtm_sig_channel_query_user_num(a.sig, "room");
  CHECK(E_WAIT(&a.log, "num|room|0|3"));
  rtm_sig_channel_query_user_is_in(a.sig, "room", "bob");
  CHECK(E_WAIT(&a.log, "isin|room|bob|1"));
  rtm_sig_channel_query_user_is_in(a.sig, "room", "zed");
  CHECK(E_WAIT(&a.log, "isin|room|zed|0"));
  rtm_sig_channel_query_user_num(a.sig, "bad/room");
  CHECK(E_WAIT(&a.log, "num|bad/room|500|0"));

  /* leave; joining another channel leaves the current one */
  rtm_sig_channel_leave(c.sig, "room");
  CHECK(E_WAIT(&c.log, "leaved|room|602"));
  CHECK(E_WAIT(&a.log, "user_leaved|carol|0"));
  rtm_sig_channel_leave(c.sig, "room");
  CHECK(E_WAIT(&c.log, "leaved|room|600"));
  rtm_sig_channel_join(b.sig, "lobby");
  CHECK(E_WAIT(&b.log, "leaved|room|602"));
  CHECK(E_WAIT(&b.log, "joined|lobby"));
  CHECK(E_WAIT(&a.log, "user_leaved|bob|0"));
  /* back to a channel whose leave is still in flight: the new join gets its own outcome */
  rtm_sig_channel_join(b.sig, "hop");
  CHECK(E_WAIT(&b.log, "joined|hop"));
  rtm_sig_channel_join(b.sig, "bad/hop");
  rtm_sig_channel_join(b.sig, "hop");
  CHECK(E_WAIT(&b.log, "leaved|hop|602"));
  CHECK(E_WAIT(&b.log, "join_failed|bad/hop|1004"));
  CHECK(e_wait_n(&b.log, "joined|hop", 2, 10000));
  rtm_sig_channel_query_user_is_in(a.sig, "hop", "bob");
  CHECK(E_WAIT(&a.log, "isin|hop|bob|1"));
  rtm_sig_channel_join(b.sig, "lobby");
  CHECK(E_WAIT(&b.log, "leaved|hop|602"));
  CHECK(e_wait_n(&b.log, "joined|lobby", 2, 10000));
  /* logout leaves with LEAVECHANNEL_E_LOGOUT */
  rtm_sig_logout(b.sig);
  CHECK(E_WAIT(&b.log, "leaved|lobby|603"));
  CHECK(E_WAIT(&b.log, "logout|101"));
  CHECK(e_index(&b.log, "leaved|lobby|603") < e_index(&b.log, "logout|101"));
  s_free(&a);
  s_free(&b);
  s_free(&c);
  t_server_stop(&s);
}

static void test_invoke_and_users(void) {
  t_server s;
  sig_t_ a, b;
  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  s_new(&a, s.url, "app");
  s_new(&b, s.url, "app");
  rtm_sig_invoke(a.sig, "io.agora.signal.user_query_user_status", "{\"account\":\"bob\"}", "early");
  CHECK(E_WAIT(&a.log, "invoke|early|1003|{}"));
  s_login(&a, "alice", "_no_need_token");
  s_login(&b, "bob", "_no_need_token");
  rtm_sig_channel_join(b.sig, "room");
  CHECK(E_WAIT(&b.log, "joined|room"));

  rtm_sig_invoke(a.sig, "io.agora.signal.user_query_user_status", "{\"account\":\"bob\"}", "1");
  CHECK(E_WAIT(&a.log, "invoke|1|0|{\"status\":1}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.user_query_user_status", "{\"account\":\"zed\"}", "2");
  CHECK(E_WAIT(&a.log, "invoke|2|0|{\"status\":0}"));
  rtm_sig_invoke(b.sig, "io.agora.signal.user_set_attr", "{\"name\":\"color\",\"value\":\"red\"}", "3");
  CHECK(E_WAIT(&b.log, "invoke|3|0|{}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.user_get_attr", "{\"account\":\"bob\",\"name\":\"color\"}", "4");
  CHECK(E_WAIT(&a.log, "invoke|4|0|{\"value\":\"red\"}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.user_get_attr_all", "{\"account\":\"bob\"}", "5");
  CHECK(E_WAIT(&a.log, "invoke|5|0|{\"json\":\"{\\\"color\\\":\\\"red\\\"}\"}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_query_num", "{\"name\":\"room\"}", "6");
  CHECK(E_WAIT(&a.log, "invoke|6|0|{\"num\":1}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_query_user_isin", "{\"name\":\"room\",\"account\":\"bob\"}", "7");
  CHECK(E_WAIT(&a.log, "invoke|7|0|{\"isin\":1}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_query_userlist", "{\"name\":\"room\"}", "8");
  CHECK(E_WAIT(&a.log, "invoke|8|0|{\"num\":1,\"list\":[[\"bob\",0]]}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_set_attr", "{\"channel\":\"room\",\"name\":\"k\",\"value\":\"v\"}", "9");
  CHECK(E_WAIT(&a.log, "invoke|9|0|{}"));
  CHECK(E_WAIT(&b.log, "attr|room|k|v|update"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_del_attr", "{\"channel\":\"room\",\"name\":\"k\"}", "10");
  CHECK(E_WAIT(&a.log, "invoke|10|0|{}"));
  CHECK(E_WAIT(&b.log, "attr|room|k||del"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_set_attr", "{\"channel\":\"room\",\"name\":\"k2\",\"value\":\"v\"}", "11");
  CHECK(E_WAIT(&b.log, "attr|room|k2|v|update"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_set_attr", "{\"channel\":\"room\",\"name\":\"k3\",\"value\":\"w\"}", "11b");
  CHECK(E_WAIT(&b.log, "attr|room|k3|w|update"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_clear_attr", "{\"channel\":\"room\"}", "12");
  CHECK(E_WAIT(&a.log, "invoke|12|0|{}"));
  CHECK(E_WAIT(&b.log, "attr|room|||clear"));
  /* errors: unknown command, not our prefix, bad JSON, missing or mistyped field, refused by the engine */
  rtm_sig_invoke(a.sig, "io.agora.signal.no_such_thing", "{}", "e1");
  CHECK(E_WAIT(&a.log, "invoke|e1|1002|{}"));
  rtm_sig_invoke(a.sig, "user_query_user_status", "{\"account\":\"bob\"}", "e2");
  CHECK(E_WAIT(&a.log, "invoke|e2|1002|{}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.user_get_attr", "{not json", "e3");
  CHECK(E_WAIT(&a.log, "invoke|e3|1004|{}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.user_get_attr", "{\"account\":\"bob\"}", "e4");
  CHECK(E_WAIT(&a.log, "invoke|e4|1004|{}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_query_num", "{\"name\":5}", "e5");
  CHECK(E_WAIT(&a.log, "invoke|e5|1004|{}"));
  rtm_sig_invoke(a.sig, "io.agora.signal.channel_query_num", "{\"name\":\"bad/room\"}", "e6");
  CHECK(E_WAIT(&a.log, "invoke|e6|1004|{}"));
  CHECK_EQ_INT(rtm_sig_invoke(a.sig, NULL, "{}", "x"), RTM_ERR_INVALID_ARG);

  /* the direct user methods */
  rtm_sig_query_user_status(a.sig, "bob");
  CHECK(E_WAIT(&a.log, "status|bob|1"));
  rtm_sig_query_user_status(a.sig, "zed");
  CHECK(E_WAIT(&a.log, "status|zed|0"));
  rtm_sig_set_attr(a.sig, "mood", "happy");
  rtm_sig_set_attr(a.sig, "size", "xl");
  rtm_sig_get_attr(a.sig, "mood");
  CHECK(E_WAIT(&a.log, "uattr|alice|mood|happy"));
  rtm_sig_get_attr_all(a.sig);
  CHECK(E_WAIT(&a.log, "uattr_all|alice|{\"mood\":\"happy\",\"size\":\"xl\"}"));
  rtm_sig_set_attr(a.sig, "size", ""); /* deletes */
  rtm_sig_get_attr_all(a.sig);          /* answered after the deletion: same connection, in order */
  CHECK(E_WAIT(&a.log, "uattr_all|alice|{\"mood\":\"happy\"}"));
  rtm_sig_get_user_attr_all(b.sig, "alice");
  CHECK(E_WAIT(&b.log, "uattr_all|alice|{\"mood\":\"happy\"}"));
  rtm_sig_get_user_attr(b.sig, "alice", "none");
  CHECK(E_WAIT(&b.log, "uattr|alice|none|"));
  rtm_sig_set_attr(a.sig, "", "x");
  CHECK(E_WAIT(&a.log, "error|setAttr|1004"));
  s_free(&a);
  s_free(&b);
  t_server_stop(&s);
}

static void test_calls(void) {
  t_server s;
  sig_t_ a, b;
  char big[9000];
  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  s_new(&a, s.url, "app");
  s_new(&b, s.url, "app");
  s_login(&a, "alice", "_no_need_token");
  s_login(&b, "bob", "_no_need_token");

  /* invite, extra pass-through (system keys stay behind), accept, DTMF, hang up */
  rtm_sig_channel_invite_user2(a.sig, "call1", "bob", "{\"_require_peer_online\":1,\"_timeout\":20,\"note\":\"hi\",\"n\":2}");
  CHECK(E_WAIT(&b.log, "invite_received|call1|alice|0|{\"note\":\"hi\",\"n\":2}"));
  CHECK(E_WAIT(&a.log, "received_by_peer|call1|bob|0"));
  rtm_sig_channel_invite_user(a.sig, "call1", "bob");
  CHECK(E_WAIT(&a.log, "invite_failed|call1|bob|0|701|"));
  rtm_sig_channel_invite_accept(b.sig, "call1", "alice", "{\"ok\":1}");
  CHECK(E_WAIT(&a.log, "accepted_by_peer|call1|bob|0|{\"ok\":1}"));
  rtm_sig_channel_invite_dtmf(a.sig, "call1", "bob", "12*#");
  CHECK(E_WAIT(&b.log, "invite_msg|call1|alice|0|dtmf|12*#|{\"msgtype\":\"dtmf\",\"msgdata\":\"12*#\"}"));
  rtm_sig_channel_invite_dtmf(a.sig, "call1", "bob", "12a");
  CHECK(E_WAIT(&a.log, "error|channelInviteDTMF|1004"));
  rtm_sig_channel_invite_end(a.sig, "call1", "bob");
  CHECK(E_WAIT(&a.log, "end_by_myself|call1|bob|0"));
  CHECK(E_WAIT(&b.log, "end_by_peer|call1|alice|0|end"));

  /* refuse */
  rtm_sig_channel_invite_user(a.sig, "call2", "bob");
  CHECK(E_WAIT(&b.log, "invite_received|call2|alice|0|"));
  rtm_sig_channel_invite_refuse(b.sig, "call2", "alice", "{\"busy\":true}");
  CHECK(E_WAIT(&a.log, "refused_by_peer|call2|bob|0|{\"busy\":true}"));

  /* end before an answer: the caller cancels */
  rtm_sig_channel_invite_user(a.sig, "call3", "bob");
  CHECK(E_WAIT(&a.log, "received_by_peer|call3|bob|0"));
  rtm_sig_channel_invite_end(a.sig, "call3", "bob");
  CHECK(E_WAIT(&a.log, "end_by_myself|call3|bob|0"));
  CHECK(E_WAIT(&b.log, "end_by_peer|call3|alice|0|"));
  /* the callee ends an unanswered call: a refusal */
  rtm_sig_channel_invite_user(a.sig, "call4", "bob");
  CHECK(E_WAIT(&b.log, "invite_received|call4|alice|0|"));
  rtm_sig_channel_invite_end(b.sig, "call4", "alice");
  CHECK(E_WAIT(&b.log, "end_by_myself|call4|alice|0"));
  CHECK(E_WAIT(&a.log, "refused_by_peer|call4|bob|0|"));
  /* the callee hangs up an established call */
  rtm_sig_channel_invite_user(a.sig, "call5", "bob");
  CHECK(E_WAIT(&b.log, "invite_received|call5|alice|0|"));
  rtm_sig_channel_invite_accept(b.sig, "call5", "alice", NULL);
  CHECK(E_WAIT(&a.log, "accepted_by_peer|call5|bob|0|"));
  rtm_sig_channel_invite_end(b.sig, "call5", "alice");
  CHECK(E_WAIT(&a.log, "end_by_peer|call5|bob|0|end"));

  /* _require_peer_online to an offline callee fails at once; _timeout ends an unanswered call */
  rtm_sig_channel_invite_user2(a.sig, "call6", "nobody", "{\"_require_peer_online\":1}");
  CHECK(E_WAIT(&a.log, "invite_failed|call6|nobody|0|703|"));
  rtm_sig_channel_invite_user2(a.sig, "call7", "bob", "{\"_timeout\":1}");
  CHECK(E_WAIT(&b.log, "invite_received|call7|alice|0|"));
  CHECK(E_WAIT(&a.log, "invite_failed|call7|bob|0|704|"));
  CHECK(E_WAIT(&b.log, "invite_failed|call7|alice|0|704|"));
  /* bad extra */
  rtm_sig_channel_invite_user2(a.sig, "call8", "bob", "[1,2]");
  CHECK(E_WAIT(&a.log, "invite_failed|call8|bob|0|1004|"));
  rtm_sig_channel_invite_user2(a.sig, "call8", "bob", "{\"_timeout\":99}");
  CHECK(e_wait_n(&a.log, "invite_failed|call8|bob|0|1004|", 2, 10000));
  memset(big, ' ', sizeof big - 1);
  big[0] = '{';
  big[sizeof big - 2] = '}';
  big[sizeof big - 1] = 0;
  rtm_sig_channel_invite_user2(a.sig, "call8", "bob", big);
  CHECK(E_WAIT(&a.log, "invite_failed|call8|bob|0|1005|"));
  rtm_sig_channel_invite_accept(b.sig, "nocall", "alice", "");
  CHECK(E_WAIT(&b.log, "invite_failed|nocall|alice|0|700|"));
  s_free(&a);
  s_free(&b);
  t_server_stop(&s);
}

static void test_interop(void) {
  t_server s;
  sig_t_ a;
  rtmc_t_ r;
  rtm_local_invitation_t *li = NULL;
  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  s_new(&a, s.url, "app");
  s_login(&a, "sigusr", "_no_need_token");
  r_new(&r, s.url, "app", "rtmusr");

  /* peer messages both ways */
  rtm_sig_message_instant_send(a.sig, "rtmusr", "from signaling", "i-1");
  CHECK(E_WAIT(&r.log, "peer|sigusr|from signaling"));
  CHECK(E_WAIT(&a.log, "sent|i-1"));
  send_text(&r, "sigusr", "from rtm");
  CHECK(E_WAIT(&a.log, "instant|rtmusr|0|from rtm"));
  CHECK(E_WAIT(&r.log, "result|0"));

  /* presence both ways */
  {
    const char *ids[1] = {"sigusr"};
    int64_t rid = 0;
    REQUIRE(rtm_client_query_peers_online_status(&rid, r.c, ids, 1) == RTM_OK);
    CHECK(E_WAIT(&r.log, "query|0|sigusr|0"));
  }
  rtm_sig_query_user_status(a.sig, "rtmusr");
  CHECK(E_WAIT(&a.log, "status|rtmusr|1"));

  /* channels: each sees the other join, speak, set attributes, leave */
  rtm_sig_channel_join(a.sig, "mixed");
  CHECK(E_WAIT(&a.log, "joined|mixed"));
  REQUIRE(rtm_client_create_channel(&r.ch, r.c, "mixed", NULL) == RTM_OK);
  REQUIRE(rtm_channel_join(r.ch) == RTM_OK);
  CHECK(E_WAIT(&r.log, "joined|mixed"));
  CHECK(E_WAIT(&a.log, "user_joined|rtmusr|0"));
  rtm_sig_message_channel_send(a.sig, "mixed", "sig says", "cm");
  CHECK(E_WAIT(&r.log, "chmsg|mixed|sigusr|sig says"));
  {
    rtm_message_t *m = NULL;
    int64_t id = 0;
    REQUIRE(rtm_message_new_text(&m, "rtm says") == RTM_OK);
    REQUIRE(rtm_channel_send_message(&id, r.ch, m, NULL) == RTM_OK);
    rtm_message_destroy(m);
  }
  CHECK(E_WAIT(&a.log, "chmsg|mixed|rtmusr|0|rtm says"));
  rtm_sig_channel_set_attr(a.sig, "mixed", "topic", "x");
  CHECK(E_WAIT(&r.log, "attrs|mixed|1|topic"));
  {
    rtm_attribute_t at = {"from_rtm", "1"};
    rtm_channel_attribute_options_t o;
    int64_t rid = 0;
    rtm_channel_attribute_options_init(&o, RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION);
    o.enable_notification_to_channel_members = 1;
    REQUIRE(rtm_client_add_or_update_channel_attributes(&rid, r.c, "mixed", &at, 1, &o) == RTM_OK);
  }
  CHECK(E_WAIT(&a.log, "attr|mixed|from_rtm|1|update"));
  rtm_sig_channel_leave(a.sig, "mixed");
  CHECK(E_WAIT(&r.log, "member_left|mixed|sigusr"));

  /* RTM caller -> Signaling callee: channelId is the Signaling channel; accept maps back */
  REQUIRE(rtm_client_create_local_invitation(&li, r.c, "sigusr") == RTM_OK);
  rtm_local_invitation_set_channel_id(li, "video1");
  rtm_local_invitation_set_content(li, "ring ring");
  REQUIRE(rtm_client_send_local_invitation(r.c, li) == RTM_OK);
  CHECK(E_WAIT(&a.log, "invite_received|video1|rtmusr|0|ring ring"));
  CHECK(E_WAIT(&r.log, "local_by_peer|sigusr"));
  rtm_sig_channel_invite_accept(a.sig, "video1", "rtmusr", "{\"ok\":1}");
  CHECK(E_WAIT(&r.log, "local_accepted|sigusr|{\"ok\":1}"));
  rtm_local_invitation_destroy(li);
  li = NULL;
  /* the RTM side hangs up with the end-call message */
  send_text(&r, "sigusr", "AgoraRTMLegacyEndcallCompatibleMessagePrefix_video1_bye");
  CHECK(E_WAIT(&a.log, "end_by_peer|video1|rtmusr|0|bye"));
  /* RTM caller cancels: the Signaling callee sees the end */
  REQUIRE(rtm_client_create_local_invitation(&li, r.c, "sigusr") == RTM_OK);
  rtm_local_invitation_set_channel_id(li, "video2");
  REQUIRE(rtm_client_send_local_invitation(r.c, li) == RTM_OK);
  CHECK(E_WAIT(&a.log, "invite_received|video2|rtmusr|0|"));
  CHECK(E_WAIT(&r.log, "local_by_peer|sigusr"));
  REQUIRE(rtm_client_cancel_local_invitation(r.c, li) == RTM_OK);
  CHECK(E_WAIT(&a.log, "end_by_peer|video2|rtmusr|0|"));
  /* the end-call message was consumed, not also delivered (checked after later events of the same
   * peer, so a second callback would have arrived by now) */
  CHECK(e_count(&a.log, "instant|rtmusr|0|AgoraRTMLegacyEndcallCompatibleMessagePrefix_video1_bye") == 0);
  rtm_local_invitation_destroy(li);

  /* Signaling caller -> RTM callee: the channel id and the extra arrive; refuse maps back */
  rtm_sig_channel_invite_user2(a.sig, "video3", "rtmusr", "{\"who\":\"sig\",\"_timeout\":20}");
  CHECK(E_WAIT(&r.log, "remote_received|sigusr|video3|{\"who\":\"sig\"}"));
  CHECK(E_WAIT(&a.log, "received_by_peer|video3|rtmusr|0"));
  rtm_remote_invitation_set_response(r.remote, "no thanks");
  REQUIRE(rtm_client_refuse_remote_invitation(r.c, r.remote) == RTM_OK);
  CHECK(E_WAIT(&a.log, "refused_by_peer|video3|rtmusr|0|no thanks"));
  /* Signaling caller ends before the answer: the RTM callee sees a cancel */
  rtm_sig_channel_invite_user(a.sig, "video4", "rtmusr");
  CHECK(E_WAIT(&r.log, "remote_received|sigusr|video4|"));
  rtm_sig_channel_invite_end(a.sig, "video4", "rtmusr");
  CHECK(E_WAIT(&r.log, "remote_canceled|sigusr"));
  CHECK(E_WAIT(&a.log, "end_by_myself|video4|rtmusr|0"));
  /* an accepted call hung up from Signaling: the RTM side gets the end-call message */
  rtm_sig_channel_invite_user(a.sig, "video5", "rtmusr");
  CHECK(E_WAIT(&r.log, "remote_received|sigusr|video5|"));
  REQUIRE(rtm_client_accept_remote_invitation(r.c, r.remote) == RTM_OK);
  CHECK(E_WAIT(&a.log, "accepted_by_peer|video5|rtmusr|0|"));
  rtm_sig_channel_invite_end(a.sig, "video5", "rtmusr");
  CHECK(E_WAIT(&r.log, "peer|sigusr|AgoraRTMLegacyEndcallCompatibleMessagePrefix_video5_end"));
  r_free(&r);
  s_free(&a);
  t_server_stop(&s);
}

/* Reconnect after the server went away, and give up after login2's retry time; and a kick. */
static void test_session(void) {
  t_server s;
  sig_t_ a, b;
  int port = t_free_port();
  t_server_start(&s, port, "", 0, "rate_limits", "off", "grace_ms", "60000", (const char *)NULL);
  s_new(&a, s.url, "app");
  REQUIRE(rtm_sig_login2(a.sig, "alice", "_no_need_token", 3, 3) == RTM_OK);
  REQUIRE(E_WAIT(&a.log, "login_success|0|0"));
  rtm_sig_channel_join(a.sig, "room");
  CHECK(E_WAIT(&a.log, "joined|room"));
  rtm_server_stop(s.server);
  CHECK(E_WAIT(&a.log, "reconnecting|1"));
  CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_RECONNECTING);
  REQUIRE(rtm_server_start(s.server) == RTM_OK);
  CHECK(E_WAIT(&a.log, "reconnected|0"));
  CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_LOGGED_IN);
  /* the session survived: still in the channel */
  s_new(&b, s.url, "app");
  s_login(&b, "bob", "_no_need_token");
  rtm_sig_channel_query_user_is_in(b.sig, "room", "alice");
  CHECK(E_WAIT(&b.log, "isin|room|alice|1"));
  /* a second login of the same account kicks the first */
  s_free(&b);
  s_new(&b, s.url, "app");
  REQUIRE(rtm_sig_login2(b.sig, "alice", "_no_need_token", 3, 3) == RTM_OK);
  REQUIRE(E_WAIT(&b.log, "login_success|0|0"));
  CHECK(E_WAIT(&a.log, "leaved|room|601"));
  CHECK(E_WAIT(&a.log, "logout|103"));
  CHECK_EQ_INT(rtm_sig_get_status(a.sig), RTM_SIG_STATUS_NOT_LOGGED_IN);
  /* reconnecting longer than the retry time (3 s) ends the session */
  rtm_server_stop(s.server);
  CHECK(E_WAIT(&b.log, "reconnecting|1"));
  CHECK(e_wait_n(&b.log, "logout|102", 1, 15000));
  CHECK_EQ_INT(rtm_sig_get_status(b.sig), RTM_SIG_STATUS_NOT_LOGGED_IN);
  s_free(&a);
  s_free(&b);
  t_server_stop(&s);
}

static rtm_sig_t *g_victim;
static int g_destroy_rc = 0;
static void destroy_in_cb(rtm_sig_t *s, uint32_t uid, int fd, void *ud) {
  (void)s;
  (void)uid;
  (void)fd;
  g_destroy_rc = rtm_sig_destroy(g_victim);
  e_add(LOG(ud), "login_success|0|0");
}

static void test_destroy_from_callback(void) {
  t_server s;
  sig_t_ a;
  rtm_conf_t *conf = NULL;
  char err[128];
  t_server_start(&s, 0, "", 0, (const char *)NULL);
  memset(&a, 0, sizeof a);
  e_init(&a.log);
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "app_id", "app", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "url", s.url, err, sizeof err) == RTM_OK);
  rtm_conf_set_user_data(conf, &a, NULL);
  rtm_conf_set_sig_login_success_cb(conf, destroy_in_cb);
  CHECK_EQ_INT(rtm_sig_new(NULL, conf), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_sig_new(&a.sig, conf) == RTM_OK);
  g_victim = a.sig;
  rtm_sig_login(a.sig, "alice", "x");
  CHECK(E_WAIT(&a.log, "login_success|0|0"));
  CHECK_EQ_INT(g_destroy_rc, RTM_ERR_INVALID_STATE);
  CHECK_EQ_INT(rtm_sig_destroy(a.sig), RTM_OK);
  CHECK_EQ_INT(rtm_sig_destroy(NULL), RTM_OK);
  CHECK_EQ_INT(rtm_sig_get_status(NULL), 0);
  CHECK(rtm_sig_user_data(NULL) == NULL);
  CHECK_EQ_INT(rtm_sig_event_fd(NULL), -1);
  CHECK_EQ_INT(rtm_sig_poll(NULL, 0), RTM_ERR_INVALID_ARG);
  e_fini(&a.log);
  t_server_stop(&s);
}

/* Poll mode: answers the facade gives at once (a refused login, an unknown invoke) make the event fd
 * readable, like engine events, so an application waiting on it wakes up. */
static void test_event_fd(void) {
  sig_t_ a;
  rtm_conf_t *conf = NULL;
  char err[128];
  struct pollfd p;
  int fd, n = 0;
  memset(&a, 0, sizeof a);
  e_init(&a.log);
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "app_id", "app", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "callback.dispatch", "poll", err, sizeof err) == RTM_OK);
  rtm_conf_set_user_data(conf, &a, NULL);
  rtm_conf_set_sig_login_failed_cb(conf, s_login_failed);
  rtm_conf_set_sig_invoke_ret_cb(conf, s_invoke);
  REQUIRE(rtm_sig_new(&a.sig, conf) == RTM_OK);
  fd = rtm_sig_event_fd(a.sig);
  REQUIRE(fd >= 0);
  rtm_sig_login(a.sig, "bad/account", "x");
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  CHECK_EQ_INT(poll(&p, 1, 5000), 1);
  n = rtm_sig_poll(a.sig, 0);
  CHECK(n >= 1);
  CHECK_EQ_INT(e_count(&a.log, "login_failed|209"), 1);
  rtm_sig_invoke(a.sig, "io.agora.signal.nothing", "{}", "q");
  p.revents = 0;
  CHECK_EQ_INT(poll(&p, 1, 5000), 1);
  rtm_sig_poll(a.sig, 0);
  CHECK_EQ_INT(e_count(&a.log, "invoke|q|1002|{}"), 1);
  /* drained: the fd is quiet again */
  p.revents = 0;
  CHECK_EQ_INT(poll(&p, 1, 100), 0);
  CHECK_EQ_INT(rtm_sig_destroy(a.sig), RTM_OK);
  e_fini(&a.log);
}

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "";
  g_poll = argc > 2 && strcmp(argv[2], "poll") == 0;
  rtm_set_log_level("error");
  if (!strcmp(name, "tokens")) test_tokens();
  else if (!strcmp(name, "messages")) test_messages();
  else if (!strcmp(name, "channels")) test_channels();
  else if (!strcmp(name, "invoke")) test_invoke_and_users();
  else if (!strcmp(name, "calls")) test_calls();
  else if (!strcmp(name, "interop")) test_interop();
  else if (!strcmp(name, "session")) test_session();
  else if (!strcmp(name, "destroy_from_callback")) test_destroy_from_callback();
  else if (!strcmp(name, "event_fd")) test_event_fd();
  else {
    fprintf(stderr, "usage: %s tokens|messages|channels|invoke|calls|interop|session|destroy_from_callback|event_fd [thread|poll]\n", argv[0]);
    return 2;
  }
  return t_finish(name);
}
