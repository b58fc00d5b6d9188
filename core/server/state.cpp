#include <algorithm>

#include "core/common/log.hpp"
#include "core/server/service.hpp"

namespace rtm::server {

void Channel::rebuild_keys() {
  auto keys = std::make_shared<std::vector<std::string>>();
  keys->reserve(members.size());
  for (auto& [uid, order] : members) keys->push_back(Registry::key(app, uid));
  member_keys = std::move(keys);
}

bool RateWindow::allow(const Rate& r, Clock::time_point now) {
  if (r.count == 0) return true;
  double cap = r.count;
  if (tokens_ < 0) {
    tokens_ = cap;
  } else {
    double ms = std::chrono::duration<double, std::milli>(now - last_).count();
    tokens_ = std::min(cap, tokens_ + ms * cap / r.window_ms);
  }
  last_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

namespace {
Frame encode_shared(const proto::Frame& f, bool& binary) {
  return std::make_shared<const std::string>(proto::encode(f, binary));
}
}  // namespace

void ServerCore::send_to(const std::string& key, const Frame& frame, bool binary) {
  if (auto c = registry.find(key)) return c->send_shared(frame, binary);
  // A user in its grace period gets the event when it resumes (bounded: the oldest go first).
  if (auto u = users.find(key)) {
    std::lock_guard l(u->mu);
    if (u->ended || u->attached) return;
    if (u->held.size() >= kMaxHeldEvents) u->held.erase(u->held.begin());
    u->held.emplace_back(frame, binary);
  }
}

std::size_t ServerCore::broadcast(Channel& ch, const std::shared_ptr<const std::vector<std::string>>& keys,
                                  const Frame& frame, bool binary, const std::string& except_key) {
  std::size_t n = 0;
  for (auto& k : *keys) {
    if (k == except_key) continue;
    if (auto c = registry.find(k)) {
      c->deliver_channel(ch.id, frame, binary);
      ++n;
    }
  }
  return n;
}

Frame ServerCore::sequence_channel_message(Channel& ch, proto::Frame& m, bool& binary,
                                           std::shared_ptr<const std::vector<std::string>>& keys) {
  // Under the channel lock, so every member sees the channel's messages in sequence order.
  std::lock_guard l(ch.mu);
  m.seq = ++ch.next_seq;
  auto frame = std::make_shared<const std::string>(proto::encode(m, binary));
  auto now = Clock::now();
  ch.recent.push_back({m.seq, now, frame, binary});
  auto oldest = now - std::chrono::milliseconds(cfg.recovery_age_ms);
  while (!ch.recent.empty() && (ch.recent.size() > cfg.recovery_messages || ch.recent.front().at < oldest))
    ch.recent.pop_front();
  keys = ch.member_keys;
  return frame;
}

std::shared_ptr<StoredMessage> offline_record(const std::string& app, const std::string& to, proto::Frame& m) {
  auto s = std::make_shared<StoredMessage>();
  s->app = app;
  s->to = to;
  s->from = m.from;
  s->type = m.type;
  s->text = std::move(m.text);
  s->payload = std::move(m.payload);
  s->mid = m.mid;
  s->ts = m.ts;
  return s;
}

void ServerCore::deliver_peer(const std::string& app, const std::string& to, std::shared_ptr<Delivery> d) {
  if (auto receiver = registry.find(Registry::key(app, to))) return receiver->deliver(std::move(d));
  undelivered(*d);
}

void ServerCore::undelivered(Delivery& d) {
  if (d.rowid) return;  // still in the store; delivered at the next login
  auto sender = d.sender;
  int64_t req = d.req_id;
  if (!d.offline) {
    if (auto s = sender.lock()) s->complete(req, static_cast<int>(PeerMessageErr::PEER_UNREACHABLE));
    return;
  }
  auto rec = d.offline;
  auto started = Clock::now();
  store->put(*rec, [this, sender, req, app = rec->app, to = rec->to, started](bool ok) {
    Metrics::inc(ok ? metrics.store_writes_ok : metrics.store_writes_failed);
    metrics.store_write_seconds.observe(std::chrono::duration<double>(Clock::now() - started).count());
    if (auto s = sender.lock())
      s->complete(req, ok ? static_cast<int>(PeerMessageErr::CACHED_BY_SERVER) : static_cast<int>(PeerMessageErr::FAILURE));
    // The receiver may have logged in while the message was being stored.
    if (ok)
      if (auto r = registry.find(Registry::key(app, to))) r->poke_offline();
  });
}

void EventLog::add_user(const std::string& app, const char* type, const std::string& user, std::size_t kept) {
  std::lock_guard l(mu_);
  auto& q = apps_[app].user;
  if (q.size() >= kept && !q.empty()) q.pop_front();
  if (kept) q.push_back({now_ms(), type, user, {}});
}

void EventLog::add_channel(const std::string& app, const char* type, const std::string& channel,
                           const std::string& user, std::size_t kept) {
  std::lock_guard l(mu_);
  auto& q = apps_[app].channel;
  if (q.size() >= kept && !q.empty()) q.pop_front();
  if (kept) q.push_back({now_ms(), type, user, channel});
}

namespace {
std::vector<EventLog::Event> take_front(std::deque<EventLog::Event>& q, std::size_t max) {
  std::size_t n = std::min(max, q.size());
  std::vector<EventLog::Event> out(std::make_move_iterator(q.begin()), std::make_move_iterator(q.begin() + static_cast<std::ptrdiff_t>(n)));
  q.erase(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(n));
  return out;
}
}  // namespace

std::vector<EventLog::Event> EventLog::take_user(const std::string& app, std::size_t max) {
  std::lock_guard l(mu_);
  auto it = apps_.find(app);
  return it == apps_.end() ? std::vector<Event>{} : take_front(it->second.user, max);
}

std::vector<EventLog::Event> EventLog::take_channel(const std::string& app, std::size_t max) {
  std::lock_guard l(mu_);
  auto it = apps_.find(app);
  return it == apps_.end() ? std::vector<Event>{} : take_front(it->second.channel, max);
}

PeerState ServerCore::presence_of(const std::string& app, const std::string& uid) {
  auto key = Registry::key(app, uid);
  if (registry.find(key)) return PeerState::ONLINE;
  if (auto u = users.find(key)) {
    std::lock_guard l(u->mu);
    if (!u->ended) return u->attached ? PeerState::ONLINE : PeerState::UNREACHABLE;
  }
  return PeerState::OFFLINE;
}

void ServerCore::unwatch(const std::string& app, const std::string& target, const std::string& watcher) {
  auto key = Registry::key(app, target);
  watchers.with(key, [&](std::set<std::string>& w) { w.erase(watcher); });
  watchers.erase_if(key, [](const std::set<std::string>& w) { return w.empty(); });
}

void ServerCore::notify_presence(const std::string& app, const std::string& uid, PeerState state) {
  auto set = watchers.find(Registry::key(app, uid));
  if (set.empty()) return;
  std::vector<std::string> who(set.begin(), set.end());
  proto::Frame p;
  p.op = proto::Op::presence;
  p.uids = {uid};
  p.nums = {static_cast<int64_t>(state)};
  bool binary = false;
  auto frame = encode_shared(p, binary);
  for (auto& w : who) send_to(Registry::key(app, w), frame, binary);
}

std::shared_ptr<Channel> ServerCore::channel(const std::string& app, const std::string& id, bool create) {
  auto key = Registry::key(app, id);
  if (!create) return channels.find(key);
  return channels.with(key, [&](std::shared_ptr<Channel>& slot) {
    if (!slot) {
      slot = std::make_shared<Channel>();
      slot->app = app;
      slot->id = id;
      slot->key = key;
    }
    return slot;
  });
}

std::shared_ptr<Channel> ServerCore::lock_channel(const std::string& app, const std::string& id,
                                                std::unique_lock<std::mutex>& lock) {
  for (;;) {
    auto ch = channel(app, id, true);
    std::unique_lock l(ch->mu);
    if (ch->gone) continue;  // erased after we found it: the next lookup creates a new one
    lock = std::move(l);
    return ch;
  }
}

void ServerCore::mark_count_dirty(const std::shared_ptr<Channel>& ch) {
  // Called with ch->mu held; count_dirty is guarded by it, the list by dirty_mu.
  if (ch->count_dirty) return;
  ch->count_dirty = true;
  std::lock_guard l(dirty_mu);
  dirty_channels.push_back(ch);
}

void ServerCore::leave_channel(const std::string& app, const std::string& uid, const std::string& ch_id) {
  auto ch = channel(app, ch_id, false);
  if (!ch) return;
  std::shared_ptr<const std::vector<std::string>> keys;
  bool announce = false;
  {
    std::lock_guard l(ch->mu);
    if (!ch->members.erase(uid)) return;
    events.add_channel(app, "Leave", ch_id, uid, cfg.rest.events_kept);
    announce = ch->members.size() < cfg.member_events_max;
    ch->rebuild_keys();
    keys = ch->member_keys;
    mark_count_dirty(ch);
    if (ch->members.empty()) ch->empty_since = Clock::now();
  }
  if (announce) {
    proto::Frame m;
    m.op = proto::Op::member;
    m.ch = ch_id;
    m.uid = uid;
    m.joined = false;
    bool binary = false;
    broadcast(*ch, keys, encode_shared(m, binary), binary, {});
  }
  channels.erase_if(ch->key, [&](const std::shared_ptr<Channel>& c) {
    std::lock_guard l(c->mu);
    return c->gone = c->members.empty() && c->attrs.empty();
  });
}

void ServerCore::end_user(const std::shared_ptr<UserRecord>& u, bool announce_offline, bool expiring) {
  std::set<std::string> chans, subs;
  {
    std::lock_guard l(u->mu);
    if (u->ended || (expiring && u->attached)) return;
    u->ended = true;
    chans.swap(u->channels);
    subs.swap(u->subscriptions);
    u->attrs.clear();
  }
  users.erase_if(u->key, [&](const std::shared_ptr<UserRecord>& cur) { return cur == u; });
  events.add_user(u->app, "Logout", u->uid, cfg.rest.events_kept);
  for (auto& ch : chans) leave_channel(u->app, u->uid, ch);
  for (auto& s : subs) unwatch(u->app, s, u->uid);
  if (announce_offline) notify_presence(u->app, u->uid, PeerState::OFFLINE);
  // Invitations this user sent end with it.
  std::vector<Invitation> gone;
  {
    std::lock_guard l(inv_mu);
    for (auto it = invitations.begin(); it != invitations.end();) {
      if (it->second.app == u->app && it->second.caller == u->uid) {
        gone.push_back(it->second);
        it = invitations.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& inv : gone) {
    if (inv.stage == Invitation::Stage::waiting_online) continue;
    proto::Frame e;
    e.op = proto::Op::inv;
    e.code = inv_event::CANCELED;
    e.from = inv.caller;
    e.mid = inv.id;
    bool binary = false;
    send_to(Registry::key(inv.app, inv.callee), encode_shared(e, binary), binary);
  }
}

void ServerCore::invitation_failed(const Invitation& inv, int caller_reason, int callee_reason) {
  proto::Frame e;
  e.op = proto::Op::inv;
  e.code = inv_event::FAILED;
  e.mid = inv.id;
  bool binary = false;
  if (caller_reason >= 0) {
    e.from = inv.callee;
    e.reason = caller_reason;
    send_to(Registry::key(inv.app, inv.caller), encode_shared(e, binary), binary);
  }
  if (callee_reason >= 0) {
    e.from = inv.caller;
    e.reason = callee_reason;
    send_to(Registry::key(inv.app, inv.callee), encode_shared(e, binary), binary);
  }
}

void ServerCore::deliver_pending_invitations(const std::string& app, const std::string& callee) {
  std::vector<Invitation> ready;
  auto now = Clock::now();
  {
    std::lock_guard l(inv_mu);
    for (auto& [k, inv] : invitations) {
      if (inv.app != app || inv.callee != callee || inv.stage != Invitation::Stage::waiting_online) continue;
      inv.stage = Invitation::Stage::delivered;
      inv.deadline = std::min(inv.end_by, now + std::chrono::milliseconds(cfg.invitation_ack_ms));
      ready.push_back(inv);
    }
  }
  for (auto& inv : ready) {
    proto::Frame e;
    e.op = proto::Op::inv;
    e.code = inv_event::INCOMING;
    e.from = inv.caller;
    e.mid = inv.id;
    e.content = inv.content;
    e.ch = inv.channel;
    bool binary = false;
    send_to(Registry::key(app, callee), encode_shared(e, binary), binary);
  }
}

void ServerCore::housekeeping() {
  auto now = Clock::now();

  // Sessions whose grace period ran out.
  std::vector<std::shared_ptr<UserRecord>> expired;
  {
    std::lock_guard l(grace_mu);
    for (auto it = in_grace.begin(); it != in_grace.end();) {
      auto u = it->lock();
      bool drop = !u;
      if (u) {
        std::lock_guard ul(u->mu);
        if (u->ended || u->attached) drop = true;
        else if (now >= u->grace_deadline) { expired.push_back(u); drop = true; }
      }
      it = drop ? in_grace.erase(it) : it + 1;
    }
  }
  for (auto& u : expired) end_user(u, true, true);

  // Member counts, at most once per interval per channel. The list is taken whole and channels not
  // yet due are put back, so that no channel lock is taken with dirty_mu held: a join marks its
  // channel dirty with the channel lock held (lock order: Channel::mu before dirty_mu).
  std::vector<std::shared_ptr<Channel>> due;
  std::vector<std::weak_ptr<Channel>> dirty, later;
  {
    std::lock_guard l(dirty_mu);
    dirty.swap(dirty_channels);
  }
  for (auto& w : dirty) {
    auto ch = w.lock();
    if (!ch) continue;
    std::lock_guard cl(ch->mu);
    if (now - ch->count_sent >= std::chrono::milliseconds(cfg.member_count_interval_ms)) {
      ch->count_dirty = false;  // a change from here on marks it again
      ch->count_sent = now;
      due.push_back(std::move(ch));
    } else {
      later.push_back(std::move(w));
    }
  }
  if (!later.empty()) {
    std::lock_guard l(dirty_mu);
    dirty_channels.insert(dirty_channels.end(), later.begin(), later.end());
  }
  for (auto& ch : due) {
    proto::Frame m;
    m.op = proto::Op::mcount;
    m.ch = ch->id;
    std::shared_ptr<const std::vector<std::string>> keys;
    {
      std::lock_guard l(ch->mu);
      m.count = static_cast<int64_t>(ch->members.size());
      keys = ch->member_keys;
    }
    bool binary = false;
    broadcast(*ch, keys, encode_shared(m, binary), binary, {});
  }

  // Invitation deadlines.
  std::vector<Invitation> failed;
  {
    std::lock_guard l(inv_mu);
    for (auto it = invitations.begin(); it != invitations.end();) {
      if (now >= it->second.deadline) {
        failed.push_back(std::move(it->second));
        it = invitations.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& inv : failed) {
    if (now >= inv.end_by) {  // the caller's ttl ran out
      invitation_failed(inv, static_cast<int>(LocalInvitationErr::INVITATION_EXPIRE),
                        inv.stage == Invitation::Stage::waiting_online
                            ? -1
                            : static_cast<int>(RemoteInvitationErr::INVITATION_EXPIRE));
      continue;
    }
    switch (inv.stage) {
      case Invitation::Stage::waiting_online:
        invitation_failed(inv, static_cast<int>(LocalInvitationErr::PEER_OFFLINE), -1);
        break;
      case Invitation::Stage::delivered:
        invitation_failed(inv, static_cast<int>(LocalInvitationErr::PEER_NO_RESPONSE), -1);
        break;
      case Invitation::Stage::acknowledged:
        invitation_failed(inv, static_cast<int>(LocalInvitationErr::INVITATION_EXPIRE),
                          static_cast<int>(RemoteInvitationErr::INVITATION_EXPIRE));
        break;
    }
  }

  // Attributes of channels that stayed empty, and old login rate entries (once a second).
  if (now - last_scan < std::chrono::seconds(1)) return;
  last_scan = now;
  std::vector<std::string> stale;
  channels.for_each([&](const std::string& k, const std::shared_ptr<Channel>& ch) {
    std::lock_guard l(ch->mu);
    if (ch->members.empty() && now - ch->empty_since >= std::chrono::milliseconds(cfg.channel_attr_ttl_ms))
      stale.push_back(k);
  });
  for (auto& k : stale)
    channels.erase_if(k, [&](const std::shared_ptr<Channel>& ch) {
      std::lock_guard l(ch->mu);
      return ch->gone = ch->members.empty();
    });
  {
    std::lock_guard l(login_mu);
    if (login_rates.size() > 10000) login_rates.clear();
  }
}

}  // namespace rtm::server
