"""``pacsjobs cluster deploy`` and ``pacsjobs cluster status``: the Scrapyd nodes of [cluster]."""

from __future__ import annotations

import sys

import click

from pacsjobs.cli.app import AppContext, main, pass_app


@main.group("cluster")
def cluster_group() -> None:
    """Crawl on Scrapyd nodes: deploy the crawlers, see the nodes (docs/scaling.md)."""


@cluster_group.command("deploy")
@pass_app
def deploy_command(app: AppContext) -> None:
    """Upload the crawler egg to every node and check that each runs this pacsjobs version.

    \b
    Example:
        pacsjobs cluster deploy
    """
    from pacsjobs.cluster.deploy import deploy

    reports = deploy(app.config)
    for report in reports:
        click.echo(f"{report.node}: {'ok' if report.ok else 'FAILED'}: {report.message}")
    if not all(r.ok for r in reports):
        sys.exit(1)


@cluster_group.command("status")
@pass_app
def status_command(app: AppContext) -> None:
    """Each node's pending, running and finished jobs, and whether it can run this version.

    \b
    Example:
        pacsjobs cluster status
    """
    from pacsjobs.cluster.client import NodeError
    from pacsjobs.cluster.deploy import check_node, nodes_of, require_cluster
    from pacsjobs.cluster.egg import egg_version

    config = app.config
    require_cluster(config)
    failed = False
    for node in nodes_of(config):
        try:
            s = node.daemonstatus()
        except NodeError as exc:
            click.echo(f"{node.url}: {exc.problem}")
            failed = True
            continue
        report = check_node(node, config.cluster.project, egg_version())
        click.echo(f"{node.url}: {s.get('pending', 0)} pending, {s.get('running', 0)} running, "
                   f"{s.get('finished', 0)} finished; {report.message}")
        failed = failed or not report.ok
    if failed:
        sys.exit(1)
