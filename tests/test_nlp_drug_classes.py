"""The hand-curated drug class file loads into DrugClass records."""

from __future__ import annotations

from litmine.nlp.drug_classes import class_id, load_drug_classes, load_regimens


def test_classes_have_members_and_patterns(settings) -> None:  # noqa: ANN001
    classes = load_drug_classes(settings)
    for name in ("tyrosine kinase inhibitors", "second-generation tki", "flt3 inhibitors",
                 "hypomethylating agents", "hdac inhibitors", "bh3 mimetics", "cxcr4 antagonists",
                 "bcr-abl inhibitors", "egfr inhibitors", "braf inhibitors", "mek inhibitors",
                 "parp inhibitors", "anthracyclines"):  # fmt: skip
        assert classes[name].members, name
        assert all(m == m.lower() for m in classes[name].members)
    assert "dasatinib" in classes["second-generation tki"].members
    assert "imatinib" not in classes["second-generation tki"].members
    assert classes["second-generation tki"].generation == "second"
    assert "FLT3 TKIs" in classes["flt3 inhibitors"].patterns


def test_class_id_is_a_slug() -> None:
    assert class_id("FLT3 inhibitors") == "class:flt3-inhibitors"
    assert class_id("second-generation tki") == "class:second-generation-tki"


def test_regimens_list_components_the_lexicon_knows(settings) -> None:  # noqa: ANN001
    from litmine.nlp import EntityPipeline

    pipeline = EntityPipeline(settings, use_model=False)
    regimens = load_regimens(settings)
    assert regimens["r-chop"].components[0] == "rituximab"
    assert regimens["7+3"].id == "regimen:7-3" and "CHOP" in regimens["chop"].context
    for regimen in regimens.values():
        assert regimen.patterns or regimen.context, regimen.name
        for drug in regimen.components:
            assert pipeline.lexicon.lookup(drug)[1] == drug, (regimen.name, drug)
