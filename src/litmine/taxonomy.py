"""The seed taxonomy of resistance mechanisms: loading, mechanism assignment, reconciliation.

The taxonomy (``corpus/taxonomy.yaml``) and the seed claims (``corpus/seed_claims.csv``) are
litmine's structured reading of the seed review (Richter, J Leuk 2025). This module puts each
literature triple under a taxonomy node and then compares the literature with the review's own
claims: which claims the papers corroborate or contradict, what they add, and where papers
disagree with each other. It works on plain ``Triple`` records only (no spaCy, no NER imports):
drug-class membership comes from the YAML or from the caller (``class_members``).
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from litmine.config import PROJECT_ROOT
from litmine.types import Triple

__all__ = [
    "ClaimResult",
    "Conflict",
    "DrugClass",
    "MarkerGene",
    "NewFinding",
    "Node",
    "Reconciliation",
    "SeedClaim",
    "Strategy",
    "Taxonomy",
    "VariantRule",
    "assign_mechanism",
    "load_seed_claims",
    "load_taxonomy",
    "parse_refs",
    "protein_changes",
    "reconcile",
]

log = logging.getLogger(__name__)

DEFAULT_TAXONOMY = PROJECT_ROOT / "corpus" / "taxonomy.yaml"
DEFAULT_SEED_CLAIMS = PROJECT_ROOT / "corpus" / "seed_claims.csv"

RESISTANCE = "resistance"
SENSITIVITY = "sensitivity"
STATUSES = ("corroborated", "contradicted", "unsupported")
ANY_AGENT = {"various agents", "any agent", "*"}
# how a mechanism rule ends when only the sentence's words, not the triple's own, gave it
IN_SENTENCE = " in sentence"
COMBINATION = "combination therapy"

_THREE_TO_ONE = {
    "ala": "A", "arg": "R", "asn": "N", "asp": "D", "cys": "C", "gln": "Q", "glu": "E",
    "gly": "G", "his": "H", "ile": "I", "leu": "L", "lys": "K", "met": "M", "phe": "F",
    "pro": "P", "ser": "S", "thr": "T", "trp": "W", "tyr": "Y", "val": "V", "ter": "*",
}  # fmt: skip
_AA3 = "|".join(sorted((c.capitalize() for c in _THREE_TO_ONE), key=len, reverse=True))
# One- or three-letter protein change, optionally "p."-prefixed, alternative residue optional
# ("D835" names a position); "codon 835" gives the position alone.
_PROTEIN_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?:p\.)?\(?(?P<wt>{_AA3}|[ACDEFGHIKLMNPQRSTVWY])(?P<pos>[1-9]\d{{0,4}})"
    rf"(?P<alt>{_AA3}|[ACDEFGHIKLMNPQRSTVWY*]|fs|del|ins|dup)?(?![0-9])"
    r"|(?<![A-Za-z0-9])codon\s+(?P<codon>[1-9]\d{0,4})",
)
_WORD_CHAR = "A-Za-z0-9"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class VariantRule:
    """Protein positions (explicit or an inclusive range) or variant terms of one gene; a
    ``compound`` rule needs changes at two or more of its positions in one variant."""

    gene: str
    note: str
    positions: frozenset[int] = frozenset()
    span: tuple[int, int] | None = None
    terms: tuple[str, ...] = ()
    compound: bool = False

    @property
    def is_explicit(self) -> bool:
        """Explicit positions, terms and compounds outrank ranges: they name the residues."""
        return bool(self.positions or self.terms or self.compound)

    def matches_position(self, position: int) -> bool:
        if position in self.positions:
            return True
        return self.span is not None and self.span[0] <= position <= self.span[1]

    def matches_term(self, variant_text: str) -> bool:
        return any(_contains_phrase(variant_text, term) for term in self.terms)


@dataclass(frozen=True, slots=True)
class MarkerGene:
    """A gene whose involvement itself names the mechanism (e.g. ABCB1 for drug efflux)."""

    symbol: str
    aliases: tuple[str, ...] = ()
    relation: str = ""  # restrict to one relation ("resistance"), or "" for both


@dataclass(frozen=True, slots=True)
class Node:
    """One mechanism of the taxonomy; its parent is its id without the last dotted part."""

    id: str
    label: str
    description: str
    factor: str
    in_seed: bool
    triggers: tuple[str, ...] = ()
    marker_genes: tuple[MarkerGene, ...] = ()
    variant_rules: tuple[VariantRule, ...] = ()

    @property
    def parent(self) -> str:
        return self.id.rpartition(".")[0]

    @property
    def depth(self) -> int:
        return self.id.count(".") + 1


@dataclass(frozen=True, slots=True)
class Strategy:
    """A way around resistance and the mechanisms (node ids) it addresses."""

    id: str
    label: str
    description: str
    in_seed: bool
    addresses: tuple[str, ...]
    drug_classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DrugClass:
    """A drug class with the names it goes by and its members (lower-case generic names)."""

    name: str
    aliases: tuple[str, ...]
    members: frozenset[str]


@dataclass(frozen=True, slots=True)
class SeedClaim:
    """One claim of the seed article, structured; ``drugs`` may name drugs or classes."""

    claim_id: str
    kind: str  # "association" | "strategy"
    gene: str
    variant: str
    factor: str
    drugs: tuple[str, ...]
    relation: str
    disease: str
    mechanism: str
    statement: str
    sentence: str
    refs: tuple[int, ...] = ()
    refs_text: str = ""

    @property
    def drug(self) -> str:
        return "; ".join(self.drugs)

    @property
    def subject(self) -> str:
        """Gene/variant/factor in one human-readable phrase."""
        parts = [p for p in (self.gene, self.variant, self.factor) if p]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class _Trigger:
    node_id: str  # "" for a blocker phrase
    phrase: str
    relation: str = ""
    is_gene: bool = False


# --------------------------------------------------------------------------- taxonomy


class Taxonomy:
    """Mechanism nodes, strategies and drug classes, with precompiled trigger matching."""

    def __init__(
        self,
        nodes: Sequence[Node],
        strategies: Sequence[Strategy] = (),
        drug_classes: Sequence[DrugClass] = (),
        source: Mapping[str, Any] | None = None,
        blockers: Sequence[str] = (),
    ) -> None:
        self.nodes: dict[str, Node] = {}
        for node in nodes:
            if node.id in self.nodes:
                raise ValueError(f"taxonomy: duplicate node id {node.id!r}")
            self.nodes[node.id] = node
        for node in nodes:
            if node.parent and node.parent not in self.nodes:
                raise ValueError(f"taxonomy: node {node.id!r} has no parent {node.parent!r}")
        self.drug_classes: dict[str, DrugClass] = {c.name: c for c in drug_classes}
        self.strategies: dict[str, Strategy] = {}
        for strategy in strategies:
            if strategy.id in self.strategies:
                raise ValueError(f"taxonomy: duplicate strategy id {strategy.id!r}")
            for target in strategy.addresses:
                if target not in self.nodes:
                    raise ValueError(f"taxonomy: strategy {strategy.id!r} addresses {target!r}")
            for cls in strategy.drug_classes:
                if cls not in self.drug_classes:
                    raise ValueError(f"taxonomy: strategy {strategy.id!r} uses class {cls!r}")
            self.strategies[strategy.id] = strategy
        self.source: dict[str, Any] = dict(source or {})
        self.blockers: tuple[str, ...] = tuple(blockers)
        self._triggers = self._collect_triggers()
        self._matchers = _compile_triggers(self._triggers)
        self._registry: _ClassRegistry | None = None
        self._marker_genes = {
            gene.symbol.upper(): (node.id, gene) for node in nodes for gene in node.marker_genes
        }

    # -- structure

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def roots(self) -> list[Node]:
        return [n for n in self.nodes.values() if not n.parent]

    def children(self, node_id: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent == node_id]

    def is_within(self, node_id: str, ancestor_id: str) -> bool:
        """True when ``node_id`` is ``ancestor_id`` or lies below it."""
        return bool(node_id) and (node_id == ancestor_id or node_id.startswith(ancestor_id + "."))

    def ancestors(self, node_id: str) -> list[str]:
        """Ids from the root down to ``node_id`` inclusive."""
        parts = node_id.split(".")
        return [".".join(parts[: i + 1]) for i in range(len(parts))]

    def strategies_for(self, node_id: str) -> list[Strategy]:
        """Strategies addressing this node or one of its ancestors."""
        chain = set(self.ancestors(node_id))
        return [s for s in self.strategies.values() if chain.intersection(s.addresses)]

    # -- text

    def trigger_phrases(self) -> list[tuple[str, str, str, str]]:
        """(surface text, "MECHANISM", normalized factor, node id) for the NER's phrase matcher.

        Only the phrases; marker-gene symbols and aliases are left to the gene recognizer.
        """
        out: list[tuple[str, str, str, str]] = []
        seen: set[str] = set()
        for node in self.nodes.values():
            for phrase in node.triggers:
                for form in (phrase, _plural(phrase)):
                    if form and form.lower() not in seen:
                        seen.add(form.lower())
                        out.append((form, "MECHANISM", node.factor, node.id))
        return out

    def find_triggers(
        self, text: str, relation: str = "", *, genes: bool = True
    ) -> list[tuple[int, int, _Trigger]]:
        """Non-overlapping trigger matches in ``text`` (longest first at each position).

        Blocker phrases ("growth factor receptor") take part in the matching so that the
        trigger inside them ("growth factor") is not reported. ``genes=False`` leaves out
        marker-gene names.
        """
        found: list[tuple[int, int, _Trigger]] = []
        for regex, lookup, folded in self._matchers:
            for m in regex.finditer(_fold_case(text) if folded else text):
                key = m.group("t")
                trig = lookup.get(key)
                if trig is None or (trig.relation and relation and trig.relation != relation):
                    continue
                if trig.is_gene and not genes:
                    continue
                found.append((m.start(), m.end(), trig))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        kept: list[tuple[int, int, _Trigger]] = []
        for item in found:
            if kept and item[0] < kept[-1][1]:
                continue
            kept.append(item)
        return [k for k in kept if k[2].node_id]

    def class_registry(self) -> _ClassRegistry:
        """Drug classes of the YAML alone, built once."""
        if self._registry is None:
            self._registry = _ClassRegistry(self)
        return self._registry

    def marker_gene(self, gene: str) -> tuple[str, MarkerGene] | None:
        return self._marker_genes.get(gene.upper())

    def _collect_triggers(self) -> list[_Trigger]:
        triggers = [_Trigger("", p) for p in self.blockers]
        for node in self.nodes.values():
            triggers += [_Trigger(node.id, p) for p in node.triggers]
            for gene in node.marker_genes:
                triggers += [
                    _Trigger(node.id, p, gene.relation, is_gene=True)
                    for p in (gene.symbol, *gene.aliases)
                ]
        return triggers


def _plural(phrase: str) -> str:
    """The plural the phrase matcher needs ("soluble factors", "cytokines", "integrins"): it
    matches whole tokens, where ``find_triggers`` allows the ending. Empty for
    abbreviations and phrases that end in a symbol or an s."""
    if _is_case_sensitive(phrase) or not phrase[-1:].isalpha() or phrase[-1] in "sS":
        return ""
    if phrase.endswith(("x", "ch", "sh")):
        return phrase + "es"
    if phrase.endswith("y") and phrase[-2:-1] not in "aeiou":
        return phrase[:-1] + "ies"
    return phrase + "s"


def _is_case_sensitive(phrase: str) -> bool:
    """Abbreviations ("HDAC", "CAM-DR", "IL-6") must keep their case to stay unambiguous."""
    return not any(c.isspace() for c in phrase) and sum(c.isupper() for c in phrase) >= 2


def _phrase_pattern(phrases: Iterable[str]) -> str:
    alts = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return rf"(?<![{_WORD_CHAR}])(?P<t>{alts})(?:e?s)?(?![{_WORD_CHAR}])"


def _compile_triggers(
    triggers: Sequence[_Trigger],
) -> list[tuple[re.Pattern[str], dict[str, _Trigger], bool]]:
    """One case-insensitive and one case-sensitive alternation; the first listed wins ties."""
    folded: dict[str, _Trigger] = {}
    exact: dict[str, _Trigger] = {}
    for trig in triggers:
        if _is_case_sensitive(trig.phrase):
            exact.setdefault(trig.phrase, trig)
        else:
            folded.setdefault(trig.phrase.lower(), trig)
    out: list[tuple[re.Pattern[str], dict[str, _Trigger], bool]] = []
    if folded:  # run over case-folded text: four times faster than IGNORECASE
        out.append((re.compile(_phrase_pattern(folded)), folded, True))
    if exact:
        out.append((re.compile(_phrase_pattern(exact)), exact, False))
    return out


def _fold_case(text: str) -> str:
    """Lower case with the offsets kept (a character whose lower case is longer stays)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _contains_phrase(text: str, phrase: str) -> bool:
    pattern = rf"(?<![{_WORD_CHAR}]){re.escape(phrase)}(?![{_WORD_CHAR}])"
    return re.search(pattern, text, re.IGNORECASE) is not None


