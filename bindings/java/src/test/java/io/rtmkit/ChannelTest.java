package io.rtmkit;

import static io.rtmkit.TestSupport.assertFails;
import static io.rtmkit.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Channels: join, leave, messages, members, member counts, close and re-create. */
class ChannelTest {
  static Path dir;
  static RtmServer server;

  @BeforeAll
  static void start() {
    dir = TestSupport.tempDir();
    server = TestSupport.server(dir, "member_count_interval_ms", "100");
  }

  @AfterAll
  static void stop() {
    server.close();
    TestSupport.deleteTree(dir);
  }

  @Test
  void joinMessagesMembersLeave() {
    TestSupport.ChannelRecorder ea = new TestSupport.ChannelRecorder();
    TestSupport.ChannelRecorder eb = new TestSupport.ChannelRecorder();
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(TestSupport.config(server), null)) {
      RtmChannel ca = a.createChannel("room", ea);
      assertEquals("room", ca.getId());
      RtmException e = assertThrows(RtmException.class, () -> a.createChannel("room", null));
      assertEquals(LocalErrorCode.INVALID_ARG.value(), e.getCode());
      e = assertThrows(RtmException.class, () -> a.createChannel("bad/channel", null));
      assertEquals(LocalErrorCode.INVALID_ARG.value(), e.getCode());
      e = assertThrows(RtmException.class, () -> a.createChannel(null, null));
      assertEquals(LocalErrorCode.INVALID_ARG.value(), e.getCode());
      assertFails(ca.join(), JoinChannelErrorCode.USER_NOT_LOGGED_IN.value(), Operation.JOIN_CHANNEL);
      assertFails(ca.getMembers(), GetMembersErrorCode.USER_NOT_LOGGED_IN.value(), Operation.GET_MEMBERS);
      assertFails(ca.leave(), LeaveChannelErrorCode.USER_NOT_LOGGED_IN.value(), Operation.LEAVE_CHANNEL);

      await(a.login(null, "ch-alice"));
      await(b.login(null, "ch-bob"));
      await(ca.join());
      RtmChannel cb = b.createChannel("room", eb);
      await(cb.join());
      ea.waitFor("joined:ch-bob");
      assertFails(ca.join(), JoinChannelErrorCode.ALREADY_JOINED.value(), Operation.JOIN_CHANNEL);

      await(ca.sendMessage(RtmMessage.text("hi room ✓")));
      eb.waitFor("msg:ch-alice:hi room ✓");
      byte[] data = {1, 2, 3, 0, (byte) 255};
      await(cb.sendMessage(RtmMessage.raw(data, "raw"), new SendMessageOptions(false, false)));
      ea.waitFor("msg:ch-bob:raw");
      synchronized (ea) {
        assertArrayEquals(data, ea.messages.get(0).getRawMessage());
        assertEquals(MessageType.RAW, ea.messages.get(0).getMessageType());
      }
      assertFails(ca.sendMessage(RtmMessage.raw(new byte[40000])), ChannelMessageErrorCode.INVALID_MESSAGE.value(),
          Operation.SEND_CHANNEL_MESSAGE);

      assertEquals(Set.of("ch-alice", "ch-bob"), new TreeSet<>(await(ca.getMembers())));
      Map<String, Integer> counts = await(a.getChannelMemberCount(List.of("room", "empty-room")));
      assertEquals(2, counts.get("room"));
      assertEquals(0, counts.get("empty-room"));
      ea.waitFor("count:2");
      assertFails(a.getChannelMemberCount(List.of()), GetChannelMemberCountErrorCode.INVALID_ARGUMENT.value(),
          Operation.GET_CHANNEL_MEMBER_COUNT);

      await(cb.leave());
      ea.waitFor("left:ch-bob");
      assertFails(cb.sendMessage(RtmMessage.text("x")), ChannelMessageErrorCode.NOT_IN_CHANNEL.value(), Operation.SEND_CHANNEL_MESSAGE);
      assertFails(cb.getMembers(), GetMembersErrorCode.NOT_IN_CHANNEL.value(), Operation.GET_MEMBERS);
      assertFails(cb.leave(), LeaveChannelErrorCode.NOT_IN_CHANNEL.value(), Operation.LEAVE_CHANNEL);

      // close and create the same channel again
      cb.close();
      assertFails(cb.join(), LocalErrorCode.INVALID_STATE.value(), null);
      TestSupport.ChannelRecorder eb2 = new TestSupport.ChannelRecorder();
      RtmChannel cb2 = b.createChannel("room", eb2);
      await(cb2.join());
      await(ca.sendMessage(RtmMessage.text("again")));
      eb2.waitFor("msg:ch-alice:again");
      assertTrue(eb.count("msg:ch-alice:again") == 0, eb.toString());
      // closing a joined channel leaves it
      cb2.close();
      ea.waitFor("left:ch-bob");
      ca.close();
      ca.close();
    }
  }

  @Test
  void closingTheChannelFromItsOwnCallback() {
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(TestSupport.config(server), null)) {
      await(a.login(null, "cb-alice"));
      await(b.login(null, "cb-bob"));
      RtmChannel[] holder = new RtmChannel[1];
      TestSupport.ChannelRecorder ev = new TestSupport.ChannelRecorder() {
        @Override
        public void onMessageReceived(RtmMessage message, String memberId) {
          super.onMessageReceived(message, memberId);
          holder[0].close();
          add("closed");
        }
      };
      holder[0] = a.createChannel("self-close", ev);
      await(holder[0].join());
      RtmChannel cb = b.createChannel("self-close", null);
      await(cb.join());
      await(cb.sendMessage(RtmMessage.text("bye")));
      ev.waitFor("closed");
      TestSupport.waitFor("alice gone", () -> {
        List<String> m = await(cb.getMembers());
        return m.equals(List.of("cb-bob"));
      });
    }
  }
}
