/* End-to-end tests of the C API against the embedded server, in both dispatch modes.
 * usage: capi_e2e TEST thread|poll */
#include "testutil.h"

static int g_poll; /* the dispatch mode under test */

static const char *APP_CERT = "5CFd2fd1755d40ecb72977518be15d3b";

/* ---- login, state, user id, logout ------------------------------------------------------------------ */

static void test_login_logout(void) {
  t_server s;
  t_rec a;
  char buf[64];
  size_t n;
  t_server_start(&s, 0, "", 0, (const char *)NULL);
  t_rec_init(&a, "alice");
  t_client(&a, s.url, "app", g_poll);
  t_pump_add(&a);

  CHECK_EQ_INT(rtm_client_state(a.client), RTM_CONNECTION_STATE_DISCONNECTED);
  CHECK(rtm_client_user_data(a.client) == &a);
  /* refused at once: the RTM code of the operation, no callback */
  CHECK_EQ_INT(rtm_client_logout(a.client), RTM_LOGOUT_ERR_USER_NOT_LOGGED_IN);
  CHECK(strstr(rtm_last_error(), "RTM_LOGOUT_ERR_USER_NOT_LOGGED_IN") != NULL);
  CHECK_EQ_INT(rtm_client_renew_token(a.client, "x"), RTM_RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ_INT(rtm_client_login(a.client, NULL, "bad/user"), RTM_LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_login(a.client, NULL, NULL), RTM_LOGIN_ERR_INVALID_ARGUMENT);

  REQUIRE(t_login(&a, NULL, "alice"));
  CHECK_EQ_INT(rtm_last_error()[0], 0);
  CHECK_EQ_INT(rtm_client_state(a.client), RTM_CONNECTION_STATE_CONNECTED);
  CHECK(t_wait(&a, t_p_login_success, 1, 5000));
  pthread_mutex_lock(&a.mu);
  REQUIRE(a.nstates >= 2);
  CHECK_EQ_INT(a.states[0][0], RTM_CONNECTION_STATE_CONNECTING);
  CHECK_EQ_INT(a.states[0][1], RTM_CONNECTION_CHANGE_REASON_LOGIN);
  CHECK_EQ_INT(a.states[1][0], RTM_CONNECTION_STATE_CONNECTED);
  CHECK_EQ_INT(a.states[1][1], RTM_CONNECTION_CHANGE_REASON_LOGIN_SUCCESS);
  pthread_mutex_unlock(&a.mu);

  n = sizeof buf;
  CHECK_EQ_INT(rtm_client_user_id(buf, &n, a.client), RTM_OK);
  CHECK_STR(buf, "alice");
  CHECK_EQ_INT(n, 6);
  n = 3;
  CHECK_EQ_INT(rtm_client_user_id(buf, &n, a.client), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK_EQ_INT(n, 6);

  CHECK_EQ_INT(rtm_client_login(a.client, NULL, "alice"), RTM_LOGIN_ERR_ALREADY_LOGGED_IN);
  CHECK(strstr(rtm_last_error(), "ALREADY_LOGGED_IN") != NULL);
  CHECK_EQ_INT(rtm_server_connection_count(s.server), 1);

  CHECK_EQ_INT(rtm_client_logout(a.client), RTM_OK);
  CHECK(t_wait(&a, t_p_logouts, 1, 5000));
  CHECK(t_wait(&a, t_p_state, RTM_CONNECTION_STATE_DISCONNECTED, 5000));
  CHECK_EQ_INT(a.logouts[0], RTM_LOGOUT_ERR_OK);
  pthread_mutex_lock(&a.mu);
  CHECK_EQ_INT(a.states[a.nstates - 1][1], RTM_CONNECTION_CHANGE_REASON_LOGOUT);
  pthread_mutex_unlock(&a.mu);
  CHECK_EQ_INT(rtm_client_state(a.client), RTM_CONNECTION_STATE_DISCONNECTED);

  /* log in again after logout, then destroy while connected */
  REQUIRE(t_login(&a, "", "alice2"));
  t_destroy(&a);
  t_rec_fini(&a);
  t_server_stop(&s);
}

/* ---- peer messages ------------------------------------------------------------------------------------ */

static void test_peer_messages(void) {
  t_server s;
  t_rec a, b, c;
  rtm_message_t *text = NULL, *raw = NULL;
  rtm_send_options_t opts = RTM_SEND_OPTIONS_INIT;
  int64_t id1 = 0, id2 = 0, id3 = 0, id4 = 0;
  static const unsigned char payload[5] = {0, 1, 2, 255, 0};
  const rtm_message_t *m;
  const void *data;
  size_t len;

  t_server_start(&s, 0, "", 0, (const char *)NULL);
  t_rec_init(&a, "alice");
  t_rec_init(&b, "bob");
  t_rec_init(&c, "carol");
  t_client(&a, s.url, "app", g_poll);
  t_client(&b, s.url, "app", g_poll);
  t_pump_add(&a);
  t_pump_add(&b);
  REQUIRE(t_login(&a, NULL, "alice"));
  REQUIRE(t_login(&b, NULL, "bob"));

  /* text, default options */
  REQUIRE(rtm_message_new_text(&text, "hello bob") == RTM_OK);
  CHECK_EQ_INT(rtm_client_send_message_to_peer(&id1, a.client, "bob", text, NULL), RTM_OK);
  CHECK(id1 != 0);
  CHECK_EQ_INT(t_result_of(&a, id1, 10000), RTM_PEER_MESSAGE_ERR_OK);
  REQUIRE(t_wait(&b, t_p_messages, 1, 5000));
  m = b.kept[0];
  CHECK_STR(b.kept_from[0], "alice");
  CHECK_EQ_INT(rtm_message_type(m), RTM_MESSAGE_TYPE_TEXT);
  CHECK_STR(rtm_message_text(m, &len), "hello bob");
  CHECK_EQ_INT(len, 9);
  CHECK_EQ_INT(rtm_message_id(m), id1);
  CHECK(rtm_message_server_received_ts(m) > 1600000000000LL);
  CHECK_EQ_INT(rtm_message_is_offline(m), 0);
  data = rtm_message_raw(m, &len);
  CHECK(data != NULL);
  CHECK_EQ_INT(len, 0);

  /* raw with a description; the message is copied: changing it afterwards changes nothing */
  REQUIRE(rtm_message_new_raw(&raw, payload, sizeof payload) == RTM_OK);
  REQUIRE(rtm_message_set_text(raw, "five bytes") == RTM_OK);
  CHECK_EQ_INT(rtm_client_send_message_to_peer(&id2, a.client, "bob", raw, &opts), RTM_OK);
  REQUIRE(rtm_message_set_text(raw, "changed") == RTM_OK);
  CHECK_EQ_INT(t_result_of(&a, id2, 10000), RTM_PEER_MESSAGE_ERR_OK);
  REQUIRE(t_wait(&b, t_p_messages, 2, 5000));
  m = b.kept[1];
  CHECK_EQ_INT(rtm_message_type(m), RTM_MESSAGE_TYPE_RAW);
  CHECK_STR(rtm_message_text(m, NULL), "five bytes");
  data = rtm_message_raw(m, &len);
  CHECK_EQ_INT(len, sizeof payload);
  CHECK(data && memcmp(data, payload, sizeof payload) == 0);
  CHECK_EQ_INT(rtm_message_id(m), id2);

  /* refusals: the RTM code, at once */
  CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, "no/such user", text, NULL),
               RTM_PEER_MESSAGE_ERR_INVALID_USERID);
  CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, NULL, text, NULL), RTM_PEER_MESSAGE_ERR_INVALID_USERID);
  CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, "bob", NULL, NULL), RTM_PEER_MESSAGE_ERR_INVALID_MESSAGE);
  opts.version = 99;
  CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, "bob", text, &opts), RTM_ERR_UNSUPPORTED_VERSION);
  opts.version = RTM_SEND_OPTIONS_VERSION;
  {
    char *big = (char *)malloc(40000);
    rtm_message_t *bm = NULL;
    memset(big, 'x', 39999);
    big[39999] = 0;
    REQUIRE(rtm_message_new_text(&bm, big) == RTM_OK);
    CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, "bob", bm, NULL), RTM_PEER_MESSAGE_ERR_INVALID_MESSAGE);
    rtm_message_destroy(bm);
    free(big);
  }

  /* offline peer: unreachable, or cached with offline messaging */
  CHECK_EQ_INT(rtm_client_send_message_to_peer(&id3, a.client, "carol", text, NULL), RTM_OK);
  CHECK_EQ_INT(t_result_of(&a, id3, 10000), RTM_PEER_MESSAGE_ERR_PEER_UNREACHABLE);
  REQUIRE(rtm_send_options_init(&opts, RTM_SEND_OPTIONS_VERSION) == RTM_OK);
  opts.enable_offline_messaging = 1;
  CHECK_EQ_INT(rtm_client_send_message_to_peer(&id4, a.client, "carol", text, &opts), RTM_OK);
  CHECK_EQ_INT(t_result_of(&a, id4, 10000), RTM_PEER_MESSAGE_ERR_CACHED_BY_SERVER);
  t_client(&c, s.url, "app", g_poll);
  t_pump_add(&c);
  REQUIRE(t_login(&c, NULL, "carol"));
  REQUIRE(t_wait(&c, t_p_messages, 1, 5000));
  CHECK_EQ_INT(rtm_message_is_offline(c.kept[0]), 1);
  CHECK_STR(rtm_message_text(c.kept[0], NULL), "hello bob");
  CHECK_STR(c.kept_from[0], "alice");

  /* a burst: every result arrives, in order of the callbacks never overlapping */
  {
    int i, before;
    pthread_mutex_lock(&a.mu);
    before = a.nresults;
    pthread_mutex_unlock(&a.mu);
    for (i = 0; i < 200; ++i) CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, "bob", text, NULL), RTM_OK);
    CHECK(t_wait(&a, t_p_results, before + 200, 20000));
    CHECK(t_wait(&b, t_p_messages, 202, 20000));
  }

  rtm_message_destroy(text);
  rtm_message_destroy(raw);
  t_destroy(&a);
  t_destroy(&b);
  t_destroy(&c);
  t_rec_fini(&a);
  t_rec_fini(&b);
  t_rec_fini(&c);
  t_server_stop(&s);
}

