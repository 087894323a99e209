"""A real SMTP server for the tests (aiosmtpd), keeping what it receives.

Usage: python smtp_sink.py DIR [--port N] [--refuse ADDRESS ...] [--delay SECONDS]
       python smtp_sink.py --discard [--port N]

Listens on 127.0.0.1 on a free port (or N) and prints "PORT <n>" once ready. Each message
accepted is written as DIR/<n>.eml (the raw bytes, as received) with DIR/<n>.rcpt holding the
envelope recipients, one per line, and DIR/<n>.json holding what Python's own MIME parser
(the stdlib `email` package) reads in it: decoded subject, From, To, Message-ID,
Content-Language, the plain-text and HTML bodies. Numbering goes on from the files already in
DIR, so a sink restarted on the same folder keeps what the previous one received. Recipients given with --refuse are answered 550 (the others of the
same message are accepted). With --delay, each message's data is answered only after that
many seconds, DIR/receiving being written as it arrives: a sender caught in the middle of
sending (the graceful-stop test). Stops on SIGTERM or when its standard input closes.

With --discard (the benchmark's sink, bench/src/mail.rs) nothing is written or parsed: messages
are only counted, so that what is measured is the sender, not this sink's disk. Each line read
on standard input is then answered "COUNT <messages> BYTES <bytes of DATA>" on standard output.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import pathlib
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder, refused, delay=0.0):
        self.folder = folder
        self.refused = {r.lower() for r in refused}
        self.delay = delay
        self.count = len(list(folder.glob("*.eml")))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            (self.folder / "receiving").write_text("")
            await asyncio.sleep(self.delay)
        self.count += 1
        base = self.folder / str(self.count)
        raw = envelope.original_content or envelope.content
        pathlib.Path(str(base) + ".rcpt").write_text("\n".join(envelope.rcpt_tos) + "\n")
        pathlib.Path(str(base) + ".json").write_text(json.dumps(parse(raw)))
        # Written last, so that a reader who sees the .eml sees the recipients too.
        tmp = pathlib.Path(str(base) + ".tmp")
        tmp.write_bytes(raw)
        tmp.rename(str(base) + ".eml")
        return "250 Message accepted for delivery"


class Count:
    """Accepts every message and only counts it (--discard)."""

    def __init__(self):
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.bytes += len(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def parse(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return {
        "subject": str(msg["Subject"] or ""),
        "from": str(msg["From"] or ""),
        "to": str(msg["To"] or ""),
        "message_id": str(msg["Message-ID"] or ""),
        "content_language": str(msg["Content-Language"] or ""),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    args = argparse.ArgumentParser()
    args.add_argument("folder", nargs="?")
    args.add_argument("--refuse", nargs="*", default=[])
    args.add_argument("--port", type=int, default=0)
    args.add_argument("--discard", action="store_true", help="only count messages")
    args.add_argument("--delay", type=float, default=0.0, help="seconds before answering DATA")
    a = args.parse_args()
    if a.discard:
        handler = Count()
    elif a.folder is None:
        args.error("DIR is required unless --discard is given")
    else:
        folder = pathlib.Path(a.folder)
        folder.mkdir(parents=True, exist_ok=True)
        handler = Keep(folder, a.refuse, a.delay)
    port = a.port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()

    async def wait():
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        if a.discard:
            fd = sys.stdin.fileno()

            def answer():
                data = os.read(fd, 4096)
                if not data:
                    stop.set()
                for _ in range(data.count(b"\n")):
                    print(f"COUNT {handler.count} BYTES {handler.bytes}", flush=True)

            loop.add_reader(fd, answer)
        else:
            loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.read(1) else None)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
