/*
 * rtmkit — the language-neutral SWIG interface over the C ABI (capi/include/rtmkit) and the listener
 * shim (bindings/common/rtmkit_listener.hpp). Included by bindings/java/rtmkit_java.i and
 * bindings/csharp/rtmkit_csharp.i after their typemaps.
 *
 * Whitelist: everything is ignored (%ignore "") and only the names below are exposed, so that a new
 * function of the C ABI never reaches Java or C# by accident. The generated layer is internal: the
 * idiomatic classes (io.rtmkit.*, RtmKit.*) are the public API.
 *
 * Adding a part of the C ABI is: one more section of names here, one more listener class in the
 * shim, and the idiomatic classes — as the Signaling facade (signaling.h) was added:
 * bindings/common/rtmkit_signal_listener.hpp, io.rtmkit.signaling, RtmKit.Signaling.
 */

%{
#include <rtmkit/rtmkit.h>
#include "rtmkit_listener.hpp"
#include "rtmkit_signal_listener.hpp"
%}

%include <stdint.i>
%include <typemaps.i>
%include <enumsimple.swg>

/* int64_t is long long here (no SWIGWORDSIZE64): 64-bit `long` in Java and C# on every platform. */
%apply long long *OUTPUT { int64_t *out_request_id, int64_t *out_message_id };
%apply int *OUTPUT { int32_t *rc };

/* directors: the listeners only */
%feature("director") rtmsw::ClientListener;
%feature("director") rtmsw::SignalListener;

%ignore "";

/* ---- version, errors, logging ----------------------------------------------------------------- */
%rename("%s") rtm_version;
%rename("%s") rtm_version_str;
%rename("%s") rtm_abi_version;
%rename("%s") rtm_err2str;
%rename("%s") rtm_err2name;
%rename("%s") rtm_op_err2name;
%rename("%s") rtm_connection_state_name;
%rename("%s") rtm_connection_change_reason_name;
%rename("%s") rtm_last_error;
%rename("%s") rtm_set_log_level;

/* ---- configuration and client ------------------------------------------------------------------ */
%rename("%s") rtm_conf_destroy;
%rename("%s") rtm_client_destroy;
%rename("%s") rtm_client_login;
%rename("%s") rtm_client_logout;
%rename("%s") rtm_client_renew_token;
%rename("%s") rtm_client_state;

/* ---- messages ---------------------------------------------------------------------------------- */
%rename("%s") rtm_message_destroy;
%rename("%s") rtm_message_set_text;
%rename("%s") rtm_message_type;
%rename("%s") rtm_message_id;
%rename("%s") rtm_message_server_received_ts;
%rename("%s") rtm_message_is_offline;

/* ---- channels ---------------------------------------------------------------------------------- */
%rename("%s") rtm_channel_destroy;
%rename("%s") rtm_channel_join;
%rename("%s") rtm_channel_leave;
%rename("%s") rtm_channel_get_members;
%rename("%s") rtm_channel_id;

/* ---- presence, attributes (the list-taking ones are in the shim) ----------------------------- */
%rename("%s") rtm_client_query_peers_by_subscription_option;
%rename("%s") rtm_client_clear_local_user_attributes;
%rename("%s") rtm_client_get_user_attributes;
%rename("%s") rtm_client_get_channel_attributes;

/* ---- invitations ------------------------------------------------------------------------------- */
%rename("%s") rtm_local_invitation_destroy;
%rename("%s") rtm_local_invitation_set_content;
%rename("%s") rtm_local_invitation_set_channel_id;
%rename("%s") rtm_local_invitation_callee_id;
%rename("%s") rtm_local_invitation_id;
%rename("%s") rtm_local_invitation_state;
%rename("%s") rtm_client_send_local_invitation;
%rename("%s") rtm_client_cancel_local_invitation;
%rename("%s") rtm_remote_invitation_destroy;
%rename("%s") rtm_remote_invitation_caller_id;
%rename("%s") rtm_remote_invitation_content;
%rename("%s") rtm_remote_invitation_channel_id;
%rename("%s") rtm_remote_invitation_id;
%rename("%s") rtm_remote_invitation_state;
%rename("%s") rtm_remote_invitation_set_response;
%rename("%s") rtm_client_accept_remote_invitation;
%rename("%s") rtm_client_refuse_remote_invitation;

