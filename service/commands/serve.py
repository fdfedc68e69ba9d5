"""``mixmerge serve --storage URL [--host 127.0.0.1 --port 8000]``: the HTTP API and the live dashboard.

Requests that change anything need ``Authorization: Bearer $MIXMERGE_TOKEN``; reading needs it too unless
``--open-read`` is given. Paths in posted specs must lie under ``MIXMERGE_ROOTS`` (default: the current
directory). The OpenAPI description is at /openapi.json.
"""

from __future__ import annotations

import argparse
import logging
import os

log = logging.getLogger(__name__)


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the HTTP API and the dashboard", description=__doc__)
    p.add_argument("--storage", required=True, help="study database: a file path, sqlite:///... or postgresql://...")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--open-read", action="store_true", help="let anyone read (GET) without the token")
    p.add_argument("--workers", type=int, default=None, help="local search workers per started study")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn
    from mixmerge.service.api import create_app
    from mixmerge.service.cli import UsageError

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
    token = os.environ.get("MIXMERGE_TOKEN") or None
    if token is None:
        log.warning("MIXMERGE_TOKEN is not set: this server refuses every request that changes anything")
    if args.host not in ("127.0.0.1", "localhost", "::1") and args.open_read:
        log.warning("--open-read on %s: anyone who can reach it can read every study", args.host)
    app = create_app(args.storage, token=token, open_read=args.open_read, n_workers=args.workers)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
