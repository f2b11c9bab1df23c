"""Regex recognizer and HGVS-style normalizer for sequence-variant mentions.

Pure Python so it can run on every abstract before (and independently of) spaCy.
Recall comes from a handful of general notations (one/three-letter protein changes,
HGVS and legacy DNA changes, rsIDs, ITD/TKD, exon indels, gene-bound positions);
precision comes from structural checks (amino-acid letters, position ranges, word
boundaries) and a few context rules for look-alikes such as cell lines ("T47D"),
cell-cycle phases ("G2M"), figure panels ("Fig. S1A") and drug codes.

Span edges follow BioRED: HGVS prefixes ("p.", "c."), parentheses that belong to the
notation ("-1082(G/A)") and the position words of prose changes ("... at codon 298") are
inside the span; gene names and trailing "mutation"/"polymorphism" are outside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "VariantMatch",
    "expand_compounds",
    "find_variants",
    "normalize_protein_change",
]


@dataclass(frozen=True, slots=True)
class VariantMatch:
    """One variant mention; ``text == input[start:end]`` always holds."""

    start: int
    end: int
    text: str
    normalized: str
    # protein dna rsid itd tkd exon frameshift stop compound position, and the prose
    # forms few corpora annotate: prose ("30 nucleotide deletion", "C to T transition"),
    # allele ("-1021T allele", "IL1B-31TT") and repeat ("(CCTTT)10")
    kind: str
    parts: tuple[str, ...] = ()  # normalized parts of a compound ("T315I/E255K")


# --- amino-acid vocabularies -------------------------------------------------------

_ONE = "ACDEFGHIKLMNPQRSTVWY"
_THREE = {
    "ala": "A", "arg": "R", "asn": "N", "asp": "D", "cys": "C", "gln": "Q", "glu": "E",
    "gly": "G", "his": "H", "ile": "I", "leu": "L", "lys": "K", "met": "M", "phe": "F",
    "pro": "P", "ser": "S", "thr": "T", "trp": "W", "tyr": "Y", "val": "V", "sec": "U",
    "ter": "*", "stop": "*", "xaa": "X",
}  # fmt: skip
_FULL = {
    "alanine": "A", "arginine": "R", "asparagine": "N", "aspartic acid": "D",
    "aspartate": "D", "aspartic": "D", "cysteine": "C", "glutamine": "Q",
    "glutamic acid": "E", "glutamate": "E", "glutamic": "E", "glycine": "G",
    "histidine": "H", "isoleucine": "I", "leucine": "L", "lysine": "K",
    "methionine": "M", "phenylalanine": "F", "proline": "P", "serine": "S",
    "threonine": "T", "tryptophan": "W", "tyrosine": "Y", "valine": "V", "stop": "*",
}  # fmt: skip


def _code_alternation(codes: list[str]) -> str:
    """Three-letter codes with an upper-case first letter and any-case rest ("GLn")."""
    parts = [f"{c[0].upper()}(?i:{c[1:]})" for c in sorted(codes, key=len, reverse=True)]
    return "(?:" + "|".join(parts) + ")"


_AA3 = _code_alternation([c for c in _THREE if c not in ("stop", "xaa")])
_AA3_OR_STOP = "(?:" + _code_alternation(list(_THREE)) + "|stop|ter)"
_AAFULL = (
    "(?:"
    + "|".join(f"[{n[0].upper()}{n[0]}]{n[1:]}" for n in sorted(_FULL, key=len, reverse=True))
    + ")"
)
_ARROW = r"(?:-{1,2}>|→|>|->)"
_NT = "[ACGTU]"

# Letters + position that look like mutations but name cells, proteins or phases.
_BLOCKLIST = frozenset(
    {
        "T47D",
        "T98G",
        "H295R",
        "S100A",
        "S100B",
        "S100P",
        "C3H",
        "P2X",
        "P2Y",
        "G1S",
        "G2M",
        "T1D",
        "T2D",
        "M6P",
        "E1A",
        "E1B",
        "C4A",
        "C4B",
    }
)
_CELL_LINES = frozenset(
    {"A549", "H1299", "H1975", "H460", "H358", "K562", "U937", "A375", "H1650", "H3255",
     "A431", "H292", "H441", "H520", "U251", "U87", "T24", "H9", "H69", "H82"}
)  # fmt: skip
_FIGURE_CONTEXT = re.compile(
    r"(?:fig(?:ure)?s?\.?|tables?|panels?|supplementa\w*|appendix|chapter|section)\s*$",
    re.IGNORECASE,
)
_MUTATION_CONTEXT = re.compile(
    r"mutat|mutant|substitut|variant|polymorphi|replac|missense|nonsense|allele|change",
    re.IGNORECASE,
)
# Residues of the cancer literature's best-known protein changes whose one-letter codes are
# nucleotides too: "KRAS G12A", "ALK G1269A", "ABL1 T315A" are protein changes, though
# "G12A" alone could be c.12G>A. ("MTHFR C677T", a DNA change, is not among them.)
_PROTEIN_HOTSPOT_RESIDUES = frozenset(
    {"G12", "G13", "A146", "A59", "G719", "G1202", "G1269", "T315", "G250", "G469", "G466",
     "T877", "T878", "A677", "G2032", "G101", "A763", "G776", "G1128", "G2101"}
)  # fmt: skip
_DNA_CONTEXT = re.compile(
    r"nucleotide|promoter|mtDNA|mitochondrial|polymorphism|\bSNPs?\b|transition|transversion"
    r"|intron|\bcDNA|genotyp|\bbp\b|base pair|untranslated|UTR|haplotyp|\brs\d|splic"
    r"|silent|synonymous|restriction|leading to|result(?:s|ed|ing)? in|predicted to",
    re.IGNORECASE,
)
_PROTEIN_CONTEXT = re.compile(
    r"residue|mutagenesis|site-directed|mutant enzyme|catalytic|active site|wild-type enzyme",
    re.IGNORECASE,
)

# --- patterns ----------------------------------------------------------------------

_FS_TAIL = r"fs(?:\s?(?:\*|X|Ter)\s?\d*|\d+(?:X|\*)?)?"
_RIGHT = r"(?!\w|\*\w)"
# Patterns start with a literal or a character class (sre then skips ahead quickly);
# what may precede a match is checked by ``_scan`` instead of a leading look-behind.
_HEAD_P = r"(?:(?P<prefix>p\.\s?\(?\s?)(?P<wt>{wt})|(?P<wt1>{wt}))"

# A leading "(?=[...])" names the characters a match can start with, so re skips every
# other position at once (two to three times faster than trying the pattern there).
_PROTEIN_ONE = re.compile(
    rf"(?=[p{_ONE}])" + _HEAD_P.format(wt=f"[{_ONE}]") + r"(?P<pos>-?[1-9]\d{0,4})"
    r"(?P<tail>"
    rf"(?:[{_ONE}]{_FS_TAIL})|{_FS_TAIL}"  # frameshift
    r"|del|ins|dup|(?i:stop)|Ter|X|\*"
    rf"|[{_ONE}](?P<alts>(?:/[{_ONE}](?![\w\d]))*)"
    r")"
    r"(?P<close>\))?" + _RIGHT
)
_PROTEIN_ONE_RANGE = re.compile(
    _HEAD_P.format(wt=f"[{_ONE}]")
    + rf"(?P<pos>[1-9]\d{{0,4}})_(?P<wt2>[{_ONE}])(?P<pos2>[1-9]\d{{0,4}})"
    r"(?P<op>del|dup|ins[A-Z]*)" + _RIGHT
)
_PROTEIN_THREE = re.compile(
    _HEAD_P.format(wt=_AA3) + r"\s?-?"
    rf"\s?\(?(?P<pos>[1-9]\d{{0,4}})\)?"
    rf"(?:(?:-|_)(?P<wt2>{_AA3})(?P<pos2>[1-9]\d{{0,4}}))?"
    r"(?:\s?(?:-{1,2}>|→|->|-)\s?|\s(?:to\s)?)?"
    r"(?P<tail>"
    rf"(?:{_AA3})?\s?{_FS_TAIL}|delins(?:{_AA3})+"
    rf"|{_AA3_OR_STOP}|del|ins|dup|X|\*"
    r")"
    r"(?P<close>\))?(?![\w*]|-?\s?\d)"  # "Lys116-Pro117" is a peptide bond, not a change
)
_PROTEIN_FULL = re.compile(
    rf"(?P<wt>{_AAFULL})[\s-]+(?P<pos>[1-9]\d{{0,4}})(?:[\s-]+(?:to|by|with)?[\s-]*|[\s-]+)"
    rf"(?P<mut>{_AAFULL})\b"
)
_POSITION_PHRASE = (
    r"(?:\s+(?:substitution|mutation|change|transition|transversion|replacement))?"
    r"(?:\s+(?:was|is)\s+(?:identified|found|detected))?"
    r",?\s+(?:at|in)\s+(?:the\s+)?(?:(?:codon|residue|position|amino\s+acid(?:\s+position)?"
    r"|nucleotide(?:\s+position)?|cDNA\s+base|base)\s+|(?=[1-9]\d{0,5}\s+position\b))"
    r"(?P<pos>[c.+-]*[1-9]\d{0,5})(?:\s+position\b)?"
)
_GLOSS = rf"(?:\s?\((?:[ACGTU]{{3}}|[A-Z]|{_AA3})\))?"  # "valine (Val)", "methionine (ATG)"
_PROTEIN_ARROW = re.compile(
    rf"(?P<wt>{_AA3}|{_AAFULL}){_GLOSS}"
    rf"\s?(?:{_ARROW}|\s(?:to|by|with|for)\s(?:an?\s)?|-to-)\s?"
    rf"(?P<mut>{_AA3_OR_STOP}|{_AAFULL})\b{_GLOSS}"
    rf"(?:{_POSITION_PHRASE})?"
)
# Words that make "glycine to glutamine" a change: "... substitution", "substitution of ...".
_CHANGE_AFTER = re.compile(
    r"\s(?:substitutions?|mutations?|changes?|replacements?|transitions?|transversions?"
    r"|conversions?)\b"
)
_CHANGE_BEFORE = re.compile(r"(?:substitution|replacement)\s+of\s+(?:an?\s+|the\s+)?$")
_AA_NAME = rf"(?:{_AA3_OR_STOP}|{_AAFULL})"
# Prose substitutions with a residue word or a position on either side: "arginine at
# amino acid position 229 by glycine", "proline residue for arginine residue at position
# 150", "tyrosine codon at amino acid position 67 into a stop"
_AT_RESIDUE = (
    r"\s(?:at|in)\s(?:the\s)?(?:amino[\s-]acid\s)?(?:position\s|residue\s|codon\s)?"
    r"[1-9]\d{0,4}\b"
)
_PROTEIN_PROSE = re.compile(
    rf"(?P<wt>{_AA_NAME}){_GLOSS}(?:\s(?:residue|codon))?(?P<at1>{_AT_RESIDUE})?"
    r"\s(?P<verb>by|for|with|into|to)\s(?:an?\s|the\s)?"
    rf"(?P<mut>{_AA_NAME}){_GLOSS}(?:\s(?:residue|codon))?(?P<at2>{_AT_RESIDUE})?"
)
_PROSE_CHANGE_BEFORE = re.compile(
    r"(?:substitution|replacement|change|changing)\s+(?:of\s+|from\s+)?(?:an?\s+|the\s+)?"
    r"(?:(?:highly\s+)?conserved\s+|amino\s+acid\s+)*$"
)
_PROTEIN_REPLACED = re.compile(
    rf"(?P<wt>{_AA3}|{_AAFULL})[\s-]?(?P<pos>[1-9]\d{{0,4}})"
    r"(?:\s+(?:was|were|is)\s+(?:replaced|substituted|mutated|changed|converted)"
    rf"\s+(?:by|to|with|into)\s+|\s?{_ARROW}\s?|\s+(?:by|into)\s+)"
    rf"(?P<muts>{_AA_NAME}(?:(?:,\s?|,?\s(?:and|or)\s){_AA_NAME})*)(?![\w-])"
)
_PROTEIN_ONE_ARROW = re.compile(
    rf"(?P<wt>[{_ONE}])(?P<pos>[1-9]\d{{0,4}})\s?(?:-{{2,4}}>?|→)\s?"
    rf"(?P<mut>[{_ONE}])(?P=pos)(?![\w])"
)
# Position first, codes in any case, old-style arrow: "272gly----stop", "273ser-->phe"
_PROTEIN_POS_ARROW = re.compile(
    rf"(?P<pos>[1-9]\d{{0,4}})\s?(?P<wt>(?i:{'|'.join(c for c in _THREE if len(c) == 3)}))"
    rf"\s?(?:-{{2,4}}>?|→|->)\s?(?P<mut>(?i:{'|'.join(_THREE)}))(?![\w])"
)
_LETTER_OR_SPACE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ "
_PROTEIN_DELTA = re.compile(rf"(?:Delta|Δ|del)\s?(?P<wt>[{_ONE}])(?P<pos>[1-9]\d{{1,4}})" + _RIGHT)

_DNA_POS = r"[-+*]?\d+(?:\s?[-+]\s?(?:\d+|\?))?"
_DNA_CHANGE = (
    rf"(?:\s?(?P<ref>{_NT}+)\s?(?:{_ARROW}|/|\sto\s|\s?>\s?)\s?(?P<alt>{_NT}+)"
    rf"|\s?\(\s?(?P<pref>{_NT}+)\s?{_ARROW}\s?(?P<palt>{_NT}+)\s?\)"
    rf"|\s?(?P<op>delins|del|ins|dup|inv)(?:\s?(?P<seq>{_NT}+|\d+(?:\s?bp)?|\(\w+\)))?)"
)
_DNA_RANGE = rf"{_DNA_POS}(?:\s?[_-]\s?{_DNA_POS})?"
_DNA_HGVS = re.compile(rf"(?=[-+*\d])(?P<pos>{_DNA_RANGE})" + _DNA_CHANGE + r"(?![\w>])")
_HGVS_PREFIX = re.compile(r"(?<![\w.])(?:[cgmnr]\.\s?|c)$")
_DNA_LETTER_FIRST = re.compile(
    r"(?=[cgmACGTU])(?:(?P<prefix>[cgm]\.)(?P<ref>[ACGTU])|(?P<ref1>[ACGTU]))\s?(?P<pos>[-+]?[1-9]\d{0,6})"
    r"\s?(?P<alt>[ACGTU])(?![\w*])"
)
_STAR_PLUS = re.compile(r"\*\d{1,3}[a-z]?\+(?=[ACGTU]\d)")
_DNA_ALLELES = re.compile(
    r"(?=[ACGTU(])"
    rf"(?:(?P<ref>{_NT}{{1,3}})\s?{_ARROW}\s?(?P<alt>{_NT}{{1,3}})(?![\w/>-])"
    rf"|\((?P<pref>{_NT}{{1,3}})\s?{_ARROW}\s?(?P<palt>{_NT}{{1,3}})\)(?=\s+(?:substitution|transition|transversion|change|at)\b))"
    rf"(?:{_POSITION_PHRASE})?"
)
_CODON_BEFORE = re.compile(r"codon\s?(?:\(CD\)\s?)?(?P<cpos>\d+),?\s$")
_DNA_BARE_INDEL = re.compile(rf"(?P<op>del|dup|ins)(?P<seq>{_NT}{{2,}}|\d+\s?bp)(?![\w])")
_DELTA32 = re.compile(
    r"(?:Delta|Δ)(?P<num>\d{1,3})(?=[\s-]+(?:polymorphism|alleles?|mutation|homozygo"
    r"|heterozygo|genotypes?|variant|deletion|is|carriers?)\b)"
    r"|(?<=CCR5[- ])(?:Delta|Δ)(?P<num2>\d{1,3})(?![\w])"
)
# "-1082(G/A)", "-3279, A/C": a promoter position and its two alleles
_SIGNED_ALLELES = re.compile(
    rf"(?P<pos>[-+][1-9]\d{{0,5}})(?:,\s?|\s?)"
    rf"(?:\((?P<pref>{_NT})/(?P<palt>{_NT})\)|(?P<ref>{_NT})/(?P<alt>{_NT}))(?![\w/])"
)
_DNA_SLASH = re.compile(rf"(?P<ref>{_NT})/(?P<alt>{_NT})(?![\w/])")
_SLASH_AFTER = re.compile(
    r"\s+(?:polymorphism|SNP|variant|genotype|allele|substitution|transition|transversion"
    r"|single nucleotide)"
)
_SLASH_BEFORE = re.compile(r"rs\d{3,10}, $")
_IVS = re.compile(
    r"IVS\s?-?(?P<intron>\d+|[IVX]+)(?:-[IVX]+)?\s?(?:nt)?\s?(?P<off>[-+]\s?\d+)"
    rf"(?:,?\s?(?P<open>\()?\s?(?P<ref>(?i:{_NT}))\s?(?:{_ARROW}|/)\s?(?P<alt>(?i:{_NT}))\s?"
    r"(?(open)\))"
    rf"|(?P<op>del|ins|dup)(?P<seq>{_NT}*)|(?P<base>{_NT})"
    r"|\s(?P<gt>[ACGT]{2}(?:\+[ACGT]{2})*)(?=\s(?:genotypes?|carriers?|homozyg|heterozyg)))?"
    r"(?![\w>])"
)
_RSID = re.compile(r"rs\s?(?P<num>\d{3,10})\b")
_RSID_CAPITAL = re.compile(r"Rs\s?(?P<num>\d{3,10})\b")  # at a sentence start
_ITD = re.compile(r"(?:ITDs?|[Ii]nternal tandem duplications?)\b")
# "Iodide transport defect (ITD)": a definition whose long form is not the duplication
_ITD_DEFINED = re.compile(r"\(ITDs?\)")
_TKD = re.compile(r"TKD(?:(?<=FLT3[- ]TKD)s?\b|(?=[- ](?:mutat|mutant|point)))")
_EXON = re.compile(
    r"(?:exon|ex)\s?(?P<num>\d{1,2})\s?-?\s?(?P<op>del(?:etion)?s?|ins(?:ertion)?s?"
    r"|dup(?:lication)?s?|skipping|mutations?)\b"
    r"|(?P<op2>deletions?|insertions?|duplications?|skipping)\s+(?:in|of|within)\s+"
    r"exon\s?(?P<num2>\d{1,2})\b"
)
_EXON_GATE = re.compile(r"[Ee]x(?:on)?\s?\d")
# A residue or codon position with no change: "R132 mutations", "codon 12". Two patterns,
# not one alternation: a codon match then starts with a literal that re finds by fast
# substring search, and the residue pattern is tried only at capitals (half the time).
# Their matches cannot overlap, so together they find what the alternation found.
_RESIDUE_POSITION = re.compile(
    r"(?P<wt>[A-Z](?:[a-z]{2})?)(?P<pos>[1-9]\d{1,4})"
    r"(?=(?:\s+(?:and|or)\s+\S+)?\s+(?:mutations?|mutants?|mutated|variants?|substitutions?"
    r"|alterations?|hotspots?|codon)\b)"
)
_CODON_POSITION = re.compile(
    r"codons?\s+(?P<codon>[1-9]\d{0,4})\b"
    # what BioRED annotates with the codon: "codon 435 (Thr)", "codon 787 CAG/CAA",
    # "codon 358, tyrosine to histidine"
    rf"(?:\s\((?P<caa>{_AA3})\)|\s(?P<cref>[ACGT]{{3}})/(?P<calt>[ACGT]{{3}})(?![\w/])"
    rf"|,\s(?P<cwt>{_AAFULL})\sto\s(?P<cmut>{_AAFULL})\b)?"
)
# A residue a mutation word points at: "mutations at D835 in FLT3", "substitution of Y253"
_POSITION_AFTER = re.compile(
    r"\b(?i:mutations?|mutants?|substitutions?|alterations?|variants?)\s+(?:at|of|in)\s+"
    r"(?:(?:the\s+)?(?:residue|position|codon)\s+)?(?P<wt>[A-Z](?:[a-z]{2})?)(?P<pos>[1-9]\d{1,4})\b"
    r"(?!\s+(?:by|to|into|with|for)\b)"  # "substitution of G6410 by T" is a base change
)
# One of these is in every text the pattern can match ("Mutations", "mutants", ...).
_POSITION_AFTER_STEMS = ("utat", "utant", "ubstitut", "lterat", "ariant")
# Two codons one base apart: "a D418D polymorphism (GAC/GAT)"
_CODON_PAIR = re.compile(r"(?P<ref>[ACGT]{3})/(?P<alt>[ACGT]{3})(?![\w/])")

# --- wordy and allele forms (BioRED-style prose mentions) ---------------------------

_NUMBER_WORD = (
    r"(?:\d+(?:\.\d+)?|single|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty)"
)
_BASE_NAME = r"(?:adenine|cytosine|guanine|thymine|thymidine|adenosine|cytidine|guanosine)"
_INDEL_WORD = (
    r"(?:insertion/deletion|deletion/insertion|deletion-insertion|indel|deletion|insertion"
    r"|duplication)"
)
_AT_POSITION = (
    r"(?:\s(?:at|in)\s(?:the\s)?(?:nucleotide\s(?:position\s)?|position\s)[-+]?[1-9][\d,]*"
    r"(?![\w,]))?"
)
# "30 nucleotide deletion", "8-bp nucleotide (TTAAATGG) deletion", "-120 bp duplication",
# "32 base-pair (Δ32) deletion", and where it lies when said at once: "... starting at
# position 1952", "... encompassing bases 1078-1182", "... of a cytosine nucleotide"
_SIZED_INDEL = re.compile(
    rf"-?{_NUMBER_WORD}[\s-](?:nucleotides?|base[\s-]?pairs?|basepairs?|bases?|bp|kb|Mb)"
    r"(?:[\s-](?:genomic|nucleotide|\([ACGT]+\)|\((?:Delta|Δ|DD)\d{1,3}\)))*"
    rf"[\s-]{_INDEL_WORD}s?\b(?:\s\(indel\))?"
    r"(?:\s(?:starting\s)?at\sposition\s[-+]?[1-9]\d*|\sencompassing\s(?:bases|nucleotides)"
    rf"\s[1-9]\d*[-–][1-9]\d*|\sof\san?\s{_BASE_NAME}\snucleotide)?(?![\w/-]|\s\([ACGT]+\))"
)
# "cytosine insertion", "adenine 474 deletion", "TGAG deletion", "deletion (TGAG)",
# "deletion of C at nucleotide 888", "insertion of the four nucleotides CCCC"
_NAMED_INDEL = re.compile(
    rf"(?:{_BASE_NAME}(?:\s[1-9]\d*)?|[ACGT]{{2,}})\s(?:deletion|insertion|duplication)\b(?![/-])"
    r"|(?:deletion|insertion|duplication)\s(?:\([ACGT]{2,}\)"
    rf"|of\s(?:(?:a|an|the)\s)?(?:{_NUMBER_WORD}\s(?:nucleotides?|bases?|bp)"
    r"(?:\s[ACGT]+)?|(?:\([ACGT]{2,6}\)\d*)+[ACGT]*|[ACGT]+(?=\s(?:at|in)\s))"
    rf"{_AT_POSITION})"
)
# "C to T transition" (the change word is left out), "C-to-T substitution at -31",
# "G to C at codon 158", "G to A or G to C substitution at ...", "cytosine to guanine
# transversion at nucleotide 1451"
_NT_OR_BASE = rf"(?:[ACGT]{{1,2}}|(?i:{_BASE_NAME}))"
_NT_TO = re.compile(
    rf"(?P<ref>{_NT_OR_BASE})(?:-to-|\sto\s)(?P<alt>{_NT_OR_BASE})"
    r"(?:\sor\s[ACGT](?:-to-|\sto\s)[ACGT])?"
    r"(?:(?:\s(?:transitions?|transversions?|substitutions?|conversions?|mutations?"
    r"|changes?))?(?P<where>(?:\s(?:was|is)\s(?:identified|found|detected))?\s(?:at|in)\s"
    r"(?:the\s)?(?:nucleotide\s(?:position\s)?|position\s|codon\s)?[-+]?[1-9][\d,]*(?![\w,]))"
    r"|(?=\s(?:transitions?|transversions?|substitutions?|conversions?|mutations?|changes?)\b))"
)
_ALLELE_AFTER = re.compile(
    r"\s(?:(?:risk|minor|major|variant|mutant|wild-type)\s)?(?:alleles?|genotypes?|carriers?"
    r"|homozyg\w*|heterozyg\w*|variants?|polymorphisms?)\b"
)
# Allele or genotype at a position: "-1021T allele", "IL1B-31TT", "PON1 192Q/R", "326Ile"
_POSITION_ALLELE = re.compile(
    rf"(?P<pos>[-+]?[1-9]\d{{1,5}})\s?(?P<gt>{_AA3}|[ACGT]/[ACGT]|[{_ONE}]/[{_ONE}]"
    r"|[ACGT]{2}(?:\+[ACGT]{2})+"
    rf"|[{_ONE}]{{1,2}})(?!\w)"
)
_ALLELE_AT = re.compile(
    rf"(?:[ACGT]|\([{_ONE}]\))\sallele\sat\s(?:[-+][1-9]\d{{1,4}}|codon\s[1-9]\d{{0,4}})\b"
)
_NUMBERED_INDEL = re.compile(
    r"(?:del|ins|dup)[1-9]\d{1,5}[ACGT]{1,3}(?![\w])|[ACGT]del[1-9]\d{1,5}(?![\w])"
)
# "-652 6N del", "-652 6N ins/del", "ins/del 6 bp": found around their "del"
_SHORT_INDEL = re.compile(
    r"[-+]?[1-9]\d{1,4}\s[1-9]N\s(?:ins/del|del/ins|del|ins)\b"
    r"|(?:ins/del|del/ins)\s[1-9]\d?\s?bp\b"
)
_INDEL_WORDS = ("deletion", "insertion", "duplication", "indel")
# A notation written as an apposition after a prose indel ("a 2-bp deletion, c.461_462delAG")
# names the same change, and BioRED annotates only the notation; one in parentheses
# ("a 1-bp insertion (c.14_15insC)") is annotated as a second mention.
_NOTATION_AFTER = re.compile(r"(?:,\s?|\s)(?:[cgm]\.\s?[-*]?\d|(?:del|ins|dup)\d)")
_REPEAT = re.compile(r"\([ACGT]{2,6}\)[1-9]\d{0,2}(?![\w(])")
# A polymorphic triplet repeat: "CAG repeat", "CAG and GGC repeat", "glutamine repeat"
_TRIPLET_REPEAT = re.compile(
    r"(?:[ACGT]{3}(?:\sand\s[ACGT]{3})?|(?:poly)?(?:glutamine|alanine))[\s-]repeats?\b"
)
_AA_GENOTYPE = re.compile(
    rf"{_AA3}/{_AA3}(?=\s(?:genotypes?|polymorphisms?|alleles?|variants?|homozyg|heterozyg))"
)
# "GSTP1 Ile/Val genotype" names the polymorphism; "the Gln/Gln or Arg/Arg genotypes" are
# genotype classes of one already named, which BioRED does not annotate.
_GENE_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9-]{1,11}\s$")
# A protein position with no change ("p.Thr26" for a synonymous variant, "p.V657_G726")
_P_POSITION = re.compile(
    rf"p\.(?P<wt>{_AA3}|[{_ONE}])(?P<pos>[1-9]\d{{0,4}})"
    rf"(?:_(?P<wt2>{_AA3}|[{_ONE}])(?P<pos2>[1-9]\d{{0,4}})"
    rf"|\[(?P<alleles>[{_ONE}X*](?:,\s?[{_ONE}X*])+)\])?(?![\w*>(])"
)
_CCR5_DELTA = re.compile(r"(?<=CCR5)(?:[Dd]elta|Δ)32(?![\w])")
# "DD32" is how some PubMed text renders CCR5 "Δ32"; BioRED keeps a following "deletion"
_CCR5_DD32 = re.compile(r"DD32(?:\sdeletion)?(?![\w-])")
# Two residues at one position: "PON1 192Q/R", "55M/L" (a coding polymorphism)
_RESIDUE_PAIR = re.compile(rf"[1-9]\d{{1,4}}(?P<a>[{_ONE}])/(?P<b>[{_ONE}])(?![\w/])")
# A deletion or insertion of named residues: "46delS", "157delMTTTVP"
_RESIDUE_INDEL = re.compile(
    rf"(?P<pos>[1-9]\d{{0,4}})(?P<op>del|ins)(?P<seq>[{_ONE}]{{1,12}})(?![\w])"
)


def _around(
    pattern: re.Pattern[str], text: str, words: tuple[str, ...], width: int, bad: str = ""
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that contain one of ``words``, searched only near them.

    Wordy forms start with common words or numbers; scanning the whole text for them
    would try every word, so each is looked for in a window around its anchor word.
    """
    seen: set[tuple[int, int]] = set()
    for word in words:
        i = text.find(word)
        while i >= 0:
            lo, hi = max(0, i - width), min(len(text), i + len(word) + width)
            for m in pattern.finditer(text, lo, hi):
                j = m.start()
                if not (j <= i < m.end()) or m.span() in seen:
                    continue
                if j and (text[j - 1].isalnum() or text[j - 1] == "_" or text[j - 1] in bad):
                    continue
                seen.add(m.span())
                yield m
            i = text.find(word, i + len(word))