# --------------------------------------------------------------------------- loading


def _str_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _parse_rule(raw: Mapping[str, Any], node_id: str) -> VariantRule:
    gene = str(raw["gene"])
    span = raw.get("range")
    if span is not None and (len(span) != 2 or int(span[0]) > int(span[1])):
        raise ValueError(f"taxonomy: bad range {span!r} in {node_id!r}")
    rule = VariantRule(
        gene=gene,
        note=str(raw.get("note") or f"{gene} rule"),
        positions=frozenset(int(p) for p in raw.get("positions") or ()),
        span=(int(span[0]), int(span[1])) if span is not None else None,
        terms=_str_list(raw.get("variant_terms")),
        compound=bool(raw.get("compound", False)),
    )
    if not (rule.positions or rule.span or rule.terms):
        raise ValueError(f"taxonomy: rule for {gene} in {node_id!r} matches nothing")
    return rule


def _parse_node(raw: Mapping[str, Any]) -> Node:
    node_id = str(raw["id"])
    genes = []
    for symbol, spec in (raw.get("marker_genes") or {}).items():
        spec = spec or {}
        genes.append(
            MarkerGene(str(symbol), _str_list(spec.get("aliases")), str(spec.get("relation", "")))
        )
    return Node(
        id=node_id,
        label=str(raw.get("label") or node_id),
        description=" ".join(str(raw.get("description", "")).split()),
        factor=str(raw.get("factor") or raw.get("label") or node_id),
        in_seed=bool(raw.get("in_seed", False)),
        triggers=_str_list(raw.get("triggers")),
        marker_genes=tuple(genes),
        variant_rules=tuple(_parse_rule(r, node_id) for r in raw.get("variant_rules") or ()),
    )


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate the taxonomy YAML (default ``corpus/taxonomy.yaml``)."""
    source = Path(path) if path is not None else DEFAULT_TAXONOMY
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    nodes = [_parse_node(raw) for raw in data.get("nodes") or ()]
    if not nodes:
        raise ValueError(f"taxonomy: no nodes in {source}")
    classes = [
        DrugClass(
            name=str(name),
            aliases=_str_list((spec or {}).get("aliases")),
            members=frozenset(m.lower() for m in _str_list((spec or {}).get("members"))),
        )
        for name, spec in (data.get("drug_classes") or {}).items()
    ]
    strategies = [
        Strategy(
            id=str(raw["id"]),
            label=str(raw.get("label") or raw["id"]),
            description=" ".join(str(raw.get("description", "")).split()),
            in_seed=bool(raw.get("in_seed", False)),
            addresses=_str_list(raw.get("addresses")),
            drug_classes=_str_list(raw.get("drug_classes")),
        )
        for raw in data.get("strategies") or ()
    ]
    return Taxonomy(nodes, strategies, classes, data.get("source"), _str_list(data.get("blockers")))


def parse_refs(text: str) -> tuple[int, ...]:
    """Reference numbers as the article prints them: "5-8" -> 5,6,7,8; "9,10" -> 9,10."""
    refs: list[int] = []
    for part in re.split(r"[,;]", text.strip("[] ")):
        part = part.strip()
        if not part:
            continue
        lo, sep, hi = part.replace("–", "-").partition("-")
        if sep:
            refs.extend(range(int(lo), int(hi) + 1))
        else:
            refs.append(int(part))
    return tuple(refs)


def load_seed_claims(path: str | Path | None = None) -> list[SeedClaim]:
    """Read the seed article's structured claims (default ``corpus/seed_claims.csv``)."""
    source = Path(path) if path is not None else DEFAULT_SEED_CLAIMS
    claims: list[SeedClaim] = []
    with source.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            relation = row["relation"].strip()
            if relation not in (RESISTANCE, SENSITIVITY):
                raise ValueError(f"{source}: claim {row['claim_id']} has relation {relation!r}")
            claims.append(
                SeedClaim(
                    claim_id=row["claim_id"].strip(),
                    kind=row.get("kind", "association").strip() or "association",
                    gene=row.get("gene", "").strip(),
                    variant=row.get("variant", "").strip(),
                    factor=row.get("factor", "").strip(),
                    drugs=tuple(d.strip() for d in row["drug"].split(";") if d.strip()),
                    relation=relation,
                    disease=row.get("disease", "").strip(),
                    mechanism=row.get("mechanism", "").strip(),
                    statement=row.get("statement", "").strip(),
                    sentence=row.get("sentence", "").strip(),
                    refs=parse_refs(row.get("refs", "")),
                    refs_text=row.get("refs", "").strip(),
                )
            )
    ids = [c.claim_id for c in claims]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{source}: duplicate claim ids")
    return claims


