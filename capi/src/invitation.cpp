// Call invitations: local and remote invitation handles, the client's invitation operations and the
// trampolines of the invitation events (which hand out borrowed handles on the stack).
#include "capi/src/objects.hpp"
#include "core/common/log.hpp"

namespace {

using rtmc::invoke;

rtm_result_t op_result(const char* fn, int code) { return rtmc::op_result(fn, RTM_OP_INVITATION_API_CALL, code); }

}  // namespace

namespace rtmc {

#define RTMC_LOCAL(name, ...)                                  \
  if (auto f = cb.name)                                        \
    invoke(this, [&] {                                         \
      LocalInvitation borrowed{inv};                           \
      f(handle(this), handle(&borrowed), __VA_ARGS__, ud.data); \
    });
#define RTMC_REMOTE(name, ...)                                 \
  if (auto f = cb.name)                                        \
    invoke(this, [&] {                                         \
      RemoteInvitation borrowed{inv};                          \
      f(handle(this), handle(&borrowed), __VA_ARGS__, ud.data); \
    });

void Client::on_local_invitation_received_by_peer(const rtm::LocalInvitationPtr& inv) noexcept {
  if (auto f = cb.local_invitation_received_by_peer)
    invoke(this, [&] {
      LocalInvitation borrowed{inv};
      f(handle(this), handle(&borrowed), ud.data);
    });
}
void Client::on_local_invitation_accepted(const rtm::LocalInvitationPtr& inv, const std::string& response) noexcept {
  RTMC_LOCAL(local_invitation_accepted, response.c_str())
}
void Client::on_local_invitation_refused(const rtm::LocalInvitationPtr& inv, const std::string& response) noexcept {
  RTMC_LOCAL(local_invitation_refused, response.c_str())
}
void Client::on_local_invitation_canceled(const rtm::LocalInvitationPtr& inv) noexcept {
  if (auto f = cb.local_invitation_canceled)
    invoke(this, [&] {
      LocalInvitation borrowed{inv};
      f(handle(this), handle(&borrowed), ud.data);
    });
}
void Client::on_local_invitation_failure(const rtm::LocalInvitationPtr& inv, rtm::LocalInvitationErr e) noexcept {
  RTMC_LOCAL(local_invitation_failure, static_cast<rtm_local_invitation_err_t>(e))
}
void Client::on_remote_invitation_received(const rtm::RemoteInvitationPtr& inv) noexcept {
  if (auto f = cb.remote_invitation_received)
    invoke(this, [&] {
      RemoteInvitation borrowed{inv};
      f(handle(this), handle(&borrowed), ud.data);
    });
}
void Client::on_remote_invitation_accepted(const rtm::RemoteInvitationPtr& inv) noexcept {
  if (auto f = cb.remote_invitation_accepted)
    invoke(this, [&] {
      RemoteInvitation borrowed{inv};
      f(handle(this), handle(&borrowed), ud.data);
    });
}
void Client::on_remote_invitation_refused(const rtm::RemoteInvitationPtr& inv) noexcept {
  if (auto f = cb.remote_invitation_refused)
    invoke(this, [&] {
      RemoteInvitation borrowed{inv};
      f(handle(this), handle(&borrowed), ud.data);
    });
}
void Client::on_remote_invitation_canceled(const rtm::RemoteInvitationPtr& inv) noexcept {
  if (auto f = cb.remote_invitation_canceled)
    invoke(this, [&] {
      RemoteInvitation borrowed{inv};
      f(handle(this), handle(&borrowed), ud.data);
    });
}
void Client::on_remote_invitation_failure(const rtm::RemoteInvitationPtr& inv, rtm::RemoteInvitationErr e) noexcept {
  RTMC_REMOTE(remote_invitation_failure, static_cast<rtm_remote_invitation_err_t>(e))
}
#undef RTMC_LOCAL
#undef RTMC_REMOTE

}  // namespace rtmc

using rtmc::handle;
using rtmc::impl;

extern "C" {

// ---- local invitations ------------------------------------------------------------------------------

RTM_API rtm_result_t RTM_CALL rtm_client_create_local_invitation(rtm_local_invitation_t** out, rtm_client_t* client,
                                                                 const char* callee_id) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!out || !client) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: out and client must not be NULL", fn);
    auto p = impl(client)->core->create_local_invitation(std::string(rtmc::sv(callee_id)));
    if (!p) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invalid callee id '%s'", fn, callee_id ? callee_id : "");
    *out = handle(new rtmc::LocalInvitation{std::move(p)});
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_local_invitation_copy(rtm_local_invitation_t** out,
                                                        const rtm_local_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!out || !invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: out and invitation must not be NULL", fn);
    *out = handle(new rtmc::LocalInvitation{impl(invitation)->p});
    return rtmc::ok();
  });
}

RTM_API void RTM_CALL rtm_local_invitation_destroy(rtm_local_invitation_t* invitation) { delete impl(invitation); }

