package io.rtmkit;

import static io.rtmkit.TestSupport.assertFails;
import static io.rtmkit.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence: query, subscribe, changes, query by option, unsubscribe. */
class PresenceTest {
  static Path dir;
  static RtmServer server;

  @BeforeAll
  static void start() {
    dir = TestSupport.tempDir();
    server = TestSupport.server(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
    TestSupport.deleteTree(dir);
  }

  @Test
  void queryAndSubscribe() {
    TestSupport.Recorder rw = new TestSupport.Recorder();
    try (RtmClient w = new RtmClient(TestSupport.config(server), rw);
         RtmClient p = new RtmClient(TestSupport.config(server), null)) {
      List<String> both = List.of("pr-peer", "pr-nobody");
      assertFails(w.queryPeersOnlineStatus(both), QueryPeersOnlineStatusErrorCode.USER_NOT_LOGGED_IN.value(),
          Operation.QUERY_PEERS_ONLINE_STATUS);
      assertFails(w.subscribePeersOnlineStatus(both), PeerSubscriptionStatusErrorCode.USER_NOT_LOGGED_IN.value(),
          Operation.PEER_SUBSCRIPTION);
      await(w.login(null, "pr-watcher"));
      await(p.login(null, "pr-peer"));
      assertFails(w.queryPeersOnlineStatus(List.of("bad/peer")), QueryPeersOnlineStatusErrorCode.INVALID_ARGUMENT.value(),
          Operation.QUERY_PEERS_ONLINE_STATUS);
      assertFails(w.queryPeersOnlineStatus(List.of()), QueryPeersOnlineStatusErrorCode.INVALID_ARGUMENT.value(),
          Operation.QUERY_PEERS_ONLINE_STATUS);
      assertFails(w.subscribePeersOnlineStatus(List.of("bad/peer")), PeerSubscriptionStatusErrorCode.INVALID_ARGUMENT.value(),
          Operation.PEER_SUBSCRIPTION);
      assertThrows(NullPointerException.class, () -> w.queryPeersOnlineStatus(null));

      Map<String, PeerOnlineState> st = await(w.queryPeersOnlineStatus(both));
      assertEquals(PeerOnlineState.ONLINE, st.get("pr-peer"));
      assertEquals(PeerOnlineState.OFFLINE, st.get("pr-nobody"));

      await(w.subscribePeersOnlineStatus(both));
      rw.waitFor("online:pr-peer:ONLINE");
      assertEquals(Set.of("pr-peer", "pr-nobody"),
          await(w.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)));
      await(p.logout());
      rw.waitFor("online:pr-peer:OFFLINE");
      await(w.unsubscribePeersOnlineStatus(List.of("pr-peer")));
      assertEquals(Set.of("pr-nobody"), await(w.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)));
    }
  }
}