# --------------------------------------------------------------------------- mechanism


def protein_changes(text: str) -> list[tuple[str, int, str]]:
    """(reference residue, position, alternative) for each protein change in ``text``.

    Accepts "p.T315I", "T315I", "p.Thr315Ile", "D835" and compounds ("T315I/E255K");
    the residues are one-letter codes ("" where the text gives none).
    """
    out: list[tuple[str, int, str]] = []
    for m in _PROTEIN_RE.finditer(text):
        if m.group("codon"):
            out.append(("", int(m.group("codon")), ""))
            continue
        wt = m.group("wt")
        alt = m.group("alt") or ""
        out.append(
            (
                _THREE_TO_ONE.get(wt.lower(), wt),
                int(m.group("pos")),
                _THREE_TO_ONE.get(alt.lower(), alt),
            )
        )
    return out


def gene_parts(gene: str) -> set[str]:
    """Symbols in a gene field; a fusion "BCR::ABL1" (or "BCR-ABL1") yields both partners."""
    text = gene.upper().replace("::", "-").replace("/", "-")
    parts = {p.strip() for p in text.split("-") if p.strip()}
    if "ABL" in parts:
        parts.add("ABL1")  # "BCR-ABL" is the common shorthand for the ABL1 fusion
    return parts


def _variant_rule_hit(triple: Triple, taxonomy: Taxonomy) -> tuple[str, str] | None:
    """The most specific node whose variant rule matches the triple's gene and variant."""
    genes = gene_parts(triple.gene)
    if not genes:
        return None
    variant_texts = [t for t in (triple.variant, triple.variant_text) if t]
    changes = [c for t in variant_texts for c in protein_changes(t)]
    best: tuple[tuple[int, int], str, str] | None = None
    for node in taxonomy.nodes.values():
        for rule in node.variant_rules:
            if rule.gene.upper() not in genes:
                continue
            hit = ""
            if rule.compound:  # "T315I/E255V": two residues of one allele
                residues = sorted(
                    {(pos, wt) for wt, pos, _ in changes if rule.matches_position(pos)}
                )
                if len(residues) >= 2:
                    hit = "/".join(f"{wt}{pos}" for pos, wt in residues)
            else:
                for wt, pos, _alt in changes:
                    if rule.matches_position(pos):
                        hit = f"{wt}{pos}"
                        break
            if not hit and rule.terms and any(rule.matches_term(t) for t in variant_texts):
                hit = "term"
            if not hit:
                continue
            rank = (node.depth, int(rule.is_explicit), int(rule.compound))
            if best is None or rank > best[0]:
                best = (rank, node.id, f"variant rule: {rule.note}")
    return (best[1], best[2]) if best else None


