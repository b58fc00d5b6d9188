package io.rtmkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by CTest (java_packaged_jar) with only the packaged jar and this class on the class path and
 * no library path: the natives must come out of the jar, and a message must go end to end.
 */
public final class PackagedJarCheck {
  public static void main(String[] args) throws Exception {
    String source = RtmKit.nativeSource();
    if (!source.startsWith("jar:rtmkit-")) {
      System.err.println("FAIL: natives loaded from " + source + ", not from the jar");
      System.exit(1);
    }
    Path dir = Files.createTempDirectory("rtmkit-jar-check-");
    try (RtmServer server = RtmServer.start(Map.of("listen", "127.0.0.1:0", "data_dir", dir.toString(), "log_level", "warn"))) {
      CompletableFuture<String> got = new CompletableFuture<>();
      RtmConfig conf = new RtmConfig().appId("jarcheck").url(server.url());
      try (RtmClient a = new RtmClient(conf, null);
           RtmClient b = new RtmClient(conf, new RtmClientListener() {
             @Override
             public void onMessageReceived(RtmMessage message, String peerId) {
               got.complete(peerId + ":" + message.getText());
             }
           })) {
        a.login(null, "jar-a").get(30, TimeUnit.SECONDS);
        b.login(null, "jar-b").get(30, TimeUnit.SECONDS);
        a.sendMessageToPeer("jar-b", RtmMessage.text("from the jar")).get(30, TimeUnit.SECONDS);
        String m = got.get(30, TimeUnit.SECONDS);
        if (!m.equals("jar-a:from the jar")) {
          System.err.println("FAIL: received " + m);
          System.exit(1);
        }
      }
    } finally {
      TestSupport.deleteTree(dir);
    }
    System.out.println("packaged jar: natives from " + source + ", rtmkit " + RtmKit.version() + ": 1 passed, 0 failed");
  }
}
