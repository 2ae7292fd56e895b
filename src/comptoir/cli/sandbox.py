"""`comptoir sandbox ...`: the /sandbox/v1 controls from a shell, against a running server.

Each command is one HTTP call with an operator token, so that the CLI and the API cannot disagree on
what a control does."""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console

app = typer.Typer(
    help="Sandbox controls of a running comptoir (started with --sandbox).", no_args_is_help=True
)
console = Console(soft_wrap=True)

TOKEN_PATH = "/auth/realms/maas/protocol/openid-connect/token"


class Server:
    def __init__(self, url: str, client_id: str, client_secret: str) -> None:
        self.url = url.rstrip("/")
        self.credentials = (client_id, client_secret)

    def call(self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None) -> Any:
        with httpx.Client(base_url=self.url, timeout=120) as http:
            token = http.post(
                TOKEN_PATH,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.credentials[0],
                    "client_secret": self.credentials[1],
                },
            )
            token.raise_for_status()
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            query = {k: v for k, v in (params or {}).items() if v is not None}
            r = http.request(method, "/sandbox/v1" + path, json=body, params=query, headers=headers)
        if r.status_code >= 400:
            console.print(f"[red]{r.status_code}[/] {r.text}")
            raise typer.Exit(1)
        return r.json() if r.content else None


@app.callback()
def connect(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", help="The server's base URL.")] = "http://127.0.0.1:8000",
    client_id: Annotated[str, typer.Option("--client-id")] = "operator-client",
    client_secret: Annotated[str, typer.Option("--client-secret")] = "operator-secret",
) -> None:
    ctx.obj = Server(url, client_id, client_secret)


def show(answer: Any) -> None:
    console.print_json(json.dumps(answer))


@app.command()
def clock(
    ctx: typer.Context,
    now: Annotated[str | None, typer.Option(help="Set the clock to this ISO-8601 time.")] = None,
    advance: Annotated[float | None, typer.Option(help="Move the clock forward by these seconds.")] = None,
    reset: Annotated[bool, typer.Option(help="Back to system time.")] = False,
) -> None:
    """Shows the platform clock, or moves it."""
    server: Server = ctx.obj
    body = {k: v for k, v in {"now": now, "advanceSeconds": advance, "reset": reset or None}.items() if v}
    show(server.call("POST", "/clock", body) if body else server.call("GET", "/clock"))