/* ---- embedded server --------------------------------------------------------------------------- */
%rename("%s") rtm_server_conf_destroy;
%rename("%s") rtm_server_start;
%rename("%s") rtm_server_port;
%rename("%s") rtm_server_connection_count;
%rename("%s") rtm_server_stop;
%rename("%s") rtm_server_destroy;

/* ---- the shim: every class and function of namespace rtmsw ------------------------------------ */
%rename("%s") rtmsw;
%rename("%s") rtmsw::StringList;
%rename("%s") rtmsw::StringList::size;
%rename("%s") rtmsw::StringList::get;
%rename("%s") rtmsw::StateList;
%rename("%s") rtmsw::StateList::size;
%rename("%s") rtmsw::StateList::get;
%rename("%s") rtmsw::IntList;
%rename("%s") rtmsw::IntList::size;
%rename("%s") rtmsw::IntList::get;
%rename("%s") rtmsw::AttributeList;
%rename("%s") rtmsw::AttributeList::size;
%rename("%s") rtmsw::AttributeList::key;
%rename("%s") rtmsw::AttributeList::value;
%rename("%s") rtmsw::ChannelAttributeList;
%rename("%s") rtmsw::ChannelAttributeList::size;
%rename("%s") rtmsw::ChannelAttributeList::key;
%rename("%s") rtmsw::ChannelAttributeList::value;
%rename("%s") rtmsw::ChannelAttributeList::lastUpdateUserId;
%rename("%s") rtmsw::ChannelAttributeList::lastUpdateTs;
%rename("%s") rtmsw::StringArray;
%rename("%s") rtmsw::StringArray::StringArray;
%rename("%s") rtmsw::StringArray::~StringArray;
%rename("%s") rtmsw::StringArray::add;
%rename("%s") rtmsw::StringArray::size;
%rename("%s") rtmsw::AttributeArray;
%rename("%s") rtmsw::AttributeArray::AttributeArray;
%rename("%s") rtmsw::AttributeArray::~AttributeArray;
%rename("%s") rtmsw::AttributeArray::add;
%rename("%s") rtmsw::AttributeArray::size;
%rename("%s") rtmsw::Text;
%rename("%s") rtmsw::Text::~Text;
%rename("%s") rtmsw::Text::code;
%rename("%s") rtmsw::Text::value;
%rename("%s") rtmsw::ClientListener;
%rename("%s") rtmsw::ClientListener::ClientListener;
%rename("%s") rtmsw::ClientListener::~ClientListener;
%rename("%(regex:/^rtmsw::ClientListener::(on.*)$/\\1/)s", regextarget=1, fullname=1) "rtmsw::ClientListener::on.*";
%rename("%s") rtmsw::AttributeOp;
%rename("%s", regextarget=1) "^ATTR_";
%rename("%s") rtmsw::attach_listener;
%rename("%s") rtmsw::conf_new;
%rename("%s") rtmsw::conf_set;
%rename("%s") rtmsw::conf_get;
%rename("%s") rtmsw::client_new;
%rename("%s") rtmsw::client_user_id;
%rename("%s") rtmsw::message_new_text;
%rename("%s") rtmsw::message_new_raw;
%rename("%s") rtmsw::message_raw_copy;
%rename("%s") rtmsw::message_raw_size;
%rename("%s") rtmsw::message_text;
%rename("%s") rtmsw::send_message_to_peer;
%rename("%s") rtmsw::channel_send_message;
%rename("%s") rtmsw::channel_create;
%rename("%s") rtmsw::local_invitation_create;
%rename("%s") rtmsw::local_invitation_copy;
%rename("%s") rtmsw::remote_invitation_copy;
%rename("%s") rtmsw::local_invitation_content;
%rename("%s") rtmsw::local_invitation_channel_id;
%rename("%s") rtmsw::local_invitation_response;
%rename("%s") rtmsw::remote_invitation_response;
%rename("%s") rtmsw::server_conf_new;
%rename("%s") rtmsw::server_conf_set;
%rename("%s") rtmsw::server_conf_get;
%rename("%s") rtmsw::server_new;
%rename("%s") rtmsw::token_build_007;
%rename("%s") rtmsw::token_build_006;
%rename("%s") rtmsw::query_peers_online_status;
%rename("%s") rtmsw::subscribe_peers_online_status;
%rename("%s") rtmsw::unsubscribe_peers_online_status;
%rename("%s") rtmsw::set_local_user_attributes;
%rename("%s") rtmsw::add_or_update_local_user_attributes;
%rename("%s") rtmsw::delete_local_user_attributes_by_keys;
%rename("%s") rtmsw::get_user_attributes_by_keys;
%rename("%s") rtmsw::set_channel_attributes;
%rename("%s") rtmsw::add_or_update_channel_attributes;
%rename("%s") rtmsw::delete_channel_attributes_by_keys;
%rename("%s") rtmsw::clear_channel_attributes;
%rename("%s") rtmsw::get_channel_attributes_by_keys;
%rename("%s") rtmsw::get_channel_member_count;
%rename("%s") rtmsw::check_compat;

