"""Train litmine's relation scorer on the CIViC development statements.

    .venv/bin/python scripts/train_relations.py [--data ../shared/data]

Writes ``models/relation_model.json`` (two logistic regressions: is the gene–drug pair a stated
claim; is it resistance or sensitivity) and prints the 5-fold cross-validated figures that
``litmine eval relations`` reproduces.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
from pathlib import Path

from litmine.config import Settings
from litmine.evaluation.relations import labelled_civic, load_civic, score_civic
from litmine.pipeline import Extractor
from litmine.relations import MODEL_FILE
from litmine.relations.training import fit, out_of_fold_triples

log = logging.getLogger("train_relations")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, help="data folder (default ../shared/data)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = Settings.from_env().with_overrides(data_dir=args.data)
    source = settings.data_dir / "civic" / "civic_predictive_dev.tsv"
    extractor = Extractor(settings)
    documents = labelled_civic(extractor, load_civic(source))
    predicted = out_of_fold_triples(documents, extractor=extractor.relation_extractor)
    row, accuracy, pairs, negated, dns, _ = score_civic(documents, predicted)
    log.info(
        "5-fold CV (folds by paper) on %s: P %.3f R %.3f F1 %.3f; polarity %.3f over %d pairs; "
        "negated %.3f of %d",
        source.name,
        row.precision,
        row.recall,
        row.f1,
        accuracy,
        pairs,
        negated,
        dns,
    )
    provenance = {
        "trained_on": f"civic/{source.name}",
        "sha256": hashlib.sha256(source.read_bytes()).hexdigest()[:16],
        "cv_f1": round(row.f1, 3),
        "cv_polarity_accuracy": round(accuracy, 3),
        "licence": "CIViC data CC0 1.0",
    }
    model = fit(documents, provenance=provenance)
    path = settings.models_dir / MODEL_FILE
    model.save(path)
    log.info(
        "wrote %s (threshold %.2f, %d pair and %d polarity weights)",
        path,
        model.threshold,
        len(model.pair.weights),
        len(model.polarity.weights),
    )


if __name__ == "__main__":
    main()
