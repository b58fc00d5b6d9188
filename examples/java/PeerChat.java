// rtmkit Java example: two users exchange a peer message and meet in a channel.
//
//   java -cp rtmkit-java.jar:. PeerChat [ws://host:port]
//
// Without an argument it starts an rtmd inside the process (io.rtmkit.RtmServer); with one it uses
// that server (e.g. `rtmd --dev`, app id "demo").
import io.rtmkit.ConnectionChangeReason;
import io.rtmkit.ConnectionState;
import io.rtmkit.RtmChannel;
import io.rtmkit.RtmChannelListener;
import io.rtmkit.RtmClient;
import io.rtmkit.RtmClientListener;
import io.rtmkit.RtmConfig;
import io.rtmkit.RtmException;
import io.rtmkit.RtmKit;
import io.rtmkit.RtmMessage;
import io.rtmkit.RtmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

public class PeerChat {
  public static void main(String[] args) throws Exception {
    System.out.println("rtmkit " + RtmKit.version());
    Path data = Files.createTempDirectory("peer-chat-");
    RtmServer server = args.length > 0 ? null : RtmServer.start(Map.of("listen", "127.0.0.1:0", "data_dir", data.toString()));
    String url = args.length > 0 ? args[0] : server.url();
    RtmConfig conf = new RtmConfig().appId("demo").url(url);

    CompletableFuture<String> bobGotIt = new CompletableFuture<>();
    CompletableFuture<String> roomGotIt = new CompletableFuture<>();
    RtmClientListener bobListener = new RtmClientListener() {
      @Override
      public void onConnectionStateChanged(ConnectionState state, ConnectionChangeReason reason) {
        System.out.println("bob: " + state + " (" + reason + ")");
      }

      @Override
      public void onMessageReceived(RtmMessage message, String peerId) {
        bobGotIt.complete(peerId + " says " + message.getText());
      }
    };
    try (RtmClient alice = new RtmClient(conf, null); RtmClient bob = new RtmClient(conf, bobListener)) {
      alice.login(null, "alice").get(10, TimeUnit.SECONDS); // no token: the app has no certificate
      bob.login(null, "bob").get(10, TimeUnit.SECONDS);

      System.out.println("result: " + alice.sendMessageToPeer("bob", RtmMessage.text("hello bob")).get(10, TimeUnit.SECONDS));
      System.out.println("bob received: " + bobGotIt.get(10, TimeUnit.SECONDS));

      RtmChannel aliceRoom = alice.createChannel("lobby", null);
      RtmChannel bobRoom = bob.createChannel("lobby", new RtmChannelListener() {
        @Override
        public void onMessageReceived(RtmMessage message, String memberId) {
          roomGotIt.complete(memberId + " in lobby: " + message.getText());
        }
      });
      aliceRoom.join().get(10, TimeUnit.SECONDS);
      bobRoom.join().get(10, TimeUnit.SECONDS);
      System.out.println("members: " + aliceRoom.getMembers().get(10, TimeUnit.SECONDS));
      aliceRoom.sendMessage(RtmMessage.text("hi all")).get(10, TimeUnit.SECONDS);
      System.out.println(roomGotIt.get(10, TimeUnit.SECONDS));

      try {
        alice.sendMessageToPeer("nobody", RtmMessage.text("anyone?")).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        RtmException r = (RtmException) e.getCause();
        System.out.println("to nobody: " + r.getCodeName() + " (" + r.getCode() + ")");
      }
      alice.logout().get(10, TimeUnit.SECONDS);
      bob.logout().get(10, TimeUnit.SECONDS);
    } finally {
      if (server != null) server.close();
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
