using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RtmKit.Tests
{
    /// <summary>Dispatcher thread, GC pressure, exceptions in handlers, dispose while handlers run.</summary>
    [Fixture]
    public class LifecycleTests : WithServer
    {
        [FixtureSetUp] public static void Start() => StartServer();
        [FixtureTearDown] public static void Stop() => StopServer();

        // Creates a client whose only references to its handlers are the events themselves.
        static RtmClient Receiver(Func<int> onMessage)
        {
            var c = new RtmClient(T.Config(Server));
            c.MessageReceived += (m, peer) =>
            {
                var garbage = new byte[4096];
                garbage[0] = 1;
                onMessage();
            };
            return c;
        }

        [Test]
        public void HandlersUnderGcPressure()
        {
            const int n = 2000;
            int received = 0, channelReceived = 0;
            var threads = new HashSet<int>();
            var a = new RtmClient(T.Config(Server));
            var b = Receiver(() =>
            {
                lock (threads) threads.Add(Thread.CurrentThread.ManagedThreadId);
                return Interlocked.Increment(ref received);
            });
            try
            {
                T.Await(a.LoginAsync(null, "gc-a"));
                T.Await(b.LoginAsync(null, "gc-b"));
                var cha = a.CreateChannel("gc-room");
                var chb = b.CreateChannel("gc-room");
                chb.MessageReceived += (m, member) => Interlocked.Increment(ref channelReceived);
                T.Await(cha.JoinAsync());
                T.Await(chb.JoinAsync());
                chb = null; // only the client keeps the channel and its handler now
                var stop = 0;
                var gc = new Thread(() =>
                {
                    while (Volatile.Read(ref stop) == 0)
                    {
                        var junk = new List<byte[]>();
                        for (int i = 0; i < 200; i++) junk.Add(new byte[16384]);
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                    }
                });
                gc.Start();
                var sent = new List<Task>();
                for (int i = 0; i < n; i++)
                {
                    sent.Add(a.SendMessageToPeerAsync("gc-b", RtmMessage.CreateText("m" + i)));
                    if (i % 10 == 0) sent.Add(cha.SendMessageAsync(RtmMessage.CreateText("c" + i)));
                    if (sent.Count >= 500)
                    {
                        foreach (var t in sent) T.Await(t);
                        sent.Clear();
                    }
                }
                foreach (var t in sent) T.Await(t);
                T.WaitFor("all peer messages", () => Volatile.Read(ref received) == n);
                T.WaitFor("all channel messages", () => Volatile.Read(ref channelReceived) == n / 10);
                Volatile.Write(ref stop, 1);
                gc.Join();
                lock (threads) T.Equal(1, threads.Count);
                T.True(!threads.Contains(Thread.CurrentThread.ManagedThreadId), "handlers on the dispatcher thread");
            }
            finally
            {
                a.Dispose();
                b.Dispose();
            }
        }

        [Test]
        public void ExceptionsInHandlersAreReportedAndTheClientKeepsRunning()
        {
            var reported = new List<Exception>();
            int calls = 0;
            using (var a = new RtmClient(T.Config(Server)))
            using (var b = new RtmClient(T.Config(Server)))
            {
                b.CallbackException += e => { lock (reported) reported.Add(e); };
                b.MessageReceived += (m, peer) =>
                {
                    Interlocked.Increment(ref calls);
                    if (m.Text.StartsWith("throw")) throw new InvalidOperationException("thrown by the handler: " + m.Text);
                };
                T.Await(a.LoginAsync(null, "ex-a"));
                T.Await(b.LoginAsync(null, "ex-b"));
                foreach (var t in new[] { "throw 1", "fine 1", "throw 2", "fine 2" }) T.Await(a.SendMessageToPeerAsync("ex-b", RtmMessage.CreateText(t)));
                T.WaitFor("four calls", () => Volatile.Read(ref calls) == 4);
                T.WaitFor("two reports", () => { lock (reported) return reported.Count == 2; });
                lock (reported)
                {
                    T.True(reported[0] is InvalidOperationException, reported[0].ToString());
                    T.Equal("thrown by the handler: throw 2", reported[1].Message);
                }
                T.Equal(PeerMessageErrorCode.Ok, T.Await(b.SendMessageToPeerAsync("ex-a", RtmMessage.CreateText("still here"))));
                T.Equal(ConnectionState.Connected, b.ConnectionState);
            }
        }

        [Test]
        public void DisposeWhileHandlersAreInFlight()
        {
            var entered = new ManualResetEventSlim();
            var release = new ManualResetEventSlim();
            int running = 0, after = 0, disposed = 0;
            var a = new RtmClient(T.Config(Server));
            var b = new RtmClient(T.Config(Server));
            b.MessageReceived += (m, peer) =>
            {
                if (Volatile.Read(ref disposed) != 0) Interlocked.Increment(ref after);
                Interlocked.Increment(ref running);
                entered.Set();
                release.Wait(T.WaitMs);
                Thread.Sleep(50);
                Interlocked.Decrement(ref running);
            };
            try
            {
                T.Await(a.LoginAsync(null, "fl-a"));
                T.Await(b.LoginAsync(null, "fl-b"));
                for (int i = 0; i < 200; i++) a.SendMessageToPeerAsync("fl-b", RtmMessage.CreateText("m" + i));
                T.True(entered.Wait(T.WaitMs), "a handler started");
                var pending = b.QueryPeersOnlineStatusAsync(new[] { "fl-a" });
                var closer = new Thread(() =>
                {
                    b.Dispose();
                    Volatile.Write(ref disposed, 1);
                });
                closer.Start();
                Thread.Sleep(100); // let Dispose reach the native destroy, which waits for the handler
                release.Set();
                T.True(closer.Join(T.WaitMs), "Dispose returned");
                T.Equal(0, Volatile.Read(ref running));
                Thread.Sleep(200);
                T.Equal(0, Volatile.Read(ref after));
                T.Fails(b.LogoutAsync(), (int)LocalErrorCode.InvalidState, null);
                T.True(pending.IsCompleted, "the pending task was settled");
                b.Dispose();
            }
            finally
            {
                a.Dispose();
                b.Dispose();
            }
        }

        [Test]
        public void DisposeFromItsOwnHandlerIsRefused()
        {
            var outcome = new TaskCompletionSource<Exception>();
            using (var a = new RtmClient(T.Config(Server)))
            {
                var self = new RtmClient(T.Config(Server));
                self.MessageReceived += (m, peer) =>
                {
                    try
                    {
                        self.Dispose();
                        outcome.TrySetResult(null);
                    }
                    catch (Exception ex)
                    {
                        outcome.TrySetResult(ex);
                    }
                };
                T.Await(a.LoginAsync(null, "self-a"));
                T.Await(self.LoginAsync(null, "self-b"));
                T.Await(a.SendMessageToPeerAsync("self-b", RtmMessage.CreateText("dispose yourself")));
                var e = T.Await(outcome.Task) as RtmException;
                T.True(e != null, "an RtmException");
                T.Equal((int)LocalErrorCode.InvalidState, e.Code);
                T.Equal(ConnectionState.Connected, self.ConnectionState);
                self.Dispose();
            }
        }

        [Test]
        public void DisposedClientsAreCollected()
        {
            var refs = new List<WeakReference>();
            for (int i = 0; i < 20; i++) MakeAndDispose(refs);
            T.WaitFor("clients collected after Dispose", () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return refs.All(r => !r.IsAlive);
            });
        }

        static void MakeAndDispose(List<WeakReference> refs)
        {
            var c = new RtmClient(T.Config(Server));
            c.MessageReceived += (m, p) => { };
            refs.Add(new WeakReference(c));
            c.Dispose();
        }
    }
}
