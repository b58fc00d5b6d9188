/*
 * peer_chat — the smallest complete rtmkit program in C.
 *
 * Logs in two users, "alice" and "bob", sends a peer message from alice to bob, prints what happens
 * and exits 0 when bob received the message and alice got RTM_PEER_MESSAGE_ERR_OK.
 *
 *   peer_chat                 runs an embedded rtmd on an ephemeral port (nothing else needed)
 *   peer_chat ws://host:port  uses a running rtmd
 *
 * Environment: RTM_APP_ID (default "demo") and, when the app has a certificate, RTM_APP_CERT (tokens
 * are then minted here; a real application gets them from its back end).
 *
 * Both clients use the poll dispatch mode, so that every callback runs on this single thread, inside
 * rtm_client_poll(): no locking is needed. (In the default thread mode, callbacks run on one library
 * thread per client.)
 *
 * Build against an installed rtmkit:
 *   cc peer_chat.c $(pkg-config --cflags --libs rtmkit) -o peer_chat
 * or with CMake: find_package(rtmkit) and link rtmkit::rtmkit (see CMakeLists.txt beside this file).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rtmkit/rtmkit.h>

/* What one user has seen; passed to the callbacks as user data. */
struct user {
  const char *name;
  rtm_client_t *client;
  int connected;
  int failed;
  int64_t sent_id;
  int send_result; /* -1 until the result arrives */
  int received;
};

static void on_state(rtm_client_t *client, rtm_connection_state_t state, rtm_connection_change_reason_t reason,
                     void *user_data) {
  struct user *u = (struct user *)user_data;
  (void)client;
  printf("[%s] state %s (%s)\n", u->name, rtm_connection_state_name(state), rtm_connection_change_reason_name(reason));
  if (state == RTM_CONNECTION_STATE_CONNECTED) u->connected = 1;
}

static void on_login_failure(rtm_client_t *client, rtm_login_err_t code, void *user_data) {
  struct user *u = (struct user *)user_data;
  (void)client;
  printf("[%s] login failed: %s\n", u->name, rtm_op_err2name(RTM_OP_LOGIN, code));
  u->failed = 1;
}

static void on_send_result(rtm_client_t *client, int64_t message_id, rtm_peer_message_err_t code, void *user_data) {
  struct user *u = (struct user *)user_data;
  (void)client;
  printf("[%s] message %lld: %s\n", u->name, (long long)message_id, rtm_op_err2name(RTM_OP_SEND_PEER_MESSAGE, code));
  if (message_id == u->sent_id) u->send_result = (int)code;
}

