"""The one query of a promise: `promise show --format json`, the public page, its open-data JSON and the report
(issue 9) all read `promise_data`, so they cannot disagree.

Indicator figures: the share of a bank indicator in a domain (one area, or several pooled into one domain, or
everyone) from the survey's design, raked when the organisation has population margins (`weighted: true`) and
unweighted otherwise (also when the answers cannot be raked). Baseline and follow-up are independent surveys: the
difference has SE = √(SE₁² + SE₂²) and a normal interval, and is significant when that interval excludes zero.
A figure with fewer than `TRYGG_SUPPRESSION_MIN_N` respondents is null in every field but `survey`, and then no
difference is given.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache

from trygg.promises.models import Activity, Indicator, Promise
from trygg.promises.versions import promise_version
from trygg.stats import ShareEstimate, share_by_domain
from trygg.stats.comparisons import compare_surveys
from trygg.surveys.frames import ResultsError, survey_design
from trygg.surveys.models import Survey


def _num(x: float | None) -> float | int | None:
    """Whole numbers as int (900, not 900.0), as the JSON contract shows them."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def activity_percent(activity: Activity) -> int | None:
    """Percent done rounded to a whole number (may pass 100 when more was delivered); None until progress."""
    return None if activity.percent is None else round(activity.percent)


def domain_share(survey: Survey, indicator: str, areas: list[str],
                 weighted: bool) -> tuple[ShareEstimate | None, bool]:
    """The share of `indicator` among respondents in `areas` pooled (all respondents when empty), and whether it is
    weighted: a survey whose answers cannot be raked falls back to unweighted figures. None for a survey without
    answers."""
    if not survey.responses.exists():
        return None, weighted
    try:
        frame, design, rows, _ = survey_design(survey, weighted)
    # IndexError: the raking engine fails so (not with RakingError) when no respondent can be weighted at all.
    except (ResultsError, IndexError):
        if not weighted:
            raise
        frame, design, rows, _ = survey_design(survey, False)
        weighted = False
    y = frame.indicators[indicator][rows]
    if not areas:
        return share_by_domain(design, y, None, 1)[0], weighted
    categories = frame.categories["area"]
    wanted = np.array([categories.index(a) for a in areas if a in categories], dtype=np.intp)
    # A 0/1 domain on the frame: 1 for respondents in any of the pooled areas, so they form one domain.
    domain = np.isin(frame.codes["area"][rows], wanted).astype(np.intp)
    return share_by_domain(design, y, domain, 2)[1], weighted


def _figure(survey: Survey, est: ShareEstimate | None, min_n: int) -> dict[str, Any]:
    if est is None or est.n < min_n or not np.isfinite(est.share):
        return {"survey": survey.slug, "share": None, "se": None, "ci_low": None, "ci_high": None, "n": None}
    return {"survey": survey.slug, "share": est.share, "se": est.se, "ci_low": est.ci_low, "ci_high": est.ci_high,
            "n": est.n}


def indicator_data(ind: Indicator, min_n: int | None = None) -> dict[str, Any]:
    """One indicator in the JSON shape of `promise show`."""
    min_n = settings.TRYGG_SUPPRESSION_MIN_N if min_n is None else min_n
    weighted = ind.promise.organisation.margins.exists()
    base, weighted_base = domain_share(ind.baseline_survey, ind.indicator, ind.areas, weighted)
    out: dict[str, Any] = {
        "indicator": ind.indicator, "domain": {"area": list(ind.areas)} if ind.areas else {},
        "weighted": weighted_base, "target": ind.target, "baseline": _figure(ind.baseline_survey, base, min_n),
        "follow_up": None, "difference": None, "difference_ci_low": None, "difference_ci_high": None,
        "significant": None}
    if ind.follow_up_survey is None:
        return out
    follow, weighted_follow = domain_share(ind.follow_up_survey, ind.indicator, ind.areas, weighted)
    out["weighted"] = weighted_base and weighted_follow
    out["follow_up"] = _figure(ind.follow_up_survey, follow, min_n)
    if base is not None and follow is not None and out["baseline"]["share"] is not None \
            and out["follow_up"]["share"] is not None:
        c = compare_surveys(follow, base)
        if np.isfinite(c.ci_low):
            out.update({"difference": c.difference, "difference_ci_low": c.ci_low, "difference_ci_high": c.ci_high,
                        "significant": bool(c.ci_low > 0 or c.ci_high < 0)})
    return out


def activity_data(a: Activity) -> dict[str, Any]:
    return {"number": a.number, "text": a.text, "places": list(a.places), "quantity": _num(a.quantity),
            "unit": a.unit, "delivered": _num(a.delivered), "status": a.status, "percent": activity_percent(a)}


def promise_data(promise: Promise, min_n: int | None = None) -> dict[str, Any]:
    """The promise in the JSON shape of `trygg promise show --format json` (shared/spec/cli.md)."""
    commitments = []
    activities = list(promise.activities.all())
    for c in promise.commitments.all():
        commitments.append({"party": c.party, "text": c.text,
                            "activities": [activity_data(a) for a in activities if a.commitment_id == c.pk]})
    indicators = [indicator_data(i, min_n) for i in
                  promise.indicators.select_related("baseline_survey__organisation", "follow_up_survey__organisation",
                                                    "promise__organisation")]
    return {"promise": promise.slug, "status": promise.status, "commitments": commitments, "indicators": indicators}


def cached_promise_data(promise: Promise) -> dict[str, Any]:
    """`promise_data` for the public pages, cached under a fingerprint of what it shows (`promise_version`): the
    promises, their progress and amendments, and the surveys the indicators compare. Any change of those moves it,
    made by a writer or not; an unrelated audit event does not."""
    key = f"trygg:promise:{promise.pk}:{promise_version(promise)}"
    data: dict[str, Any] | None = cache.get(key)
    if data is None:
        data = promise_data(promise)
        cache.set(key, data, timeout=24 * 3600)
    return data
