#!/usr/bin/python3
"""smtp_sink.py - a real SMTP server for the tests: it accepts every message and writes each one
to DIR/<n>.eml (n = 1, 2, ... continuing after the files already there), atomically: a hidden
temporary file first, then a rename, so a reader never sees half a message.

A file holds two lines about the envelope, then the message exactly as received (CRLF line ends,
dot-stuffing undone):
    X-Sink-Mail-From: <sender>
    X-Sink-Rcpt-To: <recipient>[, <recipient>...]

Exits cleanly on SIGTERM or SIGINT.

Run it with Debian's Python, which has python3-aiosmtpd (another python3 on PATH may not):
    /usr/bin/python3 tests/smtp_sink.py --port N --dir D [--host 127.0.0.1]
"""
import argparse
import asyncio
import os
import re
import signal
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    """aiosmtpd handler: every message becomes the next numbered .eml file."""

    def __init__(self, directory):
        self.directory = directory
        numbers = [int(m.group(1)) for m in
                   (re.fullmatch(r"(\d+)\.eml", f) for f in os.listdir(directory)) if m]
        self.count = max(numbers, default=0)

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        final = os.path.join(self.directory, "%d.eml" % self.count)
        temp = os.path.join(self.directory, ".%d.eml.tmp" % self.count)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        head = "X-Sink-Mail-From: %s\r\nX-Sink-Rcpt-To: %s\r\n" % (
            envelope.mail_from, ", ".join(envelope.rcpt_tos))
        with open(temp, "wb") as f:
            f.write(head.encode("utf-8", "surrogateescape"))
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(temp, final)
        return "250 OK: message accepted"


async def serve(host, port, directory):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    handler = Sink(directory)
    server = await loop.create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="smtp-sink"), host, port)
    print("smtp_sink: listening on %s:%d, writing to %s" % (host, port, directory), flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description="SMTP sink for the portal's tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True, help="where to write <n>.eml files")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    asyncio.run(serve(args.host, args.port, args.dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
