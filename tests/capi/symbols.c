/* The symbol test: references every public function of the C API, so that linking this program
 * fails if one is missing from librtmkit, and prints the list. tests/capi/check_exports.sh checks that
 * this list, the headers, capi/symbols-in-versions.txt and the library's exports are the same set. */
#include <stdio.h>

#include <rtmkit/rtmkit.h>

typedef void (*any_fn)(void);

struct sym {
  const char *name;
  any_fn fn;
};

#define F(name) {#name, (any_fn)name},

static const struct sym kSymbols[] = {
/* BEGIN SYMBOLS */
    F(rtm_abi_version)
    F(rtm_check_compat_impl)
    F(rtm_client_destroy)
    F(rtm_client_event_fd)
    F(rtm_client_login)
    F(rtm_client_logout)
    F(rtm_client_new)
    F(rtm_client_poll)
    F(rtm_client_renew_token)
    F(rtm_client_send_message_to_peer)
    F(rtm_client_state)
    F(rtm_client_user_data)
    F(rtm_client_user_id)
    F(rtm_client_wakeup)
    F(rtm_conf_destroy)
    F(rtm_conf_get)
    F(rtm_conf_new)
    F(rtm_conf_set)
    F(rtm_conf_set_connection_state_changed_cb)
    F(rtm_conf_set_login_failure_cb)
    F(rtm_conf_set_login_success_cb)
    F(rtm_conf_set_logout_cb)
    F(rtm_conf_set_message_received_from_peer_cb)
    F(rtm_conf_set_renew_token_result_cb)
    F(rtm_conf_set_send_message_result_cb)
    F(rtm_conf_set_thread_start_cb)
    F(rtm_conf_set_token_expired_cb)
    F(rtm_conf_set_token_privilege_will_expire_cb)
    F(rtm_conf_set_user_data)
    F(rtm_connection_change_reason_name)
    F(rtm_connection_state_name)
    F(rtm_err2name)
    F(rtm_err2str)
    F(rtm_free)
    F(rtm_get_err_codes)
    F(rtm_get_op_err_codes)
    F(rtm_last_error)
    F(rtm_message_copy)
    F(rtm_message_destroy)
    F(rtm_message_id)
    F(rtm_message_is_offline)
    F(rtm_message_new_raw)
    F(rtm_message_new_text)
    F(rtm_message_raw)
    F(rtm_message_server_received_ts)
    F(rtm_message_set_text)
    F(rtm_message_text)
    F(rtm_message_type)
    F(rtm_op_err2name)
    F(rtm_send_options_init)
    F(rtm_server_conf_destroy)
    F(rtm_server_conf_get)
    F(rtm_server_conf_new)
    F(rtm_server_conf_set)
    F(rtm_server_connection_count)
    F(rtm_server_destroy)
    F(rtm_server_new)
    F(rtm_server_port)
    F(rtm_server_start)
    F(rtm_server_stop)
    F(rtm_set_log_level)
    F(rtm_token_build_006)
    F(rtm_token_build_006_ex)
    F(rtm_token_build_006_into)
    F(rtm_token_build_007)
    F(rtm_token_build_007_ex)
    F(rtm_token_build_007_into)
    F(rtm_version)
    F(rtm_version_str)
/* END SYMBOLS */
};

int main(void) {
  size_t i, n = sizeof kSymbols / sizeof kSymbols[0];
  int missing = 0;
  for (i = 0; i < n; ++i) {
    if (!kSymbols[i].fn) {
      fprintf(stderr, "missing: %s\n", kSymbols[i].name);
      ++missing;
    }
  }
  printf("capi_symbols: %d of %d public functions resolved\n", (int)(n - (size_t)missing), (int)n);
  return missing ? 1 : 0;
}
