"use strict";
(function () {
  const D = JSON.parse(document.getElementById("report-data").textContent);
  const NODES = new Map(D.nodes.map((n) => [n.id, n]));
  const COL = Object.fromEntries(D.columns.map((c, i) => [c, i]));
  const PAGE = 100;
  const SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === "") continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function pmidLink(id) {
    return /^\d+$/.test(id)
      ? el("a", { href: "https://pubmed.ncbi.nlm.nih.gov/" + id + "/", target: "_blank", rel: "noopener noreferrer", text: id })
      : el("span", { text: id });
  }
  function pmidList(ids, limit) {
    const shown = ids.slice(0, limit || 12);
    const span = el("span", { class: "pmids" }, shown.flatMap((id) => [pmidLink(id), " "]));
    if (ids.length > shown.length) span.append(" +" + (ids.length - shown.length) + " more");
    if (!ids.length) span.append("—");
    return span;
  }
  function mechLabel(id) {
    if (!id) return "unassigned";
    const n = NODES.get(id);
    return n ? n.label : id;
  }
  function mechCell(id) {
    return el("span", { class: "mech", title: id || "" , text: id ? mechLabel(id) : "—" });
  }
  function rel(relation, negated) {
    return el("span", {}, el("span", { class: "rel " + relation, text: relation }), negated ? el("span", { class: "neg", text: "negated" }) : null);
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function highlighted(sentence, terms) {
    const frag = document.createDocumentFragment();
    const uniq = [...new Set(terms.filter((t) => t && t.length > 1))].sort((a, b) => b.length - a.length);
    if (!uniq.length) { frag.append(sentence); return frag; }
    const re = new RegExp(uniq.map(escapeRe).join("|"), "gi");
    let last = 0;
    for (const m of sentence.matchAll(re)) {
      frag.append(sentence.slice(last, m.index), el("mark", { text: m[0] }));
      last = m.index + m[0].length;
    }
    frag.append(sentence.slice(last));
    return frag;
  }
  function root(id) { return id ? id.split(".")[0] : ""; }
  function within(id, anc) { return id === anc || (id || "").startsWith(anc + "."); }
  const FAMILY = { genetic: "#7c3aed", epigenetic: "#0f766e", microenvironment: "#b45309", pharmacological: "#be185d" };

  // ---------------------------------------------------------------- overview
  function overview() {
    const m = D.meta;
    document.getElementById("subtitle").textContent =
      "Generated " + m.generated + (m.run_label ? " · " + m.run_label : "");
    const counts = m.status_counts;
    const cards = [
      ["", m.n_triples, "triples"],
      ["", m.n_docs, "papers (PMIDs)"],
      ["", m.n_pairs, "distinct gene/variant–drug findings"],
      ["ok", counts.corroborated, "seed claims corroborated"],
      ["bad", counts.contradicted, "seed claims contradicted"],
      ["none", counts.unsupported, "seed claims without evidence"],
      ["", D.conflicts.length, "conflicts between papers"],
      ["", m.n_new, "new findings beyond the seed"],
    ];
    const box = document.getElementById("cards");
    for (const [cls, v, k] of cards) box.append(el("div", { class: "card " + cls }, el("div", { class: "v", text: v }), el("div", { class: "k", text: k })));
    const note = document.getElementById("source-note");
    note.textContent = "Seed: " + (m.source.citation || "") + (m.source.doi ? " DOI " + m.source.doi + "." : "");
    const info = Object.entries(m.run_info || {}).map(([k, v]) => k + ": " + v).join(" · ");
    document.getElementById("footer").textContent = "litmine report" + (info ? " · " + info : "") + " · self-contained file, no network access needed.";
  }

  // ---------------------------------------------------------------- claims
  function claims() {
    const body = document.querySelector("#claims-table tbody");
    for (const c of D.claims) {
      const detail = el("tr", { class: "detail", hidden: "hidden" });
      const cell = el("td", { colspan: "9" });
      cell.append(
        el("div", { class: "seed-quote", text: "“" + c.sentence + "”" + (c.refs ? " [" + c.refs + "]" : "") }),
        el("div", {}, el("b", { text: "Our reading: " }), c.statement),
        el("div", {}, el("b", { text: "Supporting papers: " }), pmidList(c.support, 40)),
        el("div", {}, el("b", { text: "Contradicting papers: " }), pmidList(c.against, 40)),
      );
      if (c.cited.length) {
        cell.append(el("div", {}, el("b", { text: "Cited references → PMIDs: " }), pmidList(c.cited), " — " + c.cited_support +
          " (" + c.cited_with_triples.length + " of " + c.cited.length + " yielded any triple)"));
      }
      if (c.evidence.length) {
        cell.append(el("ul", { class: "evidence" }, c.evidence.map((e) =>
          el("li", {}, el("span", { class: "rel " + e.relation, text: e.side === "for" ? "for" : "against" }), " ", pmidLink(e.doc_id), " ", e.sentence))));
      }
      detail.append(cell);
      const row = el("tr", { class: "clickable", "data-claim": c.id, onclick: () => { detail.hidden = !detail.hidden; } },
        el("td", { text: c.id }),
        el("td", {}, el("span", { class: "badge " + c.status, text: c.status })),
        el("td", { text: c.subject || "—" }),
        el("td", { text: c.drug }),
        el("td", {}, rel(c.relation, false)),
        el("td", {}, mechCell(c.mechanism)),
        el("td", { class: "num", text: c.support.length }),
        el("td", { class: "num", text: c.against.length }),
        el("td", { text: c.refs ? "[" + c.refs + "] " + c.cited_support : "none cited" }));
      body.append(row, detail);
    }
  }

  // ---------------------------------------------------------------- taxonomy
  let activeRow = null;
  function tree() {
    const max = Math.max(1, ...D.nodes.map((n) => n.n));
    function item(node) {
      const kids = D.nodes.filter((n) => n.parent === node.id);
      const row = el("div", { class: "row", "data-node": node.id, title: node.id,
        onclick: (ev) => { ev.preventDefault(); filterMechanism(node.id, row); } },
        el("span", { class: "label" }, node.label, node.in_seed ? null : el("span", { class: "tag off", text: "not in seed" })),
        el("span", { class: "bar", style: "width:" + Math.max(2, Math.round(220 * node.n / max)) + "px;background:" + (FAMILY[root(node.id)] || "#94a3b8") }),
        el("span", { class: "cnt", text: node.n + " triples · " + node.docs + " papers" }));
      const desc = el("div", { class: "desc" }, node.description,
        node.strategies.length ? el("span", {}, " Strategies: ", node.strategies.map((s) => el("span", { class: "tag", text: s }))) : null);
      if (!kids.length) return el("li", { class: "leaf" }, row, desc);
      return el("li", {}, el("details", { open: node.depth < 2 ? "open" : null }, el("summary", {}, row), desc, el("ul", {}, kids.map(item))));
    }
    document.getElementById("tree").append(el("ul", {}, D.nodes.filter((n) => !n.parent).map(item)));
    const box = document.getElementById("strategies");
    for (const s of D.strategies) {
      box.append(el("div", { class: "strategy" }, el("b", {}, s.label, s.in_seed ? null : el("span", { class: "tag off", text: "not in seed" })),
        s.description, el("div", { class: "mech", text: "addresses: " + s.addresses.map(mechLabel).join(", ") }),
        s.classes.length ? el("div", { class: "mech", text: "drugs: " + s.classes.join(", ") }) : null));
    }
  }
  function filterMechanism(id, row) {
    const select = document.getElementById("filter-mechanism");
    select.value = id;
    if (activeRow) activeRow.classList.remove("active");
    activeRow = row; if (row) row.classList.add("active");
    state.page = 0; render();
    document.getElementById("triples").scrollIntoView({ behavior: "smooth" });
  }

  // ---------------------------------------------------------------- charts
  function emptyChart(box, w) {
    const s = svg("svg", { viewBox: "0 0 " + w + " 40", width: "100%" });
    s.append(svg("text", { x: 10, y: 25, class: "empty" }, "No evidence to chart."));
    box.append(s);
  }
  function hbars(box, rows, opts) {
    // rows: [{label, color?, parts:[{v, color, title}]}]
    const w = 560, lh = 20, left = opts.left || 210, top = 4;
    if (!rows.length) return emptyChart(box, w);
    const max = Math.max(1, ...rows.map((r) => r.parts.reduce((a, p) => a + p.v, 0)));
    const s = svg("svg", { viewBox: "0 0 " + w + " " + (rows.length * lh + top + 4), width: "100%", role: "img" });
    rows.forEach((r, i) => {
      const y = top + i * lh;
      const label = r.label.length > 34 ? r.label.slice(0, 33) + "…" : r.label;
      s.append(svg("text", { x: left - 6, y: y + 13, "text-anchor": "end" }, label));
      let x = left;
      let total = 0;
      for (const p of r.parts) {
        if (!p.v) continue;
        const bw = Math.max(1, (w - left - 40) * p.v / max);
        const rect = svg("rect", { x: x, y: y + 3, width: bw, height: lh - 7, rx: 2, fill: p.color });
        rect.append(svg("title", {}, r.label + ": " + p.title));
        s.append(rect);
        x += bw; total += p.v;
      }
      s.append(svg("text", { x: x + 4, y: y + 13 }, String(total)));
    });
    box.append(s);
  }
  function charts() {
    const rows = D.triples;
    const byMech = new Map();
    for (const t of rows) {
      const m = t[COL.mechanism];
      const key = m ? m.split(".").slice(0, 2).join(".") : "";
      byMech.set(key, (byMech.get(key) || 0) + 1);
    }
    const mechRows = [...byMech.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({
      label: k ? mechLabel(k) : "(unassigned)",
      parts: [{ v: v, color: FAMILY[root(k)] || "#94a3b8", title: v + " triples" }],
    }));
    hbars(document.getElementById("chart-mech"), mechRows, { left: 230 });

    const pairs = new Map();
    for (const t of rows) {
      if (t[COL.negated]) continue;
      const subject = t[COL.variant] || t[COL.factor];
      const key = [t[COL.gene], subject, t[COL.drug]].filter(Boolean).join(" · ");
      if (!pairs.has(key)) pairs.set(key, { resistance: new Set(), sensitivity: new Set() });
      const p = pairs.get(key);
      if (p[t[COL.relation]]) p[t[COL.relation]].add(t[COL.doc_id]);
    }
    const pairRows = [...pairs.entries()]
      .map(([k, p]) => ({ k: k, r: p.resistance.size, s: p.sensitivity.size }))
      .sort((a, b) => (b.r + b.s) - (a.r + a.s) || a.k.localeCompare(b.k)).slice(0, 15)
      .map((p) => ({ label: p.k, parts: [
        { v: p.r, color: "#c2410c", title: p.r + " papers report resistance" },
        { v: p.s, color: "#1d4ed8", title: p.s + " papers report sensitivity" }] }));
    hbars(document.getElementById("chart-pairs"), pairRows, { left: 250 });

    const years = new Map();
    for (const t of rows) {
      const y = t[COL.year];
      if (y === null || y === undefined || y === "") continue;
      if (!years.has(y)) years.set(y, { resistance: new Set(), sensitivity: new Set() });
      const slot = years.get(y)[t[COL.relation]];
      if (slot) slot.add(t[COL.doc_id]);
    }
    const box = document.getElementById("chart-years");
    if (!years.size) return emptyChart(box, 1100);
    const ys = [...years.keys()].map(Number);
    const lo = Math.min(...ys), hi = Math.max(...ys);
    const w = 1100, h = 190, left = 34, bottom = 22, n = hi - lo + 1;
    const max = Math.max(1, ...[...years.values()].map((v) => v.resistance.size + v.sensitivity.size));
    const bw = (w - left - 10) / n;
    const s = svg("svg", { viewBox: "0 0 " + w + " " + h, width: "100%", role: "img" });
    for (const frac of [0, 0.5, 1]) {
      const y = h - bottom - (h - bottom - 10) * frac;
      s.append(svg("line", { x1: left, x2: w - 10, y1: y, y2: y, stroke: "#e2e8f0" }));
      s.append(svg("text", { x: left - 4, y: y + 4, "text-anchor": "end" }, String(Math.round(max * frac))));
    }
    for (let year = lo; year <= hi; year++) {
      const v = years.get(year) || years.get(String(year));
      const x = left + (year - lo) * bw;
      let base = h - bottom;
      if (v) {
        for (const [relation, color] of [["resistance", "#c2410c"], ["sensitivity", "#1d4ed8"]]) {
          const c = v[relation].size;
          if (!c) continue;
          const bh = (h - bottom - 10) * c / max;
          const rect = svg("rect", { x: x + 1, y: base - bh, width: Math.max(1, bw - 2), height: bh, fill: color });
          rect.append(svg("title", {}, year + ": " + c + " papers, " + relation));
          s.append(rect);
          base -= bh;
        }
      }
      if (n <= 30 || (year - lo) % Math.ceil(n / 30) === 0) {
        s.append(svg("text", { x: x + bw / 2, y: h - 6, "text-anchor": "middle" }, String(year)));
      }
    }
    box.append(s);
  }

  // ---------------------------------------------------------------- conflicts, new, changelog
  function conflicts() {
    const body = document.querySelector("#conflicts-table tbody");
    if (!D.conflicts.length) {
      body.append(el("tr", {}, el("td", { colspan: "6", class: "empty-msg", text: "No conflicting reports." })));
      return;
    }
    for (const c of D.conflicts) {
      body.append(el("tr", {},
        el("td", { text: c.gene || "—" }), el("td", { text: c.variant || "—" }), el("td", { text: c.drug }),
        el("td", {}, mechCell(c.mechanism)),
        el("td", {}, pmidList(c.resistance_pmids), el("div", { class: "note", text: c.resistance_example })),
        el("td", {}, pmidList(c.sensitivity_pmids), el("div", { class: "note", text: c.sensitivity_example }))));
    }
  }
  function newFindings() {
    const box = document.getElementById("new-groups");
    if (!D.new.length) { box.append(el("p", { class: "empty-msg", text: "Every literature finding matches a seed claim." })); return; }
    D.new.forEach((g, i) => {
      const table = el("table", { class: "grid" }, el("thead", {}, el("tr", {},
        ["Gene", "Variant / factor", "Drug", "Relation", "Papers", "Example"].map((h) => el("th", { text: h })))));
      const body = el("tbody");
      for (const f of g.findings.slice(0, 200)) {
        body.append(el("tr", {}, el("td", { text: f.gene || "—" }), el("td", { text: f.variant || "—" }), el("td", { text: f.drug }),
          el("td", {}, rel(f.relation, false)), el("td", {}, pmidList(f.pmids, 6)), el("td", { class: "sentence", text: f.example_sentence })));
      }
      table.append(body);
      box.append(el("details", { class: "group", open: i < 2 ? "open" : null },
        el("summary", {}, (g.mechanism ? mechLabel(g.mechanism) : "No mechanism assigned") + " — " + g.findings.length + " findings"), table));
    });
  }
  function changelog() {
    const box = document.getElementById("changelog-body");
    const c = D.changelog;
    if (!c.available) { box.append(el("p", { class: "empty-msg", text: "No previous run to compare with." })); return; }
    if (!c.rows.length) { box.append(el("p", { class: "empty-msg", text: "No changes since the previous run." })); return; }
    const idx = Object.fromEntries(c.columns.map((k, i) => [k, i]));
    const table = el("table", { class: "grid", id: "changelog-table" }, el("thead", {}, el("tr", {},
      ["Change", "PMID", "Gene", "Variant / factor", "Drug", "Relation", "Sentence"].map((h) => el("th", { text: h })))));
    const body = el("tbody");
    for (const r of c.rows.slice(0, 500)) {
      body.append(el("tr", {}, el("td", { text: r[idx.change] }), el("td", {}, pmidLink(String(r[idx.doc_id]))), el("td", { text: r[idx.gene] || "—" }),
        el("td", { text: r[idx.variant] || r[idx.factor] || "—" }), el("td", { text: r[idx.drug] }),
        el("td", {}, rel(r[idx.relation], r[idx.negated])), el("td", { class: "sentence", text: r[idx.sentence] })));
    }
    table.append(body);
    box.append(el("p", { class: "note", text: c.rows.length + " changes (" + c.added + " added, " + c.removed + " removed)." }), table);
  }

  // ---------------------------------------------------------------- evidence table
  const state = { key: "confidence", dir: -1, page: 0, rows: [] };
  const HAY = D.triples.map((t) => [t[COL.doc_id], t[COL.gene], t[COL.variant], t[COL.factor], t[COL.drug], t[COL.drug_class],
    t[COL.disease], t[COL.mechanism], mechLabel(t[COL.mechanism]), t[COL.relation], t[COL.sentence]].join(" ").toLowerCase());

  function currentRows() {
    const terms = document.getElementById("triple-search").value.toLowerCase().split(/\s+/).filter(Boolean);
    const relation = document.getElementById("filter-relation").value;
    const mech = document.getElementById("filter-mechanism").value;
    const withNeg = document.getElementById("filter-negated").checked;
    const out = [];
    D.triples.forEach((t, i) => {
      if (relation && t[COL.relation] !== relation) return;
      if (!withNeg && t[COL.negated]) return;
      if (mech === "__none__" ? t[COL.mechanism] : mech && !within(t[COL.mechanism], mech)) return;
      if (terms.some((term) => !HAY[i].includes(term))) return;
      out.push(i);
    });
    const k = COL[state.key];
    const numeric = state.key === "year" || state.key === "confidence";
    out.sort((a, b) => {
      let x = D.triples[a][k], y = D.triples[b][k];
      let c;
      if (numeric) c = (x === null || x === "" ? -Infinity : Number(x)) - (y === null || y === "" ? -Infinity : Number(y));
      else if (state.key === "doc_id" && /^\d+$/.test(x) && /^\d+$/.test(y)) c = Number(x) - Number(y);
      else c = String(x || "").localeCompare(String(y || ""));
      return c * state.dir || a - b;
    });
    return out;
  }
  function render() {
    state.rows = currentRows();
    const pages = Math.max(1, Math.ceil(state.rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const body = document.querySelector("#triple-table tbody");
    body.replaceChildren();
    for (const i of state.rows.slice(state.page * PAGE, (state.page + 1) * PAGE)) {
      const t = D.triples[i];
      const subject = t[COL.variant] || t[COL.factor];
      body.append(el("tr", { "data-index": i },
        el("td", {}, pmidLink(t[COL.doc_id])),
        el("td", { class: "num", text: t[COL.year] === null ? "" : t[COL.year] }),
        el("td", { text: t[COL.gene] || "—" }),
        el("td", { text: subject || "—" }),
        el("td", { text: t[COL.drug] + (t[COL.combination] ? " + " + t[COL.combination] : "") }),
        el("td", {}, rel(t[COL.relation], t[COL.negated])),
        el("td", { title: t[COL.mechanism_rule] || "" }, mechCell(t[COL.mechanism])),
        el("td", { class: "num", text: Number(t[COL.confidence]).toFixed(2) }),
        el("td", { class: "sentence" }, highlighted(t[COL.sentence], [t[COL.gene_text], t[COL.variant_text], t[COL.drug_text], t[COL.factor]]))));
    }
    if (!state.rows.length) body.append(el("tr", {}, el("td", { colspan: "9", class: "empty-msg", text: "No evidence matches the filters." })));
    document.getElementById("triple-count").textContent = state.rows.length + " of " + D.triples.length + " triples";
    document.getElementById("page-info").textContent = "page " + (state.page + 1) + " of " + pages;
    document.getElementById("page-prev").disabled = state.page === 0;
    document.getElementById("page-next").disabled = state.page >= pages - 1;
    for (const th of document.querySelectorAll("#triple-table th[data-key]")) {
      th.setAttribute("aria-sort", th.dataset.key === state.key ? (state.dir > 0 ? "ascending" : "descending") : "none");
    }
  }
  function csvCell(v) {
    const s = v === null || v === undefined ? "" : typeof v === "boolean" ? String(v) : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function evidenceTable() {
    const select = document.getElementById("filter-mechanism");
    for (const n of D.nodes) select.append(el("option", { value: n.id, text: "  ".repeat(n.depth - 1) + n.label }));
    select.append(el("option", { value: "__none__", text: "(unassigned)" }));
    for (const th of document.querySelectorAll("#triple-table th[data-key]")) {
      th.addEventListener("click", () => {
        const key = th.dataset.key;
        state.dir = state.key === key ? -state.dir : (key === "year" || key === "confidence" ? -1 : 1);
        state.key = key; render();
      });
    }
    let timer = null;
    document.getElementById("triple-search").addEventListener("input", () => {
      clearTimeout(timer); timer = setTimeout(() => { state.page = 0; render(); }, 120);
    });
    for (const id of ["filter-relation", "filter-mechanism", "filter-negated"]) {
      document.getElementById(id).addEventListener("change", () => { state.page = 0; render(); });
    }
    document.getElementById("page-prev").addEventListener("click", () => { state.page--; render(); });
    document.getElementById("page-next").addEventListener("click", () => { state.page++; render(); });
    document.getElementById("download-csv").addEventListener("click", () => {
      const lines = [D.columns.join(",")].concat(state.rows.map((i) => D.triples[i].map(csvCell).join(",")));
      const url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv" }));
      const a = el("a", { href: url, download: "litmine_evidence.csv" });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    render();
  }

  function stickyOffset() {
    const head = document.querySelector("header.top");
    document.documentElement.style.setProperty("--head", head.offsetHeight + "px");
  }
  window.addEventListener("resize", stickyOffset);
  stickyOffset();
  overview();
  claims();
  tree();
  charts();
  conflicts();
  newFindings();
  evidenceTable();
  changelog();
  document.body.dataset.ready = "true";
})();
