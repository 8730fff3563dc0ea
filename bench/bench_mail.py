"""How fast `load-mail` reads an mbox, against Python's own `mailbox.mbox` as the yardstick.

Run: .venv/bin/python bench/bench_mail.py [--messages 20000] [--runs 3]
Writes a Takeout-style mbox of invented messages (headers like the fixture's, a 2 KB
body each, every fifth a reply) to a temporary directory, then times, median of
``--runs``:

* powerconnect: ``loaders.mail.read_mail`` + ``mail_interactions`` (headers only, bodies
  skipped line by line, the interaction frame built);
* yardstick: ``mailbox.mbox`` iterated, reading each message's From/To/Cc/Date headers
  (the standard library parses whole messages).

Prints both, the ratio and MB/s. No database.
"""

from __future__ import annotations

import argparse
import mailbox
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.mail import mail_interactions, read_mail
from powerconnect.loaders.tables import ProblemLog

BODY = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 36 + "\n") * 1


def write_mbox(path: Path, n: int) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(n):
            when = start + timedelta(minutes=7 * i)
            sender = f"person{i % 300}@example.org"
            to = ", ".join(f"Person {j} <person{j}@example.org>" for j in ((i * 7) % 300, 299))
            fh.write(
                f"From {1790000000000000000 + i}@xxx {when:%a %b %d %H:%M:%S} +0000 {when:%Y}\n"
            )
            fh.write(f"X-GM-THRID: {1790000000000000000 + i // 3}\nX-Gmail-Labels: Inbox\n")
            fh.write(f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000\n")
            fh.write(f"From: Person {i % 300} <{sender}>\nTo: {to}\n")
            fh.write(f"Message-ID: <m{i}@example.org>\n")
            if i % 5 == 0 and i:
                fh.write(f"In-Reply-To: <m{i - 1}@example.org>\n")
            fh.write("Subject: something\nContent-Type: text/plain\n\n")
            fh.write(BODY)
            fh.write("\n")


def powerconnect(path: Path) -> int:
    messages = read_mail([path], ProblemLog())
    frame, _, _ = mail_interactions(messages, AddressBook())
    return len(frame)


def yardstick(path: Path) -> int:
    n = 0
    for message in mailbox.mbox(str(path)):
        n += bool(message["From"]) + bool(message["To"]) + bool(message["Cc"])
        _ = message["Date"]
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pc-mail-") as tmp:
        path = Path(tmp) / "All mail.mbox"
        write_mbox(path, args.messages)
        mb = path.stat().st_size / 1e6
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(args.runs):  # interleaved, so that a busy moment hits both
            t = time.perf_counter()
            rows = powerconnect(path)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            yardstick(path)
            theirs.append(time.perf_counter() - t)
        a, b = statistics.median(ours), statistics.median(theirs)
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.python_version()}, "
            f"{args.messages} messages, {mb:.1f} MB, {rows} interaction rows"
        )
        print(f"powerconnect read_mail + frame: {a:.2f} s median ({mb / a:.0f} MB/s), runs {ours}")
        print(f"mailbox.mbox headers (yardstick): {b:.2f} s median, runs {theirs}")
        print(f"ratio powerconnect / yardstick: {a / b:.2f}")


if __name__ == "__main__":
    main()
