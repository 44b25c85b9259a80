"""Crawling on Scrapyd nodes with one shared PostgreSQL: deploy, dispatch, follow, re-dispatch.

- ``client``: the Scrapyd HTTP API (addversion, schedule, listjobs, daemonstatus, listspiders, cancel);
- ``egg``: the crawler project as the egg Scrapyd runs;
- ``deploy``: put that egg on every node and check each runs this pacsjobs version;
- ``dispatch``: send sources to nodes, balanced by their load, follow the jobs to the end and
  dispatch again the sources of a node that failed.

Spiders do not know whether they run here or on a node: a node's job gets the source's table and
the run id as spider arguments, the shared database URL and the crawler's politeness as settings.
"""
