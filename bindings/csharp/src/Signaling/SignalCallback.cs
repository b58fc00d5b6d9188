using System;

namespace RtmKit.Signaling
{
    /// <summary>
    /// The events of a <see cref="Signal"/> instance: the legacy Signaling SDK's ICallBack, with the same
    /// names and arguments. Override what you need. Every method runs on the instance's dispatcher thread,
    /// one at a time, in order; error numbers are AGORA_E_CODE values (<see cref="Signal.EcodeName"/>);
    /// legacy uids are always 0. An exception thrown here goes to <see cref="Signal.CallbackException"/>.
    /// </summary>
    public class SignalCallback
    {
        public virtual void OnLoginSuccess(long uid, int fd) { }
        public virtual void OnLoginFailed(int ecode) { }
        public virtual void OnLogout(int ecode) { }
        public virtual void OnReconnecting(long nretry) { }
        public virtual void OnReconnected(int fd) { }
        public virtual void OnChannelJoined(string channelID) { }
        public virtual void OnChannelJoinFailed(string channelID, int ecode) { }
        public virtual void OnChannelLeaved(string channelID, int ecode) { }
        public virtual void OnChannelUserJoined(string account, long uid) { }
        public virtual void OnChannelUserLeaved(string account, long uid) { }
        public virtual void OnChannelUserList(string[] accounts, long[] uids) { }
        public virtual void OnChannelAttrUpdated(string channelID, string name, string value, string type) { }
        public virtual void OnChannelQueryUserNumResult(string channelID, int ecode, int num) { }
        public virtual void OnChannelQueryUserIsIn(string channelID, string account, int isIn) { }
        public virtual void OnMessageInstantReceive(string account, long uid, string msg) { }
        public virtual void OnMessageChannelReceive(string channelID, string account, long uid, string msg) { }
        public virtual void OnMessageSendSuccess(string messageID) { }
        public virtual void OnMessageSendError(string messageID, int ecode) { }
        public virtual void OnInviteReceived(string channelID, string account, long uid, string extra) { }
        public virtual void OnInviteReceivedByPeer(string channelID, string account, long uid) { }
        public virtual void OnInviteAcceptedByPeer(string channelID, string account, long uid, string extra) { }
        public virtual void OnInviteRefusedByPeer(string channelID, string account, long uid, string extra) { }
        public virtual void OnInviteFailed(string channelID, string account, long uid, int ecode, string extra) { }
        public virtual void OnInviteEndByPeer(string channelID, string account, long uid, string extra) { }
        public virtual void OnInviteEndByMyself(string channelID, string account, long uid) { }
        public virtual void OnInviteMsg(string channelID, string account, long uid, string msgType, string msgData, string extra) { }
        public virtual void OnInvokeRet(string callID, int err, string resp) { }
        public virtual void OnQueryUserStatusResult(string account, string status) { }
        public virtual void OnUserAttrResult(string account, string name, string value) { }
        public virtual void OnUserAttrAllResult(string account, string value) { }
        public virtual void OnError(string name, int ecode, string desc) { }
    }
}
