package io.rtmkit.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtmkit.RtmClient;
import io.rtmkit.RtmClientListener;
import io.rtmkit.RtmConfig;
import io.rtmkit.RtmException;
import io.rtmkit.RtmMessage;
import io.rtmkit.RtmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Signaling facade end to end: sessions, messages, channels, invoke, and RTM interop. */
class SignalingTest {
  static Path dir;
  static RtmServer server;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("rtmkit-java-sig-");
    server = RtmServer.start(Map.of("listen", "127.0.0.1:0", "data_dir", dir.toString(), "rate_limits", "off",
        "store_sync", "false", "log_level", "warn"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Records every callback it cares about as a string. */
  static final class Rec implements SignalCallback, RtmClientListener {
    final List<String> events = new ArrayList<>();

    synchronized void add(String e) {
      events.add(e);
    }

    synchronized boolean has(String e) {
      return events.contains(e);
    }

    synchronized boolean hasPrefix(String p) {
      return events.stream().anyMatch(e -> e.startsWith(p));
    }

    void waitFor(String e) {
      waitUntil(e, () -> has(e));
    }

    void waitForPrefix(String p) {
      waitUntil(p + "…", () -> hasPrefix(p));
    }

    void waitUntil(String what, java.util.function.BooleanSupplier c) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!c.getAsBoolean()) {
        if (System.nanoTime() > until) throw new AssertionError("timed out waiting for " + what + " in " + this);
        try {
          Thread.sleep(10);
        } catch (InterruptedException ex) {
          throw new AssertionError(ex);
        }
      }
    }

    @Override
    public synchronized String toString() {
      return events.toString();
    }

    @Override
    public void onLoginSuccess(long uid, int fd) {
      add("login:" + uid);
    }

    @Override
    public void onLoginFailed(int ecode) {
      add("login_failed:" + Signal.ecodeName(ecode));
    }

    @Override
    public void onLogout(int ecode) {
      add("logout:" + Signal.ecodeName(ecode));
    }

    @Override
    public void onChannelJoined(String channelID) {
      add("joined:" + channelID);
    }

    @Override
    public void onChannelLeaved(String channelID, int ecode) {
      add("leaved:" + channelID + ":" + Signal.ecodeName(ecode));
    }

    @Override
    public void onChannelUserJoined(String account, long uid) {
      add("user_joined:" + account);
    }

    @Override
    public void onChannelUserList(String[] accounts, long[] uids) {
      String[] s = accounts.clone();
      Arrays.sort(s);
      add("user_list:" + String.join(",", s));
    }

    @Override
    public void onMessageInstantReceive(String account, long uid, String msg) {
      add("instant:" + account + ":" + msg);
    }

    @Override
    public void onMessageChannelReceive(String channelID, String account, long uid, String msg) {
      add("channel:" + channelID + ":" + account + ":" + msg);
    }

    @Override
    public void onMessageSendSuccess(String messageID) {
      add("sent:" + messageID);
    }

    @Override
    public void onMessageSendError(String messageID, int ecode) {
      add("send_error:" + messageID + ":" + Signal.ecodeName(ecode));
    }

    @Override
    public void onInvokeRet(String callID, int err, String resp) {
      add("invoke:" + callID + ":" + err + ":" + resp.replace(" ", ""));
    }

    @Override
    public void onQueryUserStatusResult(String account, String status) {
      add("status:" + account + ":" + status);
    }

    @Override
    public void onMessageReceived(RtmMessage message, String peerId) {
      add("rtm:" + peerId + ":" + message.getText());
    }
  }

  @Test
  void signalingEndToEndWithRtmInterop() throws Exception {
    RtmConfig conf = new RtmConfig().appId("sigapp").url(server.url());
    Rec ra = new Rec();
    Rec rb = new Rec();
    Rec rc = new Rec();
    try (Signal a = new Signal(conf, ra); Signal b = new Signal(conf, rb); RtmClient c = new RtmClient(conf, rc)) {
      assertEquals("LOGIN_E_TOKENWRONG", Signal.ecodeName(206));
      assertTrue(Signal.buildToken("sigapp", "0123456789abcdef0123456789abcdef", "sig-a", 2000000000L).startsWith("1:sigapp:2000000000:"));
      assertEquals(0, a.getStatus());
      RtmException e = assertThrows(RtmException.class, () -> a.messageInstantSend(null, "x", ""));
      assertEquals(-1, e.getCode());

      a.login("sig-a", "_no_need_token");
      b.login("sig-b", "_no_need_token");
      ra.waitFor("login:0");
      rb.waitFor("login:0");
      assertEquals(2, a.getStatus());
      assertEquals("sig-a", a.getAccount());
      c.login(null, "rtm-c").get(30, TimeUnit.SECONDS);

      a.messageInstantSend("sig-b", "hi ✓ 😀", "m1");
      rb.waitFor("instant:sig-a:hi ✓ 😀");
      ra.waitFor("sent:m1");
      a.messageInstantSend("bad/account", "x", "m2");
      ra.waitForPrefix("send_error:m2:");
      // interop with an RTM user of the same app, both ways
      a.messageInstantSend("rtm-c", "to rtm", "m3");
      rc.waitFor("rtm:sig-a:to rtm");
      c.sendMessageToPeer("sig-a", RtmMessage.text("from rtm")).get(30, TimeUnit.SECONDS);
      ra.waitFor("instant:rtm-c:from rtm");

      a.channelJoin("sig-room");
      ra.waitFor("joined:sig-room");
      ra.waitFor("user_list:sig-a");
      b.channelJoin("sig-room");
      rb.waitFor("user_list:sig-a,sig-b");
      ra.waitFor("user_joined:sig-b");
      b.messageChannelSend("sig-room", "hello room", "c1");
      ra.waitFor("channel:sig-room:sig-b:hello room");
      rb.waitFor("channel:sig-room:sig-b:hello room"); // the sender gets its own message, as in Signaling

      a.invoke("io.agora.signal.channel_query_num", "{\"name\":\"sig-room\"}", "q1");
      ra.waitFor("invoke:q1:0:{\"num\":2}");
      a.invoke("io.agora.signal.no_such_command", "{}", "q2");
      ra.waitForPrefix("invoke:q2:1002:");
      a.queryUserStatus("sig-b");
      ra.waitFor("status:sig-b:1");
      a.queryUserStatus("nobody-here");
      ra.waitFor("status:nobody-here:0");

      b.channelLeave("sig-room");
      rb.waitFor("leaved:sig-room:LEAVECHANNEL_E_BYUSER");
      a.logout();
      ra.waitFor("logout:LOGOUT_E_USER");
    }
  }

  @Test
  void closedInstancesRefuseCalls() {
    Signal s = new Signal(new RtmConfig().appId("sigapp").url(server.url()), null);
    s.close();
    s.close();
    RtmException e = assertThrows(RtmException.class, () -> s.login("x", "_no_need_token"));
    assertEquals(-4, e.getCode());
    e = assertThrows(RtmException.class, () -> new Signal(new RtmConfig().set("no_such_key", "1"), null));
    assertEquals(-6, e.getCode());
  }
}