def _before(
    pattern: re.Pattern[str],
    text: str,
    anchors: tuple[str, ...],
    back: int,
    after: str = "",
) -> list[re.Match[str]]:
    """Matches of ``pattern`` starting at most ``back`` characters before an anchor string.

    A cheap substitute for scanning every letter of the text, for patterns that begin
    with a nucleotide letter or a short word and always contain one of ``anchors``.
    With ``after``, only anchors right after one of its characters are tried.
    """
    found: dict[int, re.Match[str]] = {}
    for anchor in anchors:
        i = text.find(anchor)
        while i >= 0:
            if after and not (i and text[i - 1] in after):
                i = text.find(anchor, i + 1)
                continue
            for j in range(max(0, i - back), i + 1):
                if j and (text[j - 1].isalnum() or text[j - 1] == "_"):
                    continue
                m = pattern.match(text, j)
                if m:
                    found.setdefault(j, m)
                    break
            i = text.find(anchor, i + 1)
    out, last_end = [], -1
    for j in sorted(found):
        if j >= last_end:
            out.append(found[j])
            last_end = found[j].end()
    return out


_ALLELE_WORDS = ("allele", "genotype", "carrier", "homozyg", "heterozyg", "variant", "polymorph")
_GENE_HYPHEN = re.compile(r"-[1-9]")


