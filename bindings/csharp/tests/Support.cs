using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RtmKit.Tests
{
    public class AssertionException : Exception
    {
        public AssertionException(string message) : base(message) { }
    }

    /// <summary>Assertions, an embedded rtmd per fixture, clients that record events, generous waits.</summary>
    public static class T
    {
        public const int WaitMs = 30000;

        public static void Equal<X>(X expected, X actual, string what = "")
        {
            if (!EqualityComparer<X>.Default.Equals(expected, actual))
                throw new AssertionException("expected <" + expected + "> but was <" + actual + "> " + what);
        }

        public static void True(bool cond, string what = "")
        {
            if (!cond) throw new AssertionException("expected true: " + what);
        }

        public static E Throws<E>(Action a) where E : Exception
        {
            try
            {
                a();
            }
            catch (E e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionException("expected " + typeof(E).Name + " but got " + e);
            }
            throw new AssertionException("expected " + typeof(E).Name + ", nothing was thrown");
        }

        public static X Await<X>(Task<X> t)
        {
            Await((Task)t);
            return t.Result;
        }

        public static void Await(Task t)
        {
            if (!t.Wait(WaitMs)) throw new AssertionException("no outcome within " + WaitMs + " ms");
        }

        /// <summary>The task fails with an RtmException of this code (and operation, for codes &gt; 0).</summary>
        public static RtmException Fails(Task t, int code, Operation? op)
        {
            try
            {
                if (!t.Wait(WaitMs)) throw new AssertionException("no outcome within " + WaitMs + " ms");
            }
            catch (AggregateException a)
            {
                var e = a.InnerException as RtmException;
                if (e == null) throw new AssertionException("expected an RtmException, got " + a.InnerException);
                Equal(code, e.Code, e.Message);
                if (code > 0) Equal(op, e.Operation);
                return e;
            }
            throw new AssertionException("expected failure " + code + ", the task succeeded");
        }

        public static void WaitFor(string what, Func<bool> cond)
        {
            var until = DateTime.UtcNow.AddMilliseconds(WaitMs);
            while (!cond())
            {
                if (DateTime.UtcNow > until) throw new AssertionException("timed out waiting for " + what);
                Thread.Sleep(10);
            }
        }

        public static string TempDir()
        {
            string d = Path.Combine(Path.GetTempPath(), "rtmkit-cs-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(d);
            return d;
        }

        public static RtmServer Server(string dir, params string[] extra)
        {
            var conf = new Dictionary<string, string>
            {
                { "listen", "127.0.0.1:0" }, { "data_dir", dir }, { "rate_limits", "off" },
                { "store_sync", "false" }, { "log_level", "warn" },
            };
            for (int i = 0; i + 1 < extra.Length; i += 2) conf[extra[i]] = extra[i + 1];
            return RtmServer.Start(conf);
        }

        public static RtmConfig Config(RtmServer s) => new RtmConfig().AppId("testapp").Url(s.Url);
    }

    /// <summary>Events recorded as strings, with the thread they ran on.</summary>
    public sealed class Events
    {
        private readonly List<string> events = new List<string>();
        public readonly List<int> Threads = new List<int>();
        public readonly List<RtmMessage> Messages = new List<RtmMessage>();
        public readonly List<RemoteInvitation> Remote = new List<RemoteInvitation>();

        public void Add(string e)
        {
            lock (this)
            {
                events.Add(e);
                Threads.Add(Thread.CurrentThread.ManagedThreadId);
            }
        }

        public bool Has(string e) { lock (this) return events.Contains(e); }
        public int Count(string prefix) { lock (this) return events.Count(x => x.StartsWith(prefix, StringComparison.Ordinal)); }
        public List<string> Snapshot() { lock (this) return events.ToList(); }
        public void WaitFor(string e) => T.WaitFor(e + " in " + this, () => Has(e));
        public void WaitFor(string prefix, int n) => T.WaitFor(n + " x " + prefix + " in " + this, () => Count(prefix) >= n);
        public override string ToString() { lock (this) return "[" + string.Join(", ", events) + "]"; }

        /// <summary>Records every event of a client.</summary>
        public static Events Of(RtmClient c)
        {
            var r = new Events();
            c.ConnectionStateChanged += (s, why) => r.Add("state:" + s + ":" + why);
            c.MessageReceived += (m, peer) =>
            {
                lock (r) r.Messages.Add(m);
                r.Add("peer:" + peer + ":" + m.Text);
            };
            c.TokenExpired += () => r.Add("token_expired");
            c.TokenPrivilegeWillExpire += () => r.Add("token_will_expire");
            c.PeersOnlineStatusChanged += d =>
            {
                foreach (var kv in d) r.Add("online:" + kv.Key + ":" + kv.Value);
            };
            c.LocalInvitationReceivedByPeer += i => r.Add("li_received:" + i.CalleeId);
            c.LocalInvitationAccepted += (i, resp) => r.Add("li_accepted:" + resp);
            c.LocalInvitationRefused += (i, resp) => r.Add("li_refused:" + resp);
            c.LocalInvitationCanceled += i => r.Add("li_canceled");
            c.LocalInvitationFailure += (i, code) => r.Add("li_failure:" + code);
            c.RemoteInvitationReceived += i =>
            {
                lock (r) r.Remote.Add(i);
                r.Add("ri_received:" + i.CallerId + ":" + i.Content + ":" + i.ChannelId);
            };
            c.RemoteInvitationAccepted += i => r.Add("ri_accepted");
            c.RemoteInvitationRefused += i => r.Add("ri_refused");
            c.RemoteInvitationCanceled += i => r.Add("ri_canceled");
            c.RemoteInvitationFailure += (i, code) => r.Add("ri_failure:" + code);
            return r;
        }

        /// <summary>Records every event of a channel.</summary>
        public static Events Of(RtmChannel ch)
        {
            var r = new Events();
            ch.MessageReceived += (m, member) =>
            {
                lock (r) r.Messages.Add(m);
                r.Add("msg:" + member + ":" + m.Text);
            };
            ch.MemberJoined += m => r.Add("joined:" + m);
            ch.MemberLeft += m => r.Add("left:" + m);
            ch.MemberCountUpdated += n => r.Add("count:" + n);
            ch.AttributesUpdated += a => r.Add("attrs:" + string.Concat(a.Select(x => x.Key + "=" + x.Value + ",")));
            return r;
        }
    }
}
