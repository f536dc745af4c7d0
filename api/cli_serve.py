"""``policykg serve``: the HTTP API, the SPARQL endpoint and the web page, in one or more processes."""

from __future__ import annotations

from pathlib import Path

import click

from api.cli_base import DATA_HELP, main
from core.errors import BadInputError


@main.command()
@click.option("--host", help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; each loads the index and the encoder (memory grows with each).")
@click.option("--data", help=DATA_HELP)
def serve(host, port, workers, data) -> None:
    """Serve the HTTP API, the SPARQL endpoint and the web page."""
    import os

    from policykg.settings import ENV_PREFIX, get_settings

    settings = get_settings(data=data, host=host, port=port)
    sock = bind_port(settings.host, settings.port)  # a busy port is the first and only thing said
    serving = (f"policykg：正在 http://{settings.host}:{settings.port}/ 提供服务（数据目录 {settings.data}"
               + (f"，{workers} 个进程" if workers > 1 else "") + "），按 Ctrl+C 停止")
    if workers == 1:
        from api.early import opened_app

        app = opened_app(settings)  # a damaged index is one error line, and no server starts
        import uvicorn  # loaded by then, with the routes

        from api.limits import UVICORN_OPTIONS

        click.echo(serving, err=True)
        config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", **UVICORN_OPTIONS)
        uvicorn.Server(config).run(sockets=[sock])
        return
    click.echo(serving, err=True)
    # Worker processes build their own app from the environment.
    os.environ[ENV_PREFIX + "DATA"] = str(Path(settings.data).resolve())
    _serve_workers(settings.host, settings.port, workers, sock)


def bind_port(host: str, port: int):
    """A TCP socket bound to ``host:port`` (as uvicorn binds it), or one clear error if the port is taken."""
    import errno
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise BadInputError(f"Cannot bind to host {host!r}: {exc.strerror}. Use an address such as 127.0.0.1.") from None
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BadInputError(f"Port {port} on {host} is already in use (端口已被占用). Stop the program using it, "
                                f"or choose another port with --port, e.g. --port {port + 1}.") from None
        raise BadInputError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    sock.set_inheritable(True)
    return sock


def _serve_workers(host: str, port: int, workers: int, sock=None) -> None:
    """uvicorn's multi-process supervisor, on a listening socket that keeps TCP_NODELAY.

    uvicorn binds the shared socket with ``proto=0``, so asyncio leaves Nagle's algorithm on for
    accepted connections and every keep-alive response waits ~40 ms for a delayed ACK
    (uvicorn issue #3149). Re-wrapping the socket as ``IPPROTO_TCP`` restores TCP_NODELAY.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from api.limits import UVICORN_OPTIONS

    config = uvicorn.Config("api.early:create_worker_app", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", **UVICORN_OPTIONS)
    Multiprocess(config, sockets=[sock if sock is not None else listening_socket(config)]).run()


def listening_socket(config):
    """``config.bind_socket()``, marked as TCP so accepted connections get TCP_NODELAY."""
    import socket

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock
