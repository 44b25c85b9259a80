"""The four new platforms are employers' own systems: their copy of a job is the canonical one."""

from __future__ import annotations

import pytest

from pacsjobs.understand.dedupe import platform_rank, source_platform


@pytest.mark.parametrize("source, url, platform", [
    ("ukg:baptist", None, "ukg"),
    ("taleo:tenet", None, "taleo"),
    ("healthcaresource:redlands", None, "healthcaresource"),
    ("neogov:san-bernardino-county", None, "neogov"),
    ("jsonld:x", "https://recruiting2.ultipro.com/T/JobBoard/G/OpportunityDetail?opportunityId=1", "ukg"),
    ("jsonld:x", "https://tenet.taleo.net/careersection/10000/jobdetail.ftl?job=1", "taleo"),
    ("jsonld:x", "https://redlandshospital.hcshiring.com/jobs/abc", "healthcaresource"),
    ("jsonld:x", "https://www.governmentjobs.com/careers/sanbernardino/jobs/1/x", "neogov"),
])
def test_recognised_and_ranked_as_the_employers_own(source, url, platform):
    assert source_platform(source, None, url) == platform
    assert platform_rank(platform) == 0
