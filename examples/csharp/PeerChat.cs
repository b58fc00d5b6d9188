// rtmkit C# example: two users exchange a peer message and meet in a channel.
//
//   mcs -out:PeerChat.exe -r:RtmKit.dll PeerChat.cs && mono PeerChat.exe [ws://host:port]
//   (or dotnet run with a project referencing RtmKit)
//
// Without an argument it starts an rtmd inside the process (RtmKit.RtmServer); with one it uses that
// server (e.g. `rtmd --dev`, app id "demo").
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using RtmKit;

public static class PeerChat
{
    public static int Main(string[] args) => Run(args).GetAwaiter().GetResult();

    static async Task<int> Run(string[] args)
    {
        Console.WriteLine("rtmkit " + RtmKitLibrary.Version);
        string data = Path.Combine(Path.GetTempPath(), "peer-chat-" + Guid.NewGuid().ToString("N"));
        RtmServer server = args.Length > 0 ? null
            : RtmServer.Start(new Dictionary<string, string> { { "listen", "127.0.0.1:0" }, { "data_dir", data } });
        string url = args.Length > 0 ? args[0] : server.Url;
        var conf = new RtmConfig().AppId("demo").Url(url);
        try
        {
            using (var alice = new RtmClient(conf))
            using (var bob = new RtmClient(conf))
            {
                var bobGotIt = new TaskCompletionSource<string>();
                var roomGotIt = new TaskCompletionSource<string>();
                bob.ConnectionStateChanged += (state, reason) => Console.WriteLine("bob: " + state + " (" + reason + ")");
                bob.MessageReceived += (message, peerId) => bobGotIt.TrySetResult(peerId + " says " + message.Text);

                await alice.LoginAsync(null, "alice"); // no token: the app has no certificate
                await bob.LoginAsync(null, "bob");
                Console.WriteLine("result: " + await alice.SendMessageToPeerAsync("bob", RtmMessage.CreateText("hello bob")));
                Console.WriteLine("bob received: " + await bobGotIt.Task);

                RtmChannel aliceRoom = alice.CreateChannel("lobby");
                RtmChannel bobRoom = bob.CreateChannel("lobby");
                bobRoom.MessageReceived += (message, memberId) => roomGotIt.TrySetResult(memberId + " in lobby: " + message.Text);
                await aliceRoom.JoinAsync();
                await bobRoom.JoinAsync();
                Console.WriteLine("members: " + string.Join(", ", await aliceRoom.GetMembersAsync()));
                await aliceRoom.SendMessageAsync(RtmMessage.CreateText("hi all"));
                Console.WriteLine(await roomGotIt.Task);

                try
                {
                    await alice.SendMessageToPeerAsync("nobody", RtmMessage.CreateText("anyone?"));
                }
                catch (RtmException e)
                {
                    Console.WriteLine("to nobody: " + e.CodeName + " (" + e.Code + ")");
                }
                await alice.LogoutAsync();
                await bob.LogoutAsync();
            }
            return 0;
        }
        finally
        {
            server?.Dispose();
            if (Directory.Exists(data)) Directory.Delete(data, true);
        }
    }
}
