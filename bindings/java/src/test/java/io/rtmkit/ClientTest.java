package io.rtmkit;

import static io.rtmkit.TestSupport.assertFails;
import static io.rtmkit.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login, logout, state, peer messages, tokens, configuration errors. */
class ClientTest {
  static final String CERT = "0123456789abcdef0123456789abcdef";
  static Path dir;
  static RtmServer server;

  @BeforeAll
  static void start() {
    dir = TestSupport.tempDir();
    server = TestSupport.server(dir, "apps", "testapp,certapp:" + CERT);
  }

  @AfterAll
  static void stop() {
    server.close();
    TestSupport.deleteTree(dir);
  }

  @Test
  void versionAndNativeSource() {
    String expected = System.getenv("RTMKIT_EXPECTED_VERSION");
    if (expected != null) assertEquals(expected, RtmKit.version());
    assertTrue(RtmKit.version().matches("\\d+\\.\\d+\\.\\d+"), RtmKit.version());
    assertEquals(1, RtmKit.abiVersion());
    assertEquals("system", RtmKit.nativeSource());
  }

  @Test
  void loginLogoutStateAndRefusals() {
    TestSupport.Recorder r = new TestSupport.Recorder();
    try (RtmClient c = new RtmClient(TestSupport.config(server), r)) {
      assertEquals(ConnectionState.DISCONNECTED, c.getConnectionState());
      assertEquals("", c.getUserId());
      assertFails(c.logout(), LogoutErrorCode.USER_NOT_LOGGED_IN.value(), Operation.LOGOUT);
      assertFails(c.renewToken("x"), RenewTokenErrorCode.USER_NOT_LOGGED_IN.value(), Operation.RENEW_TOKEN);
      assertFails(c.login(null, "bad/user"), LoginErrorCode.INVALID_ARGUMENT.value(), Operation.LOGIN);
      RtmException e = assertFails(c.login(null, null), LoginErrorCode.INVALID_ARGUMENT.value(), Operation.LOGIN);
      assertEquals("RTM_LOGIN_ERR_INVALID_ARGUMENT", e.getCodeName());
      assertTrue(e.getMessage().contains("RTM_LOGIN_ERR_INVALID_ARGUMENT"), e.getMessage());
      assertFails(c.sendMessageToPeer("bob", RtmMessage.text("x")), PeerMessageErrorCode.USER_NOT_LOGGED_IN.value(),
          Operation.SEND_PEER_MESSAGE);

      await(c.login(null, "alice"));
      assertEquals(ConnectionState.CONNECTED, c.getConnectionState());
      assertEquals("alice", c.getUserId());
      r.waitFor("state:CONNECTED:LOGIN_SUCCESS");
      assertEquals(List.of("state:CONNECTING:LOGIN", "state:CONNECTED:LOGIN_SUCCESS"), r.snapshot());
      for (String t : r.threads) assertEquals("rtm-dispatch", t);
      assertFails(c.login(null, "alice"), LoginErrorCode.ALREADY_LOGGED_IN.value(), Operation.LOGIN);

      await(c.logout());
      r.waitFor("state:DISCONNECTED:LOGOUT");
      assertEquals(ConnectionState.DISCONNECTED, c.getConnectionState());
    }
  }

  @Test
  void peerMessagesTextRawUnicodeAndOffline() {
    TestSupport.Recorder ra = new TestSupport.Recorder();
    TestSupport.Recorder rb = new TestSupport.Recorder();
    try (RtmClient a = new RtmClient(TestSupport.config(server), ra);
         RtmClient b = new RtmClient(TestSupport.config(server), rb)) {
      await(a.login(null, "p-alice"));
      await(b.login("", "p-bob"));

      String unicode = "héllo 世界 😀 \u0000end".replace("\u0000", "");
      assertEquals(PeerMessageErrorCode.OK, await(a.sendMessageToPeer("p-bob", RtmMessage.text(unicode))));
      rb.waitFor("peer:p-alice:" + unicode);

      byte[] payload = new byte[256];
      for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
      await(a.sendMessageToPeer("p-bob", RtmMessage.raw(payload, "bin"), new SendMessageOptions(false, true)));
      rb.waitFor("peer:p-alice:bin");
      RtmMessage got;
      synchronized (rb) {
        got = rb.messages.get(1);
      }
      assertEquals(MessageType.RAW, got.getMessageType());
      assertArrayEquals(payload, got.getRawMessage());
      assertTrue(got.getMessageId() != 0);
      assertTrue(got.getServerReceivedTs() > 0);
      assertFalse(got.isOfflineMessage());

      // refusals, each with its code
      assertFails(a.sendMessageToPeer("no/such user", RtmMessage.text("x")), PeerMessageErrorCode.INVALID_USERID.value(),
          Operation.SEND_PEER_MESSAGE);
      assertFails(a.sendMessageToPeer(null, RtmMessage.text("x")), PeerMessageErrorCode.INVALID_USERID.value(),
          Operation.SEND_PEER_MESSAGE);
      assertFails(a.sendMessageToPeer("p-bob", RtmMessage.raw(new byte[40000])), PeerMessageErrorCode.INVALID_MESSAGE.value(),
          Operation.SEND_PEER_MESSAGE);
      assertThrows(NullPointerException.class, () -> a.sendMessageToPeer("p-bob", null));
      // an offline peer: unreachable, or cached with offline messaging
      assertFails(a.sendMessageToPeer("p-carol", RtmMessage.text("lost")), PeerMessageErrorCode.PEER_UNREACHABLE.value(),
          Operation.SEND_PEER_MESSAGE);
      assertEquals(PeerMessageErrorCode.CACHED_BY_SERVER,
          await(a.sendMessageToPeer("p-carol", RtmMessage.text("kept"), new SendMessageOptions(true, false))));
      TestSupport.Recorder rc = new TestSupport.Recorder();
      try (RtmClient carol = new RtmClient(TestSupport.config(server), rc)) {
        await(carol.login(null, "p-carol"));
        rc.waitFor("peer:p-alice:kept");
        synchronized (rc) {
          assertTrue(rc.messages.get(0).isOfflineMessage());
        }
      }
    }
  }

