/* Tests of the C API that need no server: versions, errors, configuration, messages, tokens, and the
 * client's synchronous refusals. */
#include "testutil.h"

static void test_version(void) {
  CHECK_EQ_INT(rtm_version(), RTM_VERSION_NUMBER);
  CHECK_STR(rtm_version_str(), RTM_VERSION_STRING);
  CHECK_EQ_INT(rtm_abi_version(), RTM_ABI_VERSION);
  CHECK(RTM_CHECK_VERSION(0, 0, 1));
  CHECK(RTM_CHECK_VERSION(RTM_VERSION_MAJOR, RTM_VERSION_MINOR, RTM_VERSION_PATCH));
  CHECK(!RTM_CHECK_VERSION(RTM_VERSION_MAJOR + 1, 0, 0));
  CHECK_EQ_INT(rtm_check_compat(), RTM_OK);
  CHECK_EQ_INT(rtm_last_error()[0], 0);
  CHECK_EQ_INT(rtm_check_compat_impl(RTM_ABI_VERSION + 1, RTM_VERSION_NUMBER), RTM_ERR_INCOMPATIBLE);
  CHECK(strstr(rtm_last_error(), "ABI") != NULL);
  CHECK_EQ_INT(rtm_check_compat_impl(RTM_ABI_VERSION, RTM_VERSION_NUMBER + 1), RTM_ERR_INCOMPATIBLE);
  CHECK_EQ_INT(rtm_check_compat_impl(RTM_ABI_VERSION, 0), RTM_OK);
  CHECK_EQ_INT(rtm_last_error()[0], 0);
}

static void test_errors(void) {
  const rtm_result_t *codes = NULL;
  const int32_t *ops = NULL;
  size_t n = 0, i, j;
  int op;
  REQUIRE(rtm_get_err_codes(&codes, &n) == RTM_OK);
  CHECK(n >= 12);
  CHECK_EQ_INT(codes[0], RTM_OK);
  for (i = 0; i < n; ++i) {
    CHECK(codes[i] <= 0 && codes[i] > -1000);
    CHECK(strncmp(rtm_err2name(codes[i]), "RTM_", 4) == 0);
    CHECK(strlen(rtm_err2str(codes[i])) > 0);
    CHECK(strcmp(rtm_err2name(codes[i]), "RTM_ERR_UNKNOWN") != 0);
    for (j = 0; j < i; ++j) CHECK(codes[i] != codes[j]);
  }
  /* the numbers are part of the ABI */
  CHECK_EQ_INT(RTM_ERR_INVALID_ARG, -1);
  CHECK_EQ_INT(RTM_ERR_NO_MEMORY, -2);
  CHECK_EQ_INT(RTM_ERR_INTERNAL, -3);
  CHECK_EQ_INT(RTM_ERR_INVALID_STATE, -4);
  CHECK_EQ_INT(RTM_ERR_BUFFER_TOO_SMALL, -5);
  CHECK_EQ_INT(RTM_ERR_UNKNOWN_KEY, -6);
  CHECK_EQ_INT(RTM_ERR_INVALID_VALUE, -7);
  CHECK_EQ_INT(RTM_ERR_INCOMPATIBLE, -8);
  CHECK_EQ_INT(RTM_ERR_TOKEN, -9);
  CHECK_EQ_INT(RTM_ERR_SERVER_START, -10);
  CHECK_EQ_INT(RTM_ERR_UNSUPPORTED_VERSION, -11);
  CHECK_STR(rtm_err2name(RTM_ERR_INVALID_STATE), "RTM_ERR_INVALID_STATE");
  CHECK_STR(rtm_err2name(-999), "RTM_ERR_UNKNOWN");
  CHECK_STR(rtm_err2str(-999), "unknown error");
  CHECK_STR(rtm_err2name(8), "RTM_OP_RESULT");
  CHECK(strstr(rtm_err2str(8), "rtm_op_err2name") != NULL);
  CHECK_EQ_INT(rtm_get_err_codes(NULL, &n), RTM_ERR_INVALID_ARG);
  CHECK(strlen(rtm_last_error()) > 0);

  for (op = RTM_OP_LOGIN; op <= RTM_OP_INVITATION_API_CALL; ++op) {
    REQUIRE(rtm_get_op_err_codes(&ops, &n, (rtm_op_t)op) == RTM_OK);
    CHECK(n >= 4);
    CHECK_EQ_INT(ops[0], 0);
    for (i = 0; i < n; ++i) CHECK(strncmp(rtm_op_err2name((rtm_op_t)op, ops[i]), "RTM_", 4) == 0);
    CHECK_STR(rtm_op_err2name((rtm_op_t)op, 55), "?");
  }
  CHECK_EQ_INT(rtm_get_op_err_codes(&ops, &n, (rtm_op_t)99), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_get_op_err_codes(NULL, &n, RTM_OP_LOGIN), RTM_ERR_INVALID_ARG);
  CHECK_STR(rtm_op_err2name(RTM_OP_LOGIN, 8), "RTM_LOGIN_ERR_ALREADY_LOGGED_IN");
  CHECK_STR(rtm_op_err2name(RTM_OP_LOGOUT, 102), "RTM_LOGOUT_ERR_USER_NOT_LOGGED_IN");
  CHECK_STR(rtm_op_err2name(RTM_OP_RENEW_TOKEN, 6), "RTM_RENEW_TOKEN_ERR_INVALID_TOKEN");
  CHECK_STR(rtm_op_err2name(RTM_OP_SEND_PEER_MESSAGE, 4), "RTM_PEER_MESSAGE_ERR_CACHED_BY_SERVER");
  CHECK_STR(rtm_op_err2name((rtm_op_t)99, 0), "?");
  CHECK_STR(rtm_connection_state_name(RTM_CONNECTION_STATE_ABORTED), "RTM_CONNECTION_STATE_ABORTED");
  CHECK_STR(rtm_connection_state_name((rtm_connection_state_t)0), "?");
  CHECK_STR(rtm_connection_change_reason_name(RTM_CONNECTION_CHANGE_REASON_TOKEN_EXPIRED),
            "RTM_CONNECTION_CHANGE_REASON_TOKEN_EXPIRED");
  CHECK_STR(rtm_connection_change_reason_name((rtm_connection_change_reason_t)77), "?");

  CHECK_EQ_INT(rtm_set_log_level("warn"), RTM_OK);
  CHECK_EQ_INT(rtm_set_log_level("loud"), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_set_log_level(NULL), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_set_log_level("error"), RTM_OK);
  rtm_free(NULL);
}