def _best_trigger(
    found: Sequence[tuple[int, int, _Trigger]], taxonomy: Taxonomy
) -> tuple[int, int, _Trigger] | None:
    """Deepest node first, then the longest phrase, then the earliest in the text."""
    if not found:
        return None
    return min(
        found,
        key=lambda f: (-taxonomy.node(f[2].node_id).depth, -(f[1] - f[0]), f[0]),
    )


def _strategy_hit(triple: Triple, taxonomy: Taxonomy) -> tuple[str, str] | None:
    """A sensitivity triple for a strategy drug falls under the mechanism the strategy treats."""
    if triple.relation != SENSITIVITY:
        return None
    drugs = {d for d in (triple.drug.lower(), triple.drug_class.lower()) if d}
    drugs.update(_split_combination(triple.combination))
    registry = taxonomy.class_registry()
    for strategy in taxonomy.strategies.values():
        for cls in strategy.drug_classes:
            for drug in sorted(drugs):
                if drug in registry.members(cls) or registry.canonical(drug) == cls:
                    return (
                        strategy.addresses[0],
                        f"strategy drug: {drug} ({cls}) addresses {strategy.addresses[0]}",
                    )
    return None


def _narrowed_by_strategy(
    triple: Triple, taxonomy: Taxonomy, found: tuple[str, str]
) -> tuple[str, str]:
    """A general factor and a drug that treats one mechanism under it: "epigenetic
    modifications ... hypomethylating agents showing promise" is about DNA methylation, the
    mechanism hypomethylating agents address."""
    node, rule = found
    strategy = _strategy_hit(triple, taxonomy)
    if strategy is None or not strategy[0].startswith(node + "."):
        return found
    return strategy[0], f"{rule}, narrowed by {strategy[1]}"