def _allele_candidates(text: str) -> list[re.Match[str]]:
    """Position-allele matches just before an allele word or glued to a gene by "-"."""
    found: dict[tuple[int, int], re.Match[str]] = {}
    for word in _ALLELE_WORDS:
        i = text.find(word)
        while i >= 0:
            for m in _POSITION_ALLELE.finditer(text, max(0, i - 24), i):
                found.setdefault(m.span(), m)
            i = text.find(word, i + len(word))
    for h in _GENE_HYPHEN.finditer(text):
        if not (h.start() and text[h.start() - 1].isalnum()):
            continue
        m = _POSITION_ALLELE.match(text, h.start())
        if m:
            found.setdefault(m.span(), m)
    return [found[k] for k in sorted(found)]


def _wordy(text: str) -> list[_Cand]:
    """Prose and allele mentions: sized or named indels, "C to T", "-1021T allele"."""
    out: list[_Cand] = []
    for pattern, bad in ((_SIZED_INDEL, "-"), (_NAMED_INDEL, "")):
        for m in _around(pattern, text, _INDEL_WORDS, 60, bad):
            if not _NOTATION_AFTER.match(text, m.end()):
                out.append(_Cand(m.start(), m.end(), m.group(), "prose", 3))
    for m in _around(_SHORT_INDEL, text, ("del",), 12):
        out.append(_Cand(m.start(), m.end(), m.group(), "dna", 3))
    # letters ("C to T") just before the anchor; base names ("cytosine to ...") end in "ine"
    nt_to = _before(_NT_TO, text, (" to ", "-to-"), 2)
    if "ine to " in text or "ine-to-" in text:
        nt_to += _before(_NT_TO, text, ("ine to ", "ine-to-"), 6)
    for m in nt_to:
        ref, alt = (b if len(b) < 3 else b[0].upper() for b in (m["ref"], m["alt"]))
        out.append(_Cand(m.start(), m.end(), f"{ref}>{alt}", "prose", 3))
    for m in _allele_candidates(text):
        start, pos, gt = m.start(), m["pos"], m["gt"]
        prev = text[start - 1] if start else " "
        allele = _ALLELE_AFTER.match(text, m.end()) is not None
        three = len(gt) == 3 and "/" not in gt
        if text.startswith("/", m.end()) and not three:
            continue
        genotype = len(gt) == 2 and gt[0] in "ACGT" and gt[1] in "ACGT" or "/" in gt
        if prev.isalnum() and pos[0] == "-" and three:
            start, pos = start + 1, pos[1:]  # "FCGR2B-232Thr/Thr": the allele is "232Thr"
        elif prev.isalnum() and pos[0] == "-" and (allele or genotype):
            pass  # glued to a gene: "IL1B-31TT", "IL1B-31T/C"
        elif prev.isalnum() or prev in "._+-/*" or not allele:
            continue
        if len(gt) == 1 and gt not in "ACGT" and not allele:
            continue
        out.append(_Cand(start, m.end(), f"{pos}{gt}", "allele", 4))
    if "allele at" in text:
        for m in _scan(_ALLELE_AT, text):
            out.append(_Cand(m.start(), m.end(), m.group(), "allele", 3))
    for m in _before(_NUMBERED_INDEL, text, ("del", "ins", "dup"), 1):
        out.append(_Cand(m.start(), m.end(), m.group(), "dna", 3))
    for m in _around(_TRIPLET_REPEAT, text, ("repeat",), 24):
        out.append(_Cand(m.start(), m.end(), m.group(), "repeat", 3))
    if ")" in text:
        for m in _scan(_REPEAT, text):
            out.append(_Cand(m.start(), m.end(), m.group(), "repeat", 3))
    if "/" in text:
        for m in _scan(_AA_GENOTYPE, text, "/"):
            if not _GENE_BEFORE.search(text, max(0, m.start() - 14), m.start()):
                continue
            out.append(_Cand(m.start(), m.end(), m.group(), "allele", 4))
    if "p." in text:
        for m in _scan(_P_POSITION, text, "."):
            wt = _aa(m["wt"])
            if m["alleles"]:  # "p.R469[R,X]": the allele that differs is the change
                changed = [a for a in re.split(r",\s?", m["alleles"]) if _aa(a) != wt]
                norm, kind = _protein_tail(wt, m["pos"], changed[-1] if changed else wt)
                out.append(_Cand(m.start(), m.end(), norm, kind, 5))
                continue
            norm = f"p.{wt}{m['pos']}"
            if m["wt2"]:
                norm += f"_{_aa(m['wt2'])}{m['pos2']}"
            out.append(_Cand(m.start(), m.end(), norm, "position", 5))
    if "CCR5" in text:
        for m in _CCR5_DELTA.finditer(text):
            out.append(_Cand(m.start(), m.end(), "del32", "dna", 3))
        for m in _scan(_CCR5_DD32, text):
            out.append(_Cand(m.start(), m.end(), "del32", "dna", 3))
    if "/" in text:
        for m in _before(_RESIDUE_PAIR, text, ("/",), 6, _ONE):
            if m["a"] != m["b"] and not (m.start() and text[m.start() - 1] in "./+-"):
                out.append(_Cand(m.start(), m.end(), m.group(), "allele", 4))
    for m in _before(_RESIDUE_INDEL, text, ("del", "ins"), 5, "0123456789"):
        if m.start() and text[m.start() - 1] in ".+-_":
            continue
        if not set(m["seq"]) <= set("ACGTU"):  # nucleotides are the DNA patterns' job
            out.append(_Cand(m.start(), m.end(), _residue_indel(m), "protein", 3))
    return out


