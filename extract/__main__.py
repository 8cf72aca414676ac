"""``python -m extract`` and the ``minutes`` command."""

import sys


def run() -> None:
    """The ``minutes`` command. A Ctrl-C while it starts (its imports take a fraction of a
    second) ends it as one later does, with exit code 130, not a traceback of the import."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        print("minutes: interrupted", file=sys.stderr)
        sys.exit(130)
    main(prog_name="minutes")


if __name__ == "__main__":
    run()
