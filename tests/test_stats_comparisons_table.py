"""`compare_domains_table`: the difference of two domains for many indicators at once equals `compare_domains` for
each indicator alone, on every kind of design (raked, raked from unequal base weights, weighted, clustered)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_stats import survey

from trygg.stats import Design, rake_weights
from trygg.stats.comparisons import compare_domains, compare_domains_table


def test_a_table_of_comparisons_equals_each_indicator_alone() -> None:
    design, codes, y = survey(31, n=2000, municipalities=2)
    rng = np.random.default_rng(6)
    never = np.where(rng.random(design.n) < 0.2, np.nan, 0.0)  # share 0 in both domains: no variance
    women_only = np.where(codes["gender"] == 1, (rng.random(design.n) < 0.4).astype(float), np.nan)
    ys = np.column_stack([y, (rng.random(design.n) < 0.3).astype(float), never, women_only])
    pops = [np.bincount(m, weights=design.weights) for m in design.margins]
    unequal_base = rake_weights(design.margins, pops, base=Design(weights=rng.uniform(0.5, 2.0, design.n))).design
    designs = [design, unequal_base, Design(weights=design.weights),
               Design(weights=design.weights, cluster=np.arange(design.n) // 2)]
    for d in designs:
        together = compare_domains_table(d, ys, codes["gender"], 2, 1, 0)
        assert len(together) == ys.shape[1]
        for j, got in enumerate(together):
            alone = compare_domains(d, ys[:, j], codes["gender"], 2, 1, 0)
            fields = ("difference", "se", "ci_low", "ci_high", "p_value")
            np.testing.assert_allclose([getattr(got, f) for f in fields], [getattr(alone, f) for f in fields],
                                       rtol=1e-9, atol=1e-15)
        assert np.isnan(together[2].p_value) and np.isnan(together[3].difference)
    with pytest.raises(ValueError, match="two different"):
        compare_domains_table(design, ys, codes["gender"], 2, 1, 1)
    with pytest.raises(ValueError, match="matrix"):
        compare_domains_table(design, y, codes["gender"], 2, 1, 0)
