"""Regex recognizers for chemicals the vocabularies cannot list.

* Drug names by WHO INN stem ("-tinib", "-ciclib", "-toclax", ...): names newer than
  the vocabularies ("olverembatinib") are still found. The build also uses the stems to
  prefer a generic name over a code name as a drug's normalized form.
* Compound code names with a pharmaceutical sponsor prefix ("AZD9291", "GDC-0941",
  "PD0325901", "LY294002"): resistance papers name preclinical compounds this way.
* Molecular formulas ("CaCl(2)", "H2O2", "NaCl"), checked against the element symbols.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_INN_STEM_WORDS = (
    "tinib rafenib ciclib parib lisib toclax degib zomib lidomide tuzumab ximab zumab mumab "
    "cept platin rubicin mycin taxel tecan mustine citabine statin olol pril sartan conazole "
    "prazole cillin floxacin dronate profen setron triptan lukast glitazone gliptin afil "
    "dipine oxetine azepam barbital caine rsen siran parin gatran xaban"
)
# the stems, and the endings of kinase inhibitors (-ib) and antibodies (-mab) that a name
# misspelt inside its stem still has ("bosutanib"): no English word that long ends so
INN_STEMS = (*_INN_STEM_WORDS.split(), "ib", "mab")
INN_STEM = re.compile(r"(?<![^\W_])[A-Za-z][a-z]{3,}(?:" + "|".join(INN_STEMS) + r")(?![^\W_])")
# The same words spelled backwards, for a search of the reversed text: there the stem
# comes first, so re tries it once per word end instead of at every letter of every word
# (the forward pattern backtracks through the word), and a lookahead on the stems' last
# letters lets it skip most positions. Twice as fast on abstracts.
_INN_STEM_REVERSED = re.compile(
    "(?=[" + "".join(sorted({stem[-1] for stem in INN_STEMS})) + r"])(?<![^\W_])"
    "(?:" + "|".join(stem[::-1] for stem in INN_STEMS) + r")[a-z]{3,}[A-Za-z](?![^\W_])"
)

_SPONSORS = (
    "ABT AC ACP AEE AG AMG AMN AP ARQ ARRY ASP AT AUY AZD BAY BEZ BGB BGJ BI BIBF BIIB BKM BLU "
    "BMS BYL CC CCT CEP CGP CH CHIR CI CO CP CPI CUDC CYC DS E GDC GNF GS GSK HM HQP IMG INCB "
    "INK IPI JNJ KB KI KO KW LBH LDE LDK LEE LGX LOXO LXH LY MEK MGCD MK MLN MRTX NMS NSC "
    "NVP ONO ONX OSI PCI PD PF PHA PKC PLX PRT RAD RDEA RG RO RXDX S SAR SB SCH SGI SKI SNDX "
    "SP STI SU TAE TAK TAS TG TGR TNO U UCN VX WZ XL ZD"
)
# Patterns that must start with a capital open with "(?=[A-Z])": re then skips the other
# positions before trying the word-boundary lookbehind (two to three times faster).
_CODE_NAME = re.compile(
    r"(?=[A-Z])(?<![^\W_])(?:" + "|".join(sorted(_SPONSORS.split(), key=len, reverse=True)) + r")"
    r"(?:-| )?\d{3,8}[A-Z]?(?![^\W_]|-\d)"
)

# Elements that make up the formulas authors write in abstracts; exotic symbols mostly
# appear in look-alikes (HeLa cells, IKr currents, KU7 clones).
_COMMON_ELEMENTS = (
    "H B C N O F Na Mg Al Si P S Cl K Ca Mn Fe Co Ni Cu Zn Se Br Sr Ag Cd I Ba Pt Au Hg Pb Li"
)
_FORMULA = re.compile(r"(?=[A-Z])(?<![^\W_])(?:[A-Z][a-z]?(?:\d+|\(\d+\))?){2,}(?![^\W_])")
_ELEMENT = re.compile(r"([A-Z][a-z]?)(?:\d+|\(\d+\))?")
# A formula-shaped word made only of those elements: one pattern test turns down most
# acronyms ("EGFR", "HIV") before their parts are split and counted.
_ELEMENTS_ONLY = re.compile(
    "(?:(?:"
    + "|".join(sorted(_COMMON_ELEMENTS.split(), key=len, reverse=True))
    + r")(?:\d+|\(\d+\))?)+"
)
_ACRONYM_NUMBER = re.compile(r"[A-Z]{3,}\d+")
_COUNT = re.compile(r"\d+")


# Word endings and infixes of systematic and trivial chemical names; used only where an
# abbreviation definition vouches that the words name one thing ("salidroside (Sal)").
_CHEMICAL_WORD = re.compile(
    r"(?:[\w,'()\[\]+-]*-)?[a-z]*(?:osides?|[^r]ines?|[^t]ols?|[^u]ides?|[^t]ates?|[^b]ones?|"
    r"anes?|enes?|yls?|acids?)",
    re.IGNORECASE,
)
_SYSTEMATIC = re.compile(
    r"hydroxy|methyl|ethyl|amino|chloro|fluoro|bromo|iodo|nitro|azido|deoxy|acetyl|phenyl|"
    r"benz|oxo|dihydro|propyl|butyl|thio|sulf|phosph|carbox|cyano|methox|glyc|purin|pyri",
    re.IGNORECASE,
)
_LOCANT = re.compile(r"\(?[\dRSNO][\d,'RSN]*\)?-[a-z]")  # "3,4-", "(R)-", "N-"
_NOT_CHEMICAL = (
    "medicine routine baseline guideline decline vaccine machine line online combine "
    "determine examine define fine nine spine urine feline canine bovine porcine murine "
    "equine uterine endocrine intestine alkaline saline plasmin rate state update estimate "
    "candidate aggregate substrate none zone bone tone side wide guide control protocol "
    "scene gene genes domain protein proteins"
)
_NOT_CHEMICAL_WORDS = frozenset(_NOT_CHEMICAL.split())


def looks_chemical(name: str) -> bool:
    """A one-word name (or "<word> acid") whose shape is a chemical's: a systematic
    infix, or a chemical ending with a dash-joined locant or a long enough stem."""
    words = name.split()
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1].lower() != "acid"):
        return False
    word = words[0]
    if word.lower() in _NOT_CHEMICAL_WORDS or len(word) < 6:
        return False
    if _LOCANT.match(word) or _SYSTEMATIC.search(word):
        return True
    return len(words) == 2 or (_CHEMICAL_WORD.fullmatch(word) is not None and len(word) >= 8)


_ION = re.compile(
    r"(?=[A-Z])(?<![^\W_])(?:Ca|Mg|Na|K|Zn|Fe|Cu|Mn|Li|Cl|Cd|Hg|Pb|Co|Ni|Sr|Ba|Al)"
    r"(?:\(\d?[+-]\)|\d?[+-](?![+\w(])|[+-]\d(?![\w.]))"
)


def ions(text: str) -> Iterator[tuple[int, int]]:
    """Spans of charged ions as authors write them: "Ca(2+)", "Zn2+", "Mg+2", "Cl-"."""
    for m in _ION.finditer(text):
        yield m.span()


# Codes of compounds without a sponsor prefix from the list ("FX11", "JQ1", "AMGMDS3",
# "GNE-617", "I-BET151", "G007-LK", "Nutlin-3a", "17-AAG"), trusted only where the text
# treats them as a compound: "the MEK inhibitor X", "BET inhibitors (X or Y)", "inhibition
# with X", "treated with X", "sensitive to X", "X (10 mg/kg)", "X-treated", "X, a covalent
# inhibitor", or a list that goes on from a drug ("imatinib and X", see ``coordinated_code``).
_LETTER_CODE = r"(?:[A-Z]{1,4}-)?[A-Z][A-Za-z]{0,5}-?\d{1,6}[A-Za-z]?(?:-[A-Z]{1,3})?"
_BARE_CODE = r"(?:" + _LETTER_CODE + r"|\d{1,2}-[A-Z]{2,5})"
# not a code: a longer word, or a gene's product ("treatment with Hsp27 siRNA")
_CODE_END = r"(?![^\W_]|-\w|\s+(?:[sm]iRNA|shRNA|mRNA|antibod|express|genes?\b|proteins?\b|knock))"
_CODE_BEFORE = re.compile(
    r"(?:[Ii]nhibitors?|[Aa]ntagonists?|[Aa]gonists?|compounds?|drugs?|molecules?|"
    r"inhibition (?:with|by)|inhibition|treated with|treatment with|administration of|"
    r"doses? of|exposure to|exposed to|sensitiv(?:e|ity) to|resistan(?:t|ce) to|"
    r"respon(?:se|sive) to)\s+\(?(" + _BARE_CODE + ")" + _CODE_END
)
_CODE_AFTER = re.compile(
    r"(?=[A-Z])(?<![^\W_])(" + _LETTER_CODE + r")(?:\s*\(?\d+(?:\.\d+)?\s*"
    r"(?:mg|\u00b5M|\u03bcM|nM|mM|\u00b5g|\u03bcg)\b|-(?:treated|induced|mediated)\b|"
    r",?\s+(?:an?|the)\s+(?:[^\s.;]+\s+){0,3}(?:inhibitor|antagonist|agonist|compound)\b)"
)
_CODE_LISTED = re.compile(r"\s*(?:,|and|or|plus|\+|/)\s*(" + _BARE_CODE + ")" + _CODE_END)


_MEASURE = re.compile(r"(?:IC|EC|GI|ED|LD|LC|TD|CC)\d{2}")  # "inhibition with IC50 values"


def _is_code(surface: str) -> bool:
    """Two letters at least ("A66" or "T7" alone are too often something else), and not a
    potency measure."""
    return sum(ch.isalpha() for ch in surface) >= 2 and not _MEASURE.fullmatch(surface)


def contextual_codes(text: str) -> Iterator[tuple[int, int]]:
    """Spans of compound codes the surrounding words mark as compounds."""
    for pattern in (_CODE_BEFORE, _CODE_AFTER):
        for m in pattern.finditer(text):
            if _is_code(m.group(1)):
                yield m.span(1)


def coordinated_code(text: str, after: int) -> tuple[int, int] | None:
    """The span of a compound code listed right after a chemical that ends at ``after``
    ("imatinib and GW-2580", "I-BET151 or JQ1"), or None."""
    m = _CODE_LISTED.match(text, after)
    return m.span(1) if m and _is_code(m.group(1)) else None


def inn_drugs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of words that end in a drug-name stem, in text order."""
    size = len(text)
    matches = list(_INN_STEM_REVERSED.finditer(text[::-1]))
    for m in reversed(matches):
        yield size - m.end(), size - m.start()


def code_names(text: str) -> Iterator[tuple[int, int]]:
    """Spans of sponsor-prefixed compound codes (four digits or more after one letter)."""
    for m in _CODE_NAME.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        letters = sum(ch.isalpha() for ch in m.group())
        if digits >= 4 or letters >= 2:
            yield m.span()


def formulas(text: str) -> Iterator[tuple[int, int]]:
    """Spans of molecular formulas: every part an element symbol, two elements at least,
    and a digit or a two-letter element, so acronyms like "HCC" or "CNS" do not pass."""
    for m in _FORMULA.finditer(text):
        surface = m.group()
        if not _ELEMENTS_ONLY.fullmatch(surface):
            continue
        parts = _ELEMENT.findall(surface)
        if len(set(parts)) < 2:
            continue
        if _ACRONYM_NUMBER.fullmatch(surface):
            continue  # "SNP7", "BCL2"-like acronyms with a number
        if not (any(ch.isdigit() for ch in surface) or any(len(p) == 2 for p in parts)):
            continue
        counts = [int(n) for n in _COUNT.findall(surface)]
        if counts and max(counts) > 12 and not {"C", "H"} <= set(parts):
            continue  # "SW480", "H3K36": cell lines and histone marks, not formulas
        yield m.span()
