"""NER evaluation: corpus readers, span snapping, strict scoring; slow BioRED floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from litmine.evaluation.ner import (
    GoldDoc,
    GoldSpan,
    evaluate_ner,
    format_table,
    read_iob,
    read_pubtator,
    score_documents,
)
from litmine.types import Analysis, Document, Mention

PUBTATOR = (
    "1|t|Imatinib in CML.\n"
    "1|a|BCR-ABL1 drives it.\n"
    "1\t0\t8\tImatinib\tChemicalEntity\tD000068877\n"
    "1\t12\t15\tCML\tDiseaseOrPhenotypicFeature\tD015464\n"
    "1\t17\t25\tBCR-ABL1\tGeneOrGeneProduct\t25\n"
    "1\t0\t0\tOrganism\tOrganismTaxon\t9606\n"
    "1\tAssociation\tD000068877\t25\tNovel\n"
)


def test_read_pubtator_joins_title_and_abstract(tmp_path: Path) -> None:
    path = tmp_path / "x.PubTator"
    path.write_text(PUBTATOR + "\n", encoding="utf-8")
    (doc,) = read_pubtator(path)
    assert doc.text == "Imatinib in CML. BCR-ABL1 drives it."
    assert [(doc.text[s.start : s.end], s.label) for s in doc.spans] == [
        ("Imatinib", "CHEMICAL"),
        ("CML", "DISEASE"),
        ("BCR-ABL1", "GENE"),
    ]


def test_read_iob_builds_token_spans(tmp_path: Path) -> None:
    path = tmp_path / "devel.tsv"
    path.write_text(
        "Acute\tB-Disease\nleukemia\tI-Disease\nand\tO\ncisplatin\tB-Chemical\n\nNo\tO\n",
        encoding="utf-8",
    )
    docs = list(read_iob(path, {"Disease": "DISEASE", "Chemical": "CHEMICAL"}, "t"))
    assert [d.text for d in docs] == ["Acute leukemia and cisplatin", "No"]
    assert [(docs[0].text[s.start : s.end], s.label) for s in docs[0].spans] == [
        ("Acute leukemia", "DISEASE"),
        ("cisplatin", "CHEMICAL"),
    ]


class _Fixed:
    """A stand-in pipeline that returns fixed character spans."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = spans

    def analyze(self, document: Document) -> Analysis:
        mentions = tuple(
            Mention(document.doc_id, a, b, document.text[a:b], label) for a, b, label in self.spans
        )
        return Analysis(document, (), mentions)


def test_strict_scoring_counts_boundary_errors_twice() -> None:
    doc = GoldDoc("1", "BCR-ABL1 in CML", (GoldSpan(0, 8, "GENE"), GoldSpan(12, 15, "DISEASE")),
                  frozenset({"GENE", "DISEASE"}))  # fmt: skip
    rows = score_documents(
        "t", [doc], _Fixed([(0, 3, "GENE"), (12, 15, "DISEASE"), (0, 3, "VARIANT")]), snap=False
    )
    by_label = {r.label: r for r in rows}
    assert (by_label["GENE"].tp, by_label["GENE"].fp, by_label["GENE"].fn) == (0, 1, 1)
    assert by_label["DISEASE"].f1 == 1.0
    assert "VARIANT" not in by_label  # not annotated by this corpus
    assert (by_label["ALL"].tp, by_label["ALL"].fp, by_label["ALL"].fn) == (1, 1, 1)
    assert "GENE" in format_table(rows)


def test_snapping_widens_to_iob_tokens() -> None:
    doc = GoldDoc("1", "FLT3-ITD AML", (GoldSpan(0, 8, "GENE"),), frozenset({"GENE"}))
    rows = score_documents("t", [doc], _Fixed([(0, 4, "GENE")]), snap=True)
    assert rows[0].tp == 1


@pytest.mark.slow
def test_biored_dev_floors(settings, data_dir) -> None:  # noqa: ANN001
    rows = {r.label: r for r in evaluate_ner(settings, ["BioRED-dev"])}
    # measured (lexicons, no model): GENE 0.881, CHEMICAL 0.871, DISEASE 0.850, VARIANT 0.946
    assert rows["GENE"].f1 >= 0.87
    assert rows["CHEMICAL"].f1 >= 0.86
    assert rows["DISEASE"].f1 >= 0.84
    assert rows["VARIANT"].f1 >= 0.93
