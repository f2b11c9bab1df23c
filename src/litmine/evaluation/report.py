"""``litmine eval``: every quality figure on the development data, as one text report."""

from __future__ import annotations

from litmine.config import Settings
from litmine.evaluation.scoring import format_table


def run_evaluations(settings: Settings, what: str) -> str:
    """Run the named evaluation (ner, variants, relations or all) and format its tables."""
    sections: list[str] = []
    if what in ("ner", "all"):
        from litmine.evaluation.ner import evaluate_ner

        sections.append(
            "## Entity recognition (strict spans)\n" + format_table(evaluate_ner(settings))
        )
    if what in ("variants", "ner", "all"):
        from litmine.evaluation.variants import evaluate_all

        sections.append(
            "## Variants (tmVar, SETH, BioRED: strict spans; MutationFinder: normalized point "
            "mutations per document)\n" + format_table(evaluate_all(settings))
        )
    if what in ("relations", "all"):
        from litmine.evaluation.relations import evaluate_relations

        sections.append("## Relations\n" + evaluate_relations(settings).table())
    return "\n\n".join(sections)
