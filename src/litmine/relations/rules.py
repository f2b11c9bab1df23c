"""Relation extraction: entity mentions in a document → resistance/sensitivity triples.

Rules over the sentence text and the mention offsets (no parse is needed, which keeps
``extract`` fast). For every drug mention in a sentence that also names a resistance factor
(a gene, a variant or a non-genetic MECHANISM factor), the direction comes from the nearest
cue that governs that drug, in this order:

1. a cue bound to the drug by the surface pattern ("resistance to X", "X-resistant",
   "sensitivity to X", "X overcomes", "responded to X");
2. cues in the drug's own clause (clauses split at "but", "whereas", ";", ...);
3. the nearest cue in the sentence;
4. with no cue at all in the sentence, the drug still pairs with the document's genes when
   the document states a direction elsewhere ("patients with KRAS G12C were treated with
   sotorasib. Four had partial responses."); such cross-sentence candidates are reported
   only when the learned scorer accepts them. A document with no cue claims nothing.

Cues that reverse resistance ("overcome", "active against", "retains sensitivity") make the
drug they govern a *sensitivity* drug even though the word "resistance" is close by; a denied
sensitivity ("not sensitive to", "lack of response to") is resistance. Negation
("did not confer resistance", "no significant impact on response") sets ``negated``; hedging
("may contribute") lowers the confidence. ``litmine.relations`` scores these candidates and
expands drug classes.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import re2

from litmine.types import UNNAMED_CHEMOTHERAPY_ID, Analysis, Mention, Sentence, Triple

RESISTANCE = "resistance"
SENSITIVITY = "sensitivity"

_SURVIVAL = (
    r"(?:(?:\d+|one|two|three|five|ten)[- ]year )?"
    r"(?:(?:progression|disease|event|relapse|recurrence)[- ]free (?:and|or) overall survival|"
    r"progression[- ]free survival|overall survival|(?:disease|event|relapse|recurrence)"
    r"[- ](?:free|specific) survival|survival|pfs|os|dfs|efs|dcr|disease control)"
)
# verbs that weaken a drug's effect ("blunted the response", "attenuated the inhibition")
_WEAKENED = r"blunt|abrogat|abolish|attenuat|diminish|dampen"
_RESISTANCE_CUE = (
    r"resist(?:ance|ances|ant|ants|ed|ing|s)?|refractor\w*|insensitiv\w*|unresponsiv\w*|"
    r"non-?respon\w*|escape[sd]?|"
    r"(?:reduced|decreased|diminished|lower|low|limited|attenuated|impaired|weaker|less|"
    r"inferior|worse|loss of|(?:a )?(?:decrease|reduction) in) "
    r"(?:drug |clinical |the )?(?:sensitivity|susceptibility|efficacy|response|responses|"
    r"responsiveness|benefit|activity|effect)|"
    r"less (?:sensitive|responsive|effective)|"
    r"respon(?:d|ds|ded|ding) (?:poorly|less|weakly|badly)|poorly respon\w*|"
    r"(?:lost|loses|losing) (?:(?:the|their|his|her|its) )?(?:\w+ ){0,2}?"
    r"(?:response|remission|sensitivity)|"
    rf"(?:reduced|decreased|shorter|shortened|worse|inferior|poor) (?:median )?{_SURVIVAL}"
    rf"(?:,? (?:and|or) {_SURVIVAL})?|"
    r"(?:inversely|negatively) (?:correlated|associated) with (?:the )?(?:\w+ )?"
    r"(?:sensitivity|susceptibility|response|efficacy)|"
    r"impair\w* (?:drug )?binding|(?:treatment|therapy|therapeutic) failure|"
    # "imatinib failure", "failure of TKIs": only a drug's failure (see _in_another_sense)
    r"failures?|"
    r"(?:reduc|decreas|lower)\w* (?:the )?binding affinity|protect\w* (?:\S+ ){0,3}?from|"
    r"relapse[sd]?|(?:relapsing|progress(?:ed|ion|ing)) (?:on|during|after|while on)|"
    r"(?:poor(?:er)?|worse|inferior|unfavou?rable) (?:clinical )?"
    r"(?:responses?|outcomes?|prognosis|survival)|"
    r"acquired (?:a |the )?(?:new |secondary )?(?:\S+ )?mutations?|"
    # a mutation found when the disease came back: "T790M emerged in the rebiopsy",
    # "detected at progression", "at the time of relapse"
    r"emerge[sd]?(?: (?:\d+|a few|several) (?:days?|weeks?|months?|years?))? "
    r"(?:during|on|after|under|following|upon|within)|emerged (?:in|at)|rebiops\w*|"
    r"post-?(?:progression|relapse)|(?:at|upon) (?:the time of )?(?:disease )?progression|"
    r"(?:less |un)likely to (?:have |achieve |show )?(?:an? )?(?:positive |objective |clinical )?"
    r"(?:benefit|respon\w*)|non-?effective|ineffective|"
    r"should not (?:be )?(?:treated|given)|contraindicat\w*|"
    r"(?:increased|higher|greater) risk of (?:progression|relapse|recurrence|death)|"
    r"(?:lower|reduced|decreased) (?:rate|frequency|proportion|likelihood) of (?:\w+ )?"
    r"(?:response|remission|benefit)|"
    r"(?:higher|increased) (?:rate|frequency|proportion) of (?:progressive disease|progression|"
    r"relapse|recurrence)|"
    rf"(?:{_WEAKENED})\w* (?:the )?(?:sensitivity|response|efficacy|effect)|"
    r"progressive disease|disease progression|"
    # "attenuated pERK inhibition by selumetinib": the drug's effect, weakened
    rf"(?:{_WEAKENED}|reduc|decreas|impair)\w* (?:the )?(?:[\w-]+ )?inhibition (?:by|of|with)"
)
_SENSITIVITY_CUE = (
    r"sensitiv\w*|susceptib\w* to|(?:drug|antibiotic) susceptib\w*|"
    r"respon(?:d|ds|se|ses|sive|siveness|ded|ding|der|ders)|sensiti[sz](?:e[sd]?|ing)|"
    r"benefit\w*|efficac\w*|effective\w*|potent(?:ly|cy)?|activity against|active against|"
    r"remission\w*|synerg\w*|"
    rf"(?:improved|increased|longer|prolonged|superior|better) (?:median )?{_SURVIVAL}"
    rf"(?:,? (?:and|or) {_SURVIVAL})?|"
    r"(?:higher|increased|better|improved) (?:(?:overall |objective )?response(?: rates?)?|orr)|"
    r"anti-?tumou?r (?:effects?|activity|efficacy)|anti-?proliferative (?:effects?|activity)|"
    r"clinical activity|"
    r"(?:enhanc|potentiat)\w* (?:the )?(?:cytotoxic\w*|efficacy|effects?|activity)|"
    r"impair(?:ed|s)? (?:the )?(?:tumou?r growth|colony formation|cell growth|proliferation|"
    r"viability)|"
    r"(?:higher|increased) (?:rate|frequency|proportion) of (?:\w+ )?(?:response|remission)|"
    r"(?:reduced|decreased|inhibited|suppressed) (?:the )?(?:tumou?r |cell |cancer )+"
    r"(?:growth|proliferation|viability)|"
    r"repression of (?:the )?(?:\w+ )?(?:tumou?r |cancer |cell )+growth|"
    r"inhibit(?:s|ed|ing)?|suppress(?:es|ed)?|block(?:s|ed)?|"
    r"overc[oa]m\w*|circumvent\w*|re-?sensiti[sz]\w*|"
    r"(?:revers|restor|retain|maintain)\w* (?:the |its |their )?(?:drug |clinical )?"
    r"(?:sensitivity|susceptibility|response|responsiveness|efficacy|activity|potency)|"
    r"revers\w* (?:of )?(?:the |this )?(?:drug |acquired |multidrug |multi-drug )?resistance|"
    r"(?:tumou?r |disease |complete |partial )regression|regressed|stable disease|"
    r"disease stabili[sz]ation|"
    r"(?:tumou?r|polyp) (?:size |burden |volume )?(?:reduction|shrinkage)s?|"
    r"reduc\w* (?:the |in )?(?:tumou?r|polyp) (?:size|burden|volume|growth)|"
    r"(?:specific )?toxicity against|active in (?:\w+ )?(?:patients|cells|cell lines|models|"
    r"xenografts|tumou?rs|mice|vitro|vivo)|"
    r"shrinkage|durable|favou?rable|inhibition|(?:fda[- ])?approv(?:ed|al)|"
    r"(?:clinical |dramatic |significant |prognostic )?improvements?|"
    r"induc\w* (?:of )?(?:apoptosis|cell death|growth arrest)|"
    r"delay(?:s|ed)? (?:tumou?r )?(?:growth|progression)|"
    rf"(?:similar|comparable) (?:median )?{_SURVIVAL}|(?:median )?{_SURVIVAL}|"
    # a treatment's outcome is the drug's effect, as survival is: "was not associated with
    # outcome in patients treated with cetuximab", "no difference in outcome after FOLFOX"
    r"(?:clinical )?outcomes? (?:after|following|with|to|under|on|of|in (?:patients|those) "
    r"(?:treated|receiving))|treatment outcomes?"
)
# the verbs of a drug that works *despite* resistance
_REVERSAL_VERBS = r"overc[oa]m\w*|circumvent\w*|revers\w*|re-?sensiti[sz]\w*|restor\w*"
# A reversal cue makes the drug it governs work *despite* resistance (sensitivity).
_REVERSAL_CUE = re.compile(
    rf"\b(?:{_REVERSAL_VERBS}|retain\w*|"
    r"maintain\w*|active against|activity against|effective against|effective in)\b",
    re.IGNORECASE,
)
# a drug that is the subject of its own reversal, after a list the cue before it reaches:
# "resistance to venetoclax in AML, and MCL1 inhibitors restore sensitivity"
_SUBJECT_OF_REVERSAL = re.compile(rf"\s+(?:\w+\s+)?(?:{_REVERSAL_VERBS})\b", re.IGNORECASE)
# the passive: "resistance ... was overcome by (the CXCR4 antagonist) plerixafor"
_REVERSED_BY = re.compile(
    rf"\b(?:{_REVERSAL_VERBS})\s+(?:\w+\s+)?by\s+(?:the\s+|an?\s+)?(?:[\w/-]+\s+){{0,3}}$",
    re.IGNORECASE,
)
# "X inhibits FLT3" names a drug target, not a sensitivity claim: such cues only count for a
# variant, an alteration or a non-gene factor ("inhibits growth of FLT3-ITD cells").
_WEAK_CUE = re.compile(
    r"inhibit\w*|suppress\w*|block\w*|potent\w*|durable|favou?rable", re.IGNORECASE
)
# All cues in one DFA (RE2): one linear pass over an abstract instead of trying ~100
# alternatives at every word, eight times faster than ``re``. RE2 has no look-arounds.
_CUE = re2.compile(rf"(?i)\b(?:(?P<res>{_RESISTANCE_CUE})|(?P<sen>{_SENSITIVITY_CUE}))\b")
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|absence of|lack(?:s|ed)? of|lacking|failed to|fail to|"
    r"did not|does not|do not|was not|were not|is not|are not|cannot|unaffected|"
    r"irrespective of|regardless of|independent(?:ly)? of|similar|comparable|"
    r"no significant|not significantly|no difference|no association|no correlation|"
    r"no impact|no effect|not associated|not predictive)\b",
    re.IGNORECASE,
)
# A negation right in front of a sensitivity cue denies it ("not sensitive", "lack of response").
_DENIAL = re.compile(
    r"\b(?:not|no|lack(?:s|ed|ing)? of|absence of|loss of|failed to|fail to|without|"
    r"unable to)\s+(?:(?!associat|correlat|predict|differ|signific|impact|affect|alter|chang)"
    r"[\w/-]+\s+){0,4}$",
    re.IGNORECASE,
)
_DENIAL_WINDOW = 40  # characters before the cue a denial may start
# A lost or absent thing that a verb follows is the subject, not a denial of the cue: "Loss
# of GSTP1 sensitized cells", "cells with absence of the WT allele are sensitive" (but "loss
# of sensitivity", "lack of clinical response" deny it).
_NOUN_DENIAL = re.compile(r"(?:lack(?:s|ed|ing)? of|absence of|loss of|without)\s+", re.I)
_VERB_BETWEEN = re.compile(
    r"\b(?:are|were|is|was|be|been|became|becomes?|remain\w*|render\w*|confer\w*|increas\w*|"
    r"enhanc\w*|restor\w*|made|makes?|led|leads?|result\w*|show\w*|display\w*|exhibit\w*)\b",
    re.IGNORECASE,
)
_VERB_CUE = re.compile(r"sensiti[sz](?:ed|es|ing)\b|respond(?:ed|s)?\b", re.IGNORECASE)
# "None of the 7 patients with HER2-amplified cancer responded": the subject denies the cue
_NONE_OF = re.compile(
    r"\b(?:none|neither) of (?:the |these |those |our )?(?:\d+ |[a-z]+ )?"
    r"(?:patients?|cases|subjects|tumou?rs|cell lines|cells|mice|xenografts|models)\b[^.;:]*$",
    re.IGNORECASE,
)
_NONE_OF_WINDOW = 120
# Negation words that deny nothing about the claim: "never smokers", "never-smoker", a
# "no" that denies another finding: "with no detected PI3K deregulation", "no concomitant
# exon 14 deletion", "for whom no further treatments were available", and a likeness that
# names what the finding is compared with: "reduced sensitivity, comparable to T790M cells".
_NOT_A_NEGATION = re.compile(
    r"never[- ]?smok|(?:no|without) (?:detect\w*|concomitant|concurrent|co-?occurring|prior|"
    r"previous|further|other|new|known|additional)\b|(?:similar|comparable) to\b",
    re.IGNORECASE,
)
# What follows a comparison is the comparator: "more resistant than cells without it".
_COMPARISON = re.compile(r"\b(?:than|compared (?:with|to)|versus|vs\.?|relative to)\s", re.I)
# Cues that negate the factor that follows them, not the drug's claim ("regardless of KRAS").
_FACTOR_NEGATION = re.compile(r"(?:irrespective|regardless|independent(?:ly)?) of", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|possible|potential(?:ly)?|suggest\w*|likely|"
    r"hypothes\w*|presumabl\w*|appear(?:s|ed)? to|implicated)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r";|,?\s\b(?:but|whereas|while|although|though|however|yet|in contrast|unlike)\b|"
    r"\.\s",
    re.IGNORECASE,
)
# "A and B" lists alternatives ("imatinib and nilotinib"), so it is no combination.
_COMBINATION = re.compile(
    r"^\s*(?:\+|plus|with|in combination with|combined with|together with|/)\s*$",
    re.IGNORECASE,
)
# A drug-bound pattern: cue words glued to or directly in front of / behind the drug.
_BOUND_BEFORE = re.compile(  # text between cue and drug
    r"^[\s*]*(?:to|against|of|with|for|toward|towards)?[\s*]*(?:the\s+|a\s+|an\s+)?"
    r"(?:[\w*]+-?(?:\s+and\s+|\s+or\s+|,\s*|\s+)){0,4}$",
    re.IGNORECASE,
)
_BOUND_REACH = 30  # characters from a cue to the drug it binds ("resistance to the ... X")
_BOUND_AFTER = re.compile(r"^\s*[- ]?\s*$")  # "imatinib-resistant", "imatinib resistance"
_FACTOR_LABELS = ("MECHANISM",)
_NON_DRUG_CHEMICALS = frozenset(
    {
        "atp",
        "adenosine triphosphate",
        "oxygen",
        "water",
        "glucose",
        "dna",
        "rna",
        "amino acids",
        "sodium",
        "potassium",
        "calcium",
        "hydrogen peroxide",
        "reactive oxygen species",
        "nitrogen",
        "protein",
        "phosphate",
        "tyrosine",
        "serine",
        "threonine",
        "gtp",
        "camp",
        "nad",
        "nadph",
        # metabolites and nutrients the body makes or eats: a text names them as physiology
        # ("serum creatinine", "lactate secretion", "plasma triglycerides", "avoidance of
        # lactose"), not as a treatment whose effect a factor changes
        "creatinine",
        "lactic acid",
        "urea",
        "bilirubin",
        "cholesterol",
        "cholesterol, hdl",
        "cholesterol, ldl",
        "triglycerides",
        "fatty acids",
        "free fatty acids",
        "fatty acids, nonesterified",
        "c-peptide",
        "lactose",
        "glycine",
        "glutamine",
        "asparagine",
        "aspartic acid",
        "glutamic acid",
        "selenocysteine",
        "arginine",
        "leucine",
        "methionine",
        "cysteine",
        "ammonia",
        "ammonium hydroxide",
        "serotonin",
        "acetylcholine",
        "carbohydrate",
        "triglyceride",
        "lipids",
        "fatty acid",
        "phosphatidylcholines",
        "phosphatidylethanolamine",
        "tricarboxylic acids",
        "ca2 +",
        "ca2+",
        "ca(2+)",
        # laboratory reagents and mutagens, and "MDA" of the MDA-MB-231 cell line
        "acetic acid",
        "agar",
        "dimethyl sulfoxide",
        "ethylnitrosourea",
        "formaldehyde",
        "mda",
        "paraffin",
        # what a laboratory selects transfected cells with ("selected with puromycin",
        # "the neomycin resistance gene") or stains them with: no treatment
        "puromycin",
        "neomycin",
        "geneticin",
        "hygromycin",
        "hygromycin b",
        "bromodeoxyuridine",
        "propidium",
        "cycloheximide",
        "emetine",  # blocks translation, here nonsense-mediated decay, in the laboratory
        "methacholine",  # the airway challenge test's agent
    }
)
# Alteration words after a gene name give the variant when no VARIANT mention is there.
_ALTERATION = re.compile(
    r"\b(?P<alt>kinase[- ]domain (?:point )?mutations?|activation[- ]loop mutations?|"
    r"wild[- ]?type|wt|non-?mutated|unmutated|"
    r"point mutations?|secondary mutations?|mutations?|mutated|mutant|amplifi\w+|"
    r"overexpress\w*|(?:high |low |increased |decreased |loss of )?expression|deletions?|deleted|"
    r"fusions?|rearrange\w*|translocations?|loss|deficien\w*|alterations?|variants?|"
    r"polymorphisms?|(?:promoter )?(?:hyper)?methylation|knock-?down|positive|negative|"
    r"internal tandem duplications?|(?:gene )?copy[- ]numbers?(?: gains?| increases?)?|"
    r"gains?)\b",
    re.IGNORECASE,
)
# The gene named as the unaltered comparison ("KRAS wild-type tumours"): its status, kept
# so that "wild-type KRAS ... benefit from cetuximab" does not read as KRAS's own sensitivity.
WILD_TYPE = "wild type"
# what a gene's variant is when it names no alteration of the gene: "EGFR, KRAS and ALK
# negative adenocarcinoma" rules them out as wild type does
NO_ALTERATION = frozenset({"", WILD_TYPE, "negative"})
_ALTERATION_NORMAL = {
    "wild": WILD_TYPE,
    "wt": WILD_TYPE,
    "non mutated": WILD_TYPE,
    "nonmutated": WILD_TYPE,
    "unmutated": WILD_TYPE,
    "copy number": "copy number gain",
    "gain": "copy number gain",
    "kinase domain": "kinase domain mutation",
    "activation loop": "activation loop mutation",
    "point mutation": "point mutation",
    "secondary mutation": "secondary mutation",
    "amplifi": "amplification",
    "overexpress": "overexpression",
    "up regulation": "overexpression",
    "upregulation": "overexpression",
    "down regulation": "loss",
    "downregulation": "loss",
    # which way the level goes is the claim: "loss of PTEN expression" is PTEN loss
    "loss of": "loss",
    "low": "low expression",
    "decreased": "low expression",
    "reduced": "low expression",
    "high": "high expression",
    "increased": "high expression",
    "elevated": "high expression",
    "silenc": "knockdown",
    "deplet": "knockdown",
    "expression": "expression",
    "delet": "deletion",
    "fusion": "fusion",
    "rearrange": "rearrangement",
    "translocation": "translocation",
    "loss": "loss",
    "deficien": "loss",
    "methylation": "methylation",
    "knock": "knockdown",
    "positive": "positive",
    "negative": "negative",
    "internal tandem": "ITD",
    "polymorphism": "polymorphism",
}


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A resistance factor in a sentence: gene (maybe with variant) or a non-gene factor."""

    gene: Mention | None
    variant: Mention | None
    factor: Mention | None
    alteration: str = ""

    @property
    def kind(self) -> str:
        if self.variant:
            return "variant"
        if self.factor:
            return "factor"
        # a wild-type gene is the comparison, scored as a gene named without an alteration
        return "gene" if self.alteration in NO_ALTERATION else "alteration"

    @property
    def _own(self) -> list[Mention]:
        """The mentions in this sentence (a variant's gene may come from an earlier one)."""
        own = [m for m in (self.variant, self.factor) if m is not None]
        return own or [self.gene]  # type: ignore[list-item]

    @property
    def start(self) -> int:
        return min(m.start for m in self._own)

    @property
    def end(self) -> int:
        return max(m.end for m in self._own)


@dataclass(frozen=True, slots=True)
class _Decision:
    relation: str
    confidence: float
    rule: str
    weak: bool = False  # decided by a cue ("inhibits") that also describes drug–target binding
    cue_start: int = -1  # where the deciding cue starts (-1: no single cue decided)
    denied: bool = False  # a negation in front of the cue made it resistance
    denial_start: int = -1  # where that negation starts (-1: "none of the patients ...")


# "trastuzumab-resistant cell line HR6", "fulvestrant-sensitive parental cells": the cue names
# the population studied; the claim is usually about what is then done to it
_POPULATION = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:cell(?:s| lines?)|clones?|sublines?|xenografts?|tumou?rs|"
    r"patients|disease|derivatives|models?)\b",
    re.IGNORECASE,
)
POPULATION_DESCRIPTOR = " (describes population)"
# the rule of a drug that overcomes a resistance ("resistance ... was reversed by X")
REVERSAL_RULE = "reversal cue"
# marks the rule of a decision whose sensitivity cue a negation turned into resistance
DENIED_SENSITIVITY = "(denied sensitivity)"
# marks the rule of a decision turned the other way for what the cue's claim excepts
EXCEPTED = "(excepted)"
# "may contribute to resistance": a hedged claim keeps this share of its confidence.
HEDGED_CONFIDENCE = 0.8


@dataclass(frozen=True, slots=True)
class Candidate:
    """A rule-found triple with what the rules knew when they found it (scoring features)."""

    triple: Triple
    rule: str  # how the direction was decided (see ``_decide``)
    anchor_kind: str  # variant | alteration | gene | factor
    carried: bool  # the factor came from an earlier sentence
    hedged: bool
    weak: bool
    # another gene's variant stands between this factor and the drug: in "cells with BRAF
    # V600E over-expressing AKT1 Q79K were resistant to vemurafenib", AKT1 is the claim
    shadowed: bool = False
    cue_start: int = -1  # where the cue that decided the direction starts (-1: none alone)
    # a "respectively" sentence gives this gene this drug: the direction is read, not weighed
    paired: bool = False
    # the drug is listed after another that the same cue decides ("6-mercaptopurine and
    # thioguanine"): one claim of the sentence with it
    listed: bool = False


def sentence_may_hold_triple(sentence: str) -> bool:
    """Cheap filter: only sentences with a direction cue can yield a triple."""
    return _CUE.search(sentence) is not None


@dataclass(frozen=True, slots=True)
class Cue:
    """A direction cue in a text."""

    start: int
    end: int
    relation: str  # RESISTANCE | SENSITIVITY
    words: str  # lower case


@lru_cache(maxsize=16)
def text_cues(text: str) -> tuple[Cue, ...]:
    """The direction cues of ``text``, found in one pass and kept for the next caller: the
    focus, the rules and the scorer all ask for the same document's cues."""
    cues = []
    for m in _CUE.finditer(text):
        start, end = m.span()  # (each access to an RE2 match is a Python call: few of them)
        words = text[start:end].lower()
        relation = RESISTANCE if m.start(_RESISTANCE_GROUP) >= 0 else SENSITIVITY
        if not _NOT_A_CUE.match(text, end) and not _in_another_sense(
            text, start, end, words, relation
        ):
            cues.append(Cue(start, end, relation, words))
    return tuple(cues)


_RESISTANCE_GROUP = _CUE.groupindex["res"]


# "estrogen response element", "hypoxia-responsive element": a DNA element, not an outcome
_NOT_A_CUE = re.compile(r"[\s-]+elements?\b", re.IGNORECASE)
# resistance or sensitivity in another sense: of the body ("insulin sensitivity", "thermal
# sensitivity test", "salt-sensitive", "insulin resistance", "airway resistance") or, for
# sensitivity, of a test ("diagnostic sensitivity", "sensitivity and specificity", "a
# sensitivity analysis")
_OF_THE_BODY = (
    r"insulin|leptin|glucose|thermal|heat|cold|salt|pain|mechanical|tactile|light|vascular|airway|"
    r"peripheral|electrical|transepithelial|colonization"
)
_NOT_A_DRUG_OUTCOME = re.compile(rf"\b(?:{_OF_THE_BODY})[\s-]+$", re.IGNORECASE)
_BODY_FIRST = re.compile(rf"(?:{_OF_THE_BODY})\b", re.IGNORECASE)
_NOT_A_DRUG_SENSITIVITY = re.compile(
    rf"\b(?:{_OF_THE_BODY}|diagnostic|analytical|assay|test)[\s-]+$", re.IGNORECASE
)
_NOT_A_DRUG_SENSITIVITY_AFTER = re.compile(
    r"\w*,? (?:and|or|&) specificit|\w* (?:analys[ie]s|tests?)\b|"
    # "resistance to all approved TKIs", "an FDA-approved JAK1/2 inhibitor": which drugs
    r"(?<=approved) (?!for |by |in |as )(?:[\w/-]+ ){0,2}?(?:TKIs?|drugs?|therap(?:y|ies)|"
    r"agents?|inhibitors?|treatments?|medications?|options?)\b",
    re.IGNORECASE,
)


# what makes a failure a drug's: "imatinib failure", "failure of TKIs" (not "heart failure")
_DRUG_BEFORE_FAILURE = re.compile(r"(?:\w+(?:nib|mab)|TKIs?)[- ]$", re.IGNORECASE)
_DRUG_AFTER_FAILURE = re.compile(r" (?:of|on|with) (?:\w+(?:nib|mab)|TKIs?)\b", re.IGNORECASE)


