package io.rtmkit;

import static io.rtmkit.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dispatcher threads, GC pressure, exceptions in callbacks, close while callbacks are in flight. */
class LifecycleTest {
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

  /** Listeners referenced only by the client keep working while the GC runs hard. */
  @Test
  void callbacksUnderGcPressure() {
    final int n = 2000;
    AtomicInteger received = new AtomicInteger();
    AtomicInteger channelReceived = new AtomicInteger();
    List<String> threads = new ArrayList<>();
    RtmClient a = new RtmClient(TestSupport.config(server), null);
    // the only references to these listeners are the ones the clients keep
    RtmClient b = new RtmClient(TestSupport.config(server), new RtmClientListener() {
      @Override
      public void onMessageReceived(RtmMessage message, String peerId) {
        byte[] garbage = new byte[4096]; // allocate on the dispatcher too
        garbage[0] = 1;
        if (received.incrementAndGet() == 1) {
          synchronized (threads) {
            threads.add(Thread.currentThread().getName());
          }
        }
      }
    });
    try {
      await(a.login(null, "gc-a"));
      await(b.login(null, "gc-b"));
      RtmChannel cha = a.createChannel("gc-room", null);
      RtmChannel chb = b.createChannel("gc-room", new RtmChannelListener() {
        @Override
        public void onMessageReceived(RtmMessage message, String memberId) {
          channelReceived.incrementAndGet();
        }
      });
      await(cha.join());
      await(chb.join());
      AtomicInteger stop = new AtomicInteger();
      Thread gc = new Thread(() -> {
        while (stop.get() == 0) {
          List<byte[]> junk = new ArrayList<>();
          for (int i = 0; i < 200; i++) junk.add(new byte[16384]);
          System.gc();
        }
      });
      gc.start();
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add(a.sendMessageToPeer("gc-b", RtmMessage.text("m" + i)));
        if (i % 10 == 0) sent.add(cha.sendMessage(RtmMessage.text("c" + i)));
        if (sent.size() >= 500) {
          for (CompletableFuture<?> f : sent) await(f);
          sent.clear();
        }
      }
      for (CompletableFuture<?> f : sent) await(f);
      TestSupport.waitFor("all peer messages", () -> received.get() == n);
      TestSupport.waitFor("all channel messages", () -> channelReceived.get() == n / 10);
      stop.set(1);
      gc.join();
      synchronized (threads) {
        assertEquals(List.of("rtm-dispatch"), threads);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    } finally {
      a.close();
      b.close();
    }
  }

  /** An exception thrown by a listener is reported; the client goes on delivering. */
  @Test
  void exceptionsInCallbacksAreReportedAndTheClientKeepsRunning() {
    List<Throwable> reported = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    RtmConfig conf = TestSupport.config(server).callbackErrorHandler(t -> {
      synchronized (reported) {
        reported.add(t);
      }
    });
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(conf, new RtmClientListener() {
           @Override
           public void onMessageReceived(RtmMessage message, String peerId) {
             calls.incrementAndGet();
             if (message.getText().startsWith("throw")) throw new IllegalStateException("thrown by the listener: " + message.getText());
             if (message.getText().startsWith("error")) throw new StackOverflowError("an Error, not an Exception");
           }
         })) {
      await(a.login(null, "ex-a"));
      await(b.login(null, "ex-b"));
      for (String t : List.of("throw 1", "fine 1", "error 1", "throw 2", "fine 2")) await(a.sendMessageToPeer("ex-b", RtmMessage.text(t)));
      TestSupport.waitFor("five calls", () -> calls.get() == 5);
      TestSupport.waitFor("three reports", () -> {
        synchronized (reported) {
          return reported.size() == 3;
        }
      });
      synchronized (reported) {
        assertInstanceOf(IllegalStateException.class, reported.get(0));
        assertInstanceOf(StackOverflowError.class, reported.get(1));
        assertEquals("thrown by the listener: throw 2", reported.get(2).getMessage());
      }
      // still fully working: a round trip in the other direction
      assertEquals(PeerMessageErrorCode.OK, await(b.sendMessageToPeer("ex-a", RtmMessage.text("still here"))));
      assertEquals(ConnectionState.CONNECTED, b.getConnectionState());
    }
  }

  /** close() from another thread while a callback runs: it waits for it; nothing runs afterwards. */
  @Test
  void closeWhileCallbacksAreInFlight() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger after = new AtomicInteger();
    AtomicInteger closedFlag = new AtomicInteger();
    RtmClient a = new RtmClient(TestSupport.config(server), null);
    RtmClient b = new RtmClient(TestSupport.config(server), new RtmClientListener() {
      @Override
      public void onMessageReceived(RtmMessage message, String peerId) {
        if (closedFlag.get() != 0) after.incrementAndGet();
        running.incrementAndGet();
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
      }
    });
    try {
      await(a.login(null, "fl-a"));
      await(b.login(null, "fl-b"));
      for (int i = 0; i < 200; i++) a.sendMessageToPeer("fl-b", RtmMessage.text("m" + i));
      assertTrue(entered.await(30, TimeUnit.SECONDS));
      CompletableFuture<Void> pending = b.queryPeersOnlineStatus(List.of("fl-a")).thenApply(x -> null);
      Thread closer = new Thread(() -> {
        b.close();
        closedFlag.set(1);
      });
      closer.start();
      Thread.sleep(100); // let close() reach the native destroy, which waits for the callback
      release.countDown();
      closer.join(30000);
      assertEquals(1, closedFlag.get());
      assertEquals(0, running.get(), "a callback still ran after close() returned");
      Thread.sleep(200);
      assertEquals(0, after.get());
      // operations after close fail; a pending one was failed by close
      TestSupport.assertFails(b.logout(), LocalErrorCode.INVALID_STATE.value(), null);
      assertTrue(pending.isDone());
      b.close(); // idempotent
    } finally {
      a.close();
      b.close();
    }
  }

  /** close() from a callback of the same client is refused (the native destroy would wait for itself). */
  @Test
  void closeFromItsOwnCallbackIsRefused() {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    RtmClient[] self = new RtmClient[1];
    try (RtmClient a = new RtmClient(TestSupport.config(server), null)) {
      self[0] = new RtmClient(TestSupport.config(server), new RtmClientListener() {
        @Override
        public void onMessageReceived(RtmMessage message, String peerId) {
          try {
            self[0].close();
            outcome.complete(null);
          } catch (Throwable t) {
            outcome.complete(t);
          }
        }
      });
      await(a.login(null, "self-a"));
      await(self[0].login(null, "self-b"));
      await(a.sendMessageToPeer("self-b", RtmMessage.text("close yourself")));
      Throwable t = await(outcome);
      RtmException e = assertInstanceOf(RtmException.class, t);
      assertEquals(LocalErrorCode.INVALID_STATE.value(), e.getCode());
      // the client still works and closes normally from this thread
      assertEquals(ConnectionState.CONNECTED, self[0].getConnectionState());
      self[0].close();
    }
  }

  /** Closed clients that never logged in let their listeners go. */
  @Test
  void clientsWithoutLoginAreCollectedAfterClose() {
    List<WeakReference<Object>> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RtmClientListener l = new RtmClientListener() {};
      refs.add(new WeakReference<>(l));
      new RtmClient(TestSupport.config(server), l).close();
    }
    TestSupport.waitFor("listeners collected after close", () -> {
      System.gc();
      for (WeakReference<Object> r : refs) if (r.get() != null) return false;
      return true;
    });
  }
}
