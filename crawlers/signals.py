"""Signals of a crawler that serves many boards (``crawlers.multiplex``): one board's crawl starts
(``source_opened``, sent with ``spider`` = that board's spider) and ends (``source_closed``, with
``spider`` and ``reason``; a handler may return a Deferred, which the crawler waits for)."""

source_opened = object()
source_closed = object()
