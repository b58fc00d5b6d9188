/* The C side of rtm-capi-bench: a message callback written in C. */
#define _POSIX_C_SOURCE 200809L
#include "bench_cb.h"

#include <stdlib.h>
#include <time.h>

int64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_sink_record(bench_sink *sink, const char *text) {
  int64_t now = bench_now_ns();
  long long seq = strtoll(text, NULL, 10);
  if (seq >= 0 && (size_t)seq < sink->cap) sink->recv_ns[seq] = now;
  __atomic_add_fetch(&sink->count, 1, __ATOMIC_RELEASE);
}

void bench_on_message(rtm_client_t *client, const char *peer_id, const rtm_message_t *message, void *user_data) {
  (void)client;
  (void)peer_id;
  bench_sink_record((bench_sink *)user_data, rtm_message_text(message, NULL));
}
