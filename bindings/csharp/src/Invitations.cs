using System;
using System.Runtime.InteropServices;
using RtmKit.Native;

namespace RtmKit
{
    /// <summary>
    /// A call invitation this user sends, created by <see cref="RtmClient.CreateLocalInvitation"/>.
    /// Its state follows the events. Dispose it when done (the finalizer releases the native handle of
    /// one that was not disposed).
    /// </summary>
    public sealed class LocalInvitation : IDisposable
    {
        private IntPtr raw; // the owned native handle
        private readonly object gate = new object();

        internal LocalInvitation(SWIGTYPE_p_rtm_local_invitation_s h)
        {
            raw = SWIGTYPE_p_rtm_local_invitation_s.getCPtr(h).Handle;
            Id = RtmNative.rtm_local_invitation_id(h);
            CalleeId = RtmNative.rtm_local_invitation_callee_id(h);
        }

        ~LocalInvitation() { Release(); }

        internal SWIGTYPE_p_rtm_local_invitation_s Handle()
        {
            if (raw == IntPtr.Zero) throw new ObjectDisposedException(nameof(LocalInvitation));
            return new SWIGTYPE_p_rtm_local_invitation_s(raw, false);
        }

        public long Id { get; }
        public string CalleeId { get; }

        public string Content
        {
            get { lock (gate) return RtmKitLibrary.Text(RtmNative.local_invitation_content(Handle()), "Content"); }
            set { lock (gate) RtmException.Check(RtmNative.rtm_local_invitation_set_content(Handle(), value), Operation.InvitationApiCall, "Content"); }
        }

        public string ChannelId
        {
            get { lock (gate) return RtmKitLibrary.Text(RtmNative.local_invitation_channel_id(Handle()), "ChannelId"); }
            set { lock (gate) RtmException.Check(RtmNative.rtm_local_invitation_set_channel_id(Handle(), value), Operation.InvitationApiCall, "ChannelId"); }
        }

        /// <summary>The callee's response, once accepted or refused.</summary>
        public string Response { get { lock (gate) return RtmKitLibrary.Text(RtmNative.local_invitation_response(Handle()), "Response"); } }

        public LocalInvitationState State { get { lock (gate) return (LocalInvitationState)RtmNative.rtm_local_invitation_state(Handle()); } }

        /// <summary>Releases the native handle (it never cancels the invitation).</summary>
        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        private void Release()
        {
            lock (gate)
            {
                if (raw != IntPtr.Zero) RtmNative.rtm_local_invitation_destroy(new SWIGTYPE_p_rtm_local_invitation_s(raw, false));
                raw = IntPtr.Zero;
            }
        }

        public override string ToString() => "LocalInvitation[" + Id + " to " + CalleeId + "]";
    }

    /// <summary>
    /// A call invitation this user received, handed to <see cref="RtmClient.RemoteInvitationReceived"/>.
    /// Its state follows the events. Dispose it when done.
    /// </summary>
    public sealed class RemoteInvitation : IDisposable
    {
        private IntPtr raw;
        private readonly object gate = new object();

        /// <summary>Keeps the invitation: `borrowed` is the handle of a callback.</summary>
        internal RemoteInvitation(SWIGTYPE_p_rtm_remote_invitation_s borrowed)
        {
            int rc;
            var h = RtmNative.remote_invitation_copy(borrowed, out rc);
            RtmException.Check(rc, null, "rtm_remote_invitation_copy");
            raw = SWIGTYPE_p_rtm_remote_invitation_s.getCPtr(h).Handle;
            Id = RtmNative.rtm_remote_invitation_id(h);
            CallerId = RtmNative.rtm_remote_invitation_caller_id(h);
            Content = RtmNative.rtm_remote_invitation_content(h);
            ChannelId = RtmNative.rtm_remote_invitation_channel_id(h);
        }

        ~RemoteInvitation() { Release(); }

        internal SWIGTYPE_p_rtm_remote_invitation_s Handle()
        {
            if (raw == IntPtr.Zero) throw new ObjectDisposedException(nameof(RemoteInvitation));
            return new SWIGTYPE_p_rtm_remote_invitation_s(raw, false);
        }

        public long Id { get; }
        public string CallerId { get; }
        public string Content { get; }
        public string ChannelId { get; }

        /// <summary>The response sent with accept or refuse.</summary>
        public string Response
        {
            get { lock (gate) return RtmKitLibrary.Text(RtmNative.remote_invitation_response(Handle()), "Response"); }
            set { lock (gate) RtmException.Check(RtmNative.rtm_remote_invitation_set_response(Handle(), value), Operation.InvitationApiCall, "Response"); }
        }

        public RemoteInvitationState State { get { lock (gate) return (RemoteInvitationState)RtmNative.rtm_remote_invitation_state(Handle()); } }

        /// <summary>Releases the native handle (it never refuses the invitation).</summary>
        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        private void Release()
        {
            lock (gate)
            {
                if (raw != IntPtr.Zero) RtmNative.rtm_remote_invitation_destroy(new SWIGTYPE_p_rtm_remote_invitation_s(raw, false));
                raw = IntPtr.Zero;
            }
        }

        public override string ToString() => "RemoteInvitation[" + Id + " from " + CallerId + "]";
    }
}
