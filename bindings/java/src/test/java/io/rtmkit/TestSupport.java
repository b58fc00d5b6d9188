package io.rtmkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** An embedded rtmd per test class, clients that record their events, and generous waits. */
final class TestSupport {
  static final long WAIT_S = 30;

  private TestSupport() {}

  static Path tempDir() {
    try {
      return Files.createTempDirectory("rtmkit-java-test-");
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  /** A server with rate limits off, on an ephemeral port; extra keys as pairs. */
  static RtmServer server(Path dir, String... extra) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("listen", "127.0.0.1:0");
    conf.put("data_dir", dir.toString());
    conf.put("rate_limits", "off");
    conf.put("store_sync", "false");
    conf.put("log_level", "warn");
    for (int i = 0; i + 1 < extra.length; i += 2) conf.put(extra[i], extra[i + 1]);
    return RtmServer.start(conf);
  }

  static RtmConfig config(RtmServer server) {
    return new RtmConfig().appId("testapp").url(server.url());
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(WAIT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
      throw new RuntimeException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no outcome within " + WAIT_S + " s", e);
    }
  }

  /** The future fails with an RtmException of this code (and operation, for codes &gt; 0). */
  static RtmException assertFails(CompletableFuture<?> f, int code, Operation op) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_S, TimeUnit.SECONDS));
    RtmException r = assertInstanceOf(RtmException.class, e.getCause());
    assertEquals(code, r.getCode(), r.getMessage());
    if (code > 0) assertEquals(op, r.getOperation());
    return r;
  }

  static void waitFor(String what, BooleanSupplier cond) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > until) throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Recorded events, for assertions from the test thread. */
  static class Events {
    final List<String> events = new ArrayList<>();
    final List<RtmMessage> messages = new ArrayList<>();
    final List<String> threads = new ArrayList<>();

    synchronized void add(String e) {
      events.add(e);
      threads.add(Thread.currentThread().getName());
      notifyAll();
    }

    synchronized boolean has(String e) {
      return events.contains(e);
    }

    synchronized List<String> snapshot() {
      return new ArrayList<>(events);
    }

    synchronized int count(String prefix) {
      int n = 0;
      for (String e : events) if (e.startsWith(prefix)) n++;
      return n;
    }

    void waitFor(String e) {
      TestSupport.waitFor(e + " in " + this, () -> has(e));
    }

    void waitForPrefix(String prefix, int n) {
      TestSupport.waitFor(n + " x " + prefix + " in " + this, () -> count(prefix) >= n);
    }

    @Override
    public synchronized String toString() {
      return events.toString();
    }
  }

  /** A client and call listener that records everything. */
  static class Recorder extends Events implements RtmClientListener, RtmCallEventListener {

    @Override
    public void onConnectionStateChanged(ConnectionState state, ConnectionChangeReason reason) {
      add("state:" + state + ":" + reason);
    }

    @Override
    public void onMessageReceived(RtmMessage message, String peerId) {
      synchronized (this) {
        messages.add(message);
      }
      add("peer:" + peerId + ":" + message.getText());
    }

    @Override
    public void onTokenExpired() {
      add("token_expired");
    }

    @Override
    public void onTokenPrivilegeWillExpire() {
      add("token_will_expire");
    }

    @Override
    public void onPeersOnlineStatusChanged(Map<String, PeerOnlineState> peersStatus) {
      for (Map.Entry<String, PeerOnlineState> e : peersStatus.entrySet()) add("online:" + e.getKey() + ":" + e.getValue());
    }

    final List<RemoteInvitation> remote = new ArrayList<>();

    @Override
    public void onLocalInvitationReceivedByPeer(LocalInvitation invitation) {
      add("li_received:" + invitation.getCalleeId());
    }

    @Override
    public void onLocalInvitationAccepted(LocalInvitation invitation, String response) {
      add("li_accepted:" + response);
    }

    @Override
    public void onLocalInvitationRefused(LocalInvitation invitation, String response) {
      add("li_refused:" + response);
    }

    @Override
    public void onLocalInvitationCanceled(LocalInvitation invitation) {
      add("li_canceled");
    }

    @Override
    public void onLocalInvitationFailure(LocalInvitation invitation, LocalInvitationErrorCode errorCode) {
      add("li_failure:" + errorCode);
    }

    @Override
    public void onRemoteInvitationReceived(RemoteInvitation invitation) {
      synchronized (this) {
        remote.add(invitation);
      }
      add("ri_received:" + invitation.getCallerId() + ":" + invitation.getContent() + ":" + invitation.getChannelId());
    }

    @Override
    public void onRemoteInvitationAccepted(RemoteInvitation invitation) {
      add("ri_accepted");
    }

    @Override
    public void onRemoteInvitationRefused(RemoteInvitation invitation) {
      add("ri_refused");
    }

    @Override
    public void onRemoteInvitationCanceled(RemoteInvitation invitation) {
      add("ri_canceled");
    }

    @Override
    public void onRemoteInvitationFailure(RemoteInvitation invitation, RemoteInvitationErrorCode errorCode) {
      add("ri_failure:" + errorCode);
    }

    synchronized RemoteInvitation lastRemote() {
      assertTrue(!remote.isEmpty(), "no remote invitation");
      return remote.get(remote.size() - 1);
    }
  }

  /** A channel listener that records everything. */
  static class ChannelRecorder extends Events implements RtmChannelListener {
    @Override
    public void onMemberCountUpdated(int memberCount) {
      add("count:" + memberCount);
    }

    @Override
    public void onAttributesUpdated(List<RtmChannelAttribute> attributes) {
      StringBuilder b = new StringBuilder("attrs:");
      for (RtmChannelAttribute a : attributes) b.append(a.getKey()).append('=').append(a.getValue()).append(',');
      add(b.toString());
    }

    @Override
    public void onMessageReceived(RtmMessage message, String memberId) {
      synchronized (this) {
        messages.add(message);
      }
      add("msg:" + memberId + ":" + message.getText());
    }

    @Override
    public void onMemberJoined(String memberId) {
      add("joined:" + memberId);
    }

    @Override
    public void onMemberLeft(String memberId) {
      add("left:" + memberId);
    }

  }
}
