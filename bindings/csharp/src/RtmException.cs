using System;
using RtmKit.Native;

namespace RtmKit
{
    /// <summary>
    /// A failed rtmkit call: a refusal or failure of an RTM operation, with that operation's RTM 1.x
    /// code (<see cref="Code"/> &gt; 0; <see cref="Operation"/> tells which family), or a local error
    /// of the library (<see cref="Code"/> &lt; 0, a <see cref="LocalErrorCode"/>).
    /// </summary>
    public class RtmException : Exception
    {
        public RtmException(int code, Operation? operation, string message) : base(message)
        {
            Code = code;
            Operation = code > 0 ? operation : null;
            CodeName = NameOf(code, Operation);
        }

        /// <summary>The RTM code of the operation (&gt; 0) or a local error (&lt; 0).</summary>
        public int Code { get; }

        /// <summary>The operation whose RTM code this is; null for a local error.</summary>
        public Operation? Operation { get; }

        /// <summary>The C enumerator name, e.g. "RTM_LOGIN_ERR_ALREADY_LOGGED_IN".</summary>
        public string CodeName { get; }

        /// <summary>The local error; null when the code is an operation's RTM code.</summary>
        public LocalErrorCode? LocalError => Code < 0 ? (LocalErrorCode?)Code : null;

        internal static string NameOf(int code, Operation? op)
        {
            if (code > 0 && op.HasValue) return RtmNative.rtm_op_err2name((int)op.Value, code);
            return RtmNative.rtm_err2name(code);
        }

        internal static RtmException Of(int code, Operation? op, string what)
        {
            string last = RtmNative.rtm_last_error();
            string name = NameOf(code, code > 0 ? op : null);
            return new RtmException(code, op, what + ": " + name + " (" + code + ")" + (string.IsNullOrEmpty(last) ? "" : ": " + last));
        }

        internal static void Check(int code, Operation? op, string what)
        {
            if (code != 0) throw Of(code, op, what);
        }

        internal static RtmException Closed(string what) =>
            new RtmException((int)LocalErrorCode.InvalidState, null, what);
    }
}
