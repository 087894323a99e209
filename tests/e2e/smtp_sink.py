"""A real SMTP server for the tests (aiosmtpd), keeping what it receives.

Usage: python smtp_sink.py DIR [--refuse ADDRESS ...]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" once ready. Each message accepted
is written as DIR/<n>.eml (the raw bytes, as received) with DIR/<n>.rcpt holding the envelope
recipients, one per line. Recipients given with --refuse are answered 550 (the others of the
same message are accepted). Stops on SIGTERM or when its standard input closes.
"""

import argparse
import asyncio
import pathlib
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder, refused):
        self.folder = folder
        self.refused = {r.lower() for r in refused}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = self.folder / str(self.count)
        pathlib.Path(str(base) + ".rcpt").write_text("\n".join(envelope.rcpt_tos) + "\n")
        # Written last, so that a reader who sees the .eml sees the recipients too.
        tmp = pathlib.Path(str(base) + ".tmp")
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(str(base) + ".eml")
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    args = argparse.ArgumentParser()
    args.add_argument("folder")
    args.add_argument("--refuse", nargs="*", default=[])
    a = args.parse_args()
    folder = pathlib.Path(a.folder)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    controller = Controller(Keep(folder, a.refuse), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()

    async def wait():
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.read(1) else None)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