/* ---- the Signaling compatibility API (signaling.h) and its shim -------------------------------- */
%rename("%s") rtm_sig_ecode_name;
%rename("%s") rtm_sig_destroy;
%rename("%s") rtm_sig_login;
%rename("%s") rtm_sig_login2;
%rename("%s") rtm_sig_logout;
%rename("%s") rtm_sig_get_status;
%rename("%s") rtm_sig_account;
%rename("%s") rtm_sig_message_instant_send;
%rename("%s") rtm_sig_message_channel_send;
%rename("%s") rtm_sig_channel_join;
%rename("%s") rtm_sig_channel_leave;
%rename("%s") rtm_sig_channel_set_attr;
%rename("%s") rtm_sig_channel_del_attr;
%rename("%s") rtm_sig_channel_clear_attr;
%rename("%s") rtm_sig_channel_query_user_num;
%rename("%s") rtm_sig_channel_query_user_is_in;
%rename("%s") rtm_sig_channel_invite_user2;
%rename("%s") rtm_sig_channel_invite_user;
%rename("%s") rtm_sig_channel_invite_accept;
%rename("%s") rtm_sig_channel_invite_refuse;
%rename("%s") rtm_sig_channel_invite_end;
%rename("%s") rtm_sig_channel_invite_dtmf;
%rename("%s") rtm_sig_query_user_status;
%rename("%s") rtm_sig_set_attr;
%rename("%s") rtm_sig_get_attr;
%rename("%s") rtm_sig_get_attr_all;
%rename("%s") rtm_sig_get_user_attr;
%rename("%s") rtm_sig_get_user_attr_all;
%rename("%s") rtm_sig_invoke;
%rename("%s") rtmsw::UidList;
%rename("%s") rtmsw::UidList::size;
%rename("%s") rtmsw::UidList::get;
%rename("%s") rtmsw::SignalListener;
%rename("%s") rtmsw::SignalListener::SignalListener;
%rename("%s") rtmsw::SignalListener::~SignalListener;
%rename("%(regex:/^rtmsw::SignalListener::(on.*)$/\\1/)s", regextarget=1, fullname=1) "rtmsw::SignalListener::on.*";
%rename("%s") rtmsw::attach_signal_listener;
%rename("%s") rtmsw::sig_new;
%rename("%s") rtmsw::token_build_signaling;

/* The C headers, as SWIG sees them: plain declarations. */
#define RTM_API
#define RTM_CALL
#define RTM_CALLBACK(name) (*name)
#define RTM_BEGIN_DECLS
#define RTM_END_DECLS
#define RTM_DEPRECATED(msg)
%include <rtmkit/types.h>
%include <rtmkit/errors.h>
%include <rtmkit/common.h>
%include <rtmkit/message.h>
%include <rtmkit/conf.h>
%include <rtmkit/client.h>
%include <rtmkit/channel.h>
%include <rtmkit/presence.h>
%include <rtmkit/attributes.h>
%include <rtmkit/invitation.h>
%include <rtmkit/token.h>
%include <rtmkit/server.h>
%include <rtmkit/signaling.h>
%include "rtmkit_listener.hpp"
%include "rtmkit_signal_listener.hpp"

%rename("%s") "";
