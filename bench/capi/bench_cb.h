/* The receiving side of rtm-capi-bench, shared by the C callback (bench_cb.c) and the C++ handler
 * (capi_bench.cpp) so that both do exactly the same work per message: parse the sequence number from
 * the text, stamp the receive time, count. */
#ifndef RTMKIT_BENCH_CB_H
#define RTMKIT_BENCH_CB_H

#include <stddef.h>
#include <stdint.h>

#include <rtmkit/rtmkit.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bench_sink {
  int64_t *recv_ns; /* receive time by sequence number (CLOCK_MONOTONIC) */
  size_t cap;
  int64_t count;    /* updated with __atomic builtins */
} bench_sink;

int64_t bench_now_ns(void);

/* Records one message of text `seq` (what both receivers run). */
void bench_sink_record(bench_sink *sink, const char *text);

/* The C callback registered with rtm_conf_set_message_received_from_peer_cb; user_data is a bench_sink. */
void bench_on_message(rtm_client_t *client, const char *peer_id, const rtm_message_t *message, void *user_data);

#ifdef __cplusplus
}
#endif

#endif
