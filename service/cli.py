"""The ``mixmerge`` command line: one sub-command per module in ``service/commands``.

Every command module exposes ``add_parser(subparsers)`` and ``run(args) -> int``. Bad input raises
``UsageError`` (or a ``ValueError`` from validation) and exits with status 2 and one clear message; nothing
is written before input is validated.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from pydantic import ValidationError

#: sub-command name -> module in mixmerge.service.commands
COMMANDS = {
    "merge": "merge",
    "eval": "eval",
    "train": "train",
    "experts": "experts",
    "demo": "demo",
    "search": "search",
    "worker": "worker",
    "best": "best",
    "confirm": "confirm",
    "status": "status",
    "export": "export",
    "report": "report",
    "serve": "serve",
}


class UsageError(ValueError):
    """Bad input from the user: printed as one message, exit status 2."""


def _format_validation_error(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        lines.append(f"  {where}: {e['msg']}")
    return f"invalid {err.title}:\n" + "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mixmerge", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS.values():
        importlib.import_module(f"mixmerge.service.commands.{module}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    try:
        return int(args.run(args) or 0)
    except ValidationError as err:
        print(f"mixmerge {args.command}: error: {_format_validation_error(err)}", file=sys.stderr)
        return 2
    except (UsageError, ValueError, FileNotFoundError) as err:
        print(f"mixmerge {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mixmerge {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
