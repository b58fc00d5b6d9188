package io.rtmkit;

import io.rtmkit.internal.RtmNative;
import io.rtmkit.internal.SWIGTYPE_p_rtm_channel_s;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A channel of one client (RTM's RtmChannel), created by {@link RtmClient#createChannel}. Its events
 * reach its {@link RtmChannelListener} on the client's dispatcher thread. {@link #close()} (RTM's
 * release) leaves the channel if it was joined; the client closes its channels when it is closed.
 */
public final class RtmChannel implements AutoCloseable {
  final RtmClient client;
  final long key;
  final String id;
  final RtmChannelListener listener;
  SWIGTYPE_p_rtm_channel_s handle; // guarded by client.lock; null once closed
  // pending operations, guarded by client.lock
  final ArrayDeque<CompletableFuture<Void>> joins = new ArrayDeque<>();
  final ArrayDeque<CompletableFuture<Void>> leaves = new ArrayDeque<>();
  final ArrayDeque<CompletableFuture<List<String>>> memberQueries = new ArrayDeque<>();

  RtmChannel(RtmClient client, long key, String id, RtmChannelListener listener, SWIGTYPE_p_rtm_channel_s handle) {
    this.client = client;
    this.key = key;
    this.id = id;
    this.listener = listener;
    this.handle = handle;
  }

  public String getId() {
    return id;
  }

  /** Joins: completes on onJoinSuccess, or fails with the JoinChannelErrorCode. */
  public CompletableFuture<Void> join() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (client.lock) {
      if (!live(f)) return f;
      int rc = RtmNative.rtm_channel_join(handle);
      if (rc != 0) return RtmClient.failed(f, rc, Operation.JOIN_CHANNEL, "join");
      joins.add(f);
    }
    return f;
  }

  /** Leaves: completes on onLeave with OK, or fails with the LeaveChannelErrorCode. */
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (client.lock) {
      if (!live(f)) return f;
      int rc = RtmNative.rtm_channel_leave(handle);
      if (rc != 0) return RtmClient.failed(f, rc, Operation.LEAVE_CHANNEL, "leave");
      leaves.add(f);
    }
    return f;
  }

  /** Sends a message to the other members; fails with the ChannelMessageErrorCode. */
  public CompletableFuture<Void> sendMessage(RtmMessage message) {
    return sendMessage(message, null);
  }

  public CompletableFuture<Void> sendMessage(RtmMessage message, SendMessageOptions options) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (client.lock) {
      if (!live(f)) return f;
      return client.sendChannelMessage(this, message, options, f);
    }
  }

  /** The members' user ids (fails with the GetMembersErrorCode). */
  public CompletableFuture<List<String>> getMembers() {
    CompletableFuture<List<String>> f = new CompletableFuture<>();
    synchronized (client.lock) {
      if (!live(f)) return f;
      int rc = RtmNative.rtm_channel_get_members(handle);
      if (rc != 0) return RtmClient.failed(f, rc, Operation.GET_MEMBERS, "getMembers");
      memberQueries.add(f);
    }
    return f;
  }

  private boolean live(CompletableFuture<?> f) {
    if (handle == null || client.closing) {
      f.completeExceptionally(new RtmException(LocalErrorCode.INVALID_STATE.value(), null, "the channel is closed"));
      return false;
    }
    return true;
  }

  /** Leaves (if joined) and releases the channel; pending operations fail. May be called from a callback. */
  @Override
  public void close() {
    synchronized (client.lock) {
      if (handle == null) return;
      if (!client.closing) RtmNative.rtm_channel_destroy(handle);
      handle = null;
      client.channels.remove(key);
      failPending("the channel was closed");
    }
  }

  /** Fails every pending operation (under client.lock). */
  void failPending(String why) {
    RtmException e = new RtmException(LocalErrorCode.INVALID_STATE.value(), null, why);
    for (CompletableFuture<?> f : joins) f.completeExceptionally(e);
    for (CompletableFuture<?> f : leaves) f.completeExceptionally(e);
    for (CompletableFuture<?> f : memberQueries) f.completeExceptionally(e);
    joins.clear();
    leaves.clear();
    memberQueries.clear();
    client.failChannelSends(this, e);
  }

  @Override
  public String toString() {
    return "RtmChannel[" + id + "]";
  }
}