def _residue_indel(m: re.Match[str]) -> str:
    """HGVS form of "46delS" (p.S46del), "157delMTTTVP" (p.M157_P162del), "12insAL"."""
    pos, seq = int(m["pos"]), m["seq"]
    if m["op"] == "ins":
        return f"p.{pos}ins{seq}"
    if len(seq) == 1:
        return f"p.{seq}{pos}del"
    return f"p.{seq[0]}{pos}_{seq[-1]}{pos + len(seq) - 1}del"


_STOP_TAILS = {"x", "*", "ter", "stop"}


@dataclass(frozen=True, slots=True)
class _Cand:
    """A candidate before overlap resolution; lower priority wins on identical spans."""

    start: int
    end: int
    normalized: str
    kind: str
    priority: int
    parts: tuple[str, ...] = ()


def _aa(token: str) -> str:
    """One-letter code of a one-, three-letter or full amino-acid name."""
    t = token.strip().lower()
    if len(t) == 1:
        return "*" if t in ("x", "*") else t.upper()
    return _THREE.get(t) or _FULL.get(re.sub(r"\s+", " ", t), "?")


def _protein_tail(wt: str, pos: str, tail: str) -> tuple[str, str]:
    """Normalized form and kind for a protein change given its tail (what follows pos)."""
    low = tail.lower().replace(" ", "")
    fs = low.find("fs")
    if fs >= 0:
        return f"p.{wt}{pos}fs", "frameshift"
    if low in _STOP_TAILS:
        return f"p.{wt}{pos}*", "stop"
    if low in ("del", "ins", "dup"):
        return f"p.{wt}{pos}{low}", "protein"
    mut = _aa(tail)
    if mut == "*":
        return f"p.{wt}{pos}*", "stop"
    return f"p.{wt}{pos}{mut}", "protein"


