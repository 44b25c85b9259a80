"""Errors a user can act on. The CLI prints them as one line, without a traceback."""


class PacsjobsError(Exception):
    """Base of every error that is the user's to fix (bad config, unknown source, bad input)."""


class ConfigError(PacsjobsError):
    """A config file is missing, unreadable or has an invalid value."""

    def __init__(self, file: str, key: str | None, problem: str):
        self.file, self.key, self.problem = file, key, problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")


class SourceError(PacsjobsError):
    """A source cannot be crawled as configured (unknown name, missing credentials)."""


class ParseError(PacsjobsError):
    """A payload is not in the shape its platform publishes (not JSON, missing envelope)."""
