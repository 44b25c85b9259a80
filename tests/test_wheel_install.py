"""A real installation: build the wheel, install it into a fresh virtual environment, and use it
from an empty folder with no checkout in sight (init, where, crawl against the local server, query).

The fresh environment gets the wheel itself (by pip, as a user would) and reaches the test
environment's already-installed dependencies through a .pth file, so nothing is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.helpers import toml_value

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_BOARD = "/v1/boards/meridianimaging/jobs"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``bin/`` of a fresh venv with the project's wheel installed."""
    pytest.importorskip("setuptools", reason="building the wheel needs setuptools (the test extra)")
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--quiet", "-w", str(work / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (work / "dist").glob("pacsjobs-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        text=True).strip())
    # Dependencies from the test environment; the editable checkout's finder is not activated by this.
    (site / "_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # --ignore-installed: the test environment's own (editable) pacsjobs is visible through the .pth
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--no-index", "--ignore-installed", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=300, env=_env(work))
    assert install.returncode == 0, install.stderr[-2000:]
    return env_dir / "bin"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PACSJOBS_CONFIG", "PACSJOBS_DATABASE_URL", "VIRTUAL_ENV")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
    return env


def _pacsjobs(bin_dir: Path, cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "pacsjobs"), *args], cwd=cwd, env=_env(home), capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_works_from_an_empty_folder(installed, tmp_path, server):
    server.routes([{"path": FIXTURE_BOARD, "file": "greenhouse/board.json"}])
    home, empty = tmp_path / "home", tmp_path / "empty"
    home.mkdir()
    empty.mkdir()

    # The package is the wheel's, not this checkout's.
    where_from = subprocess.run([str(installed / "python"), "-c", "import pacsjobs, crawlers; "
                                 "print(pacsjobs.__file__); print(crawlers.__file__)"],
                                cwd=empty, env=_env(home), capture_output=True, text=True)
    assert str(ROOT) not in where_from.stdout and "site-packages" in where_from.stdout

    init = _pacsjobs(installed, empty, home, "init", "--contact", "me@example.org")
    user_config = home / ".config" / "pacsjobs"
    assert init.returncode == 0, init.stderr
    assert init.stdout == f"wrote {user_config / 'pacsjobs.toml'}\nnext: pacsjobs run\n"

    where = _pacsjobs(installed, empty, home, "where")
    assert where.returncode == 0, where.stderr
    data = home / ".local" / "share" / "pacsjobs"
    assert f"{user_config}  (the user's config folder)" in where.stdout
    assert "site-packages/pacsjobs/defaults/skills.toml  (packaged default)" in where.stdout
    assert f"sqlite:///{data / 'pacsjobs.db'}" in where.stdout

    # A registry of one board on the local server, fast politeness for the test.
    (user_config / "sources.toml").write_text("[[sources]]\n" + "\n".join(
        f"{k} = {toml_value(v)}" for k, v in {"name": "greenhouse:meridian", "platform": "greenhouse",
                                             "employer": "Meridian Imaging Informatics",
                                             "board": "meridianimaging", "base_url": server.url}.items()) + "\n")
    with (user_config / "pacsjobs.toml").open("a") as fh:
        fh.write("download_delay = 0.0\nautothrottle = false\n")  # still inside [crawler]
    crawl = _pacsjobs(installed, empty, home, "crawl", "-q")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert "greenhouse:meridian" in crawl.stdout and "succeeded" in crawl.stdout
    assert (data / "pacsjobs.db").exists()

    query = _pacsjobs(installed, empty, home, "query", "--all", "--format", "json")
    assert query.returncode == 0, query.stderr
    assert "Meridian Imaging Informatics" in query.stdout
    assert sorted(p.name for p in empty.iterdir()) == []  # nothing written where it ran
