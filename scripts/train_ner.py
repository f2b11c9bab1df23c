#!/usr/bin/env python
"""Train litmine's optional statistical NER (``models/ner``) on the training splits.

    .venv/bin/python scripts/train_ner.py [--minutes 20] [--extra] [--out models/ner]

Data: BioRED Train (GENE, CHEMICAL, DISEASE); 10% of its documents (chosen by a hash
of the PMID) are held out for model selection, so BioRED Dev stays untouched for
reporting. ``--extra`` adds the BC5CDR, NCBI-disease and BC2GM training sets; labels a
corpus does not annotate are marked *missing* (not "O") on the tokens the lexicon
assigns to them, so a BC5CDR gene is not taught as a non-entity.

Model: spaCy's default transition-based NER over a HashEmbedCNN (width 96, depth 4),
on the lexicon's fine tokens (see ``litmine.nlp.model``). Deterministic seed.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import compounding, minibatch  # noqa: E402

from litmine.config import Settings  # noqa: E402
from litmine.evaluation.ner import IOB_SETS, GoldDoc, iob_path, read_iob, read_pubtator  # noqa: E402
from litmine.nlp.lexicon import LEXICON_FILE, Lexicon  # noqa: E402
from litmine.nlp.model import LABELS, sentence_words  # noqa: E402
from litmine.nlp.sentences import split_sentences  # noqa: E402
from litmine.types import Sentence  # noqa: E402

log = logging.getLogger("train_ner")


def held_out(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 10 == 0


def examples(nlp, docs: list[GoldDoc], lexicon: Lexicon | None) -> list[Example]:  # noqa: ANN001
    """One example per sentence, BILUO tags; misaligned or unannotated-label spans missing."""
    out = []
    for gd in docs:
        missing_labels = set(LABELS) - set(gd.labels)
        sentences = split_sentences(gd.text) if " " in gd.text else (Sentence(0, len(gd.text)),)
        for sent in sentences:
            words, spaces, spans = sentence_words(gd.text, sent)
            if not words:
                continue
            tags = ["O"] * len(words)
            starts = {a: i for i, (a, _) in enumerate(spans)}
            ends = {b: i for i, (_, b) in enumerate(spans)}
            for g in gd.spans:
                if g.label not in LABELS or g.start < sent.start or g.end > sent.end:
                    continue
                i, j = starts.get(g.start), ends.get(g.end)
                if i is None or j is None or j < i:
                    for k, (a, b) in enumerate(spans):
                        if a < g.end and g.start < b:
                            tags[k] = "-"
                    continue
                if i == j:
                    tags[i] = f"U-{g.label}"
                else:
                    tags[i] = f"B-{g.label}"
                    tags[i + 1 : j] = [f"I-{g.label}"] * (j - i - 1)
                    tags[j] = f"L-{g.label}"
            if missing_labels and lexicon is not None:
                for m in lexicon.match(gd.text[sent.start : sent.end]):
                    if m.label in missing_labels:
                        for k, (a, b) in enumerate(spans):
                            if (
                                a - sent.start < m.end
                                and m.start < b - sent.start
                                and tags[k] == "O"
                            ):
                                tags[k] = "-"
            doc = Doc(nlp.vocab, words=words, spaces=spaces)
            out.append(Example.from_dict(doc, {"entities": tags}))
    return out


def evaluate(nlp, exs: list[Example]) -> float:  # noqa: ANN001
    tp = fp = fn = 0
    preds = nlp.pipe(
        (Doc(nlp.vocab, words=[t.text for t in e.reference]) for e in exs), batch_size=128
    )
    for e, pred in zip(exs, preds, strict=True):
        gold = {(s.start, s.end, s.label_) for s in e.reference.ents}
        got = {(s.start, s.end, s.label_) for s in pred.ents}
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--extra", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "ner")
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = Settings.from_env()
    random.seed(args.seed)
    spacy.util.fix_random_seed(args.seed)

    biored = list(read_pubtator(settings.data_dir / "biored" / "Train.PubTator"))
    train_docs = [d for d in biored if not held_out(d.doc_id)]
    dev_docs = [d for d in biored if held_out(d.doc_id)]
    nlp = spacy.blank("en")
    ner = nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 64,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "pretrained_vectors": None,
                    "width": args.width,
                    "depth": 4,
                    "embed_size": 4000,
                    "window_size": 1,
                    "maxout_pieces": 3,
                    "subword_features": True,
                },
            }
        },
    )
    for label in LABELS:
        ner.add_label(label)
    train = examples(nlp, train_docs, None)
    if args.extra:
        lexicon = Lexicon.load(settings.models_dir / LEXICON_FILE)
        for iob in IOB_SETS:
            train += examples(
                nlp,
                list(read_iob(iob_path(settings.data_dir, iob, "train"), iob.tags, iob.name)),
                lexicon,
            )
    held = examples(nlp, dev_docs, None)
    log.info("train sentences %d, held-out sentences %d", len(train), len(held))
    optimizer = nlp.initialize(lambda: train[:500])
    deadline = time.time() + args.minutes * 60
    best = -1.0
    epoch = 0
    while time.time() < deadline:
        epoch += 1
        random.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=compounding(8.0, 64.0, 1.001)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
            if time.time() > deadline:
                break
        with nlp.use_params(optimizer.averages):
            score = evaluate(nlp, held)
            if score > best:
                best = score
                nlp.to_disk(args.out)
        log.info(
            "epoch %d loss %.1f held-out F1 %.3f (best %.3f)",
            epoch,
            losses.get("ner", 0.0),
            score,
            best,
        )
    log.info("saved best model (held-out F1 %.3f) to %s", best, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
