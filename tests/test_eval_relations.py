"""Relation quality on the development data stays at or above what was measured."""

from __future__ import annotations

import pytest

from litmine.evaluation.relations import evaluate_relations


@pytest.mark.slow
def test_relation_figures_hold(settings, extractor, data_dir):
    scores = evaluate_relations(settings, extractor)
    assert scores.triples.f1 >= 0.47
    assert scores.polarity_accuracy >= 0.89
    assert scores.civicmine_pairs.f1 >= 0.58
    assert scores.civicmine_exact.f1 >= 0.45
    assert scores.negated_share >= 0.3
    assert scores.calibration_error <= 0.15