/* ---- tokens: certificate app, 007 login, 006 renew ---------------------------------------------------- */

static void test_tokens(void) {
  t_server s;
  t_rec a;
  char apps[128];
  char *t007 = NULL, *t006 = NULL;
  snprintf(apps, sizeof apps, "certapp:%s, openapp", APP_CERT);
  /* three logins of one user within a second: more than RTM's default login rate */
  t_server_start(&s, 0, apps, 0, "rate_limits.login.count", "100", (const char *)NULL);
  t_rec_init(&a, "alice");
  t_client(&a, s.url, "certapp", g_poll);
  t_pump_add(&a);

  /* no token: refused by the server */
  CHECK_EQ_INT(rtm_client_login(a.client, NULL, "alice"), RTM_OK);
  REQUIRE(t_wait(&a, t_p_login_failures, 1, 10000));
  CHECK_EQ_INT(a.login_failures[0], RTM_LOGIN_ERR_INVALID_TOKEN);
  CHECK(t_wait(&a, t_p_state, RTM_CONNECTION_STATE_DISCONNECTED, 5000));
  pthread_mutex_lock(&a.mu);
  CHECK_EQ_INT(a.states[a.nstates - 1][1], RTM_CONNECTION_CHANGE_REASON_LOGIN_FAILURE);
  pthread_mutex_unlock(&a.mu);

  /* a token for someone else */
  REQUIRE(rtm_token_build_007(&t007, "certapp", APP_CERT, "mallory", 3600) == RTM_OK);
  CHECK_EQ_INT(rtm_client_login(a.client, t007, "alice"), RTM_OK);
  REQUIRE(t_wait(&a, t_p_login_failures, 2, 10000));
  CHECK_EQ_INT(a.login_failures[1], RTM_LOGIN_ERR_INVALID_TOKEN);
  rtm_free(t007);

  /* a 007 token */
  REQUIRE(rtm_token_build_007(&t007, "certapp", APP_CERT, "alice", 3600) == RTM_OK);
  REQUIRE(t_wait(&a, t_p_state, RTM_CONNECTION_STATE_DISCONNECTED, 5000));
  REQUIRE(t_login(&a, t007, "alice"));

  /* renew with a 006 token: the callback reports it */
  REQUIRE(rtm_token_build_006(&t006, "certapp", APP_CERT, "alice") == RTM_OK);
  CHECK_EQ_INT(rtm_client_renew_token(a.client, t006), RTM_OK);
  REQUIRE(t_wait(&a, t_p_renews, 1, 10000));
  CHECK_EQ_INT(a.renew_codes[0], RTM_RENEW_TOKEN_ERR_OK);
  CHECK_STR(a.renew_tokens[0], t006);
  /* renew with garbage */
  CHECK_EQ_INT(rtm_client_renew_token(a.client, "007garbage"), RTM_OK);
  REQUIRE(t_wait(&a, t_p_renews, 2, 10000));
  CHECK_EQ_INT(a.renew_codes[1], RTM_RENEW_TOKEN_ERR_INVALID_TOKEN);
  CHECK_EQ_INT(rtm_client_renew_token(a.client, ""), RTM_RENEW_TOKEN_ERR_INVALID_ARGUMENT);

  rtm_free(t007);
  rtm_free(t006);
  t_destroy(&a);
  t_rec_fini(&a);
  t_server_stop(&s);
}

/* ---- token expiry while reconnecting: token_expired, then renew recovers ------------------------------- */

static void test_token_expired(void) {
  t_server s;
  t_rec a;
  char apps[128], listen[64], err[128];
  char *tok = NULL, *fresh = NULL;
  int port = t_free_port();
  rtm_server_conf_t *sc = NULL;
  snprintf(apps, sizeof apps, "certapp:%s", APP_CERT);
  snprintf(listen, sizeof listen, "%d", port);
  /* warn 1.5 s before the expiry */
  t_server_start(&s, port, apps, 0, "token_warning_ms", "1500", (const char *)NULL);
  t_rec_init(&a, "alice");
  t_client(&a, s.url, "certapp", g_poll);
  t_pump_add(&a);

  /* valid for 2 seconds from now */
  REQUIRE(rtm_token_build_007_ex(&tok, "certapp", APP_CERT, "alice", 2, (uint32_t)time(NULL), 7) == RTM_OK);
  REQUIRE(t_login(&a, tok, "alice"));
  CHECK(t_wait(&a, t_p_token_will_expire, 1, 3000));
  rtm_server_stop(s.server);
  CHECK_EQ_INT(rtm_server_port(s.server, 0), 0);
  CHECK(t_wait(&a, t_p_state, RTM_CONNECTION_STATE_RECONNECTING, 10000));
  pthread_mutex_lock(&a.mu);
  CHECK_EQ_INT(a.states[a.nstates - 1][1], RTM_CONNECTION_CHANGE_REASON_INTERRUPTED);
  pthread_mutex_unlock(&a.mu);
  {
    int64_t until = t_now_ms() + 3000;
    while (t_now_ms() < until) t_pump(50);
  }
  /* the same server again (same port, same store) */
  REQUIRE(rtm_server_start(s.server) == RTM_OK);
  CHECK_EQ_INT(rtm_server_port(s.server, 0), port);
  REQUIRE(t_wait(&a, t_p_token_expired, 1, 10000));
  CHECK_EQ_INT(rtm_client_state(a.client), RTM_CONNECTION_STATE_RECONNECTING);
  REQUIRE(rtm_token_build_007(&fresh, "certapp", APP_CERT, "alice", 3600) == RTM_OK);
  CHECK_EQ_INT(rtm_client_renew_token(a.client, fresh), RTM_OK);
  CHECK(t_wait(&a, t_p_renews, 1, 10000));
  CHECK(t_wait(&a, t_p_state, RTM_CONNECTION_STATE_CONNECTED, 10000));

  /* the server conf API on the side: a second server on the same port cannot start */
  REQUIRE(rtm_server_conf_new(&sc) == RTM_OK);
  REQUIRE(rtm_server_conf_set(sc, "listen", listen, err, sizeof err) == RTM_OK);
  REQUIRE(rtm_server_conf_set(sc, "data_dir", s.dir, err, sizeof err) == RTM_OK);
  {
    rtm_server_t *other = NULL;
    REQUIRE(rtm_server_new(&other, sc) == RTM_OK);
    CHECK_EQ_INT(rtm_server_start(other), RTM_ERR_SERVER_START);
    CHECK(strlen(rtm_last_error()) > 0);
    CHECK_EQ_INT(rtm_server_port(other, 0), 0);
    CHECK_EQ_INT(rtm_server_connection_count(other), 0);
    rtm_server_destroy(other);
  }

  rtm_free(tok);
  rtm_free(fresh);
  t_destroy(&a);
  t_rec_fini(&a);
  t_server_stop(&s);
}

/* ---- destroy while callbacks are in flight ------------------------------------------------------------ */

typedef struct inflight {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int entered; /* a message callback is running */
  int stop;    /* the test is about to destroy the client */
  int poller_done;
} inflight;

static void inflight_on_message(t_rec *r, const char *from, const rtm_message_t *m) {
  inflight *f = (inflight *)r->test_data;
  (void)from;
  (void)m;
  pthread_mutex_lock(&f->mu);
  if (!f->entered) {
    f->entered = 1;
    pthread_cond_broadcast(&f->cv);
    /* stay in flight until the test decided to destroy, then a little longer, so that destroy
     * certainly finds this callback running */
    while (!f->stop) pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
    t_sleep_ms(50);
    return;
  }
  pthread_mutex_unlock(&f->mu);
  t_sleep_ms(1);
}

