"""Span rules tuned to BioRED conventions: gene tails and prefixes, context genes, ions,
chemical-shaped abbreviation definitions, class nouns, nucleic acids, cell lines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from litmine.nlp import EntityPipeline
from litmine.nlp.abbreviations import find_abbreviations
from litmine.nlp.chemistry import contextual_codes, ions, looks_chemical
from litmine.types import Document

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipeline(settings) -> EntityPipeline:  # noqa: ANN001
    return EntityPipeline(settings, use_model=False)


def _found(pipeline: EntityPipeline, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.label) for m in pipeline.analyze(Document("t", text)).mentions}


@pytest.mark.parametrize(
    "text, span",
    [
        ("Levels of interleukin (IL)-6 rose.", "interleukin (IL)-6"),
        ("Loss of arylsulfatase B activity.", "arylsulfatase B"),
        ("NRG-1 beta binds ErbB3.", "NRG-1 beta"),
        ("Smad1/5 were phosphorylated.", "Smad1/5"),
        ("Induction of c-Fos followed.", "c-Fos"),
        ("Expression of TIM-1 and 3 on T cells.", "TIM-1 and 3"),
        (
            "It inhibits inducible nitric oxide synthase in macrophages.",
            "inducible nitric oxide synthase",
        ),
        ("Signalling through the 5-HT(2C) receptor.", "5-HT(2C) receptor"),
        ("the melanocortin receptor type 4 in obesity", "melanocortin receptor type 4"),
    ],
)
def test_gene_spans_take_bioreds_boundaries(pipeline: EntityPipeline, text: str, span: str) -> None:
    assert (span, "GENE") in _found(pipeline, text)


def test_member_tails_stop_at_units_and_variants(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "Insulin 10 mg was given; IL1B-31T/C was typed.")
    assert not any(text.startswith("Insulin 10") for text, _ in found)
    assert ("IL1B-31T", "GENE") not in found


def test_unknown_symbols_called_genes_by_context(pipeline: EntityPipeline) -> None:
    found = _found(
        pipeline, "Zqx7 mRNA and QWZ protein rose, but the V600E mutation and DNA gene did not."
    )
    assert ("Zqx7", "GENE") in found
    assert ("QWZ", "GENE") in found
    assert ("V600E", "GENE") not in found
    assert ("DNA", "GENE") not in found


def test_receptor_families_and_cell_lines(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "The glucocorticoid receptor was studied in PC-3 cells and HEK cells.")
    assert ("glucocorticoid receptor", "GENE") in found
    assert not {("PC-3", "GENE"), ("HEK", "GENE")} & found
    text = "Human proximal tubule (HK2) cells and HK2 knockdown."
    genes = [m.start for m in pipeline.analyze(Document("t", text)).mentions if m.label == "GENE"]
    assert genes == [text.rindex("HK2")]  # the knockdown's, not the cell line's


def test_cell_lines_named_like_compounds_are_no_chemicals(pipeline: EntityPipeline) -> None:
    text = (
        "BaF3 cells, BT-474, PC9 cells and NCI-H2073 cells were resistant to AZD6244 and imatinib."
    )
    chemicals = {t for t, label in _found(pipeline, text) if label == "CHEMICAL"}
    assert chemicals == {"AZD6244", "imatinib"}


def test_ions_replace_the_bare_element(pipeline: EntityPipeline) -> None:
    text = "Cytosolic Ca(2+) and Zn2+ rose, while K-ras did not."
    assert [text[a:b] for a, b in ions(text)] == ["Ca(2+)", "Zn2+"]
    found = _found(pipeline, text)
    assert ("Ca(2+)", "CHEMICAL") in found
    assert ("Ca", "CHEMICAL") not in found


def test_clipped_lower_case_abbreviations() -> None:
    (abbr,) = find_abbreviations("Rats received dexamethasone (dex) daily.")
    assert (abbr.short, abbr.long) == ("dex", "dexamethasone")
    assert find_abbreviations("as shown in the figure (see) below") == []


def test_chemical_shaped_long_forms_label_their_abbreviation(pipeline: EntityPipeline) -> None:
    assert looks_chemical("salidroside")
    assert looks_chemical("3,4-dihydroxyphenylacetic acid")
    assert not looks_chemical("gankyrin") and not looks_chemical("computed tomography")
    found = _found(pipeline, "Salidroside (Sal) protects neurons; Sal lowered ROS.")
    assert ("Salidroside", "CHEMICAL") in found
    assert ("Sal", "CHEMICAL") in found


def test_contextual_compound_codes() -> None:
    text = "the MEK inhibitor ZX1234 and cells treated with QA77; HCT116 cells grew."
    assert [text[a:b] for a, b in contextual_codes(text)] == ["ZX1234", "QA77"]


@pytest.mark.parametrize(
    "text, code",
    [
        ("it is insensitive to MDM2 Inhibitor AMGMDS3.", "AMGMDS3"),
        ("more sensitive to BRD4 inhibition with JQ1 than wild type", "JQ1"),
        ("inhibition with ARS-853, a covalent (irreversible) inhibitor", "ARS-853"),
        ("TBK1 depletion or inhibition (AZ909) in combination", "AZ909"),
        ("treated with BET inhibitors (I-BET151 or JQ1).", "I-BET151"),
        ("IC50 in response to 17-AAG was 33.4 nM", "17-AAG"),
        ("cells were resistant to Nutlin-3a.", "Nutlin-3a"),
    ],
)
def test_compound_codes_the_context_vouches_for(text: str, code: str) -> None:
    assert code in [text[a:b] for a, b in contextual_codes(text)]


@pytest.mark.parametrize(
    "text",
    [
        "growth inhibition with IC50 values of 0.04",  # a potency measure
        "following treatment with Hsp27 siRNA",  # a gene's product
        "the cells were sensitive to T",  # too short
    ],
)
def test_no_compound_code_where_the_context_misleads(text: str) -> None:
    assert list(contextual_codes(text)) == []


def test_codes_listed_after_a_drug_and_over_a_grown_gene(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "sensitive to imatinib and GW-2580; BET inhibitors (I-BET151 or JQ1)")
    assert {("GW-2580", "CHEMICAL"), ("I-BET151", "CHEMICAL"), ("JQ1", "CHEMICAL")} <= found
    found = _found(pipeline, "sensitive to treatment with Nampt inhibitor GNE-617.")
    assert ("GNE-617", "CHEMICAL") in found and ("GNE-617", "GENE") not in found
    assert ("GNE-617", "GENE") in _found(pipeline, "levels of GNE-617 rose")  # no compound cue


def test_a_code_with_a_salt_letter_is_the_vocabulary_drug(pipeline: EntityPipeline) -> None:
    [drug] = pipeline.analyze(Document("t", "AKT inhibition with GSK2141795B.")).mentions[1:]
    assert (drug.text, drug.normalized, drug.id) == (
        "GSK2141795B",
        "uprosertib",
        "DrugBank:DB11969",
    )


def test_class_nouns_are_chemicals_and_nucleic_acids_are_not(pipeline: EntityPipeline) -> None:
    found = _found(
        pipeline, "NSAIDs and corticosteroids were stopped. MicroRNAs (miRNAs) and siRNA."
    )
    assert ("NSAIDs", "CHEMICAL") in found
    assert ("corticosteroids", "CHEMICAL") in found
    assert not any(label == "CHEMICAL" and "RNA" in text for text, label in found)


def test_build_spells_greek_letters_every_way(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_resources", ROOT / "scripts" / "build_resources.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    assert module._greek_variants("tgf beta1") == ["tgf β1", "tgf b1"]
    assert module._greek_variants("beta catenin") == ["β catenin", "b catenin"]
    assert module._greek_variants("tnfalpha") == ["tnfα"]
    assert module._greek_variants("alpha synuclein") == ["α synuclein"]  # no article-like "a"


@pytest.mark.parametrize(
    "text, gene",
    [
        ("Cells were treated with the PI3K inhibitor LY294002 for 2 h.", "PI3K"),
        ("Temsirolimus, an mTOR inhibitor, was given to mice.", "mTOR"),
        ("We combined ERK and Akt inhibitors, PD98059 and MK-2206.", "Akt"),
    ],
)
def test_a_named_drugs_class_names_its_target_gene(
    pipeline: EntityPipeline, text: str, gene: str
) -> None:
    found = _found(pipeline, text)
    assert (gene, "GENE") in found
    # the class mention stays, so relations still see a drug there
    assert any(label == "CHEMICAL" and gene in span and span != gene for span, label in found)


def test_a_drug_class_standing_alone_names_no_gene(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "COX-2 inhibitors raise the risk of infarction.")
    assert ("COX-2 inhibitors", "CHEMICAL") in found
    assert ("COX-2", "GENE") not in found


@pytest.mark.parametrize("kind", ["tyrosine kinase", "multikinase", "multi-kinase"])
def test_a_kind_of_enzyme_is_no_target_gene(pipeline: EntityPipeline, kind: str) -> None:
    found = _found(pipeline, f"Cells were sensitive to the {kind} inhibitor dasatinib.")
    assert not any(label == "GENE" for _, label in found)


@pytest.mark.parametrize(
    "text, span",
    [
        ("Expression of SOCS-1 and -3 rose.", "SOCS-1 and -3"),
        ("Activity of MMP-2/-9 fell.", "MMP-2/-9"),
        ("Levels of FGF-2, -3, -4, -7, and -18 were measured.", "FGF-2, -3, -4, -7, and -18"),
        ("Smad1/5/8 were phosphorylated.", "Smad1/5/8"),
    ],
)
def test_elided_members_stay_in_one_span(pipeline: EntityPipeline, text: str, span: str) -> None:
    assert (span, "GENE") in _found(pipeline, text)


def test_elided_members_need_a_hyphenated_member_before(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "The IL1B and -511C alleles were typed.")
    assert not any(text.startswith("IL1B and") for text, _ in found)


@pytest.mark.parametrize(
    "text, span",
    [
        ("mutations in the sodium/iodide symporter gene", "sodium/iodide symporter"),
        ("the thiazide-sensitive Na-Cl co-transporter (NCCT)", "Na-Cl co-transporter"),
        ("blocks L-type Ca(2+) channels in muscle", "L-type Ca(2+) channels"),
        ("serum alanine transaminase rose", "alanine transaminase"),
    ],
)
def test_carriers_named_by_their_cargo_are_genes(
    pipeline: EntityPipeline, text: str, span: str
) -> None:
    assert (span, "GENE") in _found(pipeline, text)


def test_a_plain_ion_channel_keeps_its_ion(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "Blockade of the calcium channel lowered tone.")
    assert ("calcium", "CHEMICAL") in found
    assert not any(label == "GENE" and "channel" in text for text, label in found)


def test_long_forms_that_name_no_gene_make_the_short_form_a_trap(
    pipeline: EntityPipeline,
) -> None:
    text = "Levels in cerebrospinal fluid (CSF) were low; CSF protein was normal."
    found = _found(pipeline, text)
    assert not any(label == "GENE" for _, label in found)


def test_cells_named_by_the_drug_they_resist_are_no_gene(pipeline: EntityPipeline) -> None:
    # GSR is glutathione reductase's symbol, and "GSK2118436" looks like a symbol inside
    text = "We established GSK2118436-resistant (GSR) cells. GSR cells carried BRAF V600E."
    found = _found(pipeline, text)
    assert ("GSR", "GENE") not in found and ("BRAF", "GENE") in found


def test_a_compound_code_is_named_in_lower_case(pipeline: EntityPipeline) -> None:
    text = "The ABCG2 inhibitor Ko143 was added to imatinib and GW-2580."
    names = {m.text: m.normalized for m in pipeline.analyze(Document("t", text)).mentions}
    assert names.get("Ko143") == "ko143" and names.get("GW-2580") == "gw-2580"


def test_an_unknown_gene_long_form_is_found_wherever_it_recurs(pipeline: EntityPipeline) -> None:
    name = "Trabulin-related argonin factor 2"  # no vocabulary has it; TRAF2 is a symbol
    text = f"{name} (TRAF2) binds actin. {name} rose."
    analysis = pipeline.analyze(Document("t", text))
    long_forms = [m for m in analysis.mentions if m.text == name]
    assert len(long_forms) == 2 and all(m.label == "GENE" for m in long_forms)


def test_a_disease_short_form_before_gene_is_also_the_gene(pipeline: EntityPipeline) -> None:
    text = "Adrenoleukodystrophy (ALD) is X-linked. The ALD gene encodes a transporter."
    spans = {(m.start, m.label) for m in pipeline.analyze(Document("t", text)).mentions}
    gene_at = text.index("ALD gene")
    assert (gene_at, "GENE") in spans and (gene_at, "DISEASE") in spans


def test_trial_and_assay_names_in_capitals_are_not_genes(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "Subjects of the STOP-NIDDM trial were typed by ARMS-PCR.")
    assert not any(label == "GENE" for _, label in found)


def test_a_symbol_listed_among_genes_is_a_gene(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "Mutated genes included TP53, RB1, APC, BCOR and BRAF.")
    assert ("APC", "GENE") in found


def test_a_defined_short_form_takes_its_isoform(pipeline: EntityPipeline) -> None:
    text = "The glucocorticoid receptor (GR) has two isoforms; GR beta is dominant negative."
    assert ("GR beta", "GENE") in _found(pipeline, text)


def test_a_defined_gene_glued_to_ko_is_the_gene(pipeline: EntityPipeline) -> None:
    text = "We made androgen receptor (AR) knockout (ARKO) mice; ARKO females gained weight."
    spans = [m for m in pipeline.analyze(Document("t", text)).mentions if m.text == "AR"]
    assert sum(m.start == text.index("ARKO females") for m in spans) == 1


def test_a_change_written_onto_its_gene_names_both(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "BRAFV600E melanoma and KRASG12D mice; DNMT3A and ARID1A loss.")
    assert {("BRAF", "GENE"), ("V600E", "VARIANT"), ("KRAS", "GENE"), ("G12D", "VARIANT")} <= found
    assert {("DNMT3A", "GENE"), ("ARID1A", "GENE")} <= found  # symbols, not glued changes
    residues = _found(pipeline, "BRAFV600-mutant melanoma and KRASG12 mutations; CDK12 loss.")
    assert {("BRAF", "GENE"), ("V600", "VARIANT"), ("KRAS", "GENE"), ("G12", "VARIANT")} <= residues
    assert ("CDK12", "GENE") in residues  # a residue alone only before a mutation word


def test_a_genotype_is_not_a_gene(pipeline: EntityPipeline) -> None:
    assert ("TG", "GENE") not in _found(pipeline, "The TG/GG rs61764370 genotype and GG/TG.")
    assert ("TG", "GENE") in _found(pipeline, "Serum TG levels and the TG/TSH ratio rose.")


def test_a_confidence_interval_is_not_a_gene(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "The response rate was 63% (95% CI 49.3-75.6) with dabrafenib.")
    assert not any(label == "GENE" for _, label in found)
    assert ("CI-49", "GENE") in _found(pipeline, "Loss of CI-49 sensitized cells to metformin.")


def test_a_gene_does_not_grow_into_a_five_prime_end(pipeline: EntityPipeline) -> None:
    found = _found(pipeline, "The TYMS 5' 3TPR variant and the 3' UTR of KRAS 3' end.")
    assert ("TYMS", "GENE") in found and ("TYMS 5", "GENE") not in found


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("p16", "CDKN2A"),
        ("p27", "CDKN1B"),
        ("cyclin D1", "CCND1"),
        ("amphiregulin", "AREG"),
        ("PRL-3", "PTP4A3"),
        ("EGFRvIII", "EGFR"),
        ("betaIII-tubulin", "TUBB3"),
        ("PD-1", "PDCD1"),
        ("ABL", "ABL1"),  # in the leukemia literature, not the ABL family
        ("Rb", "RB1"),
        ("oestrogen receptor", "ESR1"),
    ],
)
def test_resistance_marker_protein_names_take_their_hgnc_symbol(
    pipeline: EntityPipeline, name: str, symbol: str
) -> None:
    [gene] = [
        m
        for m in pipeline.analyze(Document("t", f"We studied {name} in cells.")).mentions
        if m.label == "GENE"
    ]
    assert (gene.text, gene.normalized, gene.id.startswith("HGNC:")) == (name, symbol, True)


@pytest.mark.parametrize(
    "text, regimen",
    [
        ("Patients relapsed after R-CHOP.", "R-CHOP"),
        ("Patients relapsed after six cycles of CHOP chemotherapy.", "CHOP"),
        ("Patients received rituximab plus CHOP.", "CHOP"),
        ("NPM1-mutated AML responded to 7+3 induction.", "7+3"),
        ("NPM1-mutated AML responded to FLAG-IDA.", "FLAG-IDA"),
        ("KRAS mutations predicted resistance to FOLFIRI.", "FOLFIRI"),
        ("Patients were treated with VRd.", "VRd"),
        ("TP53 mutations predicted response to the EAP protocol.", "EAP"),
        ("MYC-rearranged lymphoma responded to DA-EPOCH-R.", "DA-EPOCH-R"),
        ("Relapsed lymphoma was treated with ICE chemotherapy.", "ICE"),
        ("Biliary cancer was treated with GEMOX.", "GEMOX"),
    ],
)
def test_regimens_are_chemicals(pipeline: EntityPipeline, text: str, regimen: str) -> None:
    [mention] = [m for m in pipeline.analyze(Document("t", text)).mentions if m.text == regimen]
    assert mention.label == "CHEMICAL" and mention.id.startswith("regimen:")
    assert not any(label == "GENE" and span in regimen for span, label in _found(pipeline, text))


@pytest.mark.parametrize(
    "text, word, label",
    [
        ("CHOP expression rose under ER stress.", "CHOP", "GENE"),
        ("FLAG-tagged FLT3 was expressed.", "FLAG", None),
        ("RVD was seen in three patients.", "RVD", None),
        ("ICE (caspase-1) cleaves pro-IL-1beta.", "ICE", "GENE"),
        ("The EPOCH of targeted therapy began.", "EPOCH", None),
    ],
)
def test_regimen_acronyms_that_are_words_need_a_regimen_word(
    pipeline: EntityPipeline, text: str, word: str, label: str | None
) -> None:
    labels = {m.label for m in pipeline.analyze(Document("t", text)).mentions if m.text == word}
    assert labels == ({label} if label else set())


def test_a_gene_loss_filed_as_a_disease_names_the_gene_for_triples(
    pipeline: EntityPipeline,
) -> None:
    document = Document("t", "BRCA1-deficient cells were sensitive to olaparib.")

    def labelled(**options: bool) -> set[tuple[str, str]]:
        return {(m.text, m.label) for m in pipeline.analyze(document, **options).mentions}

    assert ("BRCA1-deficient", "DISEASE") in labelled()  # the vocabularies' convention
    assert ("BRCA1", "GENE") in labelled(drugs_required=True)


def test_a_disease_abbreviation_that_is_a_gene_symbol_names_the_gene_for_triples(
    pipeline: EntityPipeline,
) -> None:
    text = "VHL mutations conferred resistance to sunitinib. Patients with VHL were treated."

    def labelled(**options: bool) -> set[tuple[int, str, str]]:
        found = pipeline.analyze(Document("t", text), **options).mentions
        return {(m.start, m.label, m.id) for m in found if m.text == "VHL"}

    assert labelled() == {(0, "DISEASE", ""), (63, "DISEASE", "")}  # the vocabularies'
    assert labelled(drugs_required=True) == {(0, "GENE", "HGNC:12687"), (63, "DISEASE", "")}


def test_a_class_response_filed_as_a_disease_names_the_class_for_triples(
    pipeline: EntityPipeline,
) -> None:
    document = Document("t", "Glucocorticoid resistance was linked to loss of NR3C1 in ALL.")

    def labelled(**options: bool) -> set[tuple[str, str]]:
        return {(m.text, m.label) for m in pipeline.analyze(document, **options).mentions}

    assert ("Glucocorticoid resistance", "DISEASE") in labelled()  # BioRED's convention
    assert ("Glucocorticoid", "CHEMICAL") in labelled(drugs_required=True)
    insulin = Document("t", "Metformin lowered insulin resistance in PCOS.")
    assert ("insulin resistance", "DISEASE") in {
        (m.text, m.label) for m in pipeline.analyze(insulin, drugs_required=True).mentions
    }


def test_a_definite_description_names_the_drug_before_it_for_triples(
    pipeline: EntityPipeline,
) -> None:
    document = Document(
        "t",
        "The MEK inhibitor trametinib was given to 40 patients. Patients with NRAS Q61K "
        "responded to this inhibitor, and the drug concentration was measured.",
    )
    references = {
        (m.text, m.normalized)
        for m in pipeline.analyze(document, drugs_required=True).mentions
        if m.source == "reference"
    }
    assert references == {("this inhibitor", "trametinib")}  # not "the drug concentration"
    # entity output (BioRED's convention) has no such mention
    assert not any(m.source == "reference" for m in pipeline.analyze(document).mentions)


def test_a_definite_description_needs_a_drug_before_it(pipeline: EntityPipeline) -> None:
    document = Document("t", "KRAS-mutant cells were resistant to the drug. Cetuximab failed.")
    mentions = pipeline.analyze(document, drugs_required=True).mentions
    assert not any(m.source == "reference" for m in mentions)