static void on_message(rtm_client_t *client, const char *peer_id, const rtm_message_t *message, void *user_data) {
  struct user *u = (struct user *)user_data;
  (void)client;
  /* peer_id and message are borrowed: valid until this function returns (rtm_message_copy keeps one) */
  printf("[%s] message from %s: \"%s\"\n", u->name, peer_id, rtm_message_text(message, NULL));
  u->received++;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs the callbacks of both clients until *flag becomes non-zero or timeout_ms passed. */
static int wait_for(struct user *a, struct user *b, int *flag, int timeout_ms) {
  int64_t deadline = now_ms() + timeout_ms;
  while (!*flag && now_ms() < deadline && !a->failed && !b->failed) {
    rtm_client_poll(a->client, 10);
    rtm_client_poll(b->client, 10);
  }
  return *flag;
}

static int create_user(struct user *u, const char *name, const char *url, const char *app_id) {
  rtm_conf_t *conf = NULL;
  char err[256];
  memset(u, 0, sizeof *u);
  u->name = name;
  u->send_result = -1;
  if (rtm_conf_new(&conf) != RTM_OK) return 0;
  if (rtm_conf_set(conf, "app_id", app_id, err, sizeof err) != RTM_OK ||
      rtm_conf_set(conf, "url", url, err, sizeof err) != RTM_OK ||
      rtm_conf_set(conf, "callback.dispatch", "poll", err, sizeof err) != RTM_OK) {
    fprintf(stderr, "configuration: %s\n", err);
    rtm_conf_destroy(conf);
    return 0;
  }
  rtm_conf_set_connection_state_changed_cb(conf, on_state);
  rtm_conf_set_login_failure_cb(conf, on_login_failure);
  rtm_conf_set_send_message_result_cb(conf, on_send_result);
  rtm_conf_set_message_received_from_peer_cb(conf, on_message);
  rtm_conf_set_user_data(conf, u, NULL); /* u lives on main's stack: nothing to free */
  if (rtm_client_new(&u->client, conf) != RTM_OK) { /* on success the client owns conf */
    fprintf(stderr, "rtm_client_new: %s\n", rtm_last_error());
    rtm_conf_destroy(conf);
    return 0;
  }
  return 1;
}

static int login(struct user *u, const char *app_id, const char *cert) {
  char *token = NULL;
  rtm_result_t rc;
  if (cert && *cert && rtm_token_build_007(&token, app_id, cert, u->name, 3600) != RTM_OK) {
    fprintf(stderr, "token: %s\n", rtm_last_error());
    return 0;
  }
  rc = rtm_client_login(u->client, token, u->name);
  rtm_free(token);
  if (rc != RTM_OK) {
    fprintf(stderr, "[%s] login refused: %s\n", u->name, rtm_op_err2name(RTM_OP_LOGIN, rc));
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  const char *app_id = getenv("RTM_APP_ID") ? getenv("RTM_APP_ID") : "demo";
  const char *cert = getenv("RTM_APP_CERT");
  char url[256], data_dir[] = "/tmp/peer_chat-XXXXXX", err[256], apps[256];
  rtm_server_t *server = NULL;
  struct user alice, bob;
  rtm_message_t *msg = NULL;
  int ok = 0;

  if (rtm_check_compat() != RTM_OK) {
    fprintf(stderr, "%s\n", rtm_last_error());
    return 1;
  }
  printf("rtmkit %s (ABI %d)\n", rtm_version_str(), (int)rtm_abi_version());
  rtm_set_log_level("warn");

  if (argc > 1) {
    snprintf(url, sizeof url, "%s", argv[1]);
  } else {
    /* an embedded rtmd: 127.0.0.1, ephemeral port, its store in a temporary directory */
    rtm_server_conf_t *sconf = NULL;
    if (!mkdtemp(data_dir) || rtm_server_conf_new(&sconf) != RTM_OK) return 1;
    snprintf(apps, sizeof apps, "%s%s%s", app_id, cert && *cert ? ":" : "", cert && *cert ? cert : "");
    if (rtm_server_conf_set(sconf, "listen", "127.0.0.1:0", err, sizeof err) != RTM_OK ||
        rtm_server_conf_set(sconf, "data_dir", data_dir, err, sizeof err) != RTM_OK ||
        rtm_server_conf_set(sconf, "apps", apps, err, sizeof err) != RTM_OK ||
        rtm_server_new(&server, sconf) != RTM_OK) {
      fprintf(stderr, "server configuration: %s\n", err);
      rtm_server_conf_destroy(sconf);
      return 1;
    }
    if (rtm_server_start(server) != RTM_OK) {
      fprintf(stderr, "%s\n", rtm_last_error());
      rtm_server_destroy(server);
      return 1;
    }
    snprintf(url, sizeof url, "ws://127.0.0.1:%u", (unsigned)rtm_server_port(server, 0));
    printf("embedded rtmd on %s\n", url);
  }

  if (!create_user(&alice, "alice", url, app_id)) return 1;
  if (!create_user(&bob, "bob", url, app_id)) return 1;
  if (login(&alice, app_id, cert) && login(&bob, app_id, cert) && wait_for(&alice, &bob, &alice.connected, 10000) &&
      wait_for(&alice, &bob, &bob.connected, 10000)) {
    rtm_message_new_text(&msg, "hello from alice");
    if (rtm_client_send_message_to_peer(&alice.sent_id, alice.client, "bob", msg, NULL) == RTM_OK) {
      /* the message is copied: msg could be destroyed right away */
      int64_t deadline = now_ms() + 10000;
      while ((bob.received == 0 || alice.send_result < 0) && now_ms() < deadline) {
        rtm_client_poll(alice.client, 10);
        rtm_client_poll(bob.client, 10);
      }
      ok = bob.received == 1 && alice.send_result == RTM_PEER_MESSAGE_ERR_OK;
    }
    rtm_message_destroy(msg);
    rtm_client_logout(alice.client);
    rtm_client_logout(bob.client);
  }
  rtm_client_destroy(alice.client);
  rtm_client_destroy(bob.client);
  if (server) {
    char path[512];
    rtm_server_destroy(server);
    snprintf(path, sizeof path, "%s/rtmd.sqlite", data_dir);
    remove(path);
    snprintf(path, sizeof path, "%s/rtmd.sqlite-wal", data_dir);
    remove(path);
    snprintf(path, sizeof path, "%s/rtmd.sqlite-shm", data_dir);
    remove(path);
    rmdir(data_dir);
  }
  printf("%s\n", ok ? "OK: bob received alice's message and alice got RTM_PEER_MESSAGE_ERR_OK" : "FAILED");
  return ok ? 0 : 1;
}
