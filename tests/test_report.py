"""report.html: self-contained, safe embedding, and it works in a real headless Chromium."""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from litmine.export import write_exports
from litmine.report import build_report_data, embed_json, write_report
from litmine.taxonomy import Taxonomy, assign_mechanism, load_seed_claims, load_taxonomy, reconcile
from litmine.types import Triple

HOSTILE = (
    'T315I </script><script>window.__pwned = 1</script><!-- & "quotes" \u2028 stays sensitive.'
)


def triple(doc_id: str, gene: str, variant: str, drug: str, relation: str, **kw: Any) -> Triple:
    fields: dict[str, Any] = {
        "doc_id": doc_id,
        "gene": gene,
        "gene_id": "",
        "variant": variant,
        "drug": drug,
        "relation": relation,
        "negated": False,
        "disease": "chronic myeloid leukemia",
        "mechanism": "",
        "confidence": 0.7,
        "sentence": f"{gene} {variant} and {drug}: {relation}.",
        "year": 2010,
    }
    fields.update(kw)
    return Triple(**fields)


def sample_triples() -> list[Triple]:
    items = [
        triple("1001", "BCR::ABL1", "p.T315I", "imatinib", "resistance", year=2005),
        triple("1002", "BCR::ABL1", "p.T315I", "nilotinib", "resistance", year=2008),
        triple("1003", "BCR::ABL1", "p.T315I", "ponatinib", "sensitivity", year=2012),
        triple("1004", "BCR::ABL1", "p.T315I", "ponatinib", "resistance", year=2016),
        triple("1005", "FLT3", "p.D835Y", "quizartinib", "resistance", year=2012),
        triple("1006", "FLT3", "p.F691L", "gilteritinib", "resistance", year=2019, confidence=0.9),
        triple("1007", "ABCB1", "", "daunorubicin", "resistance", year=2001),
        triple("1008", "", "", "cytarabine", "resistance", factor="DNA methylation", year=2014),
        triple("1009", "BCR::ABL1", "p.E255K", "dasatinib", "sensitivity", negated=True),
        triple("1010", "BCR::ABL1", "p.T315I", "ponatinib", "sensitivity", sentence=HOSTILE),
        triple("doc-a", "KIT", "p.D816V", "avapritinib", "sensitivity", year=None),
    ]
    return items


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture()
def report_path(tmp_path: Path, taxonomy: Taxonomy) -> Path:
    items = sample_triples()
    rec = reconcile(items, load_seed_claims(), taxonomy, cited_pmids={5: "1001"})
    paths = write_exports(tmp_path, items, rec, previous=items[:4])
    return write_report(
        tmp_path, items, rec, taxonomy, changelog=paths["changelog.csv"], run_info={"run_id": "t1"}
    )


