using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using RtmKit.Native;

namespace RtmKit
{
    /// <summary>
    /// A channel of one client, created by <see cref="RtmClient.CreateChannel"/>. Its events are
    /// raised on the client's dispatcher thread. Dispose (RTM's release) leaves the channel if joined;
    /// the client disposes of its channels when it is disposed.
    /// </summary>
    public sealed class RtmChannel : IDisposable
    {
        internal readonly RtmClient Client;
        internal readonly long Key;
        internal SWIGTYPE_p_rtm_channel_s Handle; // guarded by Client.Gate; null once disposed
        internal readonly Queue<TaskCompletionSource<bool>> Joins = new Queue<TaskCompletionSource<bool>>();
        internal readonly Queue<TaskCompletionSource<bool>> Leaves = new Queue<TaskCompletionSource<bool>>();
        internal readonly Queue<TaskCompletionSource<IList<string>>> MemberQueries = new Queue<TaskCompletionSource<IList<string>>>();

        internal RtmChannel(RtmClient client, long key, string id, SWIGTYPE_p_rtm_channel_s handle)
        {
            Client = client;
            Key = key;
            Id = id;
            Handle = handle;
        }

        public string Id { get; }

        /// <summary>A channel message: (message, member id).</summary>
        public event Action<RtmMessage, string> MessageReceived;
        public event Action<string> MemberJoined;
        public event Action<string> MemberLeft;
        public event Action<int> MemberCountUpdated;
        /// <summary>Every attribute of the channel, after a change notified to the members.</summary>
        public event Action<IList<RtmChannelAttribute>> AttributesUpdated;

        internal void RaiseMessage(RtmMessage m, string member) => MessageReceived?.Invoke(m, member);
        internal void RaiseJoined(string member) => MemberJoined?.Invoke(member);
        internal void RaiseLeft(string member) => MemberLeft?.Invoke(member);
        internal void RaiseCount(int n) => MemberCountUpdated?.Invoke(n);
        internal void RaiseAttributes(IList<RtmChannelAttribute> a) => AttributesUpdated?.Invoke(a);

        /// <summary>Joins; fails with the JoinChannelErrorCode.</summary>
        public Task JoinAsync()
        {
            var t = RtmClient.NewSource<bool>();
            lock (Client.Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = RtmNative.rtm_channel_join(Handle);
                if (rc != 0) return RtmClient.Failed(t, rc, Operation.JoinChannel, "Join");
                Joins.Enqueue(t);
            }
            return t.Task;
        }

        /// <summary>Leaves; fails with the LeaveChannelErrorCode.</summary>
        public Task LeaveAsync()
        {
            var t = RtmClient.NewSource<bool>();
            lock (Client.Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = RtmNative.rtm_channel_leave(Handle);
                if (rc != 0) return RtmClient.Failed(t, rc, Operation.LeaveChannel, "Leave");
                Leaves.Enqueue(t);
            }
            return t.Task;
        }

        /// <summary>Sends a message to the other members; fails with the ChannelMessageErrorCode.</summary>
        public Task SendMessageAsync(RtmMessage message, SendMessageOptions options = null)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            var t = RtmClient.NewSource<bool>();
            lock (Client.Gate)
            {
                if (!Live(t)) return t.Task;
                return Client.SendChannelMessage(this, message, options, t);
            }
        }

        /// <summary>The members' user ids; fails with the GetMembersErrorCode.</summary>
        public Task<IList<string>> GetMembersAsync()
        {
            var t = RtmClient.NewSource<IList<string>>();
            lock (Client.Gate)
            {
                if (!Live(t)) return t.Task;
                int rc = RtmNative.rtm_channel_get_members(Handle);
                if (rc != 0) return RtmClient.Failed(t, rc, Operation.GetMembers, "GetMembers");
                MemberQueries.Enqueue(t);
            }
            return t.Task;
        }

        private bool Live<T>(TaskCompletionSource<T> t)
        {
            if (Handle == null || Client.Closing)
            {
                t.TrySetException(RtmException.Closed("the channel is disposed"));
                return false;
            }
            return true;
        }

        /// <summary>Leaves (if joined) and releases the channel; may be called from a callback.</summary>
        public void Dispose()
        {
            lock (Client.Gate)
            {
                if (Handle == null) return;
                if (!Client.Closing) RtmNative.rtm_channel_destroy(Handle);
                Handle = null;
                Client.Channels.Remove(Key);
                FailPending("the channel was disposed");
            }
        }

        internal void FailPending(string why)
        {
            var e = RtmException.Closed(why);
            foreach (var t in Joins) t.TrySetException(e);
            foreach (var t in Leaves) t.TrySetException(e);
            foreach (var t in MemberQueries) t.TrySetException(e);
            Joins.Clear();
            Leaves.Clear();
            MemberQueries.Clear();
            Client.FailChannelSends(this, e);
        }

        public override string ToString() => "RtmChannel[" + Id + "]";
    }
}
