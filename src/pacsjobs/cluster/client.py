"""A small client of the Scrapyd 1.6 JSON API (scrapyd.readthedocs.io, "API")."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from pacsjobs.errors import PacsjobsError

TIMEOUT = 10.0


class NodeError(PacsjobsError):
    """A node did not answer, or answered an error."""

    def __init__(self, node: str, problem: str, unreachable: bool = False):
        self.node, self.problem, self.unreachable = node, problem, unreachable
        super().__init__(f"scrapyd node {node}: {problem}")


@dataclass(frozen=True)
class Job:
    id: str
    spider: str
    state: str  # pending | running | finished


class ScrapydNode:
    """One Scrapyd server: ``ScrapydNode("http://host:6800", username, password)``."""

    def __init__(self, url: str, username: str | None = None, password: str | None = None,
                 timeout: float = TIMEOUT):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._auth = None
        if username is not None:
            token = base64.b64encode(f"{username}:{password or ''}".encode()).decode()
            self._auth = f"Basic {token}"

    def __repr__(self) -> str:
        return f"ScrapydNode({self.url!r})"

    # -- transport ---------------------------------------------------------------------------
    def _call(self, endpoint: str, params: dict[str, Any] | list[tuple[str, str]] | None = None,
              post: bool = False, files: dict[str, bytes] | None = None) -> dict[str, Any]:
        url = f"{self.url}/{endpoint}"
        data = None
        headers = {"Accept": "application/json"}
        if files is not None:
            data, ctype = _multipart(params or {}, files)
            headers["Content-Type"] = ctype
        elif post:
            data = urllib.parse.urlencode(params or {}, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        if self._auth:
            headers["Authorization"] = self._auth
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured node URL
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                raise NodeError(self.url, "401 Unauthorized (set $PACSJOBS_SCRAPYD_USERNAME and "
                                          "$PACSJOBS_SCRAPYD_PASSWORD)") from None
            raise NodeError(self.url, f"HTTP {exc.code} from {endpoint}") from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NodeError(self.url, f"not answering ({reason})", unreachable=True) from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise NodeError(self.url, f"{endpoint} answered something that is not JSON") from None
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            message = answer.get("message") if isinstance(answer, dict) else answer
            raise NodeError(self.url, f"{endpoint}: {_last_line(str(message))}")
        return answer

    # -- the API -----------------------------------------------------------------------------
    def daemonstatus(self) -> dict[str, Any]:
        return self._call("daemonstatus.json")

    def load(self) -> int:
        """Pending plus running jobs: what the dispatcher balances on."""
        status = self.daemonstatus()
        return int(status.get("pending", 0)) + int(status.get("running", 0))

    def addversion(self, project: str, version: str, egg: bytes) -> dict[str, Any]:
        return self._call("addversion.json", {"project": project, "version": version}, files={"egg": egg})

    def listversions(self, project: str) -> list[str]:
        return list(self._call("listversions.json", {"project": project}).get("versions", []))

    def listspiders(self, project: str, version: str | None = None) -> list[str]:
        params = {"project": project}
        if version:
            params["_version"] = version
        return list(self._call("listspiders.json", params).get("spiders", []))

    def schedule(self, project: str, spider: str, version: str | None = None, jobid: str | None = None,
                 settings: dict[str, Any] | None = None, **args: str) -> str:
        """Queue one crawl; returns its job id. ``args`` become spider arguments."""
        jobid = jobid or uuid.uuid4().hex
        params: list[tuple[str, str]] = [("project", project), ("spider", spider), ("jobid", jobid)]
        if version:
            params.append(("_version", version))
        params += [("setting", f"{k}={v}") for k, v in (settings or {}).items()]
        params += [(k, str(v)) for k, v in args.items()]
        return str(self._call("schedule.json", params, post=True).get("jobid", jobid))

    def listjobs(self, project: str) -> list[Job]:
        answer = self._call("listjobs.json", {"project": project})
        return [Job(str(j.get("id")), str(j.get("spider", "")), state)
                for state in ("pending", "running", "finished") for j in answer.get(state, [])]

    def cancel(self, project: str, job: str) -> None:
        self._call("cancel.json", {"project": project, "job": job}, post=True)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else text


def _multipart(fields: dict[str, Any], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}.egg"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
