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

#: sub-command name -> (module in mixmerge.service.commands, one-line help). Only the chosen command's module
#: is imported, so ``mixmerge merge`` does not pay for importing the search, storage and web stacks.
COMMANDS = {
    "merge": ("merge", "merge experts into a base with a mergekit-style recipe (streaming, disk to disk)"),
    "eval": ("eval", "score a model on helpful/harmless/honest/capability"),
    "train": ("train", "fine-tune the base on a data mixture (SFT or DPO)"),
    "experts": ("experts", "train the helpful/harmless/honest experts from the base"),
    "demo": ("demo", "run the main job on the built-in model and suite"),
    "search": ("search", "search merge coefficients or mix ratios (local workers; resumes a stopped study)"),
    "worker": ("worker", "join a running study from any host that reaches its database"),
    "best": ("best", "the best stored candidate under constraints"),
    "confirm": ("confirm", "score chosen candidates on the test split"),
    "status": ("status", "where a study stands: trials, budget, failures, Pareto set"),
    "export": ("export", "write a trial's model (Hugging Face directory plus its mergekit-style recipe)"),
    "report": ("report", "write an HTML report (and PNGs) of one or more studies"),
    "serve": ("serve", "serve the HTTP API and the dashboard"),
}


class UsageError(ValueError):
    """Bad input from the user: printed as one message, exit status 2."""


def _format_validation_error(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        lines.append(f"  {where}: {e['msg']}")
    return f"invalid {err.title}:\n" + "\n".join(lines)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported (all of them when ``command`` is None)."""
    parser = argparse.ArgumentParser(prog="mixmerge", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"mixmerge.service.commands.{module}").add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def _chosen_command(argv: list[str]) -> str | None:
    """The sub-command named in ``argv`` (the first argument that is not an option), if it is a known one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    argv = sys.argv[1:] if argv is None else list(argv)
    command = _chosen_command(argv)
    parser = build_parser(command)
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
