package io.rtmkit;

import static io.rtmkit.TestSupport.assertFails;
import static io.rtmkit.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** User and channel attributes, with notifications to channel members. */
class AttributesTest {
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

  static String text(List<?> attrs) {
    StringBuilder b = new StringBuilder();
    for (Object o : attrs) {
      if (b.length() > 0) b.append(',');
      if (o instanceof RtmAttribute) b.append(((RtmAttribute) o).getKey()).append('=').append(((RtmAttribute) o).getValue());
      else {
        RtmChannelAttribute c = (RtmChannelAttribute) o;
        b.append(c.getKey()).append('=').append(c.getValue()).append('@').append(c.getLastUpdateUserId());
        assertTrue(c.getLastUpdateTs() > 0);
      }
    }
    return b.toString();
  }

  @Test
  void userAttributes() {
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(TestSupport.config(server), null)) {
      List<RtmAttribute> two = List.of(new RtmAttribute("k1", "v1"), new RtmAttribute("k2", "v2"));
      assertFails(a.setLocalUserAttributes(two), AttributeOperationErrorCode.USER_NOT_LOGGED_IN.value(), Operation.ATTRIBUTE_OPERATION);
      await(a.login(null, "ua-alice"));
      await(b.login(null, "ua-bob"));
      await(a.setLocalUserAttributes(two));
      await(a.addOrUpdateLocalUserAttributes(List.of(new RtmAttribute("k2", "v2b"), new RtmAttribute("k3", "v3 ✓"))));
      await(a.deleteLocalUserAttributesByKeys(List.of("k1")));
      assertFails(a.setLocalUserAttributes(List.of(new RtmAttribute("k", ""))), AttributeOperationErrorCode.INVALID_ARGUMENT.value(),
          Operation.ATTRIBUTE_OPERATION);
      assertEquals("k2=v2b,k3=v3 ✓", text(await(b.getUserAttributes("ua-alice"))));
      assertEquals("k3=v3 ✓", text(await(b.getUserAttributesByKeys("ua-alice", List.of("k3", "nope")))));
      assertFails(b.getUserAttributes("nobody"), AttributeOperationErrorCode.USER_NOT_FOUND.value(), Operation.ATTRIBUTE_OPERATION);
      await(a.clearLocalUserAttributes());
      assertEquals("", text(await(b.getUserAttributes("ua-alice"))));
    }
  }

  @Test
  void channelAttributes() {
    TestSupport.ChannelRecorder eb = new TestSupport.ChannelRecorder();
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(TestSupport.config(server), null)) {
      await(a.login(null, "ca-alice"));
      await(b.login(null, "ca-bob"));
      RtmChannel cb = b.createChannel("attrs", eb);
      await(cb.join());
      ChannelAttributeOptions notify = new ChannelAttributeOptions(true);
      await(a.setChannelAttributes("attrs", List.of(new RtmAttribute("mode", "m"), new RtmAttribute("topic", "t1")), null));
      await(a.addOrUpdateChannelAttributes("attrs", List.of(new RtmAttribute("topic", "t2")), notify));
      eb.waitFor("attrs:mode=m,topic=t2,");
      await(a.deleteChannelAttributesByKeys("attrs", List.of("mode"), notify));
      eb.waitFor("attrs:topic=t2,");
      assertEquals("topic=t2@ca-alice", text(await(b.getChannelAttributes("attrs"))));
      assertEquals("", text(await(b.getChannelAttributesByKeys("attrs", List.of("none")))));
      assertFails(a.setChannelAttributes("bad/channel", List.of(new RtmAttribute("k", "v")), null),
          AttributeOperationErrorCode.INVALID_ARGUMENT.value(), Operation.ATTRIBUTE_OPERATION);
      await(a.clearChannelAttributes("attrs", notify));
      eb.waitFor("attrs:");
      assertEquals("", text(await(b.getChannelAttributes("attrs"))));
    }
  }
}
