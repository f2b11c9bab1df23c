"""Tests for scoring helpers and the variant evaluations on the shared corpora."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from litmine.config import Settings
from litmine.evaluation.scoring import ScoreRow, format_table, prf
from litmine.evaluation.variants import (
    PROSE_KINDS,
    UNSCORED_KINDS,
    SpanDoc,
    biored_variant_docs,
    evaluate_biored,
    evaluate_mutationfinder,
    evaluate_seth,
    evaluate_tmvar,
    point_mutations,
    read_pubtator,
    score_spans,
    tmvar_docs,
)
from litmine.nlp.variants import find_variants

log = logging.getLogger(__name__)


def test_prf_counts() -> None:
    assert prf(8, 2, 2) == pytest.approx((0.8, 0.8, 0.8))
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf(1, 0, 3) == pytest.approx((1.0, 0.25, 0.4))


def test_format_table_lists_every_row() -> None:
    rows = [ScoreRow.from_counts("d", "ALL", 3, 1, 0), ScoreRow.from_counts("d", "SNP", 0, 0, 2)]
    table = format_table(rows).splitlines()
    assert len(table) == 4
    assert table[2].split()[:5] == ["d", "ALL", "3", "1", "0"]
    assert table[2].split()[-1] == "0.857"


def test_read_pubtator_and_strict_span_scoring(tmp_path: Path) -> None:
    title = "T315I in CML"
    abstract = "We saw c.944C>T and rs123456 but not CD34."
    path = tmp_path / "x.txt"
    path.write_text(
        f"1|t|{title}\n1|a|{abstract}\n"
        "1\t0\t5\tT315I\tProteinMutation\tp|T|315|I\n"
        "1\t20\t28\tc.944C>T\tDNAMutation\tc|C|944|T\n"
        "1\t33\t41\trs123456\tDNAMutation\tRS#:123456\n\n",
        encoding="utf-8",
    )
    docs = list(read_pubtator(path))
    assert docs[0].text[20:28] == "c.944C>T"
    labels = {"protein": "ProteinMutation", "dna": "DNAMutation", "rsid": "SNP"}
    rows = {r.label: r for r in score_spans("t", docs, labels)}
    assert (rows["ALL"].tp, rows["ALL"].fp, rows["ALL"].fn) == (3, 0, 0)
    # the rsID is right by span but typed SNP, gold says DNAMutation
    assert (rows["ALL+type"].tp, rows["ALL+type"].fp, rows["ALL+type"].fn) == (2, 1, 1)
    assert rows["SNP"].fp == 1 and rows["DNAMutation"].fn == 1


def test_score_spans_skips_unscored_kinds() -> None:
    doc = SpanDoc("1", "FLT3-ITD and D835 mutations", frozenset())
    (row,) = score_spans("t", [doc], None)
    assert (row.tp, row.fp, row.fn) == (0, 0, 0)


def test_prose_kinds_are_unscored_for_tmvar_style_corpora() -> None:
    text = "a C to T transition and the -1021T allele"
    doc = SpanDoc("1", text, frozenset())
    (row,) = score_spans("t", [doc], None, UNSCORED_KINDS | PROSE_KINDS)
    assert (row.tp, row.fp, row.fn) == (0, 0, 0)
    row = score_spans("t", [doc], None)[0]
    assert (row.label, row.fp) == ("ALL", 2)


def test_point_mutations_use_wnm_form() -> None:
    text = "T315I/E255K, Arg882Ter, L858fs and Ala16 > Cys or Thr"
    assert point_mutations(find_variants(text)) == {"T315I", "E255K", "A16C", "A16T"}


def _data() -> Settings:
    settings = Settings.from_env()
    if not (settings.data_dir / "mutations" / "tmvar" / "train.txt").exists():
        pytest.skip("shared corpora not available")
    return settings


def _by_label(rows: list[ScoreRow]) -> dict[str, ScoreRow]:
    return {r.label: r for r in rows}


@pytest.mark.slow
def test_tmvar_floor() -> None:
    rows = _by_label(evaluate_tmvar(_data()))
    assert rows["ALL"].f1 >= 0.95
    assert rows["ALL+type"].f1 >= 0.94
    assert rows["ProteinMutation"].f1 >= 0.94
    assert rows["DNAMutation"].f1 >= 0.91
    assert rows["SNP"].f1 >= 0.98


@pytest.mark.slow
def test_mutationfinder_floor() -> None:
    (row,) = evaluate_mutationfinder(_data())
    assert row.f1 >= 0.90
    assert row.precision >= 0.98


@pytest.mark.slow
def test_held_out_corpora_floor() -> None:
    settings = _data()
    assert _by_label(evaluate_seth(settings))["ALL"].f1 >= 0.87
    assert _by_label(evaluate_biored(settings))["ALL"].f1 >= 0.90
    dev = _by_label(evaluate_biored(settings, split="Dev"))["ALL"]
    assert dev.f1 >= 0.85
    assert dev.precision >= 0.95


@pytest.mark.slow
def test_biored_dev_counts_every_kind() -> None:
    """As the NER pipeline scores it: every find_variants span, prose and positions too."""
    docs = biored_variant_docs(_data(), "Dev")
    (row, *_) = score_spans("biored-dev", docs, None, frozenset())
    assert row.f1 >= 0.83


@pytest.mark.slow
def test_speed_on_tmvar_abstracts() -> None:
    texts = [d.text for d in tmvar_docs(_data())]
    start = time.perf_counter()
    for text in texts:
        find_variants(text)
    rate = len(texts) / (time.perf_counter() - start)
    log.info("find_variants: %.0f abstracts/s", rate)
    assert rate >= 500  # a loose floor: the 2-core machine is shared