static void check_conf_value(const rtm_conf_t *conf, const char *key, const char *want) {
  char buf[256];
  size_t n = sizeof buf;
  CHECK_EQ_INT(rtm_conf_get(buf, &n, conf, key), RTM_OK);
  CHECK_STR(buf, want);
  CHECK_EQ_INT(n, strlen(want) + 1);
}

static void test_conf(void) {
  rtm_conf_t *conf = NULL;
  char err[256], small[8], buf[64];
  size_t n;
  static const char *const keys[][2] = {
      {"app_id", "myapp"},
      {"url", "wss://example.com:443/rtm"},
      {"ca_file", "/etc/ssl/ca.pem"},
      {"tls_insecure_skip_verify", "true"},
      {"login_timeout_ms", "7000"},
      {"request_timeout_ms", "11000"},
      {"idle_timeout_ms", "9000"},
      {"connect_timeout_ms", "4000"},
      {"reconnect_min_ms", "300"},
      {"reconnect_max_ms", "9000"},
      {"max_outbound_bytes", "1048576"},
      {"max_pending_events", "1024"},
      {"dedup_window", "100"},
      {"callback.dispatch", "poll"},
  };
  size_t i;
  CHECK_EQ_INT(rtm_conf_new(NULL), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  /* defaults */
  check_conf_value(conf, "url", "ws://127.0.0.1:9600");
  check_conf_value(conf, "app_id", "");
  check_conf_value(conf, "callback.dispatch", "thread");
  check_conf_value(conf, "login_timeout_ms", "6000");
  check_conf_value(conf, "tls_insecure_skip_verify", "false");
  check_conf_value(conf, "max_pending_events", "65536");
  for (i = 0; i < sizeof keys / sizeof keys[0]; ++i) {
    CHECK_EQ_INT(rtm_conf_set(conf, keys[i][0], keys[i][1], err, sizeof err), RTM_OK);
    check_conf_value(conf, keys[i][0], keys[i][1]);
  }
  check_conf_value(conf, "dispatch", "poll");
  CHECK_EQ_INT(rtm_conf_set(conf, "dispatch", "thread", err, sizeof err), RTM_OK);
  check_conf_value(conf, "callback.dispatch", "thread");
  CHECK_EQ_INT(rtm_conf_set(conf, "tls_insecure_skip_verify", "0", err, sizeof err), RTM_OK);
  check_conf_value(conf, "tls_insecure_skip_verify", "false");

  /* errors go to the return value, errstr and rtm_last_error */
  err[0] = 0;
  CHECK_EQ_INT(rtm_conf_set(conf, "no.such.key", "1", err, sizeof err), RTM_ERR_UNKNOWN_KEY);
  CHECK(strstr(err, "no.such.key") != NULL);
  CHECK_STR(err, rtm_last_error());
  CHECK_EQ_INT(rtm_conf_set(conf, "login_timeout_ms", "0", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "login_timeout_ms", "12x", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "login_timeout_ms", "-5", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "login_timeout_ms", "99999999999999999999999", err, sizeof err),
               RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "max_pending_events", "1", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "tls_insecure_skip_verify", "yes please", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "url", "http://example.com", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_conf_set(conf, "callback.dispatch", "fibers", err, sizeof err), RTM_ERR_INVALID_VALUE);
  check_conf_value(conf, "login_timeout_ms", "7000"); /* unchanged by the failures */
  /* errstr is truncated and terminated; NULL errstr is fine */
  CHECK_EQ_INT(rtm_conf_set(conf, "no.such.key", "1", small, sizeof small), RTM_ERR_UNKNOWN_KEY);
  CHECK_EQ_INT(strlen(small), sizeof small - 1);
  CHECK_EQ_INT(rtm_conf_set(conf, "no.such.key", "1", NULL, 0), RTM_ERR_UNKNOWN_KEY);
  CHECK_EQ_INT(rtm_conf_set(NULL, "app_id", "x", err, sizeof err), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set(conf, NULL, "x", err, sizeof err), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set(conf, "app_id", NULL, err, sizeof err), RTM_ERR_INVALID_ARG);

  /* get: size protocol */
  n = 0;
  CHECK_EQ_INT(rtm_conf_get(NULL, &n, conf, "app_id"), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK_EQ_INT(n, 6);
  n = 5;
  strcpy(buf, "untouched");
  CHECK_EQ_INT(rtm_conf_get(buf, &n, conf, "app_id"), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK_STR(buf, "untouched");
  CHECK_EQ_INT(n, 6);
  n = 6;
  CHECK_EQ_INT(rtm_conf_get(buf, &n, conf, "app_id"), RTM_OK);
  CHECK_STR(buf, "myapp");
  CHECK_EQ_INT(rtm_conf_get(buf, NULL, conf, "app_id"), RTM_ERR_INVALID_ARG);
  n = sizeof buf;
  CHECK_EQ_INT(rtm_conf_get(buf, &n, conf, "nope"), RTM_ERR_UNKNOWN_KEY);
  CHECK_EQ_INT(rtm_conf_get(buf, &n, NULL, "app_id"), RTM_ERR_INVALID_ARG);

  /* callback setters reject a NULL conf and accept NULL callbacks */
  CHECK_EQ_INT(rtm_conf_set_connection_state_changed_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_login_success_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_login_failure_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_logout_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_renew_token_result_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_token_expired_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_token_privilege_will_expire_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_send_message_result_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_message_received_from_peer_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_thread_start_cb(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_user_data(NULL, NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_conf_set_login_success_cb(conf, NULL), RTM_OK);
  rtm_conf_destroy(conf);
  rtm_conf_destroy(NULL);
}

static void check_server_value(const rtm_server_conf_t *conf, const char *key, const char *want) {
  char buf[256];
  size_t n = sizeof buf;
  CHECK_EQ_INT(rtm_server_conf_get(buf, &n, conf, key), RTM_OK);
  CHECK_STR(buf, want);
}

static void test_server_conf(void) {
  rtm_server_conf_t *conf = NULL;
  rtm_server_t *server = NULL;
  char err[256], buf[8];
  size_t n;
  static const char *const keys[][2] = {
      {"tls_cert_file", "/c.pem"},      {"tls_key_file", "/k.pem"},        {"data_dir", "/tmp/x"},
      {"dev", "true"},                  {"io_threads", "3"},               {"log_level", "warn"},
      {"offline_max_per_user", "50"},   {"offline_ttl_seconds", "3600"},   {"store_sync", "false"},
      {"outbound_queue_bytes", "1024"}, {"max_frame_bytes", "4096"},       {"max_pending_requests", "10"},
      {"idle_timeout_ms", "5000"},      {"login_timeout_ms", "5000"},      {"peer_timeout_ms", "5000"},
      {"grace_ms", "100"},              {"recovery_messages", "7"},        {"recovery_age_ms", "1000"},
      {"member_count_interval_ms", "5"},{"member_events_max", "9"},        {"channel_attr_ttl_ms", "11"},
      {"housekeeping_interval_ms", "1"},
      {"invitation_offline_ms", "12"},  {"invitation_ack_ms", "13"},       {"invitation_expire_ms", "14"},
      {"token_warning_ms", "15"},       {"rate_limits.messages.count", "100000"},
      {"rate_limits.messages.window_ms", "1000"},                          {"rate_limits.login.count", "0"},
      {"rate_limits.channel_attr_read.window_ms", "99"},
  };
  size_t i;
  CHECK_EQ_INT(rtm_server_conf_new(NULL), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_server_conf_new(&conf) == RTM_OK);
  check_server_value(conf, "listen", "");
  check_server_value(conf, "apps", "");
  check_server_value(conf, "data_dir", "rtmd-data");
  check_server_value(conf, "store_sync", "true");
  check_server_value(conf, "rate_limits.login.count", "2");
  check_server_value(conf, "rate_limits.messages.window_ms", "3000");
  for (i = 0; i < sizeof keys / sizeof keys[0]; ++i) {
    CHECK_EQ_INT(rtm_server_conf_set(conf, keys[i][0], keys[i][1], err, sizeof err), RTM_OK);
    check_server_value(conf, keys[i][0], keys[i][1]);
  }
  CHECK_EQ_INT(rtm_server_conf_set(conf, "listen", "9000, wss://127.0.0.1:9001,ws://10.0.0.1:0", err, sizeof err),
               RTM_OK);
  check_server_value(conf, "listen", "ws://0.0.0.0:9000,wss://127.0.0.1:9001,ws://10.0.0.1:0");
  CHECK_EQ_INT(rtm_server_conf_set(conf, "listen.add", "wss://1.2.3.4:5", err, sizeof err), RTM_OK);
  check_server_value(conf, "listen", "ws://0.0.0.0:9000,wss://127.0.0.1:9001,ws://10.0.0.1:0,wss://1.2.3.4:5");
  CHECK_EQ_INT(rtm_server_conf_set(conf, "listen", "127.0.0.1:0", err, sizeof err), RTM_OK);
  check_server_value(conf, "listen", "ws://127.0.0.1:0");
  CHECK_EQ_INT(rtm_server_conf_set(conf, "apps", "a1:cert1, a2", err, sizeof err), RTM_OK);
  check_server_value(conf, "apps", "a1:cert1,a2");
  CHECK_EQ_INT(rtm_server_conf_set(conf, "apps.add", "a3:c3", err, sizeof err), RTM_OK);
  check_server_value(conf, "apps", "a1:cert1,a2,a3:c3");
  CHECK_EQ_INT(rtm_server_conf_set(conf, "apps", "", err, sizeof err), RTM_OK);
  check_server_value(conf, "apps", "");

  CHECK_EQ_INT(rtm_server_conf_set(conf, "listen", "ws://host:notaport", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK(strstr(err, "listen") != NULL);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "listen", "1.2.3.4:70000", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "apps", ":cert", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "dev", "maybe", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "store_sync", "maybe", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "log_level", "loud", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "io_threads", "100000", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "rate_limits.messages.window_ms", "0", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "rate_limits.nosuch.count", "1", err, sizeof err), RTM_ERR_UNKNOWN_KEY);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "rate_limits.login.burst", "1", err, sizeof err), RTM_ERR_UNKNOWN_KEY);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "rate_limits", "on", err, sizeof err), RTM_ERR_INVALID_VALUE);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "rate_limits", "off", err, sizeof err), RTM_OK);
  check_server_value(conf, "rate_limits.messages.count", "0");
  check_server_value(conf, "rate_limits.join.count", "0");
  check_server_value(conf, "rate_limits.messages.window_ms", "1000");
  CHECK_EQ_INT(rtm_server_conf_set(conf, "unknown", "1", err, sizeof err), RTM_ERR_UNKNOWN_KEY);
  CHECK(strstr(err, "unknown") != NULL);
  CHECK_EQ_INT(rtm_server_conf_set(NULL, "dev", "true", err, sizeof err), RTM_ERR_INVALID_ARG);
  check_server_value(conf, "listen", "ws://127.0.0.1:0");
  n = 2;
  CHECK_EQ_INT(rtm_server_conf_get(buf, &n, conf, "data_dir"), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK_EQ_INT(n, 7);
  n = sizeof buf;
  CHECK_EQ_INT(rtm_server_conf_get(buf, &n, conf, "nope"), RTM_ERR_UNKNOWN_KEY);
  CHECK_EQ_INT(rtm_server_conf_get(buf, &n, NULL, "dev"), RTM_ERR_INVALID_ARG);

  /* a server that cannot start: its data directory cannot be created (and a zero timeout) */
  CHECK_EQ_INT(rtm_server_conf_set(conf, "data_dir", "/proc/rtmkit-cannot-exist/x", err, sizeof err), RTM_OK);
  CHECK_EQ_INT(rtm_server_conf_set(conf, "dev", "false", err, sizeof err), RTM_OK);
  CHECK_EQ_INT(rtm_server_new(NULL, conf), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_server_new(&server, NULL), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_server_new(&server, conf) == RTM_OK);
  CHECK_EQ_INT(rtm_server_start(server), RTM_ERR_SERVER_START);
  CHECK(strstr(rtm_last_error(), "rtm_server_start") != NULL);
  CHECK_EQ_INT(rtm_server_port(server, 0), 0);
  CHECK_EQ_INT(rtm_server_stop(server), RTM_OK);
  CHECK_EQ_INT(rtm_server_start(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_server_stop(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_server_port(NULL, 0), 0);
  CHECK_EQ_INT(rtm_server_connection_count(NULL), 0);
  rtm_server_destroy(server);
  rtm_server_destroy(NULL);
  rtm_server_conf_destroy(NULL);
}

static void test_server_lifecycle(void) {
  t_server s;
  uint16_t p1;
  t_server_start(&s, 0, "app1:cert", 0, (const char *)NULL);
  p1 = rtm_server_port(s.server, 0);
  CHECK(p1 > 0);
  CHECK_EQ_INT(rtm_server_port(s.server, 1), 0); /* no wss listener */
  CHECK_EQ_INT(rtm_server_connection_count(s.server), 0);
  CHECK_EQ_INT(rtm_server_start(s.server), RTM_OK); /* running: nothing happens */
  CHECK_EQ_INT(rtm_server_port(s.server, 0), p1);
  CHECK_EQ_INT(rtm_server_stop(s.server), RTM_OK);
  CHECK_EQ_INT(rtm_server_port(s.server, 0), 0);
  CHECK_EQ_INT(rtm_server_stop(s.server), RTM_OK); /* stopped: nothing happens */
  CHECK_EQ_INT(rtm_server_start(s.server), RTM_OK);
  CHECK(rtm_server_port(s.server, 0) > 0);
  t_server_stop(&s);
}

/* The log callback: lines go to it instead of stderr, with their level and component, until it is
 * reset. */
typedef struct log_seen {
  pthread_mutex_t mu;
  int lines, listening, bad_level;
} log_seen;

static void on_log(rtm_log_level_t level, const char *component, const char *message, void *ud) {
  log_seen *l = (log_seen *)ud;
  pthread_mutex_lock(&l->mu);
  ++l->lines;
  if (level < RTM_LOG_TRACE || level > RTM_LOG_ERROR) ++l->bad_level;
  if (level == RTM_LOG_INFO && strcmp(component, "server") == 0 && strstr(message, "listening on ws://127.0.0.1:"))
    ++l->listening;
  pthread_mutex_unlock(&l->mu);
}

static void test_log_callback(void) {
  t_server s;
  log_seen l;
  int after;
  memset(&l, 0, sizeof l);
  pthread_mutex_init(&l.mu, NULL);
  CHECK_EQ_INT(rtm_set_log_callback(on_log, &l), RTM_OK);
  t_server_start(&s, 0, "", 0, "log_level", "info", (const char *)NULL);
  t_server_stop(&s);
  pthread_mutex_lock(&l.mu);
  CHECK_EQ_INT(l.listening, 1);
  CHECK(l.lines >= 2); /* listening, stopped */
  CHECK_EQ_INT(l.bad_level, 0);
  after = l.lines;
  pthread_mutex_unlock(&l.mu);
  /* reset: nothing more reaches the callback */
  CHECK_EQ_INT(rtm_set_log_callback(NULL, NULL), RTM_OK);
  t_server_start(&s, 0, "", 0, "log_level", "info", (const char *)NULL);
  t_server_stop(&s);
  pthread_mutex_lock(&l.mu);
  CHECK_EQ_INT(l.lines, after);
  pthread_mutex_unlock(&l.mu);
  pthread_mutex_destroy(&l.mu);
  REQUIRE(rtm_set_log_level("error") == RTM_OK);
}

static void test_messages(void) {
  rtm_message_t *m = NULL, *c = NULL;
  rtm_send_options_t o = RTM_SEND_OPTIONS_INIT;
  size_t len = 99;
  const char *text;
  static const char bytes[3] = {'a', 0, 'b'};
  CHECK_EQ_INT(o.version, RTM_SEND_OPTIONS_VERSION);
  CHECK_EQ_INT(o.enable_offline_messaging, 0);
  o.enable_offline_messaging = 1;
  CHECK_EQ_INT(rtm_send_options_init(&o, RTM_SEND_OPTIONS_VERSION), RTM_OK);
  CHECK_EQ_INT(o.enable_offline_messaging, 0);
  CHECK_EQ_INT(rtm_send_options_init(&o, 2), RTM_ERR_UNSUPPORTED_VERSION);
  CHECK_EQ_INT(rtm_send_options_init(&o, 0), RTM_ERR_UNSUPPORTED_VERSION);
  CHECK_EQ_INT(rtm_send_options_init(NULL, 1), RTM_ERR_INVALID_ARG);

  REQUIRE(rtm_message_new_text(&m, "héllo") == RTM_OK);
  CHECK_EQ_INT(rtm_message_type(m), RTM_MESSAGE_TYPE_TEXT);
  text = rtm_message_text(m, &len);
  CHECK_STR(text, "héllo");
  CHECK_EQ_INT(len, strlen("héllo"));
  CHECK_EQ_INT(rtm_message_id(m), 0);
  CHECK_EQ_INT(rtm_message_server_received_ts(m), 0);
  CHECK_EQ_INT(rtm_message_is_offline(m), 0);
  REQUIRE(rtm_message_copy(&c, m) == RTM_OK);
  CHECK_EQ_INT(rtm_message_set_text(m, "changed"), RTM_OK);
  CHECK_STR(rtm_message_text(c, NULL), "héllo");
  CHECK_STR(rtm_message_text(m, NULL), "changed");
  rtm_message_destroy(m);
  rtm_message_destroy(c);

  REQUIRE(rtm_message_new_raw(&m, bytes, sizeof bytes) == RTM_OK);
  CHECK_EQ_INT(rtm_message_type(m), RTM_MESSAGE_TYPE_RAW);
  CHECK(memcmp(rtm_message_raw(m, &len), bytes, sizeof bytes) == 0);
  CHECK_EQ_INT(len, 3);
  CHECK_STR(rtm_message_text(m, NULL), "");
  rtm_message_destroy(m);
  REQUIRE(rtm_message_new_raw(&m, NULL, 0) == RTM_OK);
  rtm_message_raw(m, &len);
  CHECK_EQ_INT(len, 0);
  rtm_message_destroy(m);
  REQUIRE(rtm_message_new_text(&m, NULL) == RTM_OK); /* NULL text counts as "" */
  CHECK_STR(rtm_message_text(m, NULL), "");
  rtm_message_destroy(m);

  CHECK_EQ_INT(rtm_message_new_raw(&m, NULL, 5), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_message_new_raw(NULL, bytes, 3), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_message_new_text(NULL, "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_message_copy(&c, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_message_copy(NULL, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_message_set_text(NULL, "x"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_message_type(NULL), RTM_MESSAGE_TYPE_UNDEFINED);
  CHECK(rtm_message_text(NULL, &len) == NULL);
  CHECK_EQ_INT(len, 0);
  CHECK(rtm_message_raw(NULL, NULL) == NULL);
  CHECK_EQ_INT(rtm_message_id(NULL), 0);
  CHECK_EQ_INT(rtm_message_server_received_ts(NULL), 0);
  CHECK_EQ_INT(rtm_message_is_offline(NULL), 0);
  rtm_message_destroy(NULL);
}

/* Agora's published test vectors (also in tests/unit/token_test.cpp). */
static const char *K_APP = "970CA35de60c44645bbae8a215061b33";
static const char *K_CERT = "5CFd2fd1755d40ecb72977518be15d3b";
static const char *K_RTM007 =
    "007eJxTYOCdJftjyTM2zxW6Xhm/5T0j5LdcUt/xYVt48fb5Mp3PX9coMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgY"
    "mBgZABhJiBmBPM5GUpSi0viS4tTiwBZVh6A";
static const char *K_RTM006 =
    "006970CA35de60c44645bbae8a215061b33IAAsR0qgiCxv0vrpRcpkz5BrbfEWCBZ6kvR6t7qG/wJIQob86ogAAAAAEAABAAAAR/QQAAEA6AOv"
    "KDdW";

static void test_tokens(void) {
  char *t = NULL;
  char buf[RTM_TOKEN_MAX_SIZE];
  size_t n;
  CHECK_EQ_INT(rtm_token_build_007_ex(&t, K_APP, K_CERT, "test_user", 600, 1111111, 1), RTM_OK);
  CHECK_STR(t, K_RTM007);
  rtm_free(t);
  t = NULL;
  CHECK_EQ_INT(rtm_token_build_006_ex(&t, K_APP, K_CERT, "test_user", 1111111, 1, 1446455471), RTM_OK);
  CHECK_STR(t, K_RTM006);
  rtm_free(t);
  t = NULL;

  CHECK_EQ_INT(rtm_token_build_007(&t, K_APP, K_CERT, "alice", 3600), RTM_OK);
  CHECK(t && strncmp(t, "007", 3) == 0);
  n = 0;
  CHECK_EQ_INT(rtm_token_build_007_into(NULL, &n, K_APP, K_CERT, "alice", 3600), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK(n > 100 && n < 200); /* random salt and time: the length varies by a few bytes */
  n = sizeof buf;
  CHECK_EQ_INT(rtm_token_build_007_into(buf, &n, K_APP, K_CERT, "alice", 3600), RTM_OK);
  CHECK_EQ_INT(n, strlen(buf) + 1);
  CHECK(strncmp(buf, "007", 3) == 0);
  rtm_free(t);
  t = NULL;

  CHECK_EQ_INT(rtm_token_build_006(&t, K_APP, K_CERT, "alice"), RTM_OK);
  CHECK(t && strncmp(t, "006", 3) == 0);
  n = 10;
  strcpy(buf, "untouched");
  CHECK_EQ_INT(rtm_token_build_006_into(buf, &n, K_APP, K_CERT, "alice"), RTM_ERR_BUFFER_TOO_SMALL);
  CHECK(n > 100 && n < 200);
  CHECK_STR(buf, "untouched");
  CHECK(strstr(rtm_last_error(), "rtm_token_build_006_into") != NULL);
  n = RTM_TOKEN_MAX_SIZE;
  {
    char big[RTM_TOKEN_MAX_SIZE];
    CHECK_EQ_INT(rtm_token_build_006_into(big, &n, K_APP, K_CERT, "alice"), RTM_OK);
    CHECK_EQ_INT(n, strlen(big) + 1);
    CHECK(strncmp(big, "006", 3) == 0);
  }
  rtm_free(t);
  t = NULL;

  /* bad input */
  CHECK_EQ_INT(rtm_token_build_007(&t, "", K_CERT, "alice", 1), RTM_ERR_TOKEN);
  CHECK(t == NULL);
  CHECK_EQ_INT(rtm_token_build_007(&t, K_APP, NULL, "alice", 1), RTM_ERR_TOKEN);
  CHECK_EQ_INT(rtm_token_build_007(NULL, K_APP, K_CERT, "alice", 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_007_ex(&t, K_APP, K_CERT, NULL, 1, 1, 1), RTM_ERR_TOKEN);
  CHECK_EQ_INT(rtm_token_build_007_ex(NULL, K_APP, K_CERT, "a", 1, 1, 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_007_into(buf, NULL, K_APP, K_CERT, "alice", 1), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_007_into(buf, &n, K_APP, "", "alice", 1), RTM_ERR_TOKEN);
  CHECK_EQ_INT(rtm_token_build_006(&t, K_APP, K_CERT, ""), RTM_ERR_TOKEN);
  CHECK_EQ_INT(rtm_token_build_006(NULL, K_APP, K_CERT, "a"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_006_ex(&t, NULL, K_CERT, "a", 1, 1, 0), RTM_ERR_TOKEN);
  CHECK_EQ_INT(rtm_token_build_006_ex(NULL, K_APP, K_CERT, "a", 1, 1, 0), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_006_into(buf, NULL, K_APP, K_CERT, "a"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_token_build_006_into(buf, &n, K_APP, K_CERT, NULL), RTM_ERR_TOKEN);
  CHECK(strstr(rtm_last_error(), "non-empty") != NULL);
  {
    /* a user id longer than a u16 length: no token */
    char *huge = (char *)malloc(70000);
    memset(huge, 'u', 69999);
    huge[69999] = 0;
    CHECK_EQ_INT(rtm_token_build_007(&t, K_APP, K_CERT, huge, 1), RTM_ERR_TOKEN);
    free(huge);
  }
}

/* A client's synchronous refusals need no server. */
static void test_client_offline(void) {
  rtm_conf_t *conf = NULL;
  rtm_client_t *c = NULL;
  rtm_message_t *m = NULL;
  char err[128], buf[16];
  size_t n = sizeof buf;
  REQUIRE(rtm_conf_new(&conf) == RTM_OK);
  REQUIRE(rtm_conf_set(conf, "callback.dispatch", "poll", err, sizeof err) == RTM_OK);
  CHECK_EQ_INT(rtm_client_new(NULL, conf), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_new(&c, NULL), RTM_ERR_INVALID_ARG);
  REQUIRE(rtm_client_new(&c, conf) == RTM_OK);
  CHECK_EQ_INT(rtm_client_login(c, NULL, "alice"), RTM_LOGIN_ERR_INVALID_APP_ID); /* no app_id */
  CHECK_EQ_INT(rtm_client_state(c), RTM_CONNECTION_STATE_DISCONNECTED);
  CHECK_EQ_INT(rtm_client_user_id(buf, &n, c), RTM_OK);
  CHECK_STR(buf, "");
  CHECK(rtm_client_user_data(c) == NULL);
  REQUIRE(rtm_message_new_text(&m, "x") == RTM_OK);
  CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, c, "bob", m, NULL), RTM_PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ_INT(rtm_client_poll(c, 0), 0);
  CHECK_EQ_INT(rtm_client_destroy(c), RTM_OK);

  /* a NULL client */
  CHECK_EQ_INT(rtm_client_login(NULL, NULL, "a"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_logout(NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_renew_token(NULL, "t"), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_send_message_to_peer(NULL, NULL, "bob", m, NULL), RTM_ERR_INVALID_ARG);
  CHECK_EQ_INT(rtm_client_state(NULL), 0);
  CHECK_EQ_INT(rtm_client_user_id(buf, &n, NULL), RTM_ERR_INVALID_ARG);
  CHECK(rtm_client_user_data(NULL) == NULL);
  CHECK_EQ_INT(rtm_client_event_fd(NULL), -1);
  CHECK_EQ_INT(rtm_client_destroy(NULL), RTM_OK);
  rtm_message_destroy(m);
}

int main(void) {
  REQUIRE(rtm_set_log_level("error") == RTM_OK);
  test_version();
  test_errors();
  test_conf();
  test_server_conf();
  test_server_lifecycle();
  test_messages();
  test_tokens();
  test_client_offline();
  test_log_callback();
  return t_finish("capi_unit");
}