_CHAINS = ("alpha", "beta", "gamma", "VH", "VL")
# Words written glued to a change: HBV surface ("sG145R") and polymerase ("rtM204I")
# proteins, and mouse alleles ("KrasG12D").
_GLUED_PREFIXES = frozenset({"s", "rt", "Kras", "KRAS"})


def _glued_prefix(text: str, i: int) -> bool:
    j = i
    while j and text[j - 1].isalpha():
        j -= 1
    return text[j:i] in _GLUED_PREFIXES and not (j and text[j - 1].isalnum())


def _scan(
    pattern: re.Pattern[str], text: str, bad: str = "", chain: bool = False
) -> Iterator[re.Match[str]]:
    """Matches not glued to a preceding word character or to one of ``bad``.

    ``chain`` lets a change follow an antibody/subunit chain name ("VHY32A", "alphaD60N").
    """
    for m in pattern.finditer(text):
        i = m.start()
        if i:
            ch = text[i - 1]
            emphasis = ch == "*" and (i < 2 or not text[i - 2].isalnum())  # markdown "*T315I*"
            if (
                (ch.isalnum() or ch == "_" or ch in bad)
                and not emphasis
                and not (chain and (text.endswith(_CHAINS, 0, i) or _glued_prefix(text, i)))
            ):
                continue
        yield m


