"""The `powerconnect` command (also `python -m powerconnect`).

The CLI's imports (pandas, numpy, the Neo4j driver) take about half a second; Ctrl-C
during them ends the command as Ctrl-C does later (exit 130, no traceback).
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from powerconnect.cli import main as cli  # noqa: PLC0415 (the point of this module)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        raise SystemExit(130) from None
    cli()


if __name__ == "__main__":
    main()
