"""`comptoir sandbox ...`: the /sandbox/v1 controls from a shell, against a running server.

Each command is one HTTP call with an operator token, so that the CLI and the API cannot disagree on
what a control does."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

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
    freeze: Annotated[
        bool | None, typer.Option("--freeze/--resume", help="Stop time, or let it run on from there.")
    ] = None,
) -> None:
    """Shows the platform clock, or moves it (every job due on the way runs before it answers)."""
    server: Server = ctx.obj
    change = {"freeze": freeze, "now": now, "advanceSeconds": advance, "reset": reset or None}
    body = {k: v for k, v in change.items() if v is not None}
    show(server.call("POST", "/clock", body) if body else server.call("GET", "/clock"))


policy_cli = typer.Typer(help="How asynchronous objects progress, per kind and seller.", no_args_is_help=True)
app.add_typer(policy_cli, name="policy")


@policy_cli.command("set")
def policy_set(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="An object kind (see `policy list`), or all.")],
    mode: Annotated[str, typer.Argument(help="immediate, realistic, after-polls, manual or fail.")],
    seller_id: Annotated[str | None, typer.Option("--seller-id", help="Only this seller's objects.")] = None,
    delay: Annotated[float | None, typer.Option(help="Seconds a realistic step waits.")] = None,
    polls: Annotated[int | None, typer.Option(help="Polls an after-polls object waits for.")] = None,
    result_code: Annotated[str | None, typer.Option("--result-code", help="How fail ends it.")] = None,
    message: Annotated[str | None, typer.Option(help="The message fail ends it with.")] = None,
) -> None:
    """Sets the policy of objects created from now on, and shows every policy in force."""
    body = {
        "mode": mode,
        "sellerId": seller_id,
        "delaySeconds": delay,
        "polls": polls,
        "resultCode": result_code,
        "message": message,
    }
    server: Server = ctx.obj
    show(server.call("PUT", f"/progress-policies/{kind}", {k: v for k, v in body.items() if v is not None}))


@policy_cli.command("list")
def policy_list(ctx: typer.Context) -> None:
    """The object kinds and the policies in force."""
    server: Server = ctx.obj
    show(server.call("GET", "/progress-policies"))


@policy_cli.command("clear")
def policy_clear(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Argument(help="One kind; every kind if omitted.")] = None,
    seller_id: Annotated[str | None, typer.Option("--seller-id", help="A seller's policies.")] = None,
) -> None:
    """Back to realistic progress, server-wide or for one seller."""
    server: Server = ctx.obj
    server.call(
        "DELETE",
        f"/progress-policies/{kind}" if kind else "/progress-policies",
        params={"sellerId": seller_id},
    )
    console.print("Policies cleared.")


@app.command()
def progress(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="The object's kind (offer-packages, orders...).")],
    object_id: Annotated[str, typer.Argument(help="The object's id, as the API answers it.")],
    action: Annotated[str | None, typer.Option(help="advance, finish or fail; shows it if omitted.")] = None,
    result_code: Annotated[str | None, typer.Option("--result-code", help="How fail ends it.")] = None,
    message: Annotated[str | None, typer.Option(help="The message fail ends it with.")] = None,
) -> None:
    """Shows how one object progresses, or moves it on."""
    server: Server = ctx.obj
    path = f"/progress/{kind}/{object_id}"
    if action is None:
        show(server.call("GET", path))
        return
    body = {"action": action, "resultCode": result_code, "message": message}
    show(server.call("POST", path, {k: v for k, v in body.items() if v is not None}))


@app.command()
def reset(
    ctx: typer.Context,
    pack: Annotated[str, typer.Option(help="empty, demo or busy-seller.")] = "demo",
    seed: Annotated[int, typer.Option(help="The pack's random seed: same seed, same rows.")] = 1,
) -> None:
    """Back to a seed pack's state: every table emptied, the clock back to system time."""
    server: Server = ctx.obj
    show(server.call("POST", "/reset", {"pack": pack, "seed": seed}))


fault_cli = typer.Typer(
    help="Faults injected into the seller API, the token endpoint and Allegro routes.", no_args_is_help=True
)
app.add_typer(fault_cli, name="fault")


