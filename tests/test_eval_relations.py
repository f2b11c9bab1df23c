"""Relation quality on the development data stays at or above what was measured."""

from __future__ import annotations

import pytest

from litmine.evaluation.relations import evaluate_relations


@pytest.mark.slow
def test_relation_figures_hold(settings, extractor, data_dir):
    scores = evaluate_relations(settings, extractor)
    assert scores.triples.f1 >= 0.38
    assert scores.polarity_accuracy >= 0.87
    assert scores.civicmine_pairs.f1 >= 0.55
    assert scores.civicmine_exact.f1 >= 0.42
    assert scores.negated_share >= 0.25
    assert scores.calibration_error <= 0.2