static void *inflight_poller(void *arg) {
  t_rec *r = (t_rec *)arg;
  inflight *f = (inflight *)r->test_data;
  rtm_client_t *c = r->client;
  for (;;) {
    int n, stop;
    n = rtm_client_poll(c, 100);
    pthread_mutex_lock(&f->mu);
    stop = f->stop;
    pthread_mutex_unlock(&f->mu);
    /* `stop` was set while this poll was running a callback, so the handle is not touched again */
    if (stop) break;
    if (n < 0) {
      fprintf(stderr, "poller: %s\n", rtm_last_error());
      break;
    }
  }
  pthread_mutex_lock(&f->mu);
  f->poller_done = 1;
  pthread_mutex_unlock(&f->mu);
  return NULL;
}

static void test_destroy_in_flight(void) {
  t_server s;
  t_rec a, b;
  inflight f;
  rtm_message_t *text = NULL;
  pthread_t poller;
  int i, received;
  int64_t t0, took;
  t_server_start(&s, 0, "", 0, (const char *)NULL);
  memset(&f, 0, sizeof f);
  pthread_mutex_init(&f.mu, NULL);
  pthread_cond_init(&f.cv, NULL);
  t_rec_init(&a, "alice");
  t_rec_init(&b, "bob");
  b.on_message = inflight_on_message;
  b.test_data = &f;
  t_client(&a, s.url, "app", g_poll);
  t_client(&b, s.url, "app", g_poll);
  t_pump_add(&a);
  t_pump_add(&b);
  REQUIRE(t_login(&a, NULL, "alice"));
  REQUIRE(t_login(&b, NULL, "bob"));
  t_pump_remove(&b); /* from now on bob is polled by its own thread (poll mode) */
  if (g_poll) REQUIRE(pthread_create(&poller, NULL, inflight_poller, &b) == 0);

  REQUIRE(rtm_message_new_text(&text, "flood") == RTM_OK);
  for (i = 0; i < 300; ++i) CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, a.client, "bob", text, NULL), RTM_OK);
  pthread_mutex_lock(&f.mu);
  while (!f.entered) pthread_cond_wait(&f.cv, &f.mu);
  f.stop = 1;
  pthread_cond_broadcast(&f.cv);
  pthread_mutex_unlock(&f.mu);

  t0 = t_now_ms();
  t_destroy(&b); /* waits for the callback in flight, drops the rest, frees the user data once */
  took = t_now_ms() - t0;
  CHECK(took >= 40);
  if (g_poll) {
    pthread_join(poller, NULL);
    CHECK_EQ_INT(f.poller_done, 1);
  }
  pthread_mutex_lock(&b.mu);
  received = b.nmessages;
  CHECK_EQ_INT(b.running, 0);
  pthread_mutex_unlock(&b.mu);
  CHECK(received >= 1);
  /* nothing runs after destroy returned */
  t_sleep_ms(100);
  CHECK_EQ_INT(b.after_destroy, 0);
  CHECK_EQ_INT(b.nmessages, received);
  CHECK_EQ_INT(b.freed, 1);

  /* alice learns about the messages bob never acknowledged */
  CHECK(t_wait(&a, t_p_results, 300, 30000));

  rtm_message_destroy(text);
  t_destroy(&a);
  t_rec_fini(&a);
  t_rec_fini(&b);
  pthread_mutex_destroy(&f.mu);
  pthread_cond_destroy(&f.cv);
  t_server_stop(&s);
}

/* ---- destroy from inside a callback is refused ------------------------------------------------------ */

typedef struct reentry {
  rtm_result_t destroy_rc;
  char destroy_msg[512];
  int poll_rc;
  rtm_result_t send_rc;
  int64_t sent_id;
  int state_in_cb;
} reentry;

static void reentry_on_login_success(t_rec *r) {
  reentry *e = (reentry *)r->test_data;
  rtm_message_t *m = NULL;
  e->destroy_rc = rtm_client_destroy(r->client);
  snprintf(e->destroy_msg, sizeof e->destroy_msg, "%s", rtm_last_error());
  e->poll_rc = rtm_client_poll(r->client, 0);
  e->state_in_cb = (int)rtm_client_state(r->client);
  rtm_message_new_text(&m, "sent from a callback");
  e->send_rc = rtm_client_send_message_to_peer(&e->sent_id, r->client, "alice", m, NULL);
  rtm_message_destroy(m);
}

static void test_destroy_from_callback(void) {
  t_server s;
  t_rec a;
  reentry e;
  t_server_start(&s, 0, "", 0, (const char *)NULL);
  memset(&e, 0, sizeof e);
  t_rec_init(&a, "alice");
  a.on_login_success = reentry_on_login_success;
  a.test_data = &e;
  t_client(&a, s.url, "app", g_poll);
  t_pump_add(&a);
  REQUIRE(t_login(&a, NULL, "alice"));
  CHECK(t_wait(&a, t_p_login_success, 1, 5000));
  CHECK_EQ_INT(e.destroy_rc, RTM_ERR_INVALID_STATE);
  CHECK(strstr(e.destroy_msg, "inside a callback") != NULL);
  CHECK_EQ_INT(e.poll_rc, RTM_ERR_INVALID_STATE);
  CHECK_EQ_INT(e.state_in_cb, RTM_CONNECTION_STATE_CONNECTED);
  CHECK_EQ_INT(e.send_rc, RTM_OK);
  /* the message the callback sent to alice herself arrives */
  CHECK_EQ_INT(t_result_of(&a, e.sent_id, 10000), RTM_PEER_MESSAGE_ERR_OK);
  CHECK(t_wait(&a, t_p_messages, 1, 5000));
  CHECK_EQ_INT(a.freed, 0);
  t_destroy(&a); /* from outside: fine */
  t_rec_fini(&a);
  t_server_stop(&s);
}

/* ---- user data, thread hook, callback threads --------------------------------------------------------- */

static int g_plain_frees = 0;
static void plain_free(void *ud) {
  (void)ud;
  ++g_plain_frees;
}

static void test_user_data(void) {
  t_server s;
  t_rec a;
  rtm_conf_t *conf;
  rtm_client_t *c = NULL;
  char err[256];
  int x = 0, y = 0;
  t_server_start(&s, 0, "", 0, (const char *)NULL);

  /* replaced: the first destructor runs at once */
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set_user_data(conf, &x, plain_free) == RTM_OK);
  CHECK_EQ_INT(g_plain_frees, 0);
  REQUIRE(rtm_conf_set_user_data(conf, &y, plain_free) == RTM_OK);
  CHECK_EQ_INT(g_plain_frees, 1);
  /* never a client: destroying the conf frees it */
  rtm_conf_destroy(conf);
  CHECK_EQ_INT(g_plain_frees, 2);
  /* a NULL destructor is allowed */
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set_user_data(conf, &x, NULL) == RTM_OK);
  rtm_conf_destroy(conf);
  CHECK_EQ_INT(g_plain_frees, 2);

  /* rtm_client_new fails: the caller keeps the conf and its user data */
  t_rec_init(&a, "alice");
  conf = t_conf(&a, s.url, "app", g_poll);
  REQUIRE(rtm_conf_set(conf, "reconnect_min_ms", "5000", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "reconnect_max_ms", "1000", err, sizeof err) == RTM_OK);
  CHECK_EQ_INT(rtm_client_new(&c, conf), RTM_ERR_INVALID_VALUE);
  CHECK(strstr(rtm_last_error(), "reconnect_min_ms") != NULL);
  CHECK_EQ_INT(a.freed, 0);
  REQUIRE(rtm_conf_set(conf, "reconnect_max_ms", "8000", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_client_new(&a.client, conf) == RTM_OK);
  t_pump_add(&a);
  REQUIRE(t_login(&a, NULL, "alice"));
  CHECK(t_wait(&a, t_p_login_success, 1, 5000));

  pthread_mutex_lock(&a.mu);
  if (g_poll) {
    /* poll mode: callbacks run on the polling thread (this one); no library thread runs callbacks */
    CHECK_EQ_INT(a.thread_starts, 0);
    CHECK(pthread_equal(a.cb_thread, pthread_self()));
  } else {
    /* thread mode: one dispatcher thread, announced once, runs every callback */
    CHECK_EQ_INT(a.thread_starts, 1);
    CHECK_STR(a.thread_name, "rtm-dispatch");
    CHECK(pthread_equal(a.cb_thread, a.hook_thread));
    CHECK(!pthread_equal(a.cb_thread, pthread_self()));
  }
  pthread_mutex_unlock(&a.mu);
  CHECK_EQ_INT(a.freed, 0);
  t_destroy(&a); /* freed exactly once */
  CHECK_EQ_INT(rtm_client_destroy(NULL), RTM_OK);
  t_rec_fini(&a);
  t_server_stop(&s);
}

/* ---- dispatch: poll, wakeup, event fd ---------------------------------------------------------------- */

typedef struct poll_arg {
  rtm_client_t *client;
  int rc;
  int64_t took;
} poll_arg;

static void *blocking_poll(void *p) {
  poll_arg *a = (poll_arg *)p;
  int64_t t0 = t_now_ms();
  a->rc = rtm_client_poll(a->client, -1);
  a->took = t_now_ms() - t0;
  return NULL;
}

