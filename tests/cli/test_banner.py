from __future__ import annotations

from pathlib import Path
from typing import Any

from comptoir.cli.main import _banner
from comptoir.settings import Settings


def test_start_banner_prints_urls_unwrapped_in_a_log(capsys: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / ('a-rather-long-folder-name-' * 4)}/comptoir.db"
    _banner(Settings(database_url=url, data_dir=tmp_path, port=18000, sandbox=True))
    lines = capsys.readouterr().out.splitlines()
    assert any(url in line for line in lines)
    assert any(
        line.strip().endswith("http://127.0.0.1:18000/auth/realms/maas/protocol/openid-connect/token")
        for line in lines
    )
