"""The same with asyncio: awaitable operations and `async for` over messages, plus an invitation.

usage: python examples/python/async_chat.py [URL]
"""

import asyncio
import sys

import rtmkit
import rtmkit.aio


async def bob_answers(bob: rtmkit.aio.Client) -> None:
    async for inv in bob.remote_invitations():
        print(f"bob: invitation from {inv.caller_id} to {inv.channel_id!r}")
        await bob.accept_remote_invitation(inv, response="on my way")
        return


async def main(url: str) -> None:
    async with rtmkit.aio.Client("demo", url=url) as alice, rtmkit.aio.Client("demo", url=url) as bob:
        await asyncio.gather(alice.login("alice"), bob.login("bob"))

        messages = bob.messages()  # receives from now on
        code = await alice.send_message_to_peer("bob", "hello bob")
        print(f"alice: delivered ({code.name})")
        m = await messages.get(timeout=10)
        print(f"bob: {m.text!r} from {m.peer_id}")

        try:
            await alice.send_message_to_peer("nobody", "anyone?")
        except rtmkit.PeerMessageError as e:
            print(f"alice: {e.code.name}")

        print("online:", {p: s.name for p, s in (await alice.query_peers_online_status(["bob", "nobody"])).items()})

        await alice.set_local_user_attributes({"mood": "curious"})
        print("alice's attributes, seen by bob:", await bob.get_user_attributes("alice"))

        answering = asyncio.ensure_future(bob_answers(bob))
        call = alice.create_local_invitation("bob", content="a call", channel_id="call-1")
        await alice.send_local_invitation(call)
        result = await alice.local_invitation_result(call)
        await answering
        print(f"alice: {result.state.name} {result.response!r}")

        async with alice.create_channel("call-1") as room_a, bob.create_channel("call-1") as room_b:
            incoming = room_b.messages()
            await room_a.join()
            await room_b.join()
            await room_a.send_message("let's talk")
            msg = await incoming.get(timeout=10)
            print(f"call-1: {msg.member_id} says {msg.text!r}; members {sorted(await room_a.get_members())}")
    print("done")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        asyncio.run(main(sys.argv[1]))
    else:
        with rtmkit.Server(rate_limits="off", log_level="error") as server:
            asyncio.run(main(server.url))