static void test_dispatch(void) {
  t_server s;
  t_rec a;
  int fd;
  t_server_start(&s, 0, "", 0, (const char *)NULL);
  t_rec_init(&a, "alice");
  t_client(&a, s.url, "app", g_poll);
  fd = rtm_client_event_fd(a.client);
  CHECK(fd >= 0);
  CHECK_EQ_INT(rtm_client_event_fd(NULL), -1);
  CHECK_EQ_INT(rtm_client_wakeup(a.client), RTM_OK);
  CHECK_EQ_INT(rtm_client_wakeup(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_poll(NULL, 0), RTM_ERR_INVALID_ARG);

  if (!g_poll) {
    CHECK_EQ_INT(rtm_client_poll(a.client, 0), RTM_ERR_INVALID_STATE);
    CHECK(strstr(rtm_last_error(), "callback.dispatch") != NULL);
  } else {
    struct pollfd pfd;
    pthread_t th, th2;
    poll_arg pa, pb;
    int n;
    /* the wakeup above makes the next poll return at once */
    CHECK_EQ_INT(rtm_client_poll(a.client, 5000), 0);
    CHECK_EQ_INT(rtm_client_poll(a.client, 0), 0);
    /* no event: the fd is not readable */
    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    CHECK_EQ_INT(poll(&pfd, 1, 0), 0);
    /* an event makes it readable; polling runs the callback and drains it */
    CHECK_EQ_INT(rtm_client_login(a.client, NULL, "alice"), RTM_OK);
    CHECK_EQ_INT(poll(&pfd, 1, 5000), 1);
    CHECK(pfd.revents & POLLIN);
    n = rtm_client_poll(a.client, 0);
    CHECK(n >= 1);
    pthread_mutex_lock(&a.mu);
    CHECK(a.nstates >= 1);
    pthread_mutex_unlock(&a.mu);
    t_pump_add(&a);
    CHECK(t_wait(&a, t_p_state, RTM_CONNECTION_STATE_CONNECTED, 10000));
    t_pump_remove(&a);
    while (rtm_client_poll(a.client, 50) > 0) {
    }
    /* a poll blocked without limit returns after a wakeup from another thread; a second poller is refused */
    pa.client = a.client;
    pa.rc = -100;
    REQUIRE(pthread_create(&th, NULL, blocking_poll, &pa) == 0);
    t_sleep_ms(200);
    pb.client = a.client;
    pb.rc = -100;
    REQUIRE(pthread_create(&th2, NULL, blocking_poll, &pb) == 0);
    pthread_join(th2, NULL);
    CHECK_EQ_INT(pb.rc, RTM_ERR_INVALID_STATE);
    CHECK_EQ_INT(rtm_client_wakeup(a.client), RTM_OK);
    pthread_join(th, NULL);
    CHECK_EQ_INT(pa.rc, 0);
    CHECK(pa.took >= 150);
  }
  t_destroy(&a);
  t_rec_fini(&a);
  t_server_stop(&s);
}

/* ---- wss ------------------------------------------------------------------------------------------------ */

static void test_tls(void) {
  t_server s;
  t_rec a, b;
  rtm_conf_t *conf;
  char err[256];
  t_server_start(&s, 0, "", 1, (const char *)NULL);
  CHECK(rtm_server_port(s.server, 1) > 0);
  CHECK(rtm_server_port(s.server, 0) > 0);
  t_rec_init(&a, "alice");
  t_client(&a, s.wss_url, "app", g_poll);
  t_pump_add(&a);
  REQUIRE(t_login(&a, NULL, "alice"));

  /* verification on: the self-signed certificate is refused, the login times out */
  t_rec_init(&b, "bob");
  conf = t_conf(&b, s.wss_url, "app", g_poll);
  REQUIRE(rtm_conf_set(conf, "tls_insecure_skip_verify", "false", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "login_timeout_ms", "1500", err, sizeof err) == RTM_OK);
  REQUIRE(rtm_client_new(&b.client, conf) == RTM_OK);
  t_pump_add(&b);
  CHECK_EQ_INT(rtm_client_login(b.client, NULL, "bob"), RTM_OK);
  REQUIRE(t_wait(&b, t_p_login_failures, 1, 10000));
  CHECK_EQ_INT(b.login_failures[0], RTM_LOGIN_ERR_TIMEOUT);
  CHECK(t_wait(&b, t_p_state, RTM_CONNECTION_STATE_DISCONNECTED, 5000));
  pthread_mutex_lock(&b.mu);
  CHECK_EQ_INT(b.states[b.nstates - 1][1], RTM_CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT);
  pthread_mutex_unlock(&b.mu);

  t_destroy(&a);
  t_destroy(&b);
  t_rec_fini(&a);
  t_rec_fini(&b);
  t_server_stop(&s);
}

/* ---- main ----------------------------------------------------------------------------------------------- */

/* ---- channels (0.2) ------------------------------------------------------------------------------------ */

/* b's hook: destroys its channel from inside the channel's own message callback. */
static void destroy_channel_on_message(t_rec *r, rtm_channel_t *ch, const char *from, const rtm_message_t *m) {
  (void)from;
  if (strcmp(rtm_message_text(m, NULL), "destroy now") != 0) return;
  CHECK(ch == (rtm_channel_t *)r->test_data);
  CHECK_EQ_INT(rtm_channel_destroy(ch), RTM_OK);
  /* destroying the client from here is still refused */
  CHECK_EQ_INT(rtm_client_destroy(r->client), RTM_ERR_INVALID_STATE);
}

static void test_channels(void) {
  t_server s;
  t_rec a, b;
  int tag_a = 1, tag_b = 2, tag_b2 = 3;
  rtm_channel_t *cha = NULL, *chb = NULL, *other = NULL, *dup = NULL;
  rtm_message_t *text = NULL, *raw = NULL, *big = NULL;
  rtm_send_options_t opts = RTM_SEND_OPTIONS_INIT;
  static const unsigned char payload[4] = {0, 7, 255, 1};
  int64_t id1 = 0, id2 = 0;
  const void *data;
  size_t len;
  int n;

  t_server_start(&s, 0, "", 0, "rate_limits", "off", "member_count_interval_ms", "100", (const char *)NULL);
  t_rec_init(&a, "alice");
  t_rec_init(&b, "bob");
  t_client(&a, s.url, "app", g_poll);
  t_client(&b, s.url, "app", g_poll);
  t_pump_add(&a);
  t_pump_add(&b);

  /* creation: before login; argument checks; one live channel per id */
  CHECK_EQ_INT(rtm_client_create_channel(&cha, a.client, "room", &tag_a), RTM_OK);
  REQUIRE(cha != NULL);
  CHECK_STR(rtm_channel_id(cha), "room");
  CHECK(rtm_channel_client(cha) == a.client);
  CHECK(rtm_channel_user_data(cha) == &tag_a);
  CHECK(rtm_channel_id(NULL) == NULL);
  CHECK(rtm_channel_client(NULL) == NULL);
  CHECK(rtm_channel_user_data(NULL) == NULL);
  CHECK_EQ_INT(rtm_client_create_channel(&dup, a.client, "room", NULL), RTM_ERR_INVALID_ARG);
  CHECK(strstr(rtm_last_error(), "already exists") != NULL);
  CHECK_EQ_INT(rtm_client_create_channel(&other, a.client, "bad/channel", NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_create_channel(&other, a.client, NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_create_channel(NULL, a.client, "x", NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_create_channel(&other, NULL, "x", NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_channel_join(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_channel_leave(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_channel_get_members(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_channel_send_message(NULL, NULL, NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_channel_destroy(NULL), RTM_OK);
  /* refused at once before login: the RTM code of the operation */
  CHECK_EQ_INT(rtm_channel_join(cha), RTM_JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK(strstr(rtm_last_error(), "RTM_JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN") != NULL);
  CHECK_EQ_INT(rtm_channel_get_members(cha), RTM_GET_MEMBERS_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ_INT(rtm_channel_leave(cha), RTM_LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);

  REQUIRE(t_login(&a, NULL, "alice"));
  REQUIRE(t_login(&b, NULL, "bob"));

  /* join: alice first, then bob; alice sees bob join; member counts arrive */
  CHECK_EQ_INT(rtm_channel_join(cha), RTM_OK);
  REQUIRE(t_wait(&a, t_p_ch_join_success, 1, 10000));
  CHECK(t_wait(&a, t_p_ch_count_is, 1, 10000));
  REQUIRE(rtm_client_create_channel(&chb, b.client, "room", &tag_b) == RTM_OK);
  CHECK_EQ_INT(rtm_channel_join(chb), RTM_OK);
  REQUIRE(t_wait(&b, t_p_ch_join_success, 1, 10000));
  REQUIRE(t_wait(&a, t_p_ch_joined, 1, 10000));
  CHECK_STR(a.ch_joined[0], "bob");
  CHECK(t_wait(&a, t_p_ch_count_is, 2, 10000));
  pthread_mutex_lock(&a.mu);
  CHECK(a.ch_last == cha);
  CHECK(a.ch_last_ud == &tag_a);
  pthread_mutex_unlock(&a.mu);

  /* joining again: the failure callback */
  CHECK_EQ_INT(rtm_channel_join(cha), RTM_OK);
  REQUIRE(t_wait(&a, t_p_ch_join_failures, 1, 10000));
  CHECK_EQ_INT(a.ch_join_failures[0], RTM_JOIN_CHANNEL_ERR_ALREADY_JOINED);

  /* text message, copied: bob receives it, alice gets the result; the sender does not receive it */
  REQUIRE(rtm_message_new_text(&text, "hello room") == RTM_OK);
  CHECK_EQ_INT(rtm_channel_send_message(&id1, cha, text, NULL), RTM_OK);
  CHECK(id1 != 0);
  CHECK_EQ_INT(t_ch_result_of(&a, id1, 10000), RTM_CHANNEL_MESSAGE_ERR_OK);
  REQUIRE(t_wait(&b, t_p_ch_messages, 1, 10000));
  CHECK_STR(b.ch_kept_from[0], "alice");
  CHECK_EQ_INT(rtm_message_type(b.ch_kept[0]), RTM_MESSAGE_TYPE_TEXT);
  CHECK_STR(rtm_message_text(b.ch_kept[0], NULL), "hello room");
  CHECK_EQ_INT(rtm_message_id(b.ch_kept[0]), id1);
  CHECK(rtm_message_server_received_ts(b.ch_kept[0]) > 1600000000000LL);
  pthread_mutex_lock(&b.mu);
  CHECK(b.ch_last == chb);
  CHECK(b.ch_last_ud == &tag_b);
  pthread_mutex_unlock(&b.mu);

  /* raw message with options */
  REQUIRE(rtm_message_new_raw(&raw, payload, sizeof payload) == RTM_OK);
  REQUIRE(rtm_message_set_text(raw, "four") == RTM_OK);
  CHECK_EQ_INT(rtm_channel_send_message(&id2, chb, raw, &opts), RTM_OK);
  CHECK_EQ_INT(t_ch_result_of(&b, id2, 10000), RTM_CHANNEL_MESSAGE_ERR_OK);
  REQUIRE(t_wait(&a, t_p_ch_messages, 1, 10000));
  CHECK_STR(a.ch_kept_from[0], "bob");
  CHECK_EQ_INT(rtm_message_type(a.ch_kept[0]), RTM_MESSAGE_TYPE_RAW);
  CHECK_STR(rtm_message_text(a.ch_kept[0], NULL), "four");
  data = rtm_message_raw(a.ch_kept[0], &len);
  CHECK_EQ_INT(len, sizeof payload);
  CHECK(data && memcmp(data, payload, sizeof payload) == 0);

  /* refusals at once */
  CHECK_EQ_INT(rtm_channel_send_message(NULL, cha, NULL, NULL), RTM_CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK(strstr(rtm_last_error(), "RTM_CHANNEL_MESSAGE_ERR_INVALID_MESSAGE") != NULL);
  opts.version = 99;
  CHECK_EQ_INT(rtm_channel_send_message(NULL, cha, text, &opts), RTM_ERR_UNSUPPORTED_VERSION);
  opts.version = RTM_SEND_OPTIONS_VERSION;
  {
    char *s40k = (char *)malloc(40000);
    memset(s40k, 'x', 39999);
    s40k[39999] = 0;
    REQUIRE(rtm_message_new_text(&big, s40k) == RTM_OK);
    CHECK_EQ_INT(rtm_channel_send_message(NULL, cha, big, NULL), RTM_CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
    free(s40k);
  }

  /* members */
  CHECK_EQ_INT(rtm_channel_get_members(cha), RTM_OK);
  REQUIRE(t_wait(&a, t_p_ch_members, 1, 10000));
  CHECK_EQ_INT(a.ch_members_code[0], RTM_GET_MEMBERS_ERR_OK);
  CHECK_EQ_INT(a.ch_members_count[0], 2);
  CHECK_STR(a.ch_members[0], "alice,bob");

  /* leave: bob's leave callback, alice sees bob leave; afterwards bob is not in the channel */
  CHECK_EQ_INT(rtm_channel_leave(chb), RTM_OK);
  REQUIRE(t_wait(&b, t_p_ch_leaves, 1, 10000));
  CHECK_EQ_INT(b.ch_leaves[0], RTM_LEAVE_CHANNEL_ERR_OK);
  REQUIRE(t_wait(&a, t_p_ch_left, 1, 10000));
  CHECK_STR(a.ch_left[0], "bob");
  CHECK_EQ_INT(rtm_channel_send_message(&id2, chb, text, NULL), RTM_OK);
  CHECK_EQ_INT(t_ch_result_of(&b, id2, 10000), RTM_CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL);
  CHECK_EQ_INT(rtm_channel_get_members(chb), RTM_OK);
  REQUIRE(t_wait(&b, t_p_ch_members, 1, 10000));
  CHECK_EQ_INT(b.ch_members_code[0], RTM_GET_MEMBERS_ERR_NOT_IN_CHANNEL);
  CHECK_EQ_INT(b.ch_members_count[0], 0);
  CHECK_EQ_INT(rtm_channel_leave(chb), RTM_OK);
  REQUIRE(t_wait(&b, t_p_ch_leaves, 2, 10000));
  CHECK_EQ_INT(b.ch_leaves[1], RTM_LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL);

  /* destroy, then create the same id again (with new channel user data) and rejoin */
  CHECK_EQ_INT(rtm_channel_destroy(chb), RTM_OK);
  chb = NULL;
  REQUIRE(rtm_client_create_channel(&chb, b.client, "room", &tag_b2) == RTM_OK);
  CHECK(rtm_channel_user_data(chb) == &tag_b2);
  CHECK_EQ_INT(rtm_channel_join(chb), RTM_OK);
  REQUIRE(t_wait(&b, t_p_ch_join_success, 2, 10000));
  REQUIRE(t_wait(&a, t_p_ch_joined, 2, 10000));
  CHECK_STR(a.ch_joined[1], "bob");

  /* destroy from inside the channel's own callback: leaves the channel, no callback of it follows */
  b.test_data = chb;
  b.on_channel_message = destroy_channel_on_message;
  {
    rtm_message_t *d = NULL;
    REQUIRE(rtm_message_new_text(&d, "destroy now") == RTM_OK);
    CHECK_EQ_INT(rtm_channel_send_message(NULL, cha, d, NULL), RTM_OK);
    rtm_message_destroy(d);
  }
  REQUIRE(t_wait(&b, t_p_ch_messages, 2, 10000));
  REQUIRE(t_wait(&a, t_p_ch_left, 2, 10000)); /* destroy left the channel */
  CHECK_STR(a.ch_left[1], "bob");
  pthread_mutex_lock(&b.mu);
  n = b.nch_messages + b.nch_leaves + b.nch_results;
  pthread_mutex_unlock(&b.mu);
  CHECK_EQ_INT(rtm_channel_send_message(NULL, cha, text, NULL), RTM_OK);
  t_wait(&b, t_p_ch_messages, 3, 500); /* must not come */
  pthread_mutex_lock(&b.mu);
  CHECK_EQ_INT(b.nch_messages + b.nch_leaves + b.nch_results, n);
  CHECK_EQ_INT(b.ch_wrong_client, 0);
  pthread_mutex_unlock(&b.mu);

  /* a channel still alive is released by rtm_client_destroy */
  rtm_message_destroy(text);
  rtm_message_destroy(raw);
  rtm_message_destroy(big);
  CHECK_EQ_INT(a.ch_wrong_client, 0);
  t_destroy(&a);
  t_destroy(&b);
  t_rec_fini(&a);
  t_rec_fini(&b);
  t_server_stop(&s);
}

/* ---- presence (0.2) ------------------------------------------------------------------------------------- */

/* Waits until some online_status_changed event of r contains `item` ("peer:state"). */
static int t_has_change(t_rec *r, const char *item, int timeout_ms) {
  int64_t deadline = t_now_ms() + timeout_ms;
  for (;;) {
    int i, found = 0;
    pthread_mutex_lock(&r->mu);
    for (i = 0; i < r->nchanges && !found; ++i) {
      const char *p = strstr(r->changes[i], item);
      size_t n = strlen(item);
      found = p && (p == r->changes[i] || p[-1] == ',') && (p[n] == 0 || p[n] == ',');
    }
    pthread_mutex_unlock(&r->mu);
    if (found) return 1;
    if (t_now_ms() >= deadline) return 0;
    t_pump(10);
  }
}

static void test_presence(void) {
  t_server s;
  t_rec w, p;
  const char *both[2] = {"peer", "ghost"};
  const char *ghost[1] = {"ghost"};
  const char *bad[1] = {"bad/id"};
  int64_t rid = 0;
  int n;

  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  t_rec_init(&w, "watcher");
  t_rec_init(&p, "peer");
  t_client(&w, s.url, "app", g_poll);
  t_client(&p, s.url, "app", g_poll);
  t_pump_add(&w);
  t_pump_add(&p);

  /* refusals at once */
  CHECK_EQ_INT(rtm_client_query_peers_online_status(&rid, w.client, both, 2),
               RTM_QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN);
  CHECK(strstr(rtm_last_error(), "RTM_QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN") != NULL);
  CHECK_EQ_INT(rtm_client_query_peers_online_status(&rid, NULL, both, 2), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_query_peers_online_status(&rid, w.client, NULL, 2), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_subscribe_peers_online_status(&rid, NULL, both, 2), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_unsubscribe_peers_online_status(&rid, w.client, NULL, 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_query_peers_by_subscription_option(&rid, NULL, RTM_PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS),
               RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_query_peers_by_subscription_option(&rid, w.client, (rtm_peer_subscription_option_t)7),
               RTM_ERR_INVALID_ARG);

  REQUIRE(t_login(&w, NULL, "watcher"));
  REQUIRE(t_login(&p, NULL, "peer"));
  CHECK_EQ_INT(rtm_client_query_peers_online_status(&rid, w.client, bad, 1),
               RTM_QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_query_peers_online_status(&rid, w.client, NULL, 0),
               RTM_QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_subscribe_peers_online_status(NULL, w.client, bad, 1),
               RTM_PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT);

  /* query */
  rid = 0;
  CHECK_EQ_INT(rtm_client_query_peers_online_status(&rid, w.client, both, 2), RTM_OK);
  CHECK(rid != 0);
  REQUIRE(t_wait(&w, t_p_nq, 1, 10000));
  CHECK_EQ_INT(w.q_rid[0], rid);
  CHECK_EQ_INT(w.q_code[0], RTM_QUERY_PEERS_ONLINE_STATUS_ERR_OK);
  CHECK_STR(w.q_text[0], "ghost:2,peer:0"); /* OFFLINE, ONLINE */

  /* subscribe: the result, then the current states */
  CHECK_EQ_INT(rtm_client_subscribe_peers_online_status(&rid, w.client, both, 2), RTM_OK);
  REQUIRE(t_wait(&w, t_p_nsub, 1, 10000));
  CHECK_EQ_INT(w.sub_rid[0], rid);
  CHECK_EQ_INT(w.sub_code[0], RTM_PEER_SUBSCRIPTION_STATUS_ERR_OK);
  CHECK(t_has_change(&w, "peer:0", 10000));
  CHECK(t_has_change(&w, "ghost:2", 10000));

  CHECK_EQ_INT(rtm_client_query_peers_by_subscription_option(&rid, w.client, RTM_PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS),
               RTM_OK);
  REQUIRE(t_wait(&w, t_p_nbyopt, 1, 10000));
  CHECK_EQ_INT(w.byopt_rid[0], rid);
  CHECK_EQ_INT(w.byopt_code[0], RTM_QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK);
  CHECK_STR(w.byopt_text[0], "ghost,peer");

  /* the peer logs out: OFFLINE arrives */
  CHECK_EQ_INT(rtm_client_logout(p.client), RTM_OK);
  CHECK(t_has_change(&w, "peer:2", 10000));

  /* unsubscribe, then nothing more arrives about ghost */
  CHECK_EQ_INT(rtm_client_unsubscribe_peers_online_status(&rid, w.client, ghost, 1), RTM_OK);
  REQUIRE(t_wait(&w, t_p_nsub, 2, 10000));
  CHECK_EQ_INT(w.sub_rid[1], rid);
  CHECK_EQ_INT(w.sub_code[1], RTM_PEER_SUBSCRIPTION_STATUS_ERR_OK);
  pthread_mutex_lock(&w.mu);
  n = w.nchanges;
  pthread_mutex_unlock(&w.mu);
  REQUIRE(t_login(&p, NULL, "ghost"));
  CHECK(!t_has_change(&w, "ghost:0", 500));
  pthread_mutex_lock(&w.mu);
  CHECK_EQ_INT(w.nchanges, n);
  pthread_mutex_unlock(&w.mu);

  t_destroy(&w);
  t_destroy(&p);
  t_rec_fini(&w);
  t_rec_fini(&p);
  t_server_stop(&s);
}

/* ---- user attributes, channel attributes, member counts (0.2) ------------------------------------------ */

/* The code of the attribute write with request id `rid` (waits for it); -1 if none came. */
static int t_p_attr_for(t_rec *r, long long rid) {
  int i;
  for (i = 0; i < r->nattr; ++i)
    if (r->attr_rid[i] == rid) return 1;
  return 0;
}
static int t_attr_code(t_rec *r, int op, int64_t rid) {
  int i, code = -1;
  if (!t_wait(r, t_p_attr_for, rid, 10000)) return -1;
  pthread_mutex_lock(&r->mu);
  for (i = 0; i < r->nattr; ++i)
    if (r->attr_rid[i] == rid) code = r->attr_op[i] == op ? r->attr_code[i] : -2;
  pthread_mutex_unlock(&r->mu);
  return code;
}

static void test_attributes(void) {
  t_server s;
  t_rec a, b;
  rtm_channel_t *chb = NULL;
  const rtm_attribute_t two[2] = {{"k1", "v1"}, {"k2", "v2"}};
  const rtm_attribute_t upd[2] = {{"k2", "v2b"}, {"k3", "v3"}};
  const rtm_attribute_t empty_value[1] = {{"k", ""}};
  const rtm_attribute_t chattrs[2] = {{"topic", "t1"}, {"mode", "m"}};
  const rtm_attribute_t topic2[1] = {{"topic", "t2"}};
  const char *k1[1] = {"k1"};
  const char *k3[2] = {"k3", "nope"};
  const char *mode[1] = {"mode"};
  const char *none[1] = {"none"};
  const char *chans[2] = {"attrs", "empty"};
  rtm_channel_attribute_options_t notify = RTM_CHANNEL_ATTRIBUTE_OPTIONS_INIT;
  rtm_channel_attribute_options_t bad_opts = RTM_CHANNEL_ATTRIBUTE_OPTIONS_INIT;
  int64_t rid = 0;

  t_server_start(&s, 0, "", 0, "rate_limits", "off", (const char *)NULL);
  t_rec_init(&a, "alice");
  t_rec_init(&b, "bob");
  t_client(&a, s.url, "app", g_poll);
  t_client(&b, s.url, "app", g_poll);
  t_pump_add(&a);
  t_pump_add(&b);

  /* options struct */
  CHECK_EQ_INT(rtm_channel_attribute_options_init(&notify, 2), RTM_ERR_UNSUPPORTED_VERSION);
  CHECK_EQ_INT(rtm_channel_attribute_options_init(NULL, 1), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_channel_attribute_options_init(&notify, RTM_CHANNEL_ATTRIBUTE_OPTIONS_VERSION) == RTM_OK);
  CHECK_EQ_INT(notify.enable_notification_to_channel_members, 0);
  notify.enable_notification_to_channel_members = 1;
  bad_opts.version = 99;

  /* refusals before login and for bad arguments */
  CHECK_EQ_INT(rtm_client_set_local_user_attributes(&rid, a.client, two, 2), RTM_ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN);
  CHECK(strstr(rtm_last_error(), "RTM_ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN") != NULL);
  CHECK_EQ_INT(rtm_client_set_local_user_attributes(&rid, NULL, two, 2), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_set_local_user_attributes(&rid, a.client, NULL, 2), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_add_or_update_local_user_attributes(&rid, a.client, NULL, 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_delete_local_user_attributes_by_keys(&rid, a.client, NULL, 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_clear_local_user_attributes(&rid, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_get_user_attributes(&rid, NULL, "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_get_user_attributes_by_keys(&rid, a.client, "x", NULL, 3), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_set_channel_attributes(&rid, a.client, "attrs", two, 2, &bad_opts), RTM_ERR_UNSUPPORTED_VERSION);
  CHECK_EQ_INT(rtm_client_add_or_update_channel_attributes(&rid, a.client, "attrs", NULL, 2, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_delete_channel_attributes_by_keys(&rid, a.client, "attrs", mode, 1, &bad_opts),
               RTM_ERR_UNSUPPORTED_VERSION);
  CHECK_EQ_INT(rtm_client_clear_channel_attributes(&rid, a.client, "attrs", &bad_opts), RTM_ERR_UNSUPPORTED_VERSION);
  CHECK_EQ_INT(rtm_client_get_channel_attributes(&rid, NULL, "attrs"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_get_channel_attributes_by_keys(&rid, a.client, "attrs", NULL, 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_get_channel_member_count(&rid, a.client, NULL, 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_get_channel_member_count(&rid, a.client, chans, 2),
               RTM_GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN);

  REQUIRE(t_login(&a, NULL, "alice"));
  REQUIRE(t_login(&b, NULL, "bob"));

  /* user attributes: set, add_or_update, delete, get, get by keys, clear */
  CHECK_EQ_INT(rtm_client_set_local_user_attributes(&rid, a.client, two, 2), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_SET_USER, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_EQ_INT(rtm_client_add_or_update_local_user_attributes(&rid, a.client, upd, 2), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_ADD_USER, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_EQ_INT(rtm_client_delete_local_user_attributes_by_keys(&rid, a.client, k1, 1), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_DEL_USER, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_EQ_INT(rtm_client_set_local_user_attributes(&rid, a.client, empty_value, 1), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_SET_USER, rid), RTM_ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_get_user_attributes(&rid, b.client, "alice"), RTM_OK);
  REQUIRE(t_wait(&b, t_p_nua, 1, 10000));
  CHECK_EQ_INT(b.ua_rid[0], rid);
  CHECK_EQ_INT(b.ua_code[0], RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_STR(b.ua_user[0], "alice");
  CHECK_STR(b.ua_text[0], "k2=v2b,k3=v3");
  CHECK_EQ_INT(rtm_client_get_user_attributes_by_keys(&rid, b.client, "alice", k3, 2), RTM_OK);
  REQUIRE(t_wait(&b, t_p_nua, 2, 10000));
  CHECK_EQ_INT(b.ua_rid[1], rid);
  CHECK_STR(b.ua_text[1], "k3=v3");
  CHECK_EQ_INT(rtm_client_get_user_attributes(&rid, b.client, "nobody"), RTM_OK);
  REQUIRE(t_wait(&b, t_p_nua, 3, 10000));
  CHECK_EQ_INT(b.ua_code[2], RTM_ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND);
  CHECK_EQ_INT(rtm_client_clear_local_user_attributes(&rid, a.client), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_CLEAR_USER, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_EQ_INT(rtm_client_get_user_attributes(&rid, b.client, "alice"), RTM_OK);
  REQUIRE(t_wait(&b, t_p_nua, 4, 10000));
  CHECK_STR(b.ua_text[3], "");
  CHECK_EQ_INT(b.ua_code[3], RTM_ATTRIBUTE_OPERATION_ERR_OK);

  /* channel attributes: bob is in the channel, alice writes from outside */
  REQUIRE(rtm_client_create_channel(&chb, b.client, "attrs", NULL) == RTM_OK);
  CHECK_EQ_INT(rtm_channel_join(chb), RTM_OK);
  REQUIRE(t_wait(&b, t_p_ch_join_success, 1, 10000));
  CHECK_EQ_INT(rtm_client_set_channel_attributes(&rid, a.client, "attrs", chattrs, 2, NULL), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_SET_CH, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_EQ_INT(rtm_client_add_or_update_channel_attributes(&rid, a.client, "attrs", topic2, 1, &notify), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_ADD_CH, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  REQUIRE(t_wait(&b, t_p_nch_attrs, 1, 10000)); /* only the notified write is announced */
  CHECK_STR(b.ch_attrs[0], "mode=m@alice,topic=t2@alice");
  pthread_mutex_lock(&b.mu);
  CHECK(b.ch_last == chb);
  pthread_mutex_unlock(&b.mu);
  CHECK_EQ_INT(rtm_client_delete_channel_attributes_by_keys(&rid, a.client, "attrs", mode, 1, &notify), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_DEL_CH, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  REQUIRE(t_wait(&b, t_p_nch_attrs, 2, 10000));
  CHECK_STR(b.ch_attrs[1], "topic=t2@alice");
  CHECK_EQ_INT(rtm_client_get_channel_attributes(&rid, b.client, "attrs"), RTM_OK);
  REQUIRE(t_wait(&b, t_p_nca, 1, 10000));
  CHECK_EQ_INT(b.ca_rid[0], rid);
  CHECK_EQ_INT(b.ca_code[0], RTM_ATTRIBUTE_OPERATION_ERR_OK);
  CHECK_STR(b.ca_text[0], "topic=t2@alice");
  CHECK_EQ_INT(rtm_client_get_channel_attributes_by_keys(&rid, b.client, "attrs", none, 1), RTM_OK);
  REQUIRE(t_wait(&b, t_p_nca, 2, 10000));
  CHECK_STR(b.ca_text[1], "");
  CHECK_EQ_INT(rtm_client_set_channel_attributes(&rid, a.client, "bad/channel", two, 2, NULL),
               RTM_ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_clear_channel_attributes(&rid, a.client, "attrs", &notify), RTM_OK);
  CHECK_EQ_INT(t_attr_code(&a, T_ATTR_CLEAR_CH, rid), RTM_ATTRIBUTE_OPERATION_ERR_OK);
  REQUIRE(t_wait(&b, t_p_nch_attrs, 3, 10000));
  CHECK_STR(b.ch_attrs[2], "");

  /* member counts */
  CHECK_EQ_INT(rtm_client_get_channel_member_count(&rid, a.client, chans, 2), RTM_OK);
  REQUIRE(t_wait(&a, t_p_nmc, 1, 10000));
  CHECK_EQ_INT(a.mc_rid[0], rid);
  CHECK_EQ_INT(a.mc_code[0], RTM_GET_CHANNEL_MEMBER_COUNT_ERR_OK);
  CHECK_STR(a.mc_text[0], "attrs:1,empty:0");
  CHECK_EQ_INT(rtm_client_get_channel_member_count(&rid, a.client, NULL, 0), RTM_GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT);

  CHECK_EQ_INT(rtm_channel_destroy(chb), RTM_OK);
  t_destroy(&a);
  t_destroy(&b);
  t_rec_fini(&a);
  t_rec_fini(&b);
  t_server_stop(&s);
}

/* ---- call invitations (0.2) ------------------------------------------------------------------------------ */

/* Waits until r has an invitation event equal to `ev`. */
static int t_has_inv(t_rec *r, const char *ev, int timeout_ms) {
  int64_t deadline = t_now_ms() + timeout_ms;
  for (;;) {
    int i, found = 0;
    pthread_mutex_lock(&r->mu);
    for (i = 0; i < r->ninv && !found; ++i) found = strcmp(r->inv_events[i], ev) == 0;
    pthread_mutex_unlock(&r->mu);
    if (found) return 1;
    if (t_now_ms() >= deadline) return 0;
    t_pump(10);
  }
}

static int t_has_invf(t_rec *r, int timeout_ms, const char *fmt, ...) {
  char ev[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ev, sizeof ev, fmt, ap);
  va_end(ap);
  if (t_has_inv(r, ev, timeout_ms)) return 1;
  fprintf(stderr, "no invitation event %s\n", ev);
  return 0;
}

static void test_invitations(void) {
  t_server s;
  t_rec a, b;
  rtm_local_invitation_t *li = NULL, *li2 = NULL, *li3 = NULL, *li4 = NULL, *li5 = NULL, *copy = NULL;
  rtm_remote_invitation_t *ri = NULL;
  char buf[64];
  size_t n;
  long long id;

  t_server_start(&s, 0, "", 0, "rate_limits", "off", "invitation_offline_ms", "300", "invitation_expire_ms", "3000",
                 (const char *)NULL);
  t_rec_init(&a, "caller");
  t_rec_init(&b, "callee");
  t_client(&a, s.url, "app", g_poll);
  t_client(&b, s.url, "app", g_poll);
  t_pump_add(&a);
  t_pump_add(&b);

  /* creation and the local getters/setters */
  CHECK_EQ_INT(rtm_client_create_local_invitation(&li, a.client, "bad/id"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_create_local_invitation(&li, NULL, "callee"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_create_local_invitation(NULL, a.client, "callee"), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_client_create_local_invitation(&li, a.client, "callee") == RTM_OK);
  CHECK_STR(rtm_local_invitation_callee_id(li), "callee");
  CHECK(rtm_local_invitation_id(li) != 0);
  CHECK_EQ_INT(rtm_local_invitation_state(li), RTM_LOCAL_INVITATION_STATE_IDLE);
  CHECK_EQ_INT(rtm_local_invitation_set_content(li, "ring"), RTM_OK);
  CHECK_EQ_INT(rtm_local_invitation_set_channel_id(li, "call-1"), RTM_OK);
  n = sizeof buf;
  CHECK_EQ_INT(rtm_local_invitation_content(buf, &n, li), RTM_OK);
  CHECK_STR(buf, "ring");
  n = sizeof buf;
  CHECK_EQ_INT(rtm_local_invitation_channel_id(buf, &n, li), RTM_OK);
  CHECK_STR(buf, "call-1");
  n = 2;
  CHECK_EQ_INT(rtm_local_invitation_channel_id(buf, &n, li), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK_EQ_INT(n, 7);
  n = sizeof buf;
  CHECK_EQ_INT(rtm_local_invitation_response(buf, &n, li), RTM_OK);
  CHECK_STR(buf, "");
  CHECK(rtm_local_invitation_callee_id(NULL) == NULL);
  CHECK_EQ_INT(rtm_local_invitation_id(NULL), 0);
  CHECK_EQ_INT(rtm_local_invitation_state(NULL), 0);
  CHECK_EQ_INT(rtm_local_invitation_set_content(NULL, "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_local_invitation_set_channel_id(NULL, "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_local_invitation_content(buf, &n, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_local_invitation_copy(&copy, NULL), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_local_invitation_copy(&copy, li) == RTM_OK);
  CHECK_EQ_INT(rtm_local_invitation_id(copy), rtm_local_invitation_id(li));
  rtm_local_invitation_destroy(copy);
  rtm_local_invitation_destroy(NULL);
  CHECK_EQ_INT(rtm_client_send_local_invitation(NULL, li), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, NULL), RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK(strstr(rtm_last_error(), "RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT") != NULL);
  CHECK_EQ_INT(rtm_client_cancel_local_invitation(NULL, li), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_cancel_local_invitation(a.client, NULL), RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_cancel_local_invitation(a.client, li), RTM_INVITATION_API_CALL_ERR_NOT_STARTED);
  CHECK_EQ_INT(rtm_client_accept_remote_invitation(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_accept_remote_invitation(b.client, NULL), RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_client_refuse_remote_invitation(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_refuse_remote_invitation(b.client, NULL), RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ_INT(rtm_remote_invitation_copy(&ri, NULL), RTM_ERR_INVALID_ARG);
  CHECK(rtm_remote_invitation_caller_id(NULL) == NULL);
  CHECK(rtm_remote_invitation_content(NULL) == NULL);
  CHECK(rtm_remote_invitation_channel_id(NULL) == NULL);
  CHECK_EQ_INT(rtm_remote_invitation_id(NULL), 0);
  CHECK_EQ_INT(rtm_remote_invitation_state(NULL), 0);
  CHECK_EQ_INT(rtm_remote_invitation_set_response(NULL, "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_remote_invitation_response(buf, &n, NULL), RTM_ERR_INVALID_ARG);
  rtm_remote_invitation_destroy(NULL);

  REQUIRE(t_login(&a, NULL, "caller"));

  /* callee offline: local_invitation_failure(PEER_OFFLINE) */
  REQUIRE(rtm_client_create_local_invitation(&li5, a.client, "callee") == RTM_OK);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, li5), RTM_OK);
  CHECK(t_has_invf(&a, 10000, "local_failure:%lld:%d", (long long)rtm_local_invitation_id(li5),
                   RTM_LOCAL_INVITATION_ERR_PEER_OFFLINE));
  CHECK_EQ_INT(rtm_local_invitation_state(li5), RTM_LOCAL_INVITATION_STATE_FAILURE);

  REQUIRE(t_login(&b, NULL, "callee"));

  /* 1. accepted after the callback, on a copy, with a response */
  id = (long long)rtm_local_invitation_id(li);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, li), RTM_OK);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, li), RTM_INVITATION_API_CALL_ERR_ALREADY_SENT);
  REQUIRE(t_has_invf(&b, 10000, "remote_received:%lld:caller:ring:call-1:%d", id,
                     RTM_REMOTE_INVITATION_STATE_INVITATION_RECEIVED));
  CHECK(t_has_invf(&a, 10000, "local_received:%lld:%d", id, RTM_LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE));
  pthread_mutex_lock(&b.mu);
  ri = b.remote_kept[0];
  pthread_mutex_unlock(&b.mu);
  CHECK_EQ_INT(rtm_remote_invitation_id(ri), id);
  CHECK_STR(rtm_remote_invitation_caller_id(ri), "caller");
  CHECK_STR(rtm_remote_invitation_content(ri), "ring");
  CHECK_STR(rtm_remote_invitation_channel_id(ri), "call-1");
  CHECK_EQ_INT(rtm_remote_invitation_set_response(ri, "see you"), RTM_OK);
  n = sizeof buf;
  CHECK_EQ_INT(rtm_remote_invitation_response(buf, &n, ri), RTM_OK);
  CHECK_STR(buf, "see you");
  CHECK_EQ_INT(rtm_client_accept_remote_invitation(b.client, ri), RTM_OK);
  CHECK(t_has_invf(&a, 10000, "local_accepted:%lld:see you", id));
  CHECK(t_has_invf(&b, 10000, "remote_accepted:%lld:%d", id, RTM_REMOTE_INVITATION_STATE_ACCEPTED));
  CHECK_EQ_INT(rtm_local_invitation_state(li), RTM_LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
  n = sizeof buf;
  CHECK_EQ_INT(rtm_local_invitation_response(buf, &n, li), RTM_OK);
  CHECK_STR(buf, "see you");
  CHECK_EQ_INT(rtm_remote_invitation_state(ri), RTM_REMOTE_INVITATION_STATE_ACCEPTED);
  CHECK_EQ_INT(rtm_client_refuse_remote_invitation(b.client, ri), RTM_INVITATION_API_CALL_ERR_ALREADY_ACCEPT);
  CHECK_EQ_INT(rtm_client_cancel_local_invitation(a.client, li), RTM_INVITATION_API_CALL_ERR_ALREADY_END);
  pthread_mutex_lock(&a.mu); /* the copy kept by the callback follows the same invitation */
  CHECK_EQ_INT(rtm_local_invitation_state(a.local_kept[0]), RTM_LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
  pthread_mutex_unlock(&a.mu);

  /* 2. refused inside the callback, on the borrowed handle */
  b.inv_answer = 2;
  REQUIRE(rtm_client_create_local_invitation(&li2, a.client, "callee") == RTM_OK);
  id = (long long)rtm_local_invitation_id(li2);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, li2), RTM_OK);
  CHECK(t_has_invf(&a, 10000, "local_refused:%lld:no", id));
  CHECK(t_has_invf(&b, 10000, "remote_refused:%lld:%d", id, RTM_REMOTE_INVITATION_STATE_REFUSED));
  CHECK_EQ_INT(rtm_local_invitation_state(li2), RTM_LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE);

  /* 3. canceled by the caller */
  b.inv_answer = 0;
  REQUIRE(rtm_client_create_local_invitation(&li3, a.client, "callee") == RTM_OK);
  id = (long long)rtm_local_invitation_id(li3);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, li3), RTM_OK);
  CHECK(t_has_invf(&a, 10000, "local_received:%lld:%d", id, RTM_LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE));
  CHECK_EQ_INT(rtm_client_cancel_local_invitation(a.client, li3), RTM_OK);
  CHECK(t_has_invf(&a, 10000, "local_canceled:%lld", id));
  CHECK(t_has_invf(&b, 10000, "remote_canceled:%lld:%d", id, RTM_REMOTE_INVITATION_STATE_CANCELED));
  CHECK_EQ_INT(rtm_local_invitation_state(li3), RTM_LOCAL_INVITATION_STATE_CANCELED);

  /* 4. no answer: expired on both sides */
  REQUIRE(rtm_client_create_local_invitation(&li4, a.client, "callee") == RTM_OK);
  id = (long long)rtm_local_invitation_id(li4);
  CHECK_EQ_INT(rtm_client_send_local_invitation(a.client, li4), RTM_OK);
  CHECK(t_has_invf(&a, 15000, "local_failure:%lld:%d", id, RTM_LOCAL_INVITATION_ERR_INVITATION_EXPIRE));
  CHECK(t_has_invf(&b, 15000, "remote_failure:%lld:%d", id, RTM_REMOTE_INVITATION_ERR_INVITATION_EXPIRE));

  CHECK_EQ_INT(a.concurrent, 0);
  rtm_local_invitation_destroy(li);
  rtm_local_invitation_destroy(li2);
  rtm_local_invitation_destroy(li3);
  t_destroy(&a);
  t_destroy(&b);
  rtm_local_invitation_destroy(li4); /* an owned handle may outlive its client */
  rtm_local_invitation_destroy(li5);
  t_rec_fini(&a);
  t_rec_fini(&b);
  t_server_stop(&s);
}

typedef struct test_case {
  const char *name;
  void (*fn)(void);
} test_case;

static const test_case kTests[] = {
    {"login_logout", test_login_logout},
    {"peer_messages", test_peer_messages},
    {"tokens", test_tokens},
    {"token_expired", test_token_expired},
    {"destroy_in_flight", test_destroy_in_flight},
    {"destroy_from_callback", test_destroy_from_callback},
    {"user_data", test_user_data},
    {"dispatch", test_dispatch},
    {"tls", test_tls},
    {"channels", test_channels},
    {"presence", test_presence},
    {"attributes", test_attributes},
    {"invitations", test_invitations},
};

int main(int argc, char **argv) {
  size_t i;
  char name[128];
  if (argc != 3 || (strcmp(argv[2], "thread") != 0 && strcmp(argv[2], "poll") != 0)) {
    fprintf(stderr, "usage: %s TEST thread|poll\ntests:", argv[0]);
    for (i = 0; i < sizeof kTests / sizeof kTests[0]; ++i) fprintf(stderr, " %s", kTests[i].name);
    fprintf(stderr, "\n");
    return 2;
  }
  g_poll = strcmp(argv[2], "poll") == 0;
  REQUIRE(rtm_check_compat() == RTM_OK);
  REQUIRE(rtm_set_log_level("error") == RTM_OK);
  for (i = 0; i < sizeof kTests / sizeof kTests[0]; ++i) {
    if (strcmp(argv[1], kTests[i].name) != 0) continue;
    kTests[i].fn();
    snprintf(name, sizeof name, "%s (%s)", argv[1], argv[2]);
    return t_finish(name);
  }
  fprintf(stderr, "unknown test %s\n", argv[1]);
  return 2;
}