_AA3_START = re.compile(_AA3)
_FULL_NAMES = tuple(sorted({n.split()[0] for n in _FULL}))


def _name_starts(text: str) -> list[int]:
    """Word-initial offsets of amino-acid names and codes, found with fast substring search.

    Prose patterns ("threonine 315 to isoleucine") begin with one of these; trying them only
    here avoids a slow regex search that would try every lower-case letter of the text.
    """
    starts = {m.start() for m in _AA3_START.finditer(text)}
    lower = text.lower()
    if len(lower) == len(text):
        for name in _FULL_NAMES:
            i = lower.find(name)
            while i >= 0:
                starts.add(i)
                i = lower.find(name, i + 1)
    return sorted(i for i in starts if not (i and (text[i - 1].isalnum() or text[i - 1] == "_")))


_P_DOT = re.compile(r"p\.")


def _three_letter_starts(text: str) -> list[int]:
    """Offsets where a three-letter change ("Thr315Ile", "p.(Thr315Ile)") may begin."""
    starts = []
    for m in (*_AA3_START.finditer(text), *_P_DOT.finditer(text)):
        i = m.start()
        glued = i and (text[i - 1].isalnum() or text[i - 1] in "._")
        if glued and not text.endswith(_CHAINS, 0, i):
            continue
        starts.append(i)
    return sorted(starts)


def _match_at(
    pattern: re.Pattern[str], text: str, starts: list[int], bad: str = ""
) -> Iterator[re.Match[str]]:
    """Non-overlapping anchored matches of ``pattern`` at the given word starts."""
    last_end = 0
    for i in starts:
        if i < last_end or (i and text[i - 1] in bad):
            continue
        m = pattern.match(text, i)
        if m:
            last_end = m.end()
            yield m


def _context_before(text: str, start: int, width: int = 25) -> str:
    return text[max(0, start - width) : start]


def _near(text: str, start: int, end: int, pattern: re.Pattern[str], width: int = 80) -> bool:
    return bool(pattern.search(text, max(0, start - width), min(len(text), end + width)))


