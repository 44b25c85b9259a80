"""``pacsjobs cluster deploy``: the egg on every node, and a check that each runs this version."""

from __future__ import annotations

from dataclasses import dataclass

from pacsjobs.cluster.client import NodeError, ScrapydNode
from pacsjobs.cluster.egg import build_egg, egg_version
from pacsjobs.config import Config
from pacsjobs.errors import PacsjobsError


@dataclass(frozen=True)
class NodeReport:
    node: str
    ok: bool
    message: str


def nodes_of(config: Config) -> list[ScrapydNode]:
    c = config.cluster
    return [ScrapydNode(url, c.username, c.password) for url in c.nodes]


def require_cluster(config: Config) -> None:
    """Nodes must be configured, and share a PostgreSQL database (a SQLite file is on one machine)."""
    if not config.cluster.nodes:
        raise PacsjobsError(f"no Scrapyd nodes configured: set [cluster] nodes in {config.path('pacsjobs.toml')}")
    if not config.database_url.startswith("postgresql"):
        raise PacsjobsError("the cluster needs a shared PostgreSQL database, not "
                            f"{config.database_url.split(':', 1)[0]}: set [database] url or $PACSJOBS_DATABASE_URL "
                            "to a postgresql+psycopg:// URL every node can reach")


def check_node(node: ScrapydNode, project: str, version: str) -> NodeReport:
    """Does the node hold this version and can it run it (its pacsjobs is the same version)?"""
    try:
        spiders = node.listspiders(project, version)
    except NodeError as exc:
        return NodeReport(node.url, False, exc.problem)
    return NodeReport(node.url, True, f"pacsjobs {version}: {len(spiders)} spiders")


def deploy(config: Config) -> list[NodeReport]:
    """Upload the egg to every node, then check that each can list its spiders."""
    require_cluster(config)
    egg, version, project = build_egg(), egg_version(), config.cluster.project
    reports = []
    for node in nodes_of(config):
        try:
            node.addversion(project, version, egg)
        except NodeError as exc:
            reports.append(NodeReport(node.url, False, exc.problem))
            continue
        reports.append(check_node(node, project, version))
    return reports
