using System;
using System.Collections.Generic;
using RtmKit.Native;

namespace RtmKit
{
    /// <summary>
    /// A peer or channel message: TEXT (a string) or RAW (bytes with an optional text description).
    /// Immutable. Received messages also carry the sender's id, the server's receive time and whether
    /// they were stored while the receiver was offline.
    /// </summary>
    public sealed class RtmMessage
    {
        private readonly byte[] raw;

        private RtmMessage(MessageType type, string text, byte[] raw, long id, long ts, bool offline)
        {
            MessageType = type;
            Text = text;
            this.raw = raw;
            MessageId = id;
            ServerReceivedTs = ts;
            IsOfflineMessage = offline;
        }

        public static RtmMessage CreateText(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            return new RtmMessage(MessageType.Text, text, new byte[0], 0, 0, false);
        }

        public static RtmMessage CreateRaw(byte[] data, string description = "")
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            return new RtmMessage(MessageType.Raw, description ?? "", (byte[])data.Clone(), 0, 0, false);
        }

        public MessageType MessageType { get; }

        /// <summary>The text of a TEXT message, the description of a RAW one.</summary>
        public string Text { get; }

        /// <summary>A copy of the payload of a RAW message (empty for TEXT).</summary>
        public byte[] GetRawMessage() => (byte[])raw.Clone();

        public long MessageId { get; }
        public long ServerReceivedTs { get; }
        public bool IsOfflineMessage { get; }

        public override string ToString() =>
            MessageType == MessageType.Raw ? "RtmMessage[RAW " + raw.Length + " bytes, " + Text + "]" : "RtmMessage[" + Text + "]";

        internal static RtmMessage FromNative(SWIGTYPE_p_rtm_message_s m)
        {
            var type = (MessageType)RtmNative.rtm_message_type(m);
            string text = RtmNative.message_text(m) ?? "";
            var bytes = new byte[(int)RtmNative.message_raw_size(m)];
            if (bytes.Length > 0) RtmNative.message_raw_copy(m, bytes, (uint)bytes.Length);
            return new RtmMessage(type, text, bytes, RtmNative.rtm_message_id(m), RtmNative.rtm_message_server_received_ts(m),
                                  RtmNative.rtm_message_is_offline(m) != 0);
        }

        internal SWIGTYPE_p_rtm_message_s ToNative(Operation op, string what)
        {
            int rc;
            var m = MessageType == MessageType.Raw ? RtmNative.message_new_raw(raw, (uint)raw.Length, out rc)
                                                   : RtmNative.message_new_text(Text, out rc);
            RtmException.Check(rc, op, what);
            if (MessageType == MessageType.Raw && Text.Length > 0)
            {
                int r = RtmNative.rtm_message_set_text(m, Text);
                if (r != 0)
                {
                    RtmNative.rtm_message_destroy(m);
                    throw RtmException.Of(r, op, what);
                }
            }
            return m;
        }
    }

    /// <summary>Options of a peer or channel message.</summary>
    public sealed class SendMessageOptions
    {
        /// <summary>Store a peer message when the peer is offline (result CachedByServer).</summary>
        public bool EnableOfflineMessaging { get; set; }
        /// <summary>Accepted for compatibility with RTM 1.x.</summary>
        public bool EnableHistoricalMessaging { get; set; }
    }

    /// <summary>Options of the channel attribute operations.</summary>
    public sealed class ChannelAttributeOptions
    {
        /// <summary>The members of the channel get AttributesUpdated.</summary>
        public bool EnableNotificationToChannelMembers { get; set; }
    }

    /// <summary>A user or channel attribute.</summary>
    public sealed class RtmAttribute
    {
        public RtmAttribute(string key, string value)
        {
            Key = key ?? throw new ArgumentNullException(nameof(key));
            Value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public string Key { get; }
        public string Value { get; }
        public override string ToString() => Key + "=" + Value;
    }

    /// <summary>A channel attribute as the server reports it.</summary>
    public sealed class RtmChannelAttribute
    {
        public RtmChannelAttribute(string key, string value, string lastUpdateUserId, long lastUpdateTs)
        {
            Key = key;
            Value = value;
            LastUpdateUserId = lastUpdateUserId;
            LastUpdateTs = lastUpdateTs;
        }

        public string Key { get; }
        public string Value { get; }
        public string LastUpdateUserId { get; }
        /// <summary>ms since the Unix epoch</summary>
        public long LastUpdateTs { get; }
        public override string ToString() => Key + "=" + Value + " (" + LastUpdateUserId + ", " + LastUpdateTs + ")";
    }

    /// <summary>The configuration of a client: the keys of the C API (docs/c-api.md), as strings.</summary>
    public sealed class RtmConfig
    {
        internal readonly List<KeyValuePair<string, string>> Values = new List<KeyValuePair<string, string>>();

        /// <summary>The app id (required to log in).</summary>
        public RtmConfig AppId(string appId) => Set("app_id", appId);

        /// <summary>ws://host[:port][/path] or wss://… of the rtmd to use.</summary>
        public RtmConfig Url(string url) => Set("url", url);

        /// <summary>
        /// Any key of the client configuration, e.g. "login_timeout_ms". The binding raises every
        /// event on the client's dispatcher thread: "callback.dispatch" (alias "dispatch") can only be "thread".
        /// </summary>
        public RtmConfig Set(string key, string value)
        {
            if ((key == "callback.dispatch" || key == "dispatch") && value != "thread")
                throw new ArgumentException("the C# binding supports callback.dispatch=thread only", nameof(value));
            Values.Add(new KeyValuePair<string, string>(key, value));
            return this;
        }
    }

    /// <summary>Library-wide functions: versions, log level, token minting.</summary>
    public static class RtmKitLibrary
    {
        /// <summary>The version of the loaded native library, e.g. "0.2.0".</summary>
        public static string Version => RtmNative.rtm_version_str();

        /// <summary>The ABI major of the loaded native library.</summary>
        public static int AbiVersion => RtmNative.rtm_abi_version();

        /// <summary>The process-wide log level: trace, debug, info, warn, error or off.</summary>
        public static void SetLogLevel(string level) => RtmException.Check(RtmNative.rtm_set_log_level(level), null, "SetLogLevel");

        /// <summary>A 007 RTM token (AccessToken2) for userId, valid for expireSeconds.</summary>
        public static string BuildToken007(string appId, string appCertificate, string userId, uint expireSeconds) =>
            Text(RtmNative.token_build_007(appId, appCertificate, userId, expireSeconds), "BuildToken007");

        /// <summary>A 006 RTM token for userId, valid for 24 hours.</summary>
        public static string BuildToken006(string appId, string appCertificate, string userId) =>
            Text(RtmNative.token_build_006(appId, appCertificate, userId), "BuildToken006");

        internal static string Text(Text t, string what)
        {
            using (t)
            {
                RtmException.Check(t.code(), null, what);
                return t.value();
            }
        }

        /// <summary>Checks, once, that the loaded native library fits this binding.</summary>
        internal static void CheckCompat()
        {
            if (compatChecked) return;
            int rc = RtmNative.check_compat();
            if (rc != 0) throw RtmException.Of(rc, null, "the native library does not fit this binding");
            compatChecked = true;
        }

        private static volatile bool compatChecked;
    }
}