def assign_mechanism(triple: Triple, taxonomy: Taxonomy) -> tuple[str, str]:
    """(node id, the rule that decided it) for a triple; ("", reason) when nothing applies.

    Precedence, most to least direct evidence: a variant rule on the gene's protein position;
    a trigger in the variant or factor text; a marker gene; a trigger phrase in the sentence
    (marker-gene names too when the triple has no gene of its own); the strategy a
    sensitivity drug belongs to.
    """
    hit = _variant_rule_hit(triple, taxonomy)
    if hit:
        return hit
    for label, text in (
        ("factor", triple.factor),
        ("variant", triple.variant_text or triple.variant),
    ):
        best = (
            _best_trigger(taxonomy.find_triggers(text, triple.relation), taxonomy) if text else None
        )
        if best:
            return _narrowed_by_strategy(
                triple,
                taxonomy,
                (best[2].node_id, f"trigger '{text[best[0] : best[1]]}' in {label}"),
            )
    for gene in sorted(gene_parts(triple.gene)):
        marker = taxonomy.marker_gene(gene)
        if marker and (not marker[1].relation or marker[1].relation == triple.relation):
            return marker[0], f"gene rule: {gene} marks {marker[0]}"
    # Another gene named in the sentence says little about this triple's gene.
    found = taxonomy.find_triggers(triple.sentence, triple.relation, genes=not triple.gene)
    found = [f for f in found if not _describes_another_variant(triple, f[0], f[1])]
    best = _best_trigger(found, taxonomy)
    if best:
        return best[2].node_id, f"trigger '{triple.sentence[best[0] : best[1]]}'{IN_SENTENCE}"
    hit = _strategy_hit(triple, taxonomy)
    if hit:
        return hit
    return "", "no rule matched"