  @Test
  void burstOfMessagesArrivesInOrder() {
    TestSupport.Recorder rb = new TestSupport.Recorder();
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(TestSupport.config(server), rb)) {
      await(a.login(null, "burst-a"));
      await(b.login(null, "burst-b"));
      List<CompletableFuture<PeerMessageErrorCode>> sent = new ArrayList<>();
      for (int i = 0; i < 300; i++) sent.add(a.sendMessageToPeer("burst-b", RtmMessage.text("m" + i)));
      for (CompletableFuture<PeerMessageErrorCode> f : sent) assertEquals(PeerMessageErrorCode.OK, await(f));
      rb.waitForPrefix("peer:burst-a:", 300);
      List<String> ev = new ArrayList<>();
      for (String e : rb.snapshot()) if (e.startsWith("peer:")) ev.add(e);
      for (int i = 0; i < 300; i++) assertEquals("peer:burst-a:m" + i, ev.get(i));
    }
  }

  @Test
  void tokensAndRenew() {
    TestSupport.Recorder r = new TestSupport.Recorder();
    RtmConfig conf = new RtmConfig().appId("certapp").url(server.url());
    try (RtmClient c = new RtmClient(conf, r)) {
      assertFails(c.login(null, "t-alice"), LoginErrorCode.INVALID_TOKEN.value(), Operation.LOGIN);
      String other = RtmKit.buildToken007("certapp", CERT, "t-bob", 3600);
      assertFails(c.login(other, "t-alice"), LoginErrorCode.INVALID_TOKEN.value(), Operation.LOGIN);
      String t007 = RtmKit.buildToken007("certapp", CERT, "t-alice", 3600);
      assertTrue(t007.startsWith("007"));
      await(c.login(t007, "t-alice"));
      String t006 = RtmKit.buildToken006("certapp", CERT, "t-alice");
      assertTrue(t006.startsWith("006"));
      await(c.renewToken(t006));
      assertFails(c.renewToken("007garbage"), RenewTokenErrorCode.INVALID_TOKEN.value(), Operation.RENEW_TOKEN);
      assertFails(c.renewToken(""), RenewTokenErrorCode.INVALID_ARGUMENT.value(), Operation.RENEW_TOKEN);
    }
    RtmException e = assertThrows(RtmException.class, () -> RtmKit.buildToken007("", "", "u", 10));
    assertEquals(LocalErrorCode.TOKEN.value(), e.getCode());
    assertEquals(LocalErrorCode.TOKEN, e.getLocalError());
  }

  @Test
  void configurationErrors() {
    RtmException e = assertThrows(RtmException.class, () -> new RtmClient(new RtmConfig().set("no_such_key", "1"), null));
    assertEquals(LocalErrorCode.UNKNOWN_KEY.value(), e.getCode());
    e = assertThrows(RtmException.class, () -> new RtmClient(new RtmConfig().set("login_timeout_ms", "soon"), null));
    assertEquals(LocalErrorCode.INVALID_VALUE.value(), e.getCode());
    e = assertThrows(RtmException.class,
        () -> new RtmClient(new RtmConfig().set("reconnect_min_ms", "5000").set("reconnect_max_ms", "1000"), null));
    assertEquals(LocalErrorCode.INVALID_VALUE.value(), e.getCode());
    assertThrows(IllegalArgumentException.class, () -> new RtmConfig().set("callback.dispatch", "poll"));
    new RtmConfig().set("callback.dispatch", "thread");
    e = assertThrows(RtmException.class, () -> RtmKit.setLogLevel("loud"));
    assertEquals(LocalErrorCode.INVALID_VALUE.value(), e.getCode());
    e = assertThrows(RtmException.class, () -> TestSupport.server(dir, "no_such_key", "1"));
    assertEquals(LocalErrorCode.UNKNOWN_KEY.value(), e.getCode());
    // a second server on the port of the first cannot start
    e = assertThrows(RtmException.class, () -> TestSupport.server(dir, "listen", "127.0.0.1:" + server.port()));
    assertEquals(LocalErrorCode.SERVER_START.value(), e.getCode());
  }

  @Test
  void loginTimeoutAndUnreachableServer() {
    RtmConfig conf = new RtmConfig().appId("testapp").url("ws://127.0.0.1:1").set("login_timeout_ms", "1500");
    TestSupport.Recorder r = new TestSupport.Recorder();
    try (RtmClient c = new RtmClient(conf, r)) {
      assertFails(c.login(null, "lonely"), LoginErrorCode.TIMEOUT.value(), Operation.LOGIN);
    }
  }
}