def embedded_data(html: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_embed_json_cannot_close_the_script() -> None:
    text = embed_json({"s": HOSTILE})
    assert "</script" not in text.lower() and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": HOSTILE}


def test_report_is_self_contained(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    assert html.count("<script") == 2  # the data block and the inline script; nothing injected
    assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=", html)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html)
    assert "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html
    assert embedded_data(html)["triples"][9][10] == HOSTILE  # the sentence survives verbatim


def test_report_data_counts(report_path: Path, taxonomy: Taxonomy) -> None:
    data = embedded_data(report_path.read_text(encoding="utf-8"))
    assert data["meta"]["n_triples"] == 11 and data["meta"]["n_docs"] == 11
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["genetic.kinase_domain_mutation.gatekeeper"]["n"] == 6
    assert nodes["genetic"]["n"] >= nodes["genetic.kinase_domain_mutation"]["n"] == 9
    assert nodes["epigenetic.dna_methylation"]["docs"] == 1
    claims = {c["id"]: c for c in data["claims"]}
    assert claims["S02"]["status"] == "corroborated" and claims["S02"]["support"] == [
        "1001",
        "1002",
    ]
    assert claims["S02"]["cited_support"] == "supported"
    assert data["changelog"]["available"] and data["changelog"]["added"] == 7
    assert [c["drug"] for c in data["conflicts"]] == ["ponatinib"]


def test_changelog_from_previous_triples(taxonomy: Taxonomy) -> None:
    items = sample_triples()
    rec = reconcile(items, load_seed_claims(), taxonomy)
    data = build_report_data(items, rec, taxonomy, changelog=items[:10])
    assert [r[2] for r in data["changelog"]["rows"]] == ["doc-a"]
    assert not build_report_data(items, rec, taxonomy)["changelog"]["available"]


def test_mechanisms_filled_in_for_the_page(taxonomy: Taxonomy) -> None:
    t = triple("1", "BCR::ABL1", "p.T315I", "imatinib", "resistance")
    data = build_report_data([t], reconcile([t], [], taxonomy), taxonomy)
    mechanism = data["triples"][0][data["columns"].index("mechanism")]
    assert (
        mechanism == assign_mechanism(t, taxonomy)[0] == "genetic.kinase_domain_mutation.gatekeeper"
    )


# ------------------------------------------------------------------ headless Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

    The pipe needs no port, no websocket library and no network: Chromium reads commands on
    fd 3 and writes replies on fd 4, each a JSON message ending in a NUL byte.
    """

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_pipes() -> None:
            # Copies first: the pipe ends may themselves be fds 3 and 4.
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        args = [binary, "--headless", "--no-sandbox", "--disable-gpu"]
        args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
        args += ["--no-first-run", "--remote-debugging-pipe", f"--user-data-dir={profile}"]
        args += ["--window-size=1400,1000", "about:blank"]
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            args,
            preexec_fn=wire_pipes,  # noqa: PLW1509 - single-threaded test process
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def close(self) -> None:
        for fd in (self._to_chrome, self._from_chrome):
            os.close(fd)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise ConnectionError("Chromium closed the pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def call(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._read_message(deadline))

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000,
                  deviceScaleFactor=1, mobile=False)  # fmt: skip
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def problems(self) -> list[str]:
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(f"log: {params['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                out.append(f"dialog: {params.get('message')}")
        return out

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[DevTools]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    tools = DevTools(CHROMIUM, tmp_path / "profile")
    try:
        yield tools
    finally:
        tools.close()


def _rows(tools: DevTools, column: int) -> list[str]:
    return tools.js(
        f"[...document.querySelectorAll('#triple-table tbody tr')]"
        f".map(r => r.children[{column}] ? r.children[{column}].textContent : '')"
    )


def _settle(tools: DevTools) -> None:
    time.sleep(0.3)  # the search box waits 120 ms after the last keystroke
    tools.js("1")


@pytest.mark.slow
def test_report_in_headless_chromium(
    browser: DevTools, report_path: Path, taxonomy: Taxonomy
) -> None:
    browser.open(report_path.as_uri())
    assert browser.js("document.body.dataset.ready") == "true"
    assert (
        browser.js("document.querySelectorAll('#claims-table tbody tr[data-claim]').length") == 16
    )
    assert browser.js("document.querySelectorAll('#chart-mech rect').length") >= 3
    assert browser.js("document.querySelectorAll('#chart-years rect').length") >= 5
    assert browser.js("document.querySelectorAll('#tree .row').length") == len(taxonomy.nodes)
    assert browser.js("document.getElementById('triple-count').textContent") == "11 of 11 triples"
    assert browser.js("window.__pwned === undefined")
    hostile = browser.js("[...document.querySelectorAll('td.sentence')].map(t => t.textContent)")
    assert HOSTILE in hostile

    # Sort by drug: ascending, then descending on a second click.
    browser.js("document.querySelector('#triple-table th[data-key=drug]').click()")
    drugs = _rows(browser, 4)
    assert drugs == sorted(drugs) and drugs[0] == "avapritinib"
    browser.js("document.querySelector('#triple-table th[data-key=drug]').click()")
    assert _rows(browser, 4) == sorted(drugs, reverse=True)
    assert browser.js("document.querySelector('th[data-key=drug]').getAttribute('aria-sort')") == (
        "descending"
    )

    # Free-text search, then the relation filter on top of it.
    browser.js(
        "{ const s = document.getElementById('triple-search'); s.value = 'ponatinib';"
        "s.dispatchEvent(new Event('input')); }"
    )
    _settle(browser)
    assert set(_rows(browser, 4)) == {"ponatinib"} and len(_rows(browser, 4)) == 3
    browser.js(
        "{ const r = document.getElementById('filter-relation'); r.value = 'sensitivity';"
        "r.dispatchEvent(new Event('change')); }"
    )
    assert len(_rows(browser, 0)) == 2
    assert browser.js("document.getElementById('triple-count').textContent") == "2 of 11 triples"

    # Clicking a taxonomy node filters the table to that mechanism.
    browser.js(
        "{ const s = document.getElementById('triple-search'); s.value = '';"
        "s.dispatchEvent(new Event('input'));"
        "const r = document.getElementById('filter-relation'); r.value = '';"
        "r.dispatchEvent(new Event('change'));"
        "document.querySelector('.row[data-node=\"pharmacological.drug_efflux\"]').click(); }"
    )
    _settle(browser)
    assert _rows(browser, 2) == ["ABCB1"]

    # A claim row opens its evidence.
    browser.js("document.querySelector('tr[data-claim=S03]').click()")
    assert browser.js("document.querySelector('tr[data-claim=S03]').nextSibling.hidden") is False

    shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
    png = base64.b64decode(shot["data"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    if os.environ.get("LITMINE_REPORT_SCREENSHOT"):
        Path(os.environ["LITMINE_REPORT_SCREENSHOT"]).write_bytes(png)

    assert browser.problems() == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in browser.requests())