def _in_another_sense(text: str, start: int, end: int, words: str, relation: str) -> bool:
    """Whether the cue ``words`` (lower case, at ``start:end``) speak of the body or of a
    test, not of a drug's effect."""
    before = max(0, start - 30)
    if words.startswith("failure"):
        return not (
            _DRUG_BEFORE_FAILURE.search(text, before, start) or _DRUG_AFTER_FAILURE.match(text, end)
        )
    if relation == RESISTANCE:
        return _NOT_A_DRUG_OUTCOME.search(text, before, start) is not None
    return bool(
        _NOT_A_DRUG_SENSITIVITY.search(text, before, start)
        or _NOT_A_DRUG_SENSITIVITY_AFTER.match(text, end)
    )


# what a study set out to measure is no outcome of its own: "we assessed the in vitro
# sensitivity of 25 mutants to imatinib", "to evaluate the response to dasatinib"
_MEASURED_NOUN = re.compile(  # the quantity, not an outcome ("tested sensitive" is one)
    r"sensitivit|respons(?:e|iveness)\b|efficac|susceptibilit|activit", re.IGNORECASE
)
_MEASURED = re.compile(
    r"\b(?:assess|evaluat|measur|determin|examin|investigat|analy[sz]|compar|test)\w*\s+"
    r"(?:the\s+|their\s+|its\s+)?(?:in vitro\s+|in vivo\s+|drug\s+|clinical\s+)?$",
    re.IGNORECASE,
)


def cue_sentences(text: str, sentences: Sequence[Sentence]) -> list[int]:
    """Indices of the sentences holding a direction cue, or saying that a factor predicts
    nothing ("No predictive biomarkers were identified, including PIK3CA mutations"): a
    negated claim needs no direction cue."""
    starts = [s.start for s in sentences]
    positions = [cue.start for cue in text_cues(text)]
    denials = [m.start() for m in _NOT_PREDICTIVE.finditer(text)]
    if denials:
        positions = sorted(positions + denials)
    found: list[int] = []
    for position in positions:
        index = bisect.bisect_right(starts, position) - 1
        if index >= 0 and position < sentences[index].end and found[-1:] != [index]:
            found.append(index)
    return found


def find_candidates(
    analysis: Analysis, *, cross_sentence: bool = True, default_disease: str = ""
) -> list[Candidate]:
    """Every (factor, drug, direction) the rules find in one document, in text order.
    ``default_disease`` is the disease of a text that names none (a passage's document's)."""
    doc = analysis.document
    if not any(_is_drug(m) for m in analysis.mentions):
        return []  # every candidate pairs a drug
    doc_disease = (
        document_disease(analysis.mentions, broad_too=False)
        or default_disease
        or document_disease(analysis.mentions)
    )
    found: list[Candidate] = []
    previous_anchors: list[_Anchor] = []
    gene_anchors: dict[str, _Anchor] = {}  # the best-described anchor of each gene
    named_anchors: dict[str, list[_Anchor]] = {}  # every anchor of each gene
    drug_decisions: list[tuple[Sentence, list[Mention], _Decision, str]] = []
    undecided: list[tuple[Sentence, Mention, str]] = []  # drugs no cue of their sentence governs
    last_disease = ""
    # per "respectively" sentence (by start): drug -> the gene the sentence gives it
    respective: dict[int, dict[str, str]] = {}
    last_groups: list[list[Mention]] = []  # the drug groups of the last sentence with drugs
    # sentences with factors and no drug: (sentence, its anchors, the drug named last, disease)
    drugless: list[tuple[Sentence, list[_Anchor], list[Mention], str]] = []
    for sentence, mentions, anchors in _anchored_sentences(analysis):
        text = doc.text[sentence.start : sentence.end]
        drugs = [
            m for m in mentions if _is_drug(m) and not _named_as_no_treatment(doc.text, m, mentions)
        ]
        drugs = _without_apposed_classes(doc.text, drugs)
        carried = False
        if not anchors and cross_sentence and previous_anchors and drugs:
            anchors, carried = previous_anchors, True
        if anchors and not carried:
            previous_anchors = anchors
            for anchor in anchors:
                key = anchor.gene.normalized if anchor.gene else ""
                if key:
                    named_anchors.setdefault(key, []).append(anchor)
                if key and _rank(anchor) > _rank(gene_anchors.get(key)):
                    gene_anchors[key] = anchor
        last_disease = _sentence_disease(mentions) or last_disease
        disease = last_disease or doc_disease
        if not drugs:
            if cross_sentence and anchors and not carried and last_groups:
                drugless.append((sentence, anchors, last_groups[-1], disease))
            continue
        groups = _drug_groups(doc.text, drugs)
        last_groups = groups
        if pairs := _respective_pairs(text, groups, anchors):
            respective[sentence.start] = pairs
        cues = _sentence_cues(doc.text, sentence)
        if not cues:
            undecided += [(sentence, d, disease) for d in drugs if not d.id.startswith("class:")]
            continue
        hedged = _HEDGE.search(text) is not None
        listed: tuple[int, _Decision | None] = (-1, None)  # the last group's end, decision
        for drug_group in groups:
            in_list = _listed_after(doc.text, listed[0], drug_group)
            if in_list:
                decision = listed[1]  # "resistant to BRAF inhibition with vemurafenib or X"
            else:
                decision = _decide(doc.text, sentence, drug_group, anchors, cues)
            listed = (drug_group[-1].end, decision)
            if decision is None:
                undecided += [(sentence, d, disease) for d in drug_group]
                continue
            drug_decisions.append((sentence, drug_group, decision, disease))
            drug_anchors = _anchors_for(doc.text, sentence, drug_group, anchors, decision, drugs)
            turn = _turn_after(doc.text, cues, decision, drug_group[-1].end, drugs)
            if turn is not None:  # what the turn names, in a clause of its own too
                drug_anchors += [a for a in anchors if a in turn and a not in drug_anchors]
            drug_anchors += [  # "active against X but not against Y": Y, the other way
                a
                for a in anchors
                if a not in drug_anchors
                and _excepted(doc.text, decision.cue_start, a.start, contrast=True)
            ]
            for anchor in drug_anchors:
                if decision.weak and not (anchor.variant or anchor.alteration or anchor.factor):
                    continue
                decided = decision
                if _beside_a_denied_subject(anchor, drug_anchors, decision):
                    decided = dataclasses.replace(
                        decision,
                        relation=SENSITIVITY,
                        rule=decision.rule.removesuffix(f" {DENIED_SENSITIVITY}"),
                    )
                if _excepted(doc.text, decided.cue_start, anchor.start, contrast=True):
                    decided = _the_other_way(decided)
                if turn is not None and anchor in turn:
                    decided = dataclasses.replace(  # a claim of its own, by its own cue
                        decision,
                        relation=RESISTANCE,
                        rule=f"{decision.rule} {turn.rule}",
                        cue_start=turn.cue_start,
                    )
                confidence = decided.confidence * (0.75 if carried else 1.0)
                confidence *= HEDGED_CONFIDENCE if hedged else 1.0
                triple = _triple(
                    analysis,
                    sentence,
                    anchor,
                    drug_group,
                    decided.relation,
                    _negated(doc.text, sentence, anchor, drug_group, decided),
                    disease,
                    round(confidence, 3),
                )
                shadowed = _shadowed(doc.text, anchor, drug_anchors, drug_group[0].start)
                found.append(
                    Candidate(
                        triple,
                        decided.rule,
                        anchor.kind,
                        carried,
                        hedged,
                        decided.weak,
                        shadowed,
                        decided.cue_start,
                        listed=in_list,
                    )
                )
    if cross_sentence and (drug_decisions or undecided):
        # genes a sentence of their own says make no difference
        unaffected = _unaffected_genes(doc.text, analysis.sentences, named_anchors)
        # ... unless that sentence denies the effect on a drug it names ("NRAS mutations did
        # not affect response to venetoclax"): the gene's claim is stated, negated, there,
        # and the other sentences' drugs are no business of it
        settled = unaffected & {c.triple.gene for c in found if c.triple.negated and not c.carried}
        across = {g: a for g, a in gene_anchors.items() if g not in settled}
        for sentence, anchors, drug_group, disease in drugless:
            found += _candidates_of_the_drug_before(
                analysis, sentence, anchors, drug_group, disease, unaffected
            )
        found += _document_candidates(analysis, found, across, drug_decisions, unaffected)
        found += _pair_candidates(analysis, found, across, drug_decisions, undecided, unaffected)
    if respective:
        found = _read_respectively(found, respective)
    return _wild_type_where_never_altered(found, named_anchors)


def _listed_after(text: str, previous_end: int, group: Sequence[Mention]) -> bool:
    """Is the drug group listed right after the one ending at ``previous_end`` ("vemurafenib
    or dabrafenib", "imatinib, dasatinib and nilotinib")? A listed drug shares its list's
    decision, unless it is the subject of its own reversal ("..., and ponatinib overcomes
    it")."""
    return (
        0 <= previous_end <= group[0].start
        and _LIST_GLUE.fullmatch(text, previous_end, group[0].start) is not None
        and _SUBJECT_OF_REVERSAL.match(text, group[-1].end) is None
    )


@dataclass(frozen=True, slots=True)
class _Turn:
    """Where a sentence that states a response to a drug turns to resistance, and the
    stretch of text whose factors the resistance is."""

    cue_start: int
    start: int
    end: int
    rule: str

    def __contains__(self, anchor: _Anchor) -> bool:
        return self.start <= anchor.start < self.end


