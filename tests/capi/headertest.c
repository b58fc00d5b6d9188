/* The header test: <rtmkit/rtmkit.h> compiles as C99 with -Wall -Wextra -pedantic -Werror (and, via
 * headertest.cpp, as C++), alone, twice, and its macros are usable in constant expressions. */
#include <rtmkit/rtmkit.h>
#include <rtmkit/rtmkit.h> /* include guards */

#include <stdio.h>

#if !RTM_CHECK_VERSION(0, 1, 0)
#error "RTM_CHECK_VERSION"
#endif

typedef char rtm_abi_is_positive[RTM_ABI_VERSION > 0 ? 1 : -1];
typedef char rtm_result_is_32_bits[sizeof(rtm_result_t) == 4 ? 1 : -1];
typedef char rtm_enums_are_int[sizeof(rtm_login_err_t) == sizeof(int) ? 1 : -1];

static void RTM_CALL on_message(rtm_client_t *client, const char *peer_id, const rtm_message_t *message,
                                void *user_data) {
  (void)client;
  (void)peer_id;
  (void)message;
  (void)user_data;
}

int main(void) {
  rtm_send_options_t options = RTM_SEND_OPTIONS_INIT;
  rtm_message_received_from_peer_cb cb = on_message;
  rtm_result_t rc = RTM_OK;
  (void)cb;
  (void)options;
  printf("headertest: rtmkit %s (ABI %d), %s\n", RTM_VERSION_STRING, RTM_ABI_VERSION,
#ifdef __cplusplus
         "C++"
#else
         "C"
#endif
  );
  return rc;
}
