"""Two users exchange peer messages and meet in a channel, with callbacks.

Runs against an embedded rtmd by default; pass a URL (ws://host:port) to use a running one.
usage: python examples/python/peer_chat.py [URL]
"""

import sys
import threading

import rtmkit


class Bob(rtmkit.EventHandler):
    """A handler object: the on_<event> methods it overrides are its callbacks."""

    def __init__(self) -> None:
        self.got = threading.Event()

    def on_message_received_from_peer(self, peer_id: str, message: rtmkit.Message) -> None:
        print(f"bob got {message.text!r} from {peer_id}")
        self.got.set()


def main() -> None:
    server = None if len(sys.argv) > 1 else rtmkit.Server(rate_limits="off", log_level="error")
    url = sys.argv[1] if len(sys.argv) > 1 else server.url
    bob_handler = Bob()
    with rtmkit.Client("demo", url=url) as alice, rtmkit.Client("demo", url=url, handler=bob_handler) as bob:
        logged_in = threading.Barrier(3)
        acked = threading.Event()

        @alice.on("login_success")
        def alice_in() -> None:
            logged_in.wait()

        bob.on("login_success", lambda: logged_in.wait())

        @alice.on("send_message_result")
        def result(message_id: int, code: rtmkit.PeerMessageErrorCode) -> None:
            print(f"message {message_id}: {code.name}")
            acked.set()

        alice.login("alice")
        bob.login("bob")
        logged_in.wait(timeout=10)

        try:
            alice.send_message_to_peer("bob", "hello bob")
        except rtmkit.PeerMessageError as e:  # refused at once: the RTM code
            sys.exit(f"refused: {e.code.name}")
        assert acked.wait(10) and bob_handler.got.wait(10)

        # a channel, with a decorator on the channel
        joined = threading.Event()
        heard = threading.Event()
        room_a, room_b = alice.create_channel("lobby"), bob.create_channel("lobby")

        @room_b.on("message_received")
        def in_room(member_id: str, message: rtmkit.Message) -> None:
            print(f"lobby: {member_id} says {message.text!r}")
            heard.set()

        room_b.on("join_success", joined.set)
        room_a.join()
        room_b.join()
        assert joined.wait(10)
        while not heard.is_set():  # alice may join after bob: send until he hears it
            try:
                room_a.send_message("hi lobby")
            except rtmkit.ChannelMessageError:
                pass
            heard.wait(0.5)
    if server:
        server.close()
    print("done")


if __name__ == "__main__":
    main()
