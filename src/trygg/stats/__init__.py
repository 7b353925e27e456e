"""trygg.stats — the statistics engine: raking, shares by domain with intervals, comparisons, suppression.

Pure numpy/scipy, no Django. Every estimate, standard error and interval equals R's `survey` package (see
docs/statistics.md and tests/test_stats_r.py). Inputs are plain arrays; results are frozen dataclasses.

Designs (`trygg.stats.design`, `trygg.stats.raking`, `trygg.stats.trimming`)
    Design(weights, margins=(), margin_weights=(), cluster=None, strata=None, fpc=None)
    unweighted_design(n) -> Design
    rake_weights(margin_codes, population, *, base=None, epsilon=1e-10, max_iter=100, bounds=None) -> RakeResult
    RakeResult(design, iterations, converged, design_effect, n_eff, weight_min, weight_max, n_trimmed, trim_passes)
    trim_weights(design_or_rake_result, lower, upper, *, strict=True) -> TrimResult       (R's trimWeights)
    TrimResult(design, n_trimmed, passes, weight_min, weight_max, design_effect, n_eff)
    RakingError (a ValueError)
    cross_codes(*(codes, n_categories)) -> (codes, n_cells)

Estimates (`trygg.stats.shares`, `trygg.stats.estimates`)
    share_by_domain(design, y, domain=None, n_domains=1, *, level=0.95, method="auto") -> list[ShareEstimate]
    shares_by_breakdown(design, y, {name: (domain, n_domains)}, *, level=0.95, method="auto")
        -> dict[name, list[ShareEstimate]]
    shares_table(design, y, {name: (domain, n_domains)}, *, level=0.95, method="auto") -> dict[name, ShareTable]
        the same as arrays, for one indicator (y: n values) or many at once (y: n x q matrix, one column each)
    ShareTable(share, se, ci_low, ci_high, n, n_eff, df, method)   arrays [domain] or [domain, indicator];
        .estimates(column=None) -> list[ShareEstimate]
    ShareEstimate(share, se, ci_low, ci_high, n, n_eff, df, method)      method: "logit" | "beta" | "none"
    mean_by_domain(design, y, domain=None, n_domains=1, *, level=0.95) -> list[MeanEstimate]
    MeanEstimate(mean, se, ci_low, ci_high, n, n_eff, df)

Comparisons (`trygg.stats.comparisons`)
    compare_domains(design, y, domain, n_domains, first, second, *, level=0.95) -> Comparison
    compare_surveys(first, second, *, level=0.95) -> Comparison        (two ShareEstimates of independent surveys)
    Comparison(difference, se, ci_low, ci_high, p_value)
    is_statistically_certain(comparison, alpha=0.05) -> bool

Suppression (`trygg.stats.suppression`)
    suppress_breakdown(n, *, total=None, threshold=30) -> Suppression(hidden, primary, show_n, total_hidden)
    suppress_cross(n, *, threshold=30) -> CrossSuppression(hidden, primary, show_n, row/column_total_hidden)

Lower level: `variance.influence_covariance` (R's svyrecvar for any single-stage design),
`variance.domain_variances`, `intervals.logit_interval`, `intervals.korn_graubard_interval`.
"""

from trygg.stats.comparisons import Comparison, compare_domains, compare_surveys, is_statistically_certain
from trygg.stats.design import Design, cross_codes, unweighted_design
from trygg.stats.estimates import MeanEstimate, mean_by_domain
from trygg.stats.raking import RakeResult, RakingError, rake_weights
from trygg.stats.shares import ShareEstimate, ShareTable, share_by_domain, shares_by_breakdown, shares_table
from trygg.stats.suppression import CrossSuppression, Suppression, suppress_breakdown, suppress_cross
from trygg.stats.trimming import TrimResult, trim_weights

__all__ = [
    "Comparison",
    "CrossSuppression",
    "Design",
    "MeanEstimate",
    "RakeResult",
    "RakingError",
    "ShareEstimate",
    "ShareTable",
    "Suppression",
    "TrimResult",
    "compare_domains",
    "compare_surveys",
    "cross_codes",
    "is_statistically_certain",
    "mean_by_domain",
    "rake_weights",
    "share_by_domain",
    "shares_by_breakdown",
    "shares_table",
    "suppress_breakdown",
    "suppress_cross",
    "trim_weights",
    "unweighted_design",
]