RTM_API rtm_result_t RTM_CALL rtm_local_invitation_set_content(rtm_local_invitation_t* invitation, const char* content) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    impl(invitation)->p->set_content(std::string(rtmc::sv(content)));
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_local_invitation_set_channel_id(rtm_local_invitation_t* invitation,
                                                                  const char* channel_id) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    impl(invitation)->p->set_channel_id(std::string(rtmc::sv(channel_id)));
    return rtmc::ok();
  });
}

RTM_API const char* RTM_CALL rtm_local_invitation_callee_id(const rtm_local_invitation_t* invitation) {
  return invitation ? impl(invitation)->p->callee_id().c_str() : nullptr;
}

RTM_API int64_t RTM_CALL rtm_local_invitation_id(const rtm_local_invitation_t* invitation) {
  return invitation ? impl(invitation)->p->id() : 0;
}

RTM_API rtm_local_invitation_state_t RTM_CALL rtm_local_invitation_state(const rtm_local_invitation_t* invitation) {
  return invitation ? static_cast<rtm_local_invitation_state_t>(impl(invitation)->p->state())
                    : static_cast<rtm_local_invitation_state_t>(0);
}

RTM_API rtm_result_t RTM_CALL rtm_local_invitation_content(char* buf, size_t* buf_size,
                                                           const rtm_local_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    return rtmc::copy_out(fn, buf, buf_size, impl(invitation)->p->content());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_local_invitation_channel_id(char* buf, size_t* buf_size,
                                                              const rtm_local_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    return rtmc::copy_out(fn, buf, buf_size, impl(invitation)->p->channel_id());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_local_invitation_response(char* buf, size_t* buf_size,
                                                            const rtm_local_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    return rtmc::copy_out(fn, buf, buf_size, impl(invitation)->p->response());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_send_local_invitation(rtm_client_t* client, rtm_local_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: client is NULL", fn);
    if (!invitation) return op_result(fn, RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    return op_result(fn, impl(client)->core->send_local_invitation(impl(invitation)->p));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_cancel_local_invitation(rtm_client_t* client,
                                                                 rtm_local_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: client is NULL", fn);
    if (!invitation) return op_result(fn, RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    return op_result(fn, impl(client)->core->cancel_local_invitation(impl(invitation)->p));
  });
}

// ---- remote invitations -----------------------------------------------------------------------------

RTM_API rtm_result_t RTM_CALL rtm_remote_invitation_copy(rtm_remote_invitation_t** out,
                                                         const rtm_remote_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!out || !invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: out and invitation must not be NULL", fn);
    *out = handle(new rtmc::RemoteInvitation{impl(invitation)->p});
    return rtmc::ok();
  });
}

RTM_API void RTM_CALL rtm_remote_invitation_destroy(rtm_remote_invitation_t* invitation) { delete impl(invitation); }

RTM_API const char* RTM_CALL rtm_remote_invitation_caller_id(const rtm_remote_invitation_t* invitation) {
  return invitation ? impl(invitation)->p->caller_id().c_str() : nullptr;
}

RTM_API const char* RTM_CALL rtm_remote_invitation_content(const rtm_remote_invitation_t* invitation) {
  return invitation ? impl(invitation)->p->content().c_str() : nullptr;
}

RTM_API const char* RTM_CALL rtm_remote_invitation_channel_id(const rtm_remote_invitation_t* invitation) {
  return invitation ? impl(invitation)->p->channel_id().c_str() : nullptr;
}

RTM_API int64_t RTM_CALL rtm_remote_invitation_id(const rtm_remote_invitation_t* invitation) {
  return invitation ? impl(invitation)->p->id() : 0;
}

RTM_API rtm_remote_invitation_state_t RTM_CALL rtm_remote_invitation_state(const rtm_remote_invitation_t* invitation) {
  return invitation ? static_cast<rtm_remote_invitation_state_t>(impl(invitation)->p->state())
                    : static_cast<rtm_remote_invitation_state_t>(0);
}

RTM_API rtm_result_t RTM_CALL rtm_remote_invitation_set_response(rtm_remote_invitation_t* invitation,
                                                                 const char* response) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    impl(invitation)->p->set_response(std::string(rtmc::sv(response)));
    return rtmc::ok();
  });
}

RTM_API rtm_result_t RTM_CALL rtm_remote_invitation_response(char* buf, size_t* buf_size,
                                                             const rtm_remote_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!invitation) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: invitation is NULL", fn);
    return rtmc::copy_out(fn, buf, buf_size, impl(invitation)->p->response());
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_accept_remote_invitation(rtm_client_t* client,
                                                                  rtm_remote_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: client is NULL", fn);
    if (!invitation) return op_result(fn, RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    return op_result(fn, impl(client)->core->accept_remote_invitation(impl(invitation)->p));
  });
}

RTM_API rtm_result_t RTM_CALL rtm_client_refuse_remote_invitation(rtm_client_t* client,
                                                                  rtm_remote_invitation_t* invitation) {
  return rtmc::guarded(__func__, [&](const char* fn) {
    if (!client) return rtmc::fail(RTM_ERR_INVALID_ARG, "%s: client is NULL", fn);
    if (!invitation) return op_result(fn, RTM_INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    return op_result(fn, impl(client)->core->refuse_remote_invitation(impl(invitation)->p));
  });
}

}  // extern "C"
