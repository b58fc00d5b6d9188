package io.rtmkit;

import static io.rtmkit.TestSupport.assertFails;
import static io.rtmkit.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Call invitations: accepted, refused, canceled, peer offline, expired. */
class InvitationTest {
  static Path dir;
  static RtmServer server;

  @BeforeAll
  static void start() {
    dir = TestSupport.tempDir();
    server = TestSupport.server(dir, "invitation_offline_ms", "300", "invitation_expire_ms", "3000");
  }

  @AfterAll
  static void stop() {
    server.close();
    TestSupport.deleteTree(dir);
  }

  @Test
  void invitations() {
    TestSupport.Recorder ra = new TestSupport.Recorder();
    TestSupport.Recorder rb = new TestSupport.Recorder();
    try (RtmClient a = new RtmClient(TestSupport.config(server), null);
         RtmClient b = new RtmClient(TestSupport.config(server), null)) {
      a.setCallEventListener(ra);
      b.setCallEventListener(rb);
      RtmException e = assertThrows(RtmException.class, () -> a.createLocalInvitation("bad/id"));
      assertEquals(LocalErrorCode.INVALID_ARG.value(), e.getCode());
      LocalInvitation li = a.createLocalInvitation("inv-callee");
      assertEquals("inv-callee", li.getCalleeId());
      assertTrue(li.getId() != 0);
      assertEquals(LocalInvitationState.IDLE, li.getState());
      li.setContent("ring ☎");
      li.setChannelId("call-1");
      assertEquals("ring ☎", li.getContent());
      assertEquals("call-1", li.getChannelId());
      assertEquals("", li.getResponse());
      assertFails(a.cancelLocalInvitation(li), InvitationApiCallErrorCode.NOT_STARTED.value(), Operation.INVITATION_API_CALL);
      assertThrows(NullPointerException.class, () -> a.sendLocalInvitation(null));

      await(a.login(null, "inv-caller"));
      // the callee is offline
      LocalInvitation offline = a.createLocalInvitation("inv-callee");
      await(a.sendLocalInvitation(offline));
      ra.waitFor("li_failure:PEER_OFFLINE");
      assertEquals(LocalInvitationState.FAILURE, offline.getState());
      offline.close();
      assertThrows(IllegalStateException.class, offline::getState);

      await(b.login(null, "inv-callee"));
      // 1. accepted, with a response
      await(a.sendLocalInvitation(li));
      assertFails(a.sendLocalInvitation(li), InvitationApiCallErrorCode.ALREADY_SENT.value(), Operation.INVITATION_API_CALL);
      rb.waitFor("ri_received:inv-caller:ring ☎:call-1");
      ra.waitFor("li_received:inv-callee");
      RemoteInvitation ri = rb.lastRemote();
      assertEquals(li.getId(), ri.getId());
      assertEquals(RemoteInvitationState.INVITATION_RECEIVED, ri.getState());
      ri.setResponse("see you");
      assertEquals("see you", ri.getResponse());
      await(b.acceptRemoteInvitation(ri));
      ra.waitFor("li_accepted:see you");
      rb.waitFor("ri_accepted");
      assertEquals(LocalInvitationState.ACCEPTED_BY_REMOTE, li.getState());
      assertEquals("see you", li.getResponse());
      assertFails(b.refuseRemoteInvitation(ri), InvitationApiCallErrorCode.ALREADY_ACCEPT.value(), Operation.INVITATION_API_CALL);
      assertFails(a.cancelLocalInvitation(li), InvitationApiCallErrorCode.ALREADY_END.value(), Operation.INVITATION_API_CALL);
      ri.close();

      // 2. refused
      LocalInvitation li2 = a.createLocalInvitation("inv-callee");
      await(a.sendLocalInvitation(li2));
      rb.waitForPrefix("ri_received:", 2);
      RemoteInvitation ri2 = rb.lastRemote();
      ri2.setResponse("no");
      await(b.refuseRemoteInvitation(ri2));
      ra.waitFor("li_refused:no");
      rb.waitFor("ri_refused");
      assertEquals(LocalInvitationState.REFUSED_BY_REMOTE, li2.getState());

      // 3. canceled
      LocalInvitation li3 = a.createLocalInvitation("inv-callee");
      await(a.sendLocalInvitation(li3));
      rb.waitForPrefix("ri_received:", 3);
      await(a.cancelLocalInvitation(li3));
      ra.waitFor("li_canceled");
      rb.waitFor("ri_canceled");
      assertEquals(LocalInvitationState.CANCELED, li3.getState());

      // 4. no answer: expired on both sides
      LocalInvitation li4 = a.createLocalInvitation("inv-callee");
      await(a.sendLocalInvitation(li4));
      ra.waitFor("li_failure:INVITATION_EXPIRE");
      rb.waitFor("ri_failure:INVITATION_EXPIRE");
      li.close();
      li2.close();
      li3.close();
      li4.close();
    }
  }
}
