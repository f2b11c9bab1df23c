"""Precision/recall/F1 rows shared by every litmine evaluation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """Counts and scores for one (dataset, label) pair; label "ALL" is the micro average."""

    dataset: str
    label: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, dataset: str, label: str, tp: int, fp: int, fn: int) -> ScoreRow:
        return cls(dataset, label, tp, fp, fn, *prf(tp, fp, fn))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1; an empty denominator scores 0 rather than raising."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def format_table(rows: list[ScoreRow]) -> str:
    """Fixed-width text table, one line per row, for CLI output and reports."""
    header = (
        f"{'dataset':<22} {'label':<18} {'tp':>6} {'fp':>6} {'fn':>6} {'P':>6} {'R':>6} {'F1':>6}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.dataset:<22} {r.label:<18} {r.tp:>6} {r.fp:>6} {r.fn:>6} "
            f"{r.precision:>6.3f} {r.recall:>6.3f} {r.f1:>6.3f}"
        )
    return "\n".join(lines)