def _protein_one(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(_PROTEIN_ONE, text, ".+*\\", chain=True):
        wt, pos, tail = m["wt"] or m["wt1"], m["pos"], m["tail"]
        core = f"{wt}{pos}{tail[:1]}"
        if core in _BLOCKLIST or f"{wt}{pos}" in _CELL_LINES and tail[:1].isalpha():
            continue
        if _FIGURE_CONTEXT.search(_context_before(text, m.start())):
            continue
        prefixed = m["prefix"] is not None
        end = m.end() if (m["close"] is None or (m["prefix"] or "").count("(")) else m.end() - 1
        if not prefixed and int(pos) < 10 and not _near(text, m.start(), end, _MUTATION_CONTEXT):
            continue
        if m["alts"]:
            first = f"p.{wt}{pos}{tail[0]}"
            parts = (first,) + tuple(f"p.{wt}{pos}{a}" for a in m["alts"].split("/")[1:])
            out.append(_Cand(m.start(), end, "/".join(parts), "compound", 1, parts))
            continue
        if (
            not prefixed
            and wt in "ACGTU"
            and tail in ("A", "C", "G", "T", "U")
            and _looks_like_dna(text, m.start(), end, int(pos))
        ):
            if text[m.start() - 1 : m.start()] == "/":  # "C311A/C314A": DNA skips glued ones
                out.append(_Cand(m.start(), end, f"{pos}{wt}>{tail}", "dna", 2))
            continue  # the DNA pattern reports it
        norm, kind = _protein_tail(wt, pos, tail)
        out.append(_Cand(m.start(), end, norm, kind, 1))
    for m in _scan(_PROTEIN_ONE_RANGE, text, ".+*\\", chain=True) if "_" in text else ():
        norm = f"p.{m['wt'] or m['wt1']}{m['pos']}_{m['wt2']}{m['pos2']}{m['op']}"
        out.append(_Cand(m.start(), m.end(), norm, "protein", 1))
    for m in _scan(_PROTEIN_DELTA, text):
        out.append(_Cand(m.start(), m.end(), f"p.{m['wt']}{m['pos']}del", "protein", 2))
    return out


def _looks_like_dna(text: str, start: int, end: int, pos: int) -> bool:
    """Decide whether "A3243G"-style text (nucleotides that are also amino acids) is DNA."""
    lo, hi = max(0, start - 80), min(len(text), end + 80)
    dna = len(_DNA_CONTEXT.findall(text, lo, hi))
    protein = len(_PROTEIN_CONTEXT.findall(text, lo, hi))
    if dna != protein:
        return dna > protein
    if text[start : start + 1] + str(pos) in _PROTEIN_HOTSPOT_RESIDUES:
        return False
    return not _has_protein_evidence(text) or pos > 5000


def _protein_three(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    starts = _name_starts(text)
    for m in _match_at(_PROTEIN_THREE, text, _three_letter_starts(text)):
        wt = _aa(m["wt"] or m["wt1"])
        end = m.end() if (m["close"] is None or "(" in (m["prefix"] or "")) else m.end() - 1
        if m["wt2"]:
            norm = f"p.{wt}{m['pos']}_{_aa(m['wt2'])}{m['pos2']}{m['tail'].lower()}"
            out.append(_Cand(m.start(), end, norm, "protein", 1))
            continue
        norm, kind = _protein_tail(wt, m["pos"], m["tail"])
        out.append(_Cand(m.start(), end, norm, kind, 1))
    for m in _match_at(_PROTEIN_FULL, text, starts):
        norm, kind = _protein_tail(_aa(m["wt"]), m["pos"], m["mut"])
        out.append(_Cand(m.start(), m.end(), norm, kind, 2))
    for m in _match_at(_PROTEIN_REPLACED, text, starts, "-"):
        wt, pos = _aa(m["wt"]), m["pos"]
        names = re.split(r",\s?(?:and\s|or\s)?|\s(?:and|or)\s", m["muts"])
        parts = tuple(_protein_tail(wt, pos, n)[0] for n in names)
        if len(parts) == 1:
            norm, kind = _protein_tail(wt, pos, names[0])
            out.append(_Cand(m.start(), m.end(), norm, kind, 2))
        else:
            out.append(_Cand(m.start(), m.end(), "/".join(parts), "compound", 2, parts))
    for m in _scan(_PROTEIN_ONE_ARROW, text, ".") if "--" in text or "→" in text else ():
        norm, kind = _protein_tail(m["wt"], m["pos"], m["mut"])
        out.append(_Cand(m.start(), m.end(), norm, kind, 2))
    for m in _before(_PROTEIN_POS_ARROW, text, ("--", "->", "→"), 11, _LETTER_OR_SPACE):
        if m.start() and text[m.start() - 1] in ".+-":
            continue
        norm, kind = _protein_tail(_aa(m["wt"]), m["pos"], m["mut"])
        out.append(_Cand(m.start(), m.end(), norm, kind, 2))
    for m in _match_at(_PROTEIN_ARROW, text, starts, "-"):
        wt, mut = _aa(m["wt"]), _aa(m["mut"])
        if m["pos"]:
            pos = m["pos"].lstrip("c.+-")
            norm, kind = _protein_tail(wt, pos, mut)
        elif re.search(_ARROW, m.group()):
            norm, kind = f"p.{wt}?{mut}", "protein"
        elif (
            "-to-" in m.group()
            or _CHANGE_AFTER.match(text, m.end())
            or _CHANGE_BEFORE.search(text, max(0, m.start() - 30), m.start())
        ):
            norm, kind = f"p.{wt}?{mut}", "prose"  # "glycine to glutamine substitution"
        else:
            continue  # "glycine to valine" without a change word or position is prose
        out.append(_Cand(m.start(), m.end(), norm, kind, 2))
    for m in _match_at(_PROTEIN_PROSE, text, starts, "-"):
        at = m["at1"] or m["at2"]
        if not at and not _PROSE_CHANGE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue
        wt, mut = _aa(m["wt"]), _aa(m["mut"])
        if m["verb"] == "for":  # "substitution of alanine for valine": valine is replaced
            wt, mut = mut, wt
        pos = re.search(r"\d+", at)[0] if at else "?"
        out.append(_Cand(m.start(), m.end(), f"p.{wt}{pos}{mut}", "prose", 3))
    return out


def _dna(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _DNA_HGVS.finditer(text):
        start = m.start()
        before = _HGVS_PREFIX.search(text, max(0, start - 3), start) if start else None
        if before:  # "c.944C>T", "g. 1755 G > A", "c2403T --> C"
            start, prefix = before.start(), before.group().replace(" ", "")
            prefix = "c." if prefix == "c" else prefix
        elif (start and (text[start - 1].isalnum() or text[start - 1] in "._+-")) or (
            text.endswith(("exon ", "codon ", "intron "), 0, start)
        ):
            continue  # glued to a word, or an exon/codon number rather than a position
        else:
            prefix = ""
        pos = re.sub(r"\s+", "", m["pos"])
        if m["op"]:
            seq = (m["seq"] or "").replace(" ", "")
            if not prefix and not seq:
                continue  # "12 del" is too vague without an HGVS prefix
            change = f"{m['op']}{seq}"
        elif m["ref"]:
            if not prefix and len(m["ref"]) > 1 and len(m["alt"]) > 1 and "/" in m.group():
                continue  # "AG/CT" dinucleotide lists
            change = f"{m['ref']}>{m['alt']}"
        else:
            change = f"{m['pref']}>{m['palt']}"
        if not prefix and re.fullmatch(r"\d+", pos) and "/" in m.group() and int(pos) < 10:
            continue  # "2 A/G" is more likely a count than a position
        out.append(_Cand(start, m.end(), f"{prefix}{pos}{change}", "dna", 2))
    letter_first = list(_scan(_DNA_LETTER_FIRST, text, ".+/-"))
    if "*" in text:  # "SLCO1B1*15+C1007G": a change added to a star allele
        for star in _STAR_PLUS.finditer(text):
            m = _DNA_LETTER_FIRST.match(text, star.end())
            if m:
                letter_first.append(m)
    changed = {m["pos"] for m in letter_first if (m["ref"] or m["ref1"]) != m["alt"]}
    for m in letter_first:
        pos, ref = m["pos"], m["ref"] or m["ref1"]
        if f"{ref}{pos}" in _CELL_LINES or f"{ref}{pos}{m['alt']}" in _BLOCKLIST:
            continue
        if _FIGURE_CONTEXT.search(_context_before(text, m.start())):
            continue
        if ref == m["alt"]:
            # "G1359G" is the wild-type genotype: a mention only beside a change there
            if pos in changed:
                out.append(_Cand(m.start(), m.end(), f"{pos}{ref}=", "allele", 3))
            continue
        signed = pos[0] in "+-"
        if not signed and not m["prefix"] and "U" not in (ref, m["alt"]):
            if int(pos) < 10 and not _near(text, m.start(), m.end(), _MUTATION_CONTEXT):
                continue
            if not _looks_like_dna(text, m.start(), m.end(), int(pos)):
                continue
        prefix = m["prefix"] or ""
        out.append(_Cand(m.start(), m.end(), f"{prefix}{pos}{ref}>{m['alt']}", "dna", 2))
    if ">" in text or "→" in text:
        for m in _scan(_DNA_ALLELES, text, "/>-"):
            pos = (m["pos"] or "").lstrip(".")
            ref, alt = (m["ref"], m["alt"]) if m["ref"] else (m["pref"], m["palt"])
            start, norm = m.start(), f"{pos}{ref}>{alt}"
            codon = _CODON_BEFORE.search(text, max(0, start - 20), start) if len(ref) == 3 else None
            if codon:  # "codon 26, GAG-->GCG": the codon number belongs to the mention
                start, norm = codon.start(), f"codon {codon['cpos']} {ref}>{alt}"
            out.append(_Cand(start, m.end(), norm, "dna", 3))
    for m in _scan(_DNA_BARE_INDEL, text, "0123456789"):
        if text[m.start() - 1 : m.start()].isalpha():
            continue
        seq = m["seq"].replace(" ", "")
        out.append(_Cand(m.start(), m.end(), f"{m['op']}{seq}", "dna", 3))
    if "Delta" in text or "Δ" in text:
        for m in _scan(_DELTA32, text):
            out.append(_Cand(m.start(), m.end(), f"del{m['num'] or m['num2']}", "dna", 3))
    if "/" in text:
        for m in _before(_SIGNED_ALLELES, text, ("/",), 10, "ACGTU"):
            ref, alt = (m["ref"], m["alt"]) if m["ref"] else (m["pref"], m["palt"])
            out.append(_Cand(m.start(), m.end(), f"{m['pos']}{ref}>{alt}", "dna", 3))
        for m in _before(_CODON_PAIR, text, ("/",), 3, "ACGT"):
            if text[m.start() - 1 : m.start()] == "/":
                continue
            ref, alt = m["ref"], m["alt"]
            if sum(a != b for a, b in zip(ref, alt, strict=True)) == 1:
                out.append(_Cand(m.start(), m.end(), f"{ref}>{alt}", "dna", 3))
        for m in _scan(_DNA_SLASH, text, "/"):
            if _SLASH_AFTER.match(text, m.end()) or _SLASH_BEFORE.search(
                text, max(0, m.start() - 14), m.start()
            ):
                out.append(_Cand(m.start(), m.end(), f"{m['ref']}>{m['alt']}", "dna", 3))
    for m in _scan(_IVS, text):
        if m["ref"]:
            change = f"{m['ref'].upper()}>{m['alt'].upper()}"
        elif m["op"]:
            change = f"{m['op']}{m['seq'] or ''}"
        elif m["gt"]:
            change = f" {m['gt']}"
        else:
            change = m["base"] or ""
        norm = f"IVS{m['intron']}{m['off'].replace(' ', '')}{change}"
        out.append(_Cand(m.start(), m.end(), norm, "dna", 2))
    return out


def _other(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in (*_scan(_RSID, text), *(_scan(_RSID_CAPITAL, text) if "Rs" in text else ())):
        out.append(_Cand(m.start(), m.end(), f"rs{m['num']}", "rsid", 1))
    for m in _scan(_ITD, text) if "ITD" in text or "nternal tandem" in text else ():
        if m.group().startswith("ITD") and _itd_means_other(text):
            continue
        out.append(_Cand(m.start(), m.end(), "ITD", "itd", 1))
    for m in _scan(_TKD, text):
        out.append(_Cand(m.start(), m.end(), "TKD", "tkd", 1))
    for m in _scan(_EXON, text) if _EXON_GATE.search(text) else ():
        op = (m["op"] or m["op2"]).lower()
        num = m["num"] or m["num2"]
        word = {"d": "deletion", "i": "insertion", "s": "skipping", "m": "mutation"}.get(
            op[0], "duplication"
        )
        out.append(_Cand(m.start(), m.end(), f"exon {num} {word}", "exon", 1))
    for m in _scan(_CODON_POSITION, text, ".+/-"):
        codon = m["codon"]
        if m["caa"]:
            norm, kind = f"p.{_aa(m['caa'])}{codon}", "position"
        elif m["cref"]:
            norm, kind = f"codon {codon} {m['cref']}>{m['calt']}", "dna"
        elif m["cwt"]:
            norm, kind = _protein_tail(_aa(m["cwt"]), codon, m["cmut"])[0], "prose"
        else:
            norm, kind = f"codon {codon}", "position"
        out.append(_Cand(m.start(), m.end(), norm, kind, 4))
    for m in _scan(_RESIDUE_POSITION, text, ".+/-"):
        if _is_residue(m["wt"], m["pos"]):
            out.append(_Cand(m.start(), m.end(), f"p.{_aa(m['wt'])}{m['pos']}", "position", 4))
    has_word = any(stem in text for stem in _POSITION_AFTER_STEMS)
    for m in _POSITION_AFTER.finditer(text) if has_word else ():
        if _is_residue(m["wt"], m["pos"]):
            start = m.start("wt")
            out.append(_Cand(start, m.end(), f"p.{_aa(m['wt'])}{m['pos']}", "position", 4))
    return out


def _is_residue(wt: str, pos: str) -> bool:
    """An amino-acid code and a position that together do not name a cell line."""
    return f"{wt}{pos}" not in _CELL_LINES and (wt in _ONE or wt.lower() in _THREE)


def _itd_means_other(text: str) -> bool:
    """True if the text defines "ITD" only as something other than a tandem duplication."""
    if "(ITD" not in text:
        return False
    longs = [text[max(0, m.start() - 40) : m.start()].lower() for m in _ITD_DEFINED.finditer(text)]
    return bool(longs) and not any("tandem" in long for long in longs)


_UNAMBIGUOUS_PROTEIN = re.compile(
    rf"[{_ONE}](?<![\w.+/-].)[1-9]\d{{1,4}}[{_ONE}](?![\w*])|p\.[A-Z]|{_AA3}\d"
)


@lru_cache(maxsize=8)
def _has_protein_evidence(text: str) -> bool:
    """True if the text has a protein change whose letters are not all nucleotides."""
    for m in _UNAMBIGUOUS_PROTEIN.finditer(text):
        s = m.group()
        if not (s[0] in "ACGT" and s[-1] in "ACGT") and s[:-1] not in _BLOCKLIST:
            return True
    return False


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest leftmost candidate; on equal spans the lower priority number."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.priority))
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    return kept


_COMPOUNDABLE = frozenset({"protein", "stop", "frameshift"})


def _merge_compounds(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Join protein changes written as "T315I/E255K" into one compound mention."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and c.kind in _COMPOUNDABLE
            and (prev.kind in _COMPOUNDABLE or prev.kind == "compound")
            and text[prev.end : c.start] == "/"
        ):
            parts = (prev.parts or (prev.normalized,)) + (c.normalized,)
            out[-1] = _Cand(prev.start, c.end, "/".join(parts), "compound", 1, parts)
        else:
            out.append(c)
    return out


def find_variants(text: str) -> list[VariantMatch]:
    """All variant mentions in ``text``, non-overlapping and in text order."""
    if not text:
        return []
    cands = _protein_one(text)
    cands += _protein_three(text)
    cands += _dna(text)
    cands += _other(text)
    cands += _wordy(text)
    kept = _merge_compounds(text, _resolve(cands))
    return [
        VariantMatch(c.start, c.end, text[c.start : c.end], c.normalized, c.kind, c.parts)
        for c in kept
    ]


def expand_compounds(text: str, matches: list[VariantMatch]) -> list[VariantMatch]:
    """Split "T315I/E255K" compounds into one match per full change (for span scoring).

    Compounds of alternative residues ("D835Y/H") stay whole: their parts have no
    span of their own.
    """
    out: list[VariantMatch] = []
    for m in matches:
        pieces = m.text.split("/")
        if m.kind != "compound" or len(pieces) != len(m.parts) or min(map(len, pieces)) < 3:
            out.append(m)
            continue
        offset = m.start
        for piece, norm in zip(pieces, m.parts, strict=True):
            kind = "stop" if norm.endswith("*") else "frameshift" if "fs" in norm else "protein"
            out.append(VariantMatch(offset, offset + len(piece), piece, norm, kind))
            offset += len(piece) + 1
    return out


def normalize_protein_change(text: str) -> str | None:
    """HGVS-style one-letter form of a protein change ("Thr315Ile" -> "p.T315I")."""
    stripped = text.strip()
    for pattern in (_PROTEIN_ONE, _PROTEIN_THREE, _PROTEIN_FULL):
        m = pattern.fullmatch(stripped)
        if m is None:
            continue
        if pattern is _PROTEIN_FULL:
            return _protein_tail(_aa(m["wt"]), m["pos"], m["mut"])[0]
        if pattern is _PROTEIN_ONE and m["alts"]:
            return None
        if pattern is _PROTEIN_THREE and m["wt2"]:
            return None
        return _protein_tail(_aa(m["wt"] or m["wt1"]), m["pos"], m["tail"])[0]
    return None
