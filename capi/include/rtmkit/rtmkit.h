/*
 * rtmkit — the stable C API of the rtmkit real-time messaging SDK (Agora RTM 1.x compatible).
 *
 * Include this umbrella header only. C99 and C++; every object is an opaque handle; every function
 * is prefixed rtm_, every macro and enumerator RTM_. The reference is docs/c-api.md.
 */
#ifndef RTMKIT_RTMKIT_H
#define RTMKIT_RTMKIT_H

#include "rtmkit_export.h"
#include <rtmkit/rtmkit_version.h>
#include "types.h"
#include "errors.h"
#include "common.h"
#include "message.h"
#include "conf.h"
#include "client.h"
#include "channel.h"
#include "presence.h"
#include "attributes.h"
#include "invitation.h"
#include "token.h"
#include "server.h"
#include "signaling.h"

#endif /* RTMKIT_RTMKIT_H */
