"""The crawler project as the egg Scrapyd runs: the ``crawlers`` package and its entry point.

Built from the installed ``crawlers`` package, so a wheel install can deploy too. The nodes need
the pacsjobs library itself installed (the same version: ``crawlers.settings`` refuses to run
beside another one, which is how ``pacsjobs cluster deploy`` and the dispatcher find a mismatch).
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

from pacsjobs import __version__

PROJECT_PACKAGE = "crawlers"


def egg_version() -> str:
    """The version label of the egg: the pacsjobs version it was built by and for."""
    return __version__


def build_egg() -> bytes:
    """A zip egg of the ``crawlers`` package with ``[scrapy] settings = crawlers.settings``."""
    spec = importlib.util.find_spec(PROJECT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        from pacsjobs.errors import PacsjobsError

        raise PacsjobsError("the crawlers package is not installed: reinstall pacsjobs")
    root = Path(next(iter(spec.submodule_search_locations)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as egg:
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" not in path.parts:
                egg.write(path, f"{PROJECT_PACKAGE}/{path.relative_to(root).as_posix()}")
        egg.writestr("EGG-INFO/PKG-INFO", f"Metadata-Version: 1.1\nName: pacsjobs-crawlers\n"
                                          f"Version: {egg_version()}\n")
        egg.writestr("EGG-INFO/entry_points.txt", "[scrapy]\nsettings = crawlers.settings\n")
        egg.writestr("EGG-INFO/top_level.txt", f"{PROJECT_PACKAGE}\n")
        egg.writestr("EGG-INFO/zip-safe", "")
    return buffer.getvalue()