@fault_cli.command("add")
def fault_add(
    ctx: typer.Context,
    fault: Annotated[
        str, typer.Option(help="429, 500, 503, 503-html, latency, token-expired or connection-closed.")
    ],
    method: Annotated[str | None, typer.Option(help="Only calls with this method.")] = None,
    path: Annotated[str | None, typer.Option(help="Only calls under this path (/seller/v2/orders).")] = None,
    seller_id: Annotated[str | None, typer.Option("--seller-id", help="Only calls for this seller.")] = None,
    times: Annotated[int | None, typer.Option(help="The next N matching calls (1 by default).")] = None,
    every: Annotated[int | None, typer.Option(help="Every Nth matching call.")] = None,
    probability: Annotated[float | None, typer.Option(help="Each matching call, with this chance.")] = None,
    seed: Annotated[int | None, typer.Option(help="The probability's seed: same seed, same calls.")] = None,
    latency_ms: Annotated[int | None, typer.Option("--latency-ms", help="Added delay, ms.")] = None,
    retry_after: Annotated[int | None, typer.Option(help="Retry-After seconds (429, 503).")] = None,
) -> None:
    """Adds a fault rule and shows it, with its id."""
    rule = {
        "fault": fault,
        "method": method,
        "path": path,
        "sellerId": seller_id,
        "times": times,
        "every": every,
        "probability": probability,
        "seed": seed,
        "latencyMs": latency_ms,
        "retryAfterSeconds": retry_after,
    }
    server: Server = ctx.obj
    show(server.call("POST", "/faults", {k: v for k, v in rule.items() if v is not None}))


@fault_cli.command("list")
def fault_list(ctx: typer.Context) -> None:
    """The fault rules, with how many calls each matched and how many faults it injected."""
    server: Server = ctx.obj
    show(server.call("GET", "/faults"))


@fault_cli.command("hits")
def fault_hits(ctx: typer.Context) -> None:
    """The faults injected, newest first."""
    server: Server = ctx.obj
    show(server.call("GET", "/faults/hits"))


@fault_cli.command("clear")
def fault_clear(
    ctx: typer.Context,
    rule_id: Annotated[str | None, typer.Argument(help="One rule; all rules and hits if omitted.")] = None,
) -> None:
    """Removes one fault rule, or all of them and the hits."""
    server: Server = ctx.obj
    server.call("DELETE", f"/faults/{rule_id}" if rule_id else "/faults")
    console.print(f"Fault rule {rule_id} removed." if rule_id else "Fault rules and hits cleared.")


@app.command()
def requests(
    ctx: typer.Context,
    seller_id: Annotated[str | None, typer.Option("--seller-id", help="Only this seller's calls.")] = None,
    path: Annotated[str | None, typer.Option(help="Only paths starting with this.")] = None,
    status: Annotated[int | None, typer.Option(help="Only answers with this status.")] = None,
    limit: Annotated[int, typer.Option(help="How many calls, newest first (at most 500).")] = 20,
    clear: Annotated[bool, typer.Option(help="Empty the request log instead.")] = False,
) -> None:
    """The request log: the API calls the server answered, newest first, secrets masked."""
    server: Server = ctx.obj
    if clear:
        server.call("DELETE", "/requests")
        console.print("Request log cleared.")
        return
    query = {"sellerId": seller_id, "path": path, "status": status, "limit": limit}
    show(server.call("GET", "/requests", params=query))


@app.command("rate-limits")
def rate_limits(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option(help="Reset every counter instead.")] = False,
) -> None:
    """The rate limits of each profile and every client's and seller's counter."""
    server: Server = ctx.obj
    if reset:
        server.call("DELETE", "/rate-limits")
        console.print("Rate-limit counters reset.")
        return
    show(server.call("GET", "/rate-limits"))


snapshot_cli = typer.Typer(help="Named snapshots of the whole database.", no_args_is_help=True)
app.add_typer(snapshot_cli, name="snapshot")
SnapshotName = Annotated[str, typer.Argument(help="Letters, digits, '.', '_' or '-'.")]


@snapshot_cli.command("save")
def snapshot_save(ctx: typer.Context, name: SnapshotName) -> None:
    """Saves the whole database under NAME (replacing a snapshot of that name)."""
    server: Server = ctx.obj
    show(server.call("POST", "/snapshots", {"name": name}))


@snapshot_cli.command("list")
def snapshot_list(ctx: typer.Context) -> None:
    """The saved snapshots: name, when saved, size, rows."""
    server: Server = ctx.obj
    show(server.call("GET", "/snapshots"))


@snapshot_cli.command("restore")
def snapshot_restore(ctx: typer.Context, name: SnapshotName) -> None:
    """Puts the database back as it was when NAME was saved."""
    server: Server = ctx.obj
    show(server.call("POST", f"/snapshots/{quote(name, safe='')}/restore"))


@snapshot_cli.command("delete")
def snapshot_delete(ctx: typer.Context, name: SnapshotName) -> None:
    """Deletes the snapshot NAME."""
    server: Server = ctx.obj
    server.call("DELETE", f"/snapshots/{quote(name, safe='')}")
    console.print(f"Snapshot {name} deleted.")