_OWN_WINDOW = 25  # characters between a variant and a phrase that describes it


def _describes_another_variant(triple: Triple, start: int, end: int) -> bool:
    """Whether a trigger phrase of the sentence describes another variant than the triple's:
    in "FLT3-ITD and D835Y responded, whereas the F691L gatekeeper mutation conferred
    resistance", "gatekeeper" is F691L's, not ITD's."""
    own = triple.variant_text
    if not own:
        return False
    sentence = triple.sentence
    near = sentence[max(0, start - _OWN_WINDOW) : end + _OWN_WINDOW]
    return own not in near and _PROTEIN_RE.search(near) is not None


# --------------------------------------------------------------------------- drug classes


@functools.lru_cache(maxsize=8192)  # the same few drug names, once per triple and class
def _norm_name(name: str) -> str:
    """Fold case, hyphen variants and plural endings so "TKIs" meets "TKI"."""
    text = re.sub(r"[‐-―]", "-", name.lower())
    words = []
    for word in text.split():
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def _split_combination(text: str) -> set[str]:
    if not text:
        return set()
    return {p.strip().lower() for p in re.split(r"\s*(?:\+|;|,|/|\band\b)\s*", text) if p.strip()}


class _ClassRegistry:
    """Drug classes by any of their names; the caller's members are merged over the YAML's."""

    def __init__(
        self, taxonomy: Taxonomy, class_members: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._members: dict[str, set[str]] = {}
        self._by_name: dict[str, str] = {}
        # the taxonomy's own classes, whose nesting the caller's members do not change
        self._nested = {cls.name: frozenset(cls.members) for cls in taxonomy.drug_classes.values()}
        for cls in taxonomy.drug_classes.values():
            self._members[cls.name] = set(cls.members)
            for name in (cls.name, *cls.aliases):
                self._by_name.setdefault(_norm_name(name), cls.name)
        for name, members in (class_members or {}).items():
            canonical = self._by_name.setdefault(_norm_name(name), name)
            self._members.setdefault(canonical, set()).update(m.lower() for m in members)

    def canonical(self, name: str) -> str:
        return self._by_name.get(_norm_name(name), "") if name else ""

    def members(self, name: str) -> set[str]:
        return self._members.get(self.canonical(name) or name, set())

    def covers(self, broad: str, narrow: str) -> bool:
        """A class covers a narrower one when it contains all of its members."""
        small = self.members(narrow)
        return broad != narrow and bool(small) and small <= self.members(broad)

    def in_narrower(self, broad: str, drugs: set[str]) -> bool:
        """Whether one of ``drugs`` belongs to a class the taxonomy nests in ``broad``:
        ponatinib is a third-generation TKI within "tyrosine kinase inhibitors"."""
        outer = self._nested.get(broad, frozenset())
        return any(
            narrow != broad and drugs & inner and inner <= outer
            for narrow, inner in self._nested.items()
        )


# --------------------------------------------------------------------------- reconciliation


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """How the literature stands on one seed claim."""

    claim: SeedClaim
    status: str  # corroborated | contradicted | unsupported
    supporting: tuple[Triple, ...] = ()
    contradicting: tuple[Triple, ...] = ()
    cited_pmids: tuple[str, ...] = ()
    cited_supporting_pmids: tuple[str, ...] = ()
    cited_with_triples: tuple[str, ...] = ()
    cited_support: str = "not resolved"  # supported | contradicted | not supported | not resolved

    @property
    def supporting_pmids(self) -> tuple[str, ...]:
        return _distinct(t.doc_id for t in self.supporting)

    @property
    def contradicting_pmids(self) -> tuple[str, ...]:
        return _distinct(t.doc_id for t in self.contradicting)


@dataclass(frozen=True, slots=True)
class NewFinding:
    """Literature evidence the seed article does not mention, collated by its key."""

    mechanism: str
    gene: str
    variant: str
    drug: str
    relation: str
    pmids: tuple[str, ...]
    n_triples: int
    best_confidence: float
    example_sentence: str
    mechanism_rule: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Papers disagreeing on the direction for the same gene/variant–drug pair."""

    gene: str
    variant: str
    drug: str
    mechanism: str
    resistance_pmids: tuple[str, ...]
    sensitivity_pmids: tuple[str, ...]
    resistance_example: str
    sensitivity_example: str


@dataclass(frozen=True)
class Reconciliation:
    """Seed claims against the literature, plus what the literature adds and disputes."""

    claims: tuple[ClaimResult, ...]
    new_findings: tuple[NewFinding, ...]
    conflicts: tuple[Conflict, ...]

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for result in self.claims:
            counts[result.status] += 1
        return counts

    def new_by_mechanism(self) -> dict[str, list[NewFinding]]:
        """New findings grouped by mechanism id ("" = unassigned), larger groups first."""
        groups: dict[str, list[NewFinding]] = defaultdict(list)
        for finding in self.new_findings:
            groups[finding.mechanism].append(finding)
        return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def result(self, claim_id: str) -> ClaimResult:
        for result in self.claims:
            if result.claim.claim_id == claim_id:
                return result
        raise KeyError(claim_id)


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _claim_drug_match(claim: SeedClaim, triple: Triple, registry: _ClassRegistry) -> str:
    """How the triple's drug meets the claim's: "exact", "member" (a member of a narrower
    class within the claimed one: ponatinib, a third-generation TKI, for "TKIs"), "any" (the
    claim names no particular agent), "broader" (a class-wide triple over a subclass claim)
    or "" (no match)."""
    names = [d.lower() for d in claim.drugs]
    if any(n in ANY_AGENT for n in names):
        return "any"
    if COMBINATION in names and (triple.combination or "+" in triple.drug):
        return "exact"
    drugs = {triple.drug.lower()} if triple.drug else set()
    if claim.kind == "strategy":
        drugs |= _split_combination(triple.combination)
    triple_classes = {registry.canonical(d) for d in drugs} | {
        registry.canonical(triple.drug_class)
    }
    triple_classes.discard("")
    broader = False
    for name in names:
        cls = registry.canonical(name)
        if not cls:
            if name in drugs:
                return "exact"
            continue
        if cls in triple_classes:
            return "exact"
        if drugs & registry.members(cls):
            return "member" if registry.in_narrower(cls, drugs) else "exact"
        if any(registry.covers(tc, cls) for tc in triple_classes):
            broader = True
    return "broader" if broader else ""


def _claim_subject_match(
    claim: SeedClaim, triple: Triple, mechanism: str, taxonomy: Taxonomy
) -> bool:
    if claim.gene and not (gene_parts(claim.gene) & gene_parts(triple.gene)):
        return False
    wanted = {(wt, pos, alt) for wt, pos, alt in protein_changes(claim.variant) if alt}
    if wanted:
        have = set(protein_changes(triple.variant)) | set(protein_changes(triple.variant_text))
        # a compound of the claimed change ("T315I/E255V" against "T315I") is another
        # genotype: ponatinib's failure there says nothing about T315I alone
        compound = len({pos for _, pos, _ in have}) > len({pos for _, pos, _ in wanted})
        return bool(wanted & have) and not compound
    return taxonomy.is_within(mechanism, claim.mechanism)


def _cited_status(
    claim: SeedClaim,
    supporting: Sequence[Triple],
    contradicting: Sequence[Triple],
    cited_pmids: Mapping[int, str] | None,
    mined: set[str],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    pmids = _distinct(str((cited_pmids or {}).get(r, "")) for r in claim.refs)
    if not pmids:
        return (), (), (), "not resolved"
    support = [p for p in pmids if p in {t.doc_id for t in supporting}]
    against = [p for p in pmids if p in {t.doc_id for t in contradicting}]
    with_triples = tuple(p for p in pmids if p in mined)
    if support:
        status = "supported"
    elif against:
        status = "contradicted"
    else:
        status = "not supported"
    return pmids, tuple(support), with_triples, status


def _contradicts(triple: Triple, how: str, same_relation: bool) -> bool:
    """Whether a matching triple speaks against the claim.

    A denial of the claimed relation does. The opposite relation does only for a claim about
    particular drugs: "factor X → sensitivity to drug Y" usually means Y targets X, which does
    not dispute "X → resistance to various agents". Class-wide triples never do, nor does a
    member of a narrower class within the claimed one: "T315I → ponatinib sensitivity" is
    the exception the third generation makes to "kinase-domain mutations → TKI resistance".
    Nor does a member inferred from a class: it is the class's triple, the authors' shorthand.
    """
    if triple.inferred_from_class:
        return False
    if same_relation:
        return triple.negated and how not in ("broader", "member")
    return not triple.negated and how == "exact"


def _status(n_support: int, n_against: int) -> str:
    if n_support == 0 and n_against == 0:
        return "unsupported"
    return "corroborated" if n_support >= n_against else "contradicted"


def _subject_key(triple: Triple) -> str:
    return triple.variant or triple.factor


def reconcile(
    triples: Iterable[Triple],
    claims: Sequence[SeedClaim],
    taxonomy: Taxonomy,
    *,
    cited_pmids: Mapping[int, str] | None = None,
    class_members: Mapping[str, Sequence[str]] | None = None,
) -> Reconciliation:
    """Compare literature triples with the seed claims.

    A triple bears on a claim when its gene (fusion partners count), its variant (a named
    protein change) or else its mechanism (within the claim's node) and its drug (the drug, a
    member of the claimed class, or the class itself) match. Same relation and not negated
    supports; the same relation negated contradicts, and so does the opposite relation when the
    claim names its drugs (not for "various agents"). A class-wide triple ("TKIs"), and a
    member inferred from it, only ever supports a claim about a narrower class, since authors
    often mean the earlier generations.
    ``cited_pmids`` maps the article's reference numbers to PMIDs so each claim says whether
    the papers it cites support it; ``class_members`` adds or extends drug classes (e.g. from
    the NER's class lexicon).
    """
    items = list(triples)
    for claim in claims:
        if claim.mechanism and claim.mechanism not in taxonomy.nodes:
            raise ValueError(f"claim {claim.claim_id}: unknown mechanism {claim.mechanism!r}")
    registry = _ClassRegistry(taxonomy, class_members)
    assigned: list[tuple[str, str]] = [
        (t.mechanism, t.mechanism_rule or "given") if t.mechanism else assign_mechanism(t, taxonomy)
        for t in items
    ]
    mined = {t.doc_id for t in items}
    matched = [False] * len(items)
    results: list[ClaimResult] = []
    for claim in claims:
        support: list[Triple] = []
        against: list[Triple] = []
        for i, triple in enumerate(items):
            if not _claim_subject_match(claim, triple, assigned[i][0], taxonomy):
                continue
            how = _claim_drug_match(claim, triple, registry)
            if not how:
                continue
            same = triple.relation == claim.relation
            if same and not triple.negated:
                support.append(triple)
                matched[i] = True
            elif _contradicts(triple, how, same):
                against.append(triple)
                matched[i] = True
        cited, cited_support, with_triples, cited_status = _cited_status(
            claim, support, against, cited_pmids, mined
        )
        results.append(
            ClaimResult(
                claim=claim,
                status=_status(
                    len(_distinct(t.doc_id for t in support)),
                    len(_distinct(t.doc_id for t in against)),
                ),
                supporting=tuple(support),
                contradicting=tuple(against),
                cited_pmids=cited,
                cited_supporting_pmids=cited_support,
                cited_with_triples=with_triples,
                cited_support=cited_status,
            )
        )
    new = _new_findings(
        [(t, assigned[i]) for i, t in enumerate(items) if not matched[i] and not t.negated]
    )
    return Reconciliation(tuple(results), tuple(new), tuple(_conflicts(items, assigned)))


def _new_findings(rows: Sequence[tuple[Triple, tuple[str, str]]]) -> list[NewFinding]:
    groups: dict[tuple[str, str, str, str, str], list[tuple[Triple, tuple[str, str]]]] = (
        defaultdict(list)
    )
    for triple, mech in rows:
        key = (mech[0], triple.gene, _subject_key(triple), triple.drug, triple.relation)
        groups[key].append((triple, mech))
    findings = []
    for (mechanism, gene, variant, drug, relation), members in groups.items():
        best = max(members, key=lambda m: m[0].confidence)
        findings.append(
            NewFinding(
                mechanism=mechanism,
                gene=gene,
                variant=variant,
                drug=drug,
                relation=relation,
                pmids=_distinct(t.doc_id for t, _ in members),
                n_triples=len(members),
                best_confidence=best[0].confidence,
                example_sentence=best[0].sentence,
                mechanism_rule=best[1][1],
            )
        )
    findings.sort(key=lambda f: (-len(f.pmids), f.mechanism, f.gene, f.variant, f.drug))
    return findings


def _conflicts(items: Sequence[Triple], assigned: Sequence[tuple[str, str]]) -> list[Conflict]:
    """Same gene/variant (or factor)–drug pair, both directions asserted by ≥2 papers in all."""
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, triple in enumerate(items):
        if triple.negated or not triple.drug or not (triple.gene or _subject_key(triple)):
            continue
        groups[(triple.gene, _subject_key(triple), triple.drug)].append(i)
    out: list[Conflict] = []
    for (gene, variant, drug), idx in groups.items():
        res = [items[i] for i in idx if items[i].relation == RESISTANCE]
        sen = [items[i] for i in idx if items[i].relation == SENSITIVITY]
        if not res or not sen or len({t.doc_id for t in res + sen}) < 2:
            continue
        mechs = [assigned[i][0] for i in idx if assigned[i][0]]
        out.append(
            Conflict(
                gene=gene,
                variant=variant,
                drug=drug,
                mechanism=max(set(mechs), key=mechs.count) if mechs else "",
                resistance_pmids=_distinct(t.doc_id for t in res),
                sensitivity_pmids=_distinct(t.doc_id for t in sen),
                resistance_example=max(res, key=lambda t: t.confidence).sentence,
                sensitivity_example=max(sen, key=lambda t: t.confidence).sentence,
            )
        )
    out.sort(key=lambda c: (-(len(c.resistance_pmids) + len(c.sensitivity_pmids)), c.gene, c.drug))
    return out