_FOUND_AT_RELAPSE = "(found at relapse)"
_AFTER_A_CONTRAST = "(after a contrast)"
_CONTRAST = re.compile(r"\b(?:but|however|whereas|while|although|yet)\b", re.IGNORECASE)
_RELAPSE = re.compile(r"relaps|progress|recurr|acquired|emerge|develop", re.IGNORECASE)
_RELAPSE_REACH = 12  # "acquired resistance", "resistance emerged": the word beside the cue
# "in relapsed FLT3-mutated AML", "patients with relapsed or refractory CLL": the population
# treated, not a relapse after the response
_OF_A_POPULATION = re.compile(r"\b(?:in|with|of|for|among)\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)


def _turn_after(
    text: str,
    cues: Sequence[tuple[int, int, str]],
    decision: _Decision,
    drug_end: int,
    drugs: Sequence[Mention],
) -> _Turn | None:
    """Where a sentence that states a response to a drug turns to its resistance. At a
    relapse, what is named after it was found at it: "the patient responded to crizotinib and
    then relapsed; ALK G1202A was found". After a contrast, what stands between it and a
    resistance cue no other drug takes is the resistance's subject: "ponatinib is effective
    in T315I-mutated disease, but compound mutations confer resistance"."""
    if decision.relation != SENSITIVITY:
        return None
    after = max(decision.cue_start, drug_end)
    for start, end, relation in cues:
        if relation != RESISTANCE or start < after:
            continue
        near = max(0, start - _RELAPSE_REACH)
        if _RELAPSE.search(text, near, end + _RELAPSE_REACH) and not _OF_A_POPULATION.search(
            text, near, start
        ):
            return _Turn(start, end, len(text), _FOUND_AT_RELAPSE)
        contrasts = list(_CONTRAST.finditer(text, after, start))
        if contrasts and not any(
            after <= d.start < start or _bound_to(text, end, d) for d in drugs
        ):
            return _Turn(start, contrasts[-1].end(), start, _AFTER_A_CONTRAST)
    return None


def _bound_to(text: str, cue_end: int, drug: Mention) -> bool:
    """Is ``drug`` the object of the cue that ends at ``cue_end`` ("resistance to X")?"""
    return cue_end <= drug.start <= cue_end + _BOUND_REACH and bool(
        _BOUND_BEFORE.match(text[cue_end : drug.start])
    )


def _read_respectively(
    candidates: list[Candidate], respective: dict[int, dict[str, str]]
) -> list[Candidate]:
    """Drops the candidates whose drug a "respectively" sentence gives another of its genes,
    and marks those of such a sentence whose drugs it gives their own gene (``paired``: the
    direction is read from the drug's own cue). A candidate is read against its own
    sentence's pairs or, for a pair inferred across sentences, against every such sentence's
    (a claim another sentence states outright stands on its own)."""
    anywhere = {drug: gene for each in respective.values() for drug, gene in each.items()}
    result = []
    for candidate in candidates:
        triple = candidate.triple
        across = candidate.rule.startswith(("document", "pair"))
        pairs = respective.get(triple.sentence_start) or (anywhere if across else None)
        if pairs and triple.gene in pairs.values():
            given = [pairs.get(drug) for drug in triple.drug.lower().split(" + ")]
            if any(gene not in (None, triple.gene) for gene in given):
                continue  # the sentence gives this drug another gene
            if not across and None not in given:
                candidate = dataclasses.replace(candidate, paired=True)
        result.append(candidate)
    return result


def _wild_type_where_never_altered(
    candidates: list[Candidate], named_anchors: dict[str, list[_Anchor]]
) -> list[Candidate]:
    """A gene's wild type is its status only in a text that never names it altered; in one
    that does, it is the comparison ("sensitivity to gefitinib compared to EGFR wild-type
    cells" in a text about EGFR exon 19 deletion), and the claim is the gene's."""
    if not any(c.triple.variant == WILD_TYPE for c in candidates):
        return candidates
    altered = {
        gene
        for gene, anchors in named_anchors.items()
        if any(a.kind in ("variant", "alteration") for a in anchors)
    }
    return [
        dataclasses.replace(c, triple=dataclasses.replace(c.triple, variant="", variant_text=""))
        if c.triple.variant == WILD_TYPE and c.triple.gene in altered
        else c
        for c in candidates
    ]


def _rank(anchor: _Anchor | None) -> int:
    if anchor is None:
        return -1
    return {"variant": 2, "alteration": 1}.get(anchor.kind, 0)


def _candidates_of_the_drug_before(
    analysis: Analysis,
    sentence: Sentence,
    anchors: Sequence[_Anchor],
    drug_group: Sequence[Mention],
    disease: str,
    unaffected: set[str],
) -> list[Candidate]:
    """A sentence that names variants or alterations and states an outcome but names no drug
    speaks of the drug named last before it: "He was treated with imatinib. After 3 years he
    lost the response, and the E255K mutation was found" is E255K's resistance to imatinib.
    The sentence's own cues decide the direction, where they agree; the scorer decides the
    pair; a gene a sentence of its own says makes no difference gives a negated claim. Not
    for a combination (the scorer judges none), nor where the sentence speaks of drugs it
    does not name ("resistant to all three inhibitors")."""
    text = analysis.document.text
    cues = _sentence_cues(text, sentence)
    if (
        not cues
        or len(drug_group) > 1
        or drug_group[-1].end < sentence.start - _DRUG_BEFORE_REACH
        or _UNNAMED_DRUGS.search(text, sentence.start, sentence.end)
    ):
        return []
    decisions = {  # a weak cue ("inhibits") names a target, no outcome
        _negated_cue(text, _Decision(relation, 0.6, _DRUG_BEFORE, False, start)).relation
        for start, end, relation in cues
        if not _is_weak(text, start, end)
    }
    if len(decisions) != 1:
        return []  # none, or both directions: which one is whose, the words do not say
    relation = decisions.pop()
    hedged = _HEDGE.search(text, sentence.start, sentence.end) is not None
    no_difference = _NO_DIFFERENCE.search(text, sentence.start, sentence.end) is not None
    return [
        Candidate(
            _triple(
                analysis,
                sentence,
                anchor,
                drug_group,
                relation,
                # a denial in the sentence (a comparison that finds no difference only where
                # it compares the gene's groups: see _unaffected_genes)
                (_negated(text, sentence, anchor, drug_group) and not no_difference)
                or (anchor.gene is not None and _gene_fields(anchor)[0] in unaffected),
                disease,
                0.45,
            ),
            _DRUG_BEFORE,
            anchor.kind,
            carried=True,
            hedged=hedged,
            weak=False,
        )
        for anchor in anchors
        if anchor.kind in ("variant", "alteration")
    ]


# drugs a sentence speaks of without naming them: which ones, it does not say
_UNNAMED_DRUGS = re.compile(r"\b(?:inhibitors|drugs|agents|compounds|TKIs)\b", re.IGNORECASE)
_DRUG_BEFORE = "cue in the sentence after the drug"
_DRUG_BEFORE_REACH = 250  # characters from the drug back to which such a sentence reaches


def _document_candidates(
    analysis: Analysis,
    found: Sequence[Candidate],
    gene_anchors: dict[str, _Anchor],
    drug_decisions: Sequence[tuple[Sentence, list[Mention], _Decision, str]],
    unaffected: set[str],
) -> list[Candidate]:
    """Pairs the text states across sentences: a gene (with its variant) named in one sentence,
    a drug with a direction cue in another. The scorer decides which of them hold; the pairs
    of an ``unaffected`` gene are negated."""
    paired = {(c.triple.gene, c.triple.drug) for c in found}
    extra: list[Candidate] = []
    text = analysis.document.text
    for sentence, drugs, decision, disease in drug_decisions:
        hedged = _HEDGE.search(text[sentence.start : sentence.end]) is not None
        drug = _drug_name(drugs)
        for gene, anchor in gene_anchors.items():
            weak = decision.weak and not (anchor.variant or anchor.alteration)
            if weak or (gene, drug) in paired:
                continue
            paired.add((gene, drug))
            triple = _triple(
                analysis,
                sentence,
                anchor,
                drugs,
                decision.relation,
                gene in unaffected or _negated(text, sentence, anchor, drugs, decision),
                disease,
                round(decision.confidence * 0.5, 3),
            )
            extra.append(Candidate(triple, "document", anchor.kind, True, hedged, decision.weak))
    return extra


def _pair_candidates(
    analysis: Analysis,
    found: Sequence[Candidate],
    gene_anchors: dict[str, _Anchor],
    drug_decisions: Sequence[tuple[Sentence, list[Mention], _Decision, str]],
    undecided: Sequence[tuple[Sentence, Mention, str]],
    unaffected: set[str],
) -> list[Candidate]:
    """Every other (gene, drug) pair of a document that states a direction somewhere.

    Curated summaries and abstracts often state the outcome apart from the pair ("patients
    with KRAS G12C were treated with sotorasib. Four had partial responses."): no cue governs
    the drug in its own sentence. The direction is the document's prevailing one (the
    polarity scorer has the final word) and the pair scorer decides whether the pair holds."""
    if not undecided or not gene_anchors:
        return []
    text = analysis.document.text
    votes = Counter(decision.relation for _, _, decision, _ in drug_decisions)
    if not votes:  # "None of 12 patients achieved a response": a denied cue counts reversed
        votes = Counter(
            _negated_cue(
                text,
                _Decision(cue.relation, 0.0, "", _is_weak(text, cue.start, cue.end), cue.start),
            ).relation
            for cue in text_cues(text)
        )
    if not votes:
        # no outcome stated, but a gene said to make no difference ("treated with
        # temsirolimus ... No predictive biomarkers were identified, including PIK3CA
        # mutations"): its pairs are negated claims of response
        gene_anchors = {g: a for g, a in gene_anchors.items() if g in unaffected}
        if not gene_anchors:
            return []
        votes = Counter([SENSITIVITY])
    relation = RESISTANCE if votes[RESISTANCE] > votes[SENSITIVITY] else SENSITIVITY
    paired = {(g, d) for c in found for g in [c.triple.gene] for d in c.triple.drug.split(" + ")}
    extra: list[Candidate] = []
    for sentence, drug, disease in undecided:
        name = drug.normalized or drug.text.lower()
        hedged = _HEDGE.search(text[sentence.start : sentence.end]) is not None
        for gene, anchor in gene_anchors.items():
            if (gene, name) in paired:
                continue
            paired.add((gene, name))
            negated = gene in unaffected or _negated(text, sentence, anchor, [drug])
            triple = _triple(analysis, sentence, anchor, [drug], relation, negated, disease, 0.3)
            extra.append(Candidate(triple, "pair", anchor.kind, True, hedged, False))
    return extra


def _drug_name(drugs: Sequence[Mention]) -> str:
    """A drug's name, or a combination's: "dasatinib + venetoclax"."""
    return " + ".join(d.normalized or d.text.lower() for d in drugs)


def _triple(
    analysis: Analysis,
    sentence: Sentence,
    anchor: _Anchor,
    drugs: Sequence[Mention],
    relation: str,
    negated: bool,
    disease: str,
    confidence: float,
) -> Triple:
    doc = analysis.document
    gene, gene_id = _gene_fields(anchor)
    variant = anchor.variant.normalized if anchor.variant else anchor.alteration
    factor = anchor.factor.normalized if anchor.factor else ""
    own = anchor.variant or anchor.factor
    drug = _drug_name(drugs)
    drug_id, combination = ("", drug) if len(drugs) > 1 else (drugs[0].id, "")
    return Triple(
        doc_id=doc.doc_id,
        gene=gene,
        gene_id=gene_id,
        variant=variant or factor,
        drug=drug,
        relation=relation,
        negated=negated,
        disease=disease,
        mechanism="",
        confidence=confidence,
        sentence=doc.text[sentence.start : sentence.end],
        drug_id=drug_id,
        combination=combination,
        factor=factor,
        gene_text=anchor.gene.text if anchor.gene else "",
        variant_text=own.text if own else "",
        drug_text=" + ".join(d.text for d in drugs),
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        year=doc.year,
    )


def _mentions_by_sentence(
    sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[tuple[Sentence, list[Mention]]]:
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    result: list[tuple[Sentence, list[Mention]]] = []
    index = 0
    for sentence in sentences:
        inside: list[Mention] = []
        while index < len(ordered) and ordered[index].start < sentence.end:
            if ordered[index].start >= sentence.start:
                inside.append(ordered[index])
            index += 1
        result.append((sentence, inside))
    return result


# A drug named as the cause of a harm ("cisplatin-induced nephrotoxicity", "doxorubicin
# cardiotoxicity", "chlorpromazine-induced extrapyramidal syndrome") is no treatment whose
# effect a gene changes: a cue about it ("sensitizes to doxorubicin-induced cardiotoxicity")
# speaks of the harm. "Imatinib-induced apoptosis" and "cisplatin-induced DNA damage" are the
# drug's action and stay.
_HARM_AFTER = re.compile(
    r"(?:[\s-]*(?:induced|related|associated|mediated|caused|elicited)[\s-]+(?:\w+[\s-]+){0,2}|"
    r"[\s-]+)(?:\w*toxicit(?:y|ies)|\w*pathy|injury|extrapyramidal|dyskinesias?|"
    r"side[\s-]effects?|adverse (?:events?|effects?|reactions?)|neutropenia|"
    r"thrombocytopenia|myelosuppression|mucositis|nausea|hyperglyc(?:a)?emia|weight gain|"
    r"QT prolongation|hearing loss|pneumonitis)\b",
    re.IGNORECASE,
)


# A drug that makes a disease or a model of one ("streptozotocin-induced diabetes", "the
# puromycin aminonucleoside model") is a tool of the experiment, not a treatment.
_INDUCED = re.compile(r"[\s-]*induced\s+")
_MODEL_AFTER = re.compile(
    r"(?:[\s-]*induced)?[\s-]+(?:(?!resist|sensiti|refractor|treat|respon)\w+[\s-]+)?models?\b",
    re.IGNORECASE,
)


# A drug named as the switch of an engineered gene is a tool, not a treatment:
# "doxycycline-inducible shRNA", "tetracycline-regulated expression", "tamoxifen-induced Cre
# recombination", "Cre recombination was induced with tamoxifen in Pten-floxed mice".
_SWITCH_AFTER = re.compile(
    r"[\s-]+(?:inducible|regulated|controlled|repressible)\b|[\s-]*(?:induced|mediated)[\s-]+Cre\b",
    re.IGNORECASE,
)
# ... and, for the drugs that switch transgenes, what they switch: "doxycycline-induced
# knockdown", "tamoxifen-mediated deletion" ("cisplatin-induced expression of p21" stays)
_SWITCHED = re.compile(
    r"[\s-]*(?:induced|mediated|dependent)[\s-]+(?:recombination|deletion|excision|knock-?down|"
    r"(?:transgene |gene )?expression)",
    re.IGNORECASE,
)
_SWITCHES = frozenset({"doxycycline", "tetracycline", "tamoxifen", "afimoxifene", "mifepristone"})
_RECOMBINASE = re.compile(r"\bCre(?:ER\w*)?\b|\bFLP\b|floxed|\bfl/fl\b")
# how far from a drug a recombinase word makes it the recombinase's switch
_SWITCH_REACH = 60


@lru_cache(maxsize=16)
def _names_a_recombinase(text: str) -> bool:
    """Whether the text names a recombinase at all: asked once per text, not per drug."""
    return _RECOMBINASE.search(text) is not None


def _named_as_no_treatment(text: str, drug: Mention, mentions: Sequence[Mention]) -> bool:
    """Whether the text names ``drug`` as the cause of a harm or of a disease (model), or
    as the switch of an engineered gene."""
    if _HARM_AFTER.match(text, drug.end) or _MODEL_AFTER.match(text, drug.end):
        return True
    if _SWITCH_AFTER.match(text, drug.end) or (
        _names_a_recombinase(text)
        and _RECOMBINASE.search(text, max(0, drug.start - _SWITCH_REACH), drug.end + _SWITCH_REACH)
    ):
        return True
    if (drug.normalized or drug.text).lower() in _SWITCHES and _SWITCHED.match(text, drug.end):
        return True
    induced = _INDUCED.match(text, drug.end)
    return induced is not None and any(
        m.label == "DISEASE" and m.start == induced.end() for m in mentions
    )


def _anchored_sentences(
    analysis: Analysis,
) -> Iterator[tuple[Sentence, list[Mention], list[_Anchor]]]:
    """Each sentence that names anything, with its mentions and its resistance factors
    (variants attached to their gene: a variant whose sentence names no gene takes the gene
    last named before it, else the text's most named)."""
    doc_gene = _document_gene(analysis.mentions)
    last_gene: Mention | None = None
    for sentence, mentions in _mentions_by_sentence(analysis.sentences, analysis.mentions):
        if not mentions:
            continue  # outside the recognition focus, or nothing named: no state changes
        anchors = _anchors(analysis.document.text, sentence, mentions, last_gene or doc_gene)
        last_gene = next(
            (m for m in reversed(mentions) if m.label == "GENE" and m.id.startswith("HGNC")),
            last_gene,
        )
        yield sentence, mentions, anchors


def variant_genes(analysis: Analysis) -> list[tuple[Mention, Mention | None]]:
    """Every variant of a document with the gene the relation rules attach it to (None
    where there is none): the attachment every triple with a variant relies on."""
    attached: dict[tuple[int, int], tuple[Mention, Mention | None]] = {}
    for _, _, anchors in _anchored_sentences(analysis):
        for anchor in anchors:
            if anchor.variant is not None:
                attached.setdefault(
                    (anchor.variant.start, anchor.variant.end), (anchor.variant, anchor.gene)
                )
    return list(attached.values())


def _is_drug(mention: Mention) -> bool:
    if mention.label != "CHEMICAL":
        return False
    name = (mention.normalized or mention.text).lower()
    return name not in _NON_DRUG_CHEMICALS and len(mention.text) > 2


# A drug named by its target ("AKT inhibitor", "CXCR4 antagonists"): a class without an entry.
_TARGET_CLASS = re.compile(r".*\b(?:inhibitors?|antagonists?|agonists?|blockers?)")


def _is_class(drug: Mention) -> bool:
    return drug.id.startswith("class:") or _TARGET_CLASS.fullmatch(drug.normalized) is not None


# Between a class and the drug it introduces: "EGFR inhibitors (e.g., erlotinib)",
# "platinum-based drugs carboplatin", "TKIs such as imatinib".
_CLASS_TO_EXAMPLE = re.compile(
    r"[\s(,:]{0,3}(?:(?:i\.?e\.?|e\.?g\.?|such as|including|namely|drugs?|agents?)[\s,.:]{1,3})?"
)


def _without_apposed_classes(text: str, drugs: list[Mention]) -> list[Mention]:
    """'the MEK inhibitor trametinib', 'a RAF inhibitor (encorafenib)', 'AKT inhibitor
    MK-2206', 'TKIs such as imatinib': the class only names what the drug is, so the drug
    alone carries the claim."""
    named = [d for d in drugs if not _is_class(d)]

    def apposed(cls: Mention) -> bool:
        return any(
            (cls.end < d.start and _CLASS_TO_EXAMPLE.fullmatch(text[cls.end : d.start]))
            or re.fullmatch(r"[\s,(]{1,3}(?:an?|the)?\s*", text[d.end : cls.start])
            for d in named
        )

    return [d for d in drugs if not (_is_class(d) and apposed(d))]


def document_disease(mentions: Sequence[Mention], *, broad_too: bool = True) -> str:
    """The specific disease a text names most often, else (``broad_too``) the broad one
    ("neoplasms" for "cancer" or "tumours")."""
    diseases = _diseases(mentions)
    specific = [m for m in diseases if not _is_broad(m)]
    counts = Counter(m.normalized or m.text for m in specific or (diseases if broad_too else []))
    return counts.most_common(1)[0][0] if counts else ""


def _document_gene(mentions: Sequence[Mention]) -> Mention | None:
    genes = [m for m in mentions if m.label == "GENE"]
    if not genes:
        return None
    top, _ = Counter(m.normalized or m.text for m in genes).most_common(1)[0]
    return next(m for m in genes if (m.normalized or m.text) == top)


def _sentence_disease(mentions: Sequence[Mention]) -> str:
    """The first specific disease of a sentence: "tumours" in a text about CRC is CRC."""
    return next((m.normalized or m.text for m in _diseases(mentions) if not _is_broad(m)), "")


def _diseases(mentions: Sequence[Mention]) -> list[Mention]:
    """Disease mentions that are not also a resistance factor (in "hypoxia confers resistance
    to FLT3 inhibitors in AML", hypoxia is the factor and AML the disease) nor an outcome the
    vocabularies file as a disease ("toxicity", "pathologic complete response",
    "glucocorticoid resistance")."""
    factors = [m for m in mentions if m.label in _FACTOR_LABELS]
    return [
        m
        for m in mentions
        if m.label == "DISEASE"
        and m.id not in _OUTCOME_IDS
        and not (_DRUG_RESPONSE.search(m.text) and not _BODY_FIRST.match(m.text))
        and not _overlaps_any(m, factors)
    ]


def _is_broad(disease: Mention) -> bool:
    return disease.id in _BROAD_DISEASE_IDS or disease.normalized in _BROAD_DISEASE_NAMES


# Diseases too broad to tell which one a claim concerns: a specific one the text names is
# preferred. MeSH Neoplasms ("cancer", "tumour", "malignancy"), Neoplasm Metastasis,
# Carcinoma, Adenocarcinoma, Infections, Inflammation.
_BROAD_DISEASE_IDS = frozenset(
    ("MESH:D009369", "MESH:D009362", "MESH:D002277", "MESH:D000230", "MESH:D007239")
    + ("MESH:D007249",)
)
_BROAD_DISEASE_NAMES = frozenset(("solid tumors", "solid tumours"))
# a response to a drug filed as a disease ("glucocorticoid resistance"), but not the body's
# own ("insulin resistance" is the disease of a diabetes text)
_DRUG_RESPONSE = re.compile(r"resistan|sensitiv|refractor", re.IGNORECASE)
# Drug-Related Side Effects and Adverse Reactions ("toxicity"), Pathologic Complete Response
_OUTCOME_IDS = frozenset(("MESH:D064420", "MESH:D000095384"))


# Reporter and tag proteins are gene products to NER, never a resistance factor: "an
# ERE-luciferase reporter co-transfected with ESR1 mutants" is about ESR1.
_REPORTERS = frozenset(
    ("luciferase", "firefly luciferase", "renilla luciferase", "gfp", "egfp", "yfp", "rfp")
    + ("mcherry", "lacz", "beta-galactosidase", "β-galactosidase")
)

# A protein in a flow-cytometry name of a cell population is no resistance factor: "c-kit(+)
# cells", "CD34+ cells", "TGF-b1(+) F4/80(+) cells". A bare "+" after one gene is its status
# ("HER2+ cells", "BCR-ABL+ cells" name a factor), as is "HER2-positive".
_MARKER_SIGN = r"(?:\(\s*[+-]\s*\)|[+-](?![\w(]))"
_MARKS_CELLS = re.compile(
    rf"\s*{_MARKER_SIGN}(?:\s*[\w/-]+\s*{_MARKER_SIGN})*"
    r"\s*(?:cells?|populations?|subsets?|subpopulations?|fractions?|blasts|macrophages|"
    r"monocytes|lymphocytes|progenitors)\b",
    re.IGNORECASE,
)

_SIGN = re.compile(_MARKER_SIGN)
_SIGN_BEFORE = re.compile(rf"{_MARKER_SIGN}\s*$")  # "Sca-1+ c-Kit+": another marker's sign
_CD_ANTIGEN = re.compile(r"CD\d")


def _marks_cells(text: str, gene: Mention) -> bool:
    """Whether ``gene`` is a marker in a cell population's name: in brackets ("c-kit(+)"),
    a CD antigen, or one of several markers ("Sca-1+ c-Kit+ cells")."""
    match = _MARKS_CELLS.match(text, gene.end)
    if match is None or "::" in gene.normalized:
        return False
    signs = _SIGN.findall(match.group())
    return (
        "(" in signs[0]
        or len(signs) > 1
        or _SIGN_BEFORE.search(text, max(0, gene.start - 4), gene.start) is not None
        or _CD_ANTIGEN.match(gene.text) is not None
    )


def _anchors(
    text: str, sentence: Sentence, mentions: Sequence[Mention], context_gene: Mention | None
) -> list[_Anchor]:
    """Resistance factors of one sentence; variants attached to their gene.

    A variant with no gene in its sentence takes ``context_gene`` (the gene most recently
    named before the sentence). A genetic MECHANISM term right after a gene ("BCR-ABL1 kinase
    domain") becomes that gene's alteration; a gene-family mention that is also a MECHANISM
    term ("histone deacetylase") counts once, as the factor.
    """
    chemicals = [m for m in mentions if m.label == "CHEMICAL"]
    mentions = [m for m in mentions if m.label == "CHEMICAL" or not _inside_other(m, chemicals)]
    mentions = _with_fusions(text, mentions)
    factors = [m for m in mentions if m.label in _FACTOR_LABELS]
    genes = [
        m
        for m in mentions
        if m.label == "GENE"
        and not (m.id.startswith("FPLX:") and _overlaps_any(m, factors))
        and (m.normalized or m.text).lower() not in _REPORTERS
        and not _marks_cells(text, m)
    ]
    factors = [
        f for f in factors if not _overlaps_any(f, [g for g in genes if g.id.startswith("HGNC:")])
    ]
    variants = [m for m in mentions if m.label == "VARIANT"]
    anchors: list[_Anchor] = []
    used_genes: set[int] = set()
    used_factors: set[int] = set()
    for variant in variants:
        gene = (
            _gene_for_variant(text, variant, genes, variants)
            or (genes[0] if len(genes) == 1 else None)
            or _altered_gene_before(text, variant, genes)
            or context_gene
        )
        if gene is not None and gene in genes:
            used_genes.add(genes.index(gene))
        for k, factor in enumerate(factors):  # 'T315I "gatekeeper" mutation' is one factor
            left, right = sorted((variant, factor), key=lambda m: m.start)
            glue = text[left.end : right.start] if left.end <= right.start else "?"
            if factor.id.startswith("genetic") and re.fullmatch(
                r"[\s*\"'\u201c\u201d()-]{0,4}", glue
            ):
                used_factors.add(k)
        anchors.append(_Anchor(gene=gene, variant=variant, factor=None))
    for i, gene in enumerate(genes):
        if _inside_other(gene, variants):
            continue
        # genetic MECHANISM terms right after the gene, and those listed with them ("the
        # FLT3 kinase domain or activation loop"), are the gene's alterations
        named: list[str] = []
        end, glue_pattern = gene.end, _GENE_TO_FACTOR_GLUE
        for k, factor in enumerate(factors):
            glue = text[end : factor.start] if factor.start >= end else "?"
            if (
                k not in used_factors
                and factor.id.startswith("genetic")
                and glue_pattern.fullmatch(glue)
            ):
                named.append(factor.normalized)
                used_factors.add(k)
                end, glue_pattern = factor.end, _LIST_GLUE
        if i in used_genes:  # its variants speak for it, and the alterations named with it
            alterations = named  # ("mutations in the BCR-ABL1 kinase domain ... T315I")
        else:
            alterations = named or [_alteration_after(text, gene, sentence)]
        anchors.extend(
            _Anchor(gene=gene, variant=None, factor=None, alteration=alteration)
            for alteration in alterations
        )
    anchors.extend(
        _Anchor(gene=None, variant=None, factor=f)
        for k, f in enumerate(factors)
        if k not in used_factors
    )
    return [member for anchor in anchors for member in _altered_members(anchor)]


# between the items of a list: a gene's genetic factors ("kinase domain or activation loop"),
# drugs ("imatinib, dasatinib and nilotinib"; drugs joined by "/" are one combination)
_LIST_GLUE = re.compile(r"\s*(?:,|/|,?\s+(?:or|and|and/or))\s*")
# between a gene and the genetic factor named right after it: "FLT3 kinase domain"
_GENE_TO_FACTOR_GLUE = re.compile(r"[\s*_-]{0,3}")


# Partners that drive the fusions they form, whichever end they are: the kinases, receptors
# and transcription factors a fusion's drug or claim is about.
_FUSION_DRIVER_NAMES = (
    "ABL1 ABL2 ALK BRAF RAF1 EGFR ERBB2 FGFR1 FGFR2 FGFR3 JAK2 MET NRG1 NTRK1 NTRK2 NTRK3 "
    "PDGFRA PDGFRB RET ROS1 KMT2A RARA ERG ETV1 ETV4 FLT3 CSF1R PIK3CA MYB"
)
_FUSION_DRIVERS = frozenset(_FUSION_DRIVER_NAMES.split())
_FUSION_GLUE = re.compile(r"-|–|::|/")
_FUSION_AFTER = re.compile(
    r"[\s-]*(?:\w+\s+)?(?:fusions?|rearrange\w*|translocations?|chimer\w*)\b", re.IGNORECASE
)


def _with_fusions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Two genes joined as a fusion ("FGFR2-AHCYL1 fusion", "NTRK1-PDE4DIP rearrangement")
    become one gene, ``FGFR2::AHCYL1``, with the id of the partner that drives it (a known
    driver, else the 3' partner), as the vocabularies' own fusions ("BCR::ABL1") are."""
    result = list(mentions)
    genes = [m for m in mentions if m.label == "GENE" and m.id.startswith("HGNC:")]
    for left, right in zip(genes, genes[1:], strict=False):
        if not (_FUSION_GLUE.fullmatch(text, left.end, right.start) and left in result):
            continue
        if not _FUSION_AFTER.match(text, right.end) and not _named_fusion_elsewhere(
            text, text[left.start : right.end]
        ):
            continue
        drivers = [g for g in (left, right) if g.normalized in _FUSION_DRIVERS]
        driver = drivers[0] if len(drivers) == 1 else right
        fusion = dataclasses.replace(
            left,
            end=right.end,
            text=text[left.start : right.end],
            normalized=f"{left.normalized}::{right.normalized}",
            id=driver.id,
        )
        result[result.index(left)] = fusion
        result.remove(right)
    return result


def _named_fusion_elsewhere(text: str, pair: str) -> bool:
    """'CD74–ROS1 G2032R' is the fusion the text calls 'the CD74–ROS1 fusion' elsewhere."""
    start = text.find(pair)
    while start >= 0:
        if _FUSION_AFTER.match(text, start + len(pair)):
            return True
        start = text.find(pair, start + 1)
    return False


# Gene families whose alterations, in the cancer literature, are those of particular members:
# "BRCA mutations" are BRCA1 and BRCA2 mutations, a "PI3K mutant" tumour has mutant PIK3CA,
# an "AKT mutant" one mutant AKT1.
_ALTERED_MEMBERS = {
    "FPLX:BRCA": (("BRCA1", "HGNC:1100"), ("BRCA2", "HGNC:1101")),
    "FPLX:PI3K": (("PIK3CA", "HGNC:8975"),),
    "FPLX:AKT": (("AKT1", "HGNC:391"),),  # "AKT E17K", "AKT-mutant": the AKT1 hotspot
}


def _altered_members(anchor: _Anchor) -> list[_Anchor]:
    """An altered gene family stands for its altered members; anything else for itself."""
    members = _ALTERED_MEMBERS.get(anchor.gene.id) if anchor.gene else None
    if not members or not (anchor.variant or anchor.alteration):
        return [anchor]
    return [
        dataclasses.replace(anchor, gene=dataclasses.replace(anchor.gene, normalized=n, id=i))
        for n, i in members
    ]


def _overlaps_any(mention: Mention, others: Sequence[Mention]) -> bool:
    return any(o.start < mention.end and mention.start < o.end for o in others)


def _inside_other(mention: Mention, others: Sequence[Mention]) -> bool:
    return any(o.start <= mention.start and mention.end <= o.end for o in others)


def _gene_for_variant(
    text: str, variant: Mention, genes: Sequence[Mention], variants: Sequence[Mention] = ()
) -> Mention | None:
    """'FLT3 D835Y', 'FLT3-ITD', 'BCR-ABL1 T315I', 'RANBP2-ALK fusion containing an F1174L
    mutation', 'RAPSN frameshift mutation, c.1177-1178delAA' (gene before), 'D835 in FLT3'
    (after), or the gene whose list of variants holds it: 'nine in MLH1 (c.632_633insT, ...,
    c.2170T>A)', 'c.592G>A (p.Ala198Thr), c.5944G>A (p.Gly1982Arg) in MYO7A' (``variants``:
    the sentence's others, which such a list runs through)."""
    opening = text.rfind("(", max(0, variant.start - 200), variant.start)
    if (
        opening >= 0
        and ")" not in text[opening : variant.start]
        and not any(opening < g.start < variant.start for g in genes)
    ):
        listing = next((g for g in genes if _LISTING_GENE.fullmatch(text, g.end, opening)), None)
        if listing is not None:
            return listing
    closing = next((g for g in genes if g.start >= variant.end), None)
    if closing is not None and _closes_list(text, variant, closing, variants):
        return closing
    best: Mention | None = None
    for gene in genes:
        if gene.end <= variant.start:
            between = text[gene.end : variant.start]
            if len(between) <= 25 and _GENE_TO_VARIANT.fullmatch(between):
                best = gene
        elif gene.start >= variant.end and (
            best is None or _LISTED_AFTER.fullmatch(text, best.end, variant.start)
        ):
            between = text[variant.end : gene.start]
            if (
                len(between) <= 40
                and re.fullmatch(
                    r"[\s\w\-]*\b(?:in|of|within|at|on)\b(?:\s+the)?\s*", between, re.IGNORECASE
                )
                and len(between.split()) <= 5
            ):
                best = gene
    return best


# between a gene and its variant: "FLT3 kinase domain mutation D835Y", "RAPSN frameshift
# mutation, c.1177-1178delAA", "the UTR of RAD51, 135G-->C"
_GENE_TO_VARIANT = re.compile(
    r"[\s\-:/(,]*(?:(?:gene|kinase|kinase domain|protein|mutation|mutations|mutant|fusion|"
    r"rearrangement|p\.|c\.|exon \d+|frameshift|missense|nonsense|splice[- ]site|point|"
    r"germline|somatic|(?:containing|harbou?ring|carrying)(?: an?| the)?)[\s\-:/(,]*)*",
    re.IGNORECASE,
)
# a variant only listed after a gene, which the gene after it may claim: in "mutations in
# BRCA2, V600E in BRAF" the variant is BRAF's
_LISTED_AFTER = re.compile(r"\s*,\s*")
# what is left between a listed variant and the gene that closes its list once the list's
# other variants are taken out: "), , () in ", ", and () (" + "GENE)"
_LIST_TO_GENE = re.compile(r"[\s,;()\[\]]*(?:(?:and|or)\s+[\s()\[\]]*)?(?:in|of)\s+(?:the\s+)?")
_LIST_TO_BRACKETED_GENE = re.compile(r"[\s,;()\[\]]*\(\s*")


def _closes_list(text: str, variant: Mention, gene: Mention, variants: Sequence[Mention]) -> bool:
    """Whether ``gene`` closes a list of variants that ``variant`` opens or belongs to (or
    stands after the variant's own bracketed protein change): only other variants and list
    punctuation stand between them, and there is a list or a bracket ("KRAS G12D in BRAF
    wild-type tumours" is KRAS's: the gene before it decides)."""
    if gene.start - variant.end > 200:
        return False
    inside = [v for v in variants if variant.end <= v.start and v.end <= gene.start]
    rest, at = [], variant.end
    for other in inside:
        rest.append(text[at : other.start])
        at = other.end
    rest.append(text[at : gene.start])
    between = "".join(rest)
    if not inside and not any(bracket in between for bracket in ")]"):
        return False
    if _LIST_TO_GENE.fullmatch(between):
        return True
    return bool(_LIST_TO_BRACKETED_GENE.fullmatch(between)) and text.startswith(")", gene.end)


_ALTERED_GENE = re.compile(r"[\s-]*(?:mutations?|mutant|mutated|variants?)\b", re.IGNORECASE)
# between a gene and the parenthesis that lists its variants: "MLH1 (", "MSH2 gene mutations ("
_LISTING_GENE = re.compile(r"\s*(?:gene\s*)?(?:(?:mutations?|variants?|alleles?)\s*)?")


def _altered_gene_before(text: str, variant: Mention, genes: Sequence[Mention]) -> Mention | None:
    """Of several genes in the sentence, the nearest before the variant that the text calls
    mutant: in "HER2 overexpressing cell lines with PIK3CA mutation BT474c (K111N)", PIK3CA."""
    before = [g for g in genes if g.end <= variant.start and _ALTERED_GENE.match(text, g.end)]
    return before[-1] if before else None


# the genes that follow a gene in a list they share an alteration word with
_COORDINATED_GENES = re.compile(
    r"(?:\s*(?:,\s*(?:and|or)?|and|or|/)\s*(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9-]*|\d{1,2})(?=[\s,/-]))+"
)

# "without EGFR, KRAS or BRAF mutations", "negative for EGFR and KRAS mutations": no alteration
_DENIED_LIST = re.compile(
    r"\b(?:without|negative|no|lack\w*|absence|wild[- ]?type)\b", re.IGNORECASE
)


# what opens a list of alterations the text rules out: "tested negative for EGFR, KRAS and
# PIK3CA mutations and ALK and ROS1 rearrangements", "without EGFR or KRAS mutations"
_DENIAL_LEAD = re.compile(
    r"(?:\b(?:negative|wild[- ]?type) for|(?<!or )(?<!and )\bwithout|\bno|\babsence of|"
    r"\black(?:ing|ed|s)?(?: of)?|\bfree of)\s+",
    re.IGNORECASE,
)
# what such a list holds: gene names, alteration words and the words joining them
_DENIED_MATERIAL = re.compile(
    r"(?:[\s,/]+|(?:and|or|nor|any|the|in|of|known|detectable|activating|sensitizing|"
    r"somatic|germline|mutations?|alterations?|rearrangements?|fusions?|translocations?|"
    r"amplifications?|deletions?|insertions?|variants?|genes?|exons?|\d+)\b|"
    r"[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)*"
)


def _ruled_out(text: str, sentence: Sentence, gene: Mention) -> bool:
    """Is the gene one of a list of alterations a sentence without an outcome rules out?
    Every gene of "tested negative for EGFR, KRAS and PIK3CA mutations and ALK and ROS1
    rearrangements" is unaltered, not only the one the denial stands next to. Where the
    sentence states an outcome, the denial reverses its direction instead ("patients
    without KRAS mutations benefited": KRAS mutation, resistance; see ``_negated_cue``)."""
    if any(sentence.start <= cue.start < sentence.end for cue in text_cues(text)):
        return False
    before = text[max(sentence.start, gene.start - 120) : gene.start]
    return any(
        _DENIED_MATERIAL.fullmatch(before, lead.end()) for lead in _DENIAL_LEAD.finditer(before)
    )


_LEVEL_BEFORE = re.compile(
    r"\b(?P<level>down-?regulation|up-?regulation|loss|knock-?down|silencing|depletion|"
    r"low|lower|reduced|decreased|high|higher|increased|elevated)(?: of)?(?: the)?\s*$",
    re.IGNORECASE,
)


# what says a gene (or its expression) is absent: "cells lacking PTEN", "without BRCA1
# expression"; "lacking KRAS mutations" is not the gene's absence but its mutation's
_ABSENT_BEFORE = re.compile(
    r"\b(?:lacking|lacks?|lacked|lack of|absence of|without|devoid of|deficient in)"
    r"(?: the)?\s*$",
    re.IGNORECASE,
)


# what a gene's protein is, between an alteration and the gene: "expression of the drug
# efflux pump P-glycoprotein", "overexpression of the multidrug transporter ABCB1"
_DESCRIPTOR = (
    r"(?:drug|multidrug|efflux|pumps?|transporters?|receptors?|kinases?|proteins?|enzymes?|"
    r"oncogenes?|genes?|tumou?r|suppressors?|ligands?|anti-?apoptotic|pro-?apoptotic)"
)
# an alteration named before its gene: "mutations in the FLT3 kinase", "amplified FGFR1"
_ALTERATION_BEFORE = re.compile(
    r"\b(?P<alt>(?:kinase[- ]domain |activation[- ]loop |secondary |point )?"
    r"(?:mutations?|amplification|overexpression|expression|loss|deletion|"
    r"upregulation|up-regulation|downregulation|down-regulation)) "
    rf"(?:in|of)(?: the)?(?: {_DESCRIPTOR}){{0,3}}[\s*_]*$|"
    r"\b(?P<adj>amplified|mutant|mutated|overexpressed|rearranged|deleted|"
    r"wild[- ]?type|non-?mutated|unmutated)[\s*_]*$",
    re.IGNORECASE,
)


def _alteration_after(text: str, gene: Mention, sentence: Sentence) -> str:
    """'FLT3 kinase domain mutations', 'EGFR amplification', 'mutations in the FLT3 kinase',
    'amplified FGFR1'."""
    if _ruled_out(text, sentence, gene):
        return WILD_TYPE
    window = text[gene.end : min(sentence.end, gene.end + 60)]
    listed = _COORDINATED_GENES.match(window)  # "IDH1 and IDH2 mutations", "IDH1/2 mutations"
    if listed is not None and not _DENIED_LIST.search(
        text, max(sentence.start, gene.start - 30), gene.start
    ):
        window = window[listed.end() :]
    match = _ALTERATION.match(window.lstrip(" -*_"))
    before = text[max(sentence.start, gene.start - 40) : gene.start]
    if match and _normalize_alteration(match.group("alt")) == "expression":
        # "Downregulation of ZEB1 expression": the level's change comes before the gene
        level = _LEVEL_BEFORE.search(before)
        if level:
            return _normalize_alteration(level.group("level"))
    absent = listed is None and _ABSENT_BEFORE.search(before)  # not "without KRAS or BRAF ..."
    if absent and (not match or _normalize_alteration(match.group("alt")) == "expression"):
        return "loss"  # "cells lacking PTEN", "without BRCA1 expression"
    if not match:
        back = _ALTERATION_BEFORE.search(text, max(sentence.start, gene.start - 80), gene.start)
        if not back:
            return ""
        return _normalize_alteration(back.group("alt") or back.group("adj"))
    return _normalize_alteration(match.group("alt"))


def _normalize_alteration(phrase: str) -> str:
    lower = phrase.lower().replace("-", " ")
    for key, value in _ALTERATION_NORMAL.items():
        if key in lower:
            return value
    return "mutation"


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def _respective_pairs(
    text: str, groups: Sequence[Sequence[Mention]], anchors: Sequence[_Anchor]
) -> dict[str, str]:
    """Drug → gene of a sentence that pairs its genes with its drugs in order: "patients with
    HER2, EGFR or BRAF alterations were treated with pertuzumab plus trastuzumab, erlotinib
    or vemurafenib, respectively" gives each drug (group) the gene in its place, and no
    other. Empty where the sentence says no "respectively" or the counts differ ("response
    rates of 10% and 40%, respectively")."""
    if not _RESPECTIVELY.search(text):
        return {}
    genes: list[str] = []
    for anchor in sorted((a for a in anchors if a.gene), key=lambda a: a.gene.start):
        if anchor.gene.normalized not in genes:
            genes.append(anchor.gene.normalized)
    if not 2 <= len(genes) == len(groups):
        return {}
    return {
        (drug.normalized or drug.text).lower(): gene
        for gene, group in zip(genes, groups, strict=True)
        for drug in group
    }


def _drug_groups(text: str, drugs: Sequence[Mention]) -> list[list[Mention]]:
    """Adjacent drugs joined by 'plus', '+', 'in combination with' form one combination;
    chemotherapy that names no drug is the backbone of the drugs it is given with, and the
    claim is theirs ("chemotherapy plus trastuzumab")."""
    groups: list[list[Mention]] = []
    for drug in sorted(drugs, key=lambda m: m.start):
        if groups:
            last = groups[-1][-1]
            if last.end <= drug.start and _COMBINATION.match(text[last.end : drug.start]):
                groups[-1].append(drug)
                continue
            if last.start == drug.start and drug.source != "reference":
                continue  # overlapping duplicate; "all four inhibitors" is each of them
        groups.append([drug])
    return [[d for d in group if d.id != UNNAMED_CHEMOTHERAPY_ID] or group for group in groups]


def _sentence_cues(text: str, sentence: Sentence) -> list[tuple[int, int, str]]:
    """(start, end, relation) of a sentence's direction cues, in document offsets."""
    return [
        (cue.start, cue.end, cue.relation)
        for cue in text_cues(text)
        if sentence.start <= cue.start < sentence.end
    ]


def _decide(
    text: str,
    sentence: Sentence,
    drugs: Sequence[Mention],
    anchors: Sequence[_Anchor],
    sentence_cues: Sequence[tuple[int, int, str]],
) -> _Decision | None:
    """Direction for a drug (group) in a sentence, or None when no cue governs it."""
    first, last = drugs[0], drugs[-1]
    cues = [c for c in sentence_cues if not (first.start <= c[0] < last.end)]  # not in the drug
    if not cues:
        return None
    # 0. the drug is the agent that overcomes: "resistance ... was reversed by ponatinib"
    if _REVERSED_BY.search(text, max(sentence.start, first.start - 40), first.start):
        return _Decision(SENSITIVITY, 0.85, REVERSAL_RULE)
    # 1. bound to the drug: before it, or right after it ("imatinib-resistant"); right after
    # it first where that describes a population holding a factor: in "effective against
    # imatinib-resistant T315I cells" the cells' imatinib resistance is T315I's
    adjacent = [c for c in cues if c[0] >= last.end and _BOUND_AFTER.match(text[last.end : c[0]])]
    if adjacent and _describes_a_factor(text, adjacent[0][1], anchors):
        return _cue_after_drug(text, *adjacent[0])
    for start, end, relation in cues:
        if _bound_to(text, end, first):
            if "," in text[end : first.start] and _SUBJECT_OF_REVERSAL.match(text, last.end):
                return _Decision(SENSITIVITY, 0.85, REVERSAL_RULE)
            decision = _Decision(
                relation, 0.9, "cue before drug", _is_weak(text, start, end), start
            )
            return _denied_for_drug(text, decision, end, first)
        if (start, end, relation) in adjacent:
            return _cue_after_drug(text, start, end, relation)
    reversal = _governing_reversal(text, sentence, first, last)
    if reversal is not None:
        decision = _Decision(SENSITIVITY, 0.85, REVERSAL_RULE, cue_start=reversal)
        # "nilotinib is not active against Y253H": a denied reversal is resistance
        return _negated_cue(text, decision) if reversal >= 0 else decision
    governing = _governing_noun(text, sentence, first, cues)
    if governing is not None:  # "resistance of exon 4 mutations, such as A146T, to cetuximab"
        start, end, relation = governing
        return _negated_cue(
            text,
            _Decision(
                relation,
                0.85,
                "cue before drug (across its object)",
                _is_weak(text, start, end),
                start,
            ),
        )
    # 2. the drug's clause
    clause = _clause(text, sentence, first.start)
    in_clause = [c for c in cues if clause[0] <= c[0] < clause[1]]
    if in_clause:
        return _nearest(text, in_clause, first, last, 0.75, "cue in clause")
    # 3. the sentence
    return _nearest(text, cues, first, last, 0.6, "cue in sentence")


def _cue_after_drug(text: str, start: int, end: int, relation: str) -> _Decision:
    rule = "cue after drug"
    if _POPULATION.match(text, end):
        rule += POPULATION_DESCRIPTOR
    return _negated_cue(text, _Decision(relation, 0.9, rule, _is_weak(text, start, end), start))


def _describes_a_factor(text: str, cue_end: int, anchors: Sequence[_Anchor]) -> bool:
    """Does the cue right after a drug describe a population that holds a factor ("imatinib-
    resistant T315I and F317L cells", "imatinib-resistant BCR-ABL1 mutants")?"""
    population = _FACTOR_POPULATION.match(text, cue_end)
    return population is not None and any(
        cue_end <= start < population.end()
        for a in anchors
        for start in (a.start, a.gene.start if a.gene else -1)
    )


# a population named by its factor: "T315I and F317L cells", "BCR-ABL1 mutants"
_FACTOR_POPULATION = re.compile(
    r"\s+(?:[\w/-]+,?\s+){1,4}?(?:cell(?:s| lines?)|clones?|sublines?|mutants?|mutations?|"
    r"patients|tumou?rs|leuka?emias?)\b",
    re.IGNORECASE,
)


_TO_BEFORE = re.compile(r"\bto\s+(?:the\s+)?$")
_GOVERNING_NOUN = re.compile(r"resist|sensitiv|respons|refractor|susceptib", re.IGNORECASE)


def _governing_noun(
    text: str, sentence: Sentence, first: Mention, cues: Sequence[tuple[int, int, str]]
) -> tuple[int, int, str] | None:
    """The cue "to <drug>" completes when the factor stands between them: "resistance of
    exon 4 mutations to cetuximab", "sensitivity of T315I cells to ponatinib". Only the last
    cue before the drug, in the drug's clause, and only a word that takes "to"."""
    if not _TO_BEFORE.search(text, max(sentence.start, first.start - 12), first.start):
        return None
    left = _clause(text, sentence, first.start)[0]
    before = [c for c in cues if left <= c[0] and c[1] <= first.start]
    if not before:
        return None
    cue = max(before, key=lambda c: c[1])
    if first.start - cue[1] > 90 or not _GOVERNING_NOUN.match(text, cue[0]):
        return None
    return cue


def _governing_reversal(text: str, sentence: Sentence, first: Mention, last: Mention) -> int | None:
    """Where the reversal that governs a drug starts: 'ponatinib overcomes ...', 'ponatinib,
    which is active against T315I' (the drug is its subject); -1 for a response to the drug
    named before it; None where there is none."""
    clause_end = _clause(text, sentence, last.end - 1)[1]
    after = text[last.end : min(clause_end, last.end + 60)]
    match = _REVERSAL_CUE.search(after)
    if (
        match
        and not re.search(r"\b(?:to|against)\s*$", after[: match.start()])
        and len(after[: match.start()].split()) <= 4
    ):
        return last.end + match.start()
    before = text[max(sentence.start, first.start - 40) : first.start]
    responded = re.search(
        r"\b(?:sensitivity|sensitive|responsive|response)\s+to\s*(?:the\s+)?(?:\w+\s+)?$",
        before,
        re.IGNORECASE,
    )
    return -1 if responded else None


def _clause(text: str, sentence: Sentence, position: int) -> tuple[int, int]:
    bounds = _clause_bounds(text[sentence.start : sentence.end])
    offset = position - sentence.start
    index = bisect.bisect_right(bounds, offset) - 1
    if 0 <= index < len(bounds) - 1:
        return sentence.start + bounds[index], sentence.start + bounds[index + 1]
    return sentence.start, sentence.end


@lru_cache(maxsize=256)
def _clause_bounds(sentence: str) -> tuple[int, ...]:
    """Clause starts within a sentence (and its end): asked for every candidate pair."""
    breaks = (m.start() for m in _CLAUSE_BREAK.finditer(sentence))
    return (0, *(b for b in breaks if b > 0), len(sentence))


def _nearest(
    text: str,
    cues: Sequence[tuple[int, int, str]],
    first: Mention,
    last: Mention,
    confidence: float,
    rule: str,
) -> _Decision:
    def distance(cue: tuple[int, int, str]) -> int:
        start, end, _ = cue
        return first.start - end if end <= first.start else start - last.end + 5

    start, end, relation = min(cues, key=distance)
    if relation == RESISTANCE and _REVERSAL_CUE.search(text[max(0, start - 40) : start]):
        return _Decision(SENSITIVITY, confidence, rule + " (resistance overcome)")
    decision = _Decision(relation, confidence, rule, _is_weak(text, start, end), start)
    return _denied_for_drug(text, decision, end, first)


def _denied_for_drug(text: str, decision: _Decision, cue_end: int, first: Mention) -> _Decision:
    """The decision of a cue for a drug, with what denies it: before the cue ("did not
    respond to", see ``_negated_cue``) or, for a drug after the cue, a contrast right before
    the drug: in "responded to ponatinib but not to dasatinib" dasatinib's response is
    denied, which is resistance."""
    if _excepted(text, cue_end, first.start):  # "resistant to all TKIs except ponatinib"
        return _the_other_way(decision)
    contrast = _BUT_NOT.search(text, cue_end, first.start) if cue_end <= first.start else None
    if decision.relation != SENSITIVITY or decision.weak or contrast is None:
        return _negated_cue(text, decision)
    return dataclasses.replace(
        decision,
        relation=RESISTANCE,
        rule=f"{decision.rule} {DENIED_SENSITIVITY}",
        denied=True,
        denial_start=contrast.start("not"),
    )


# what excepts the mention right after it from the claim of a cue before it: "effective
# against all imatinib-resistant mutants except T315I and F317L"
_EXCEPT = re.compile(
    r"\b(?:except(?:\s+for)?|with\s+the\s+exception\s+of|other\s+than|apart\s+from)\s+"
    r"(?:the\s+|an?\s+)?(?:[\w/-]+\s*(?:,|,?\s*or|,?\s*and)\s*){0,3}$",
    re.IGNORECASE,
)


def _excepted(text: str, cue_end: int, start: int, *, contrast: bool = False) -> bool:
    """Does the claim of the cue ending at ``cue_end`` except the mention at ``start``? With
    ``contrast``, a "but not" denies it too (a drug's has its own reading: ``_BUT_NOT``)."""
    if not 0 <= cue_end <= start:
        return False
    return _EXCEPT.search(text, cue_end, start) is not None or (
        contrast and _BUT_NOT_FOR.search(text, cue_end, start) is not None
    )


# "retained activity against most kinase-domain mutations but not against myristoyl pocket
# mutations": what the contrast names is denied the claim
_BUT_NOT_FOR = re.compile(
    r"\bbut\s+not(?:\s+(?:against|in|for|with|to|by|on))?\s+(?:the\s+|an?\s+)?"
    r"(?:[\w/-]+\s*(?:,|,?\s*or|,?\s*and)\s*){0,3}$",
    re.IGNORECASE,
)


def _the_other_way(decision: _Decision) -> _Decision:
    opposite = SENSITIVITY if decision.relation == RESISTANCE else RESISTANCE
    return dataclasses.replace(decision, relation=opposite, rule=f"{decision.rule} {EXCEPTED}")


# a contrast that denies the cue before it for the drug right after it: "but not (to)"
_BUT_NOT = re.compile(
    r"\b(?:but|and|yet|while|whereas)\s+(?P<not>not)(?:\s+(?:to|with|by|in|on|for))?"
    r"(?:\s+(?:the|an?))?\s*(?:[\w-]+\s*(?:,|,?\s*or|,?\s*nor)\s*){0,3}$",
    re.IGNORECASE,
)


def _negated_cue(text: str, decision: _Decision) -> _Decision:
    """'not sensitive to imatinib', 'lack of response to cetuximab', 'failed to respond':
    a denied sensitivity is a claim of resistance, not a negated claim."""
    if decision.relation != SENSITIVITY or decision.weak:
        return decision
    before = decision.cue_start
    denial = _nearest_denial(text, before)
    if denial and _EFFECT_DENIED.search(text, max(0, denial.start() - 200), denial.start()):
        return decision  # its negation is the claim's: see _EFFECT_DENIED
    if denial and _denies(text, denial, before):
        denial_start = denial.start()
    elif _none_of_them(text[max(0, before - _NONE_OF_WINDOW) : before]):
        denial_start = -1
    else:
        return decision
    return _Decision(
        RESISTANCE,
        decision.confidence,
        f"{decision.rule} {DENIED_SENSITIVITY}",
        cue_start=decision.cue_start,
        denied=True,
        denial_start=denial_start,
    )


# "Arg1 ablation affects mRNA abundance, but not methacholine responsiveness": the "not"
# denies the effect on the response (no effect, a negated claim), not the response itself
_EFFECT_DENIED = re.compile(
    r"\b(?:affect|alter|chang|influenc|impact|modif|modulat)\w*\b[^.;]{0,150}?"
    r"\b(?:but|and|yet|while|whereas)\s+$",
    re.IGNORECASE,
)


def _nearest_denial(text: str, cue_start: int) -> re.Match[str] | None:
    """The denial nearest before a cue: in "cells without PTEN did not respond" it is "not",
    which denies the response, not "without", which says what the cells lack."""
    denial, start = None, max(0, cue_start - _DENIAL_WINDOW)
    while (found := _DENIAL.search(text, start, cue_start)) is not None:
        denial, start = found, found.start() + 1
    return denial


def _beside_a_denied_subject(
    anchor: _Anchor, anchors: Sequence[_Anchor], decision: _Decision
) -> bool:
    """Does the denial that made the cue resistance deny another factor, not this one? In
    "BRAF V600E melanoma with no NRAS mutation responded to vemurafenib" the absent NRAS
    mutation goes with the response (its claim is resistance); BRAF V600E's response stands."""
    if not decision.denied or decision.denial_start < 0:
        return False
    denied = [a for a in anchors if decision.denial_start <= a.start < decision.cue_start]
    return bool(denied) and anchor not in denied


def _denies(text: str, denial: re.Match[str], cue_start: int) -> bool:
    """Whether a denial before a sensitivity cue denies it, rather than naming what is lost
    in the cue's subject ("Loss of GSTP1 sensitized cells")."""
    noun = _NOUN_DENIAL.match(text, denial.start(), cue_start)
    if noun is None:
        return True
    between = text[noun.end() : cue_start]
    return not (
        _VERB_BETWEEN.search(between) or (between.strip() and _VERB_CUE.match(text, cue_start))
    )


def _none_of_them(before_cue: str) -> bool:
    """'None of the patients with X responded' denies the response of X; 'none of the
    X-negative patients' speaks of the comparison group, and says nothing against X."""
    match = _NONE_OF.search(before_cue)
    return match is not None and not _WILD_TYPE_GROUP.search(match.group())


_WILD_TYPE_GROUP = re.compile(r"negative|wild[- ]?type|\bwt\b|without", re.IGNORECASE)


def _is_weak(text: str, start: int, end: int) -> bool:
    """A cue that names a target (see ``_WEAK_CUE``) or what a study set out to measure:
    either counts only for a variant, an alteration or a non-gene factor."""
    return _WEAK_CUE.fullmatch(text[start:end]) is not None or (
        _MEASURED_NOUN.match(text, start) is not None
        and _MEASURED.search(text, max(0, start - 40), start) is not None
    )


def _anchors_for(
    text: str,
    sentence: Sentence,
    drugs: Sequence[Mention],
    anchors: Sequence[_Anchor],
    decision: _Decision,
    sentence_drugs: Sequence[Mention],
) -> list[_Anchor]:
    """Anchors for a drug: those in the drug's own clause when there are any, never one that
    is part of the drug itself ('FLT3 inhibitor' holds 'FLT3'), nor one named as the
    comparison after the drug when another stands before it. Of a drug whose cue comes
    before it, the anchors between that cue and the sentence's drug before it are its
    subject when there are any: "TP53-mutated AML showed poor responses to venetoclax, and
    mutations in BAX conferred resistance to venetoclax" states two findings."""
    first, last = drugs[0], drugs[-1]
    outside = [a for a in anchors if not (first.start <= a.start and a.end <= last.end)]
    aside = _parenthesis(text, sentence, first.start, last.end)
    if aside is not None:  # "V600E (a known vemurafenib-sensitizing mutation)"
        opening, closing = aside
        apposed = [
            a for a in outside if opening - 3 <= a.end <= opening or opening < a.start < closing
        ]
        if apposed:
            return apposed
    left, right = _clause(text, sentence, first.start)
    chosen = [a for a in outside if left <= a.start < right] or outside
    if 0 <= decision.cue_start < first.start:
        earlier_drugs = [d.end for d in sentence_drugs if d.end <= decision.cue_start]
        since = max(earlier_drugs, default=left)
        subject = [a for a in chosen if since <= a.start and a.end <= decision.cue_start]
        chosen = subject or chosen
    # "S768I showed reduced sensitivity to erlotinib, compared to cells with L858R": what
    # follows the comparison is the reference, not the subject
    comparison = _COMPARISON.search(text, last.end, sentence.end)
    if comparison is not None:
        before = [a for a in chosen if a.start < comparison.start()]
        chosen = before or chosen
    if decision.relation == RESISTANCE:
        # "patients with FLT3-ITD relapsing on sorafenib acquired D835Y": the change the
        # resistance brought is a subject too
        chosen = chosen + [
            a
            for a in outside
            if a.start > last.end
            and a not in chosen
            and _ACQUIRED_BEFORE.search(text, max(last.end, a.start - 40), a.start)
        ]
    return chosen


# what introduces a change that came with the resistance, right before the change
_ACQUIRED_BEFORE = re.compile(
    r"\b(?:acquired|acquisition of|emergence of|emerged|developed)(?:\s+(?:an?|the|new|"
    r"secondary|additional))*\s*$",
    re.IGNORECASE,
)


# what introduces a variant as an aside to the subject before it: "NRAS Q61K, in addition to
# the BRAF V600E mutation, was associated with resistance" is NRAS's claim
_ASIDE = re.compile(
    r"\b(?:in addition to|as well as|along with|together with|besides|on top of)\b",
    re.IGNORECASE,
)


def _shadowed(text: str, anchor: _Anchor, anchors: Sequence[_Anchor], drug_start: int) -> bool:
    """Does another gene's variant stand between ``anchor`` and a drug that follows it, other
    than as an aside?"""
    if anchor.end > drug_start:
        return False
    gene = anchor.gene.normalized if anchor.gene else ""
    return any(
        other.variant is not None
        and anchor.end <= other.start
        and other.end <= drug_start
        and (other.gene.normalized if other.gene else "") != gene
        and not _ASIDE.search(text, anchor.end, other.start)
        for other in anchors
    )


def _parenthesis(text: str, sentence: Sentence, start: int, end: int) -> tuple[int, int] | None:
    """(opening, closing) of the parenthesis around ``start:end`` in the sentence, if any:
    what it says describes what stands right before it."""
    opening = text.rfind("(", sentence.start, start)
    if opening < 0 or ")" in text[opening:start]:
        return None
    closing = text.find(")", end, sentence.end)
    if closing < 0 or "(" in text[end:closing]:
        return None
    return opening, closing


def _negated(
    text: str,
    sentence: Sentence,
    anchor: _Anchor,
    drugs: Sequence[Mention],
    decision: _Decision | None = None,
) -> bool:
    """A negation cue in the clause that holds the drug, before or between factor and drug.

    Not counted: the denial that already turned a sensitivity cue into resistance, one
    inside a cue, one in an aside that holds neither factor nor drug, a comparator's ("than
    cells without it"), the one that makes the factor a loss ("cells lacking PTEN"), "never
    smokers", and "regardless of" / "independent of" unless the factor itself follows it."""
    negations = _sentence_negations(text[sentence.start : sentence.end])
    if not negations:  # most sentences: nothing to place
        return False
    left, right = _clause(text, sentence, drugs[0].start)
    span_start = min(left, anchor.start) if anchor.start >= sentence.start else left
    span_start = max(span_start, sentence.start)
    factor_start = anchor.start
    if anchor.gene is not None and sentence.start <= anchor.gene.start < factor_start:
        factor_start = anchor.gene.start
    comparison = _COMPARISON.search(text, drugs[-1].end, right)
    right = comparison.start() if comparison else right
    # a cue's own "not" ("should not be treated with") is its direction, not a denial
    cues = [(c.start, c.end) for c in text_cues(text) if span_start <= c.start < right]
    for offset, stop, of_factor in negations:
        start, end = sentence.start + offset, sentence.start + stop
        if start < span_start or end > right or any(a <= start < b for a, b in cues):
            continue
        if anchor.alteration == "loss" and 0 <= factor_start - end <= 5:
            continue  # "lacking PTEN": the gene's loss, not a denial
        if (
            decision is not None
            and decision.denied
            and (
                decision.cue_start - _DENIAL_WINDOW <= start < decision.cue_start
                or start == decision.denial_start
            )
        ):
            continue
        if of_factor and not _negates_the_factor(text, end, factor_start, anchor):
            continue
        aside = _parenthesis(text, sentence, start, end)
        if aside is not None and not any(aside[0] < m.start < aside[1] for m in (*drugs, anchor)):
            continue  # "constitutive activity (response in the absence of ligand)"
        return True
    return False


# a status the factor stands for: "independent of HPV-status, represented by expression of"
_STATUS_STANDING_FOR = re.compile(
    r"\s*[\w-]*[\s-]status,?\s+(?:as\s+)?(?:represented|measured|assessed|defined|"
    r"determined|indicated)\s+by\s+(?:the\s+)?(?:(?:expression|levels?|status)\s+of\s+)?",
    re.IGNORECASE,
)


def _negates_the_factor(text: str, negation_end: int, factor_start: int, anchor: _Anchor) -> bool:
    """Does 'regardless of' / 'independent of' govern the factor? It does when the factor
    follows it ("regardless of KRAS status") or follows the status it stands for ("independent
    of HPV-status, represented by expression of p16")."""
    if 0 <= factor_start - negation_end <= 6:
        return True
    standing = _STATUS_STANDING_FOR.match(text, negation_end)
    return (
        standing is not None
        and anchor.gene is not None
        and text.startswith(anchor.gene.text, standing.end())
    )


def _unaffected_genes(
    text: str, sentences: Sequence[Sentence], named_anchors: dict[str, list[_Anchor]]
) -> set[str]:
    """The genes one of whose own sentences says they make no difference: "responses were
    comparable for patients with ABL1 mutation versus without", "EGFR expression had no
    impact on PFS". A pair across sentences is then a negated claim. Only sentences with
    such words are looked at."""
    starts = [s.start for s in sentences]
    found = [m.start() for m in _NO_DIFFERENCE.finditer(text)]
    found += [m.start() for m in _NO_EFFECT.finditer(text)]
    if not found:
        return set()
    candidates = {bisect.bisect_right(starts, at) - 1 for at in found}
    unaffected = set()
    for gene, anchors in named_anchors.items():
        for anchor in anchors:
            index = bisect.bisect_right(starts, anchor.start) - 1
            if index in candidates and _no_difference_made(text, sentences[index], anchor):
                unaffected.add(gene)
                break
    return unaffected


def _no_difference_made(text: str, sentence: Sentence, anchor: _Anchor) -> bool:
    """Whether the anchor's own ``sentence`` says it makes no difference."""
    own = text[sentence.start : sentence.end]
    if _NO_DIFFERENCE.search(own) and _BOTH_GROUPS.search(own):
        return True
    # "EGFR expression had no impact on PFS", "No predictive biomarkers were found, including
    # PIK3CA mutations", "no correlation between VHL status and response"
    return bool(
        _DENIED_AFTER_FACTOR.match(text, anchor.end, sentence.end)
        or _DENIED_BEFORE_FACTOR.search(text, sentence.start, anchor.start)
    )


_NO_DIFFERENCE = re2.compile(
    r"(?i)\b(?:comparable|similar|no (?:significant |statistically significant )?differences?|"
    r"did not differ|not differ\w*|no (?:significant )?association|not (?:significantly )?"
    r"associated|no (?:significant )?correlation)\b"
)
# both sides of the comparison: with and without the factor, mutant and wild type
_BOTH_GROUPS = re.compile(
    r"\b(?:with (?:or|and) without|(?:versus|vs\.?|and|or) (?:those |patients |cases )?without|"
    r"(?:mutant|mutated|positive|altered|amplified)\b[^.;]{0,40}\b(?:and|or|versus|vs\.?) "
    r"(?:\w+[- ])?-?(?:wild[- ]?type|wt|negative|non-?mutated|unmutated|non-?amplified))",
    re.IGNORECASE,
)
# what a factor's own sentence says when it makes no difference: after it ("EGFR expression
# had no impact on PFS") or, leading a list or a comparison, before it ("No predictive
# biomarkers were found, including PIK3CA mutations"; "no correlation between VHL status and
# response"). The check and the gate below share these words.
_NO_EFFECT_AFTER = (
    r"no (?:significant |clear )?(?:impact|effect|influence|association|correlation)|"
    r"not (?:significantly )?(?:associated|correlated|predictive)|"
    r"did not (?:correlate|predict|affect|influence)|neither prognostic nor predictive|"
    r"did not (?:show|have|demonstrate) (?:any |a )?(?:significant )?(?:prognostic |predictive )?"
    r"(?:significance|value|impact|effect)|no (?:prognostic |predictive )(?:significance|value)"
)
_NO_MARKERS = r"no (?:predictive )?(?:bio)?markers?"
_NO_LINK = r"no (?:significant )?(?:correlation|association|interaction)"
_DENIED_AFTER_FACTOR = re.compile(
    rf"[^.;]{{0,40}}?\b(?:had|has|have|showed|shows|was|were|is|are)?\s*(?:{_NO_EFFECT_AFTER})\b",
    re.IGNORECASE,
)
_DENIED_BEFORE_FACTOR = re.compile(
    rf"\b(?:{_NO_MARKERS} (?:were |was )?(?:identified|found)[^.;]{{0,80}}|"
    rf"{_NO_LINK} (?:was \w+ )?between[^.;]{{0,30}})$",
    re.IGNORECASE,
)
# the words without which neither check above can hold: only sentences with them (or with
# _NO_DIFFERENCE's) are asked whether their factor makes no difference
_NO_EFFECT = re2.compile(rf"(?i)\b(?:{_NO_EFFECT_AFTER}|{_NO_MARKERS}|{_NO_LINK})\b")
# what makes a sentence worth reading for a negated claim when the text has no direction cue:
# the factor predicts nothing (a mere "no significant difference" is mostly statistics)
_NOT_PREDICTIVE = re2.compile(
    r"(?i)\b(?:no (?:predictive )?(?:bio)?markers?|no predictive|not (?:significantly )?"
    r"predictive|did not predict|neither prognostic nor predictive)\b"
)


@lru_cache(maxsize=256)
def _sentence_negations(sentence: str) -> tuple[tuple[int, int, bool], ...]:
    """(start, end, negates only a factor) of a sentence's negation cues, "never smokers"
    left out: asked for every candidate pair of the sentence."""
    return tuple(
        (m.start(), m.end(), _FACTOR_NEGATION.fullmatch(m.group()) is not None)
        for m in _NEGATION.finditer(sentence)
        if not _NOT_A_NEGATION.match(sentence, m.start())
    )


def _gene_fields(anchor: _Anchor) -> tuple[str, str]:
    if anchor.gene is None:
        return "", ""
    return anchor.gene.normalized or anchor.gene.text, anchor.gene.id
