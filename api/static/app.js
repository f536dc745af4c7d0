// policykg web page: hash routing over the JSON API, no build step, no external resources.
// Files: app.js (helpers, result lists, search, router), pages.js (documents, full text, entity, measure),
// graph.js (the neighbourhood drawing), tasks.js (attachment tasks). This file is loaded last.
"use strict";

// Chinese names: the server's tables (/labels) replace these at start-up, so both stay in step.
const ZH = {
  role: { involved: "涉及", lead: "牵头", support_target: "支持对象", responsible: "负责", participant: "参与", support: "配合" },
  entity_type: { vocational_college: "职业院校", university: "高校", school: "学校", government_body: "政府部门",
                 enterprise: "企业", park: "园区/平台", alliance: "集团/联盟", industry: "产业", place: "地区",
                 programme: "项目/计划", organisation: "其他机构", generic: "泛指的部门" },
  kind: { policy: "政策文件", law: "法律法规", report: "报告", attachment: "附件", text: "其他文件" },
  intent: { involving: "涉及某实体的措施", free_text: "全文检索", search: "全文检索", lookup: "实体查询", text: "原文匹配" },
  score: { bm25: "关键词得分", dense: "语义得分", graph: "图谱得分", fused: "综合得分", related: "关联得分",
           bm25_coverage: "关键词覆盖率" },
  sort: { relevance: "相关度", date: "日期（新→旧）", date_asc: "日期（旧→新）", document: "文件顺序" },
};
const NODE_TYPE = { document: "文件", measure: "措施", entity: "实体" };
const MATCH = { text: "原文包含该名称", entity: "实体精确匹配", graph: "图谱关联" };
const ID_BASE = "https://w3id.org/policykg/id/";
const PAGE_SIZE = 20;
const mainEl = document.getElementById("main");
let routeSeq = 0;

// ---- helpers -------------------------------------------------------------------------------
function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
const enc = encodeURIComponent;
// GET a JSON API path; the error carries the API's Chinese message (message_zh).
async function apiResponse(path) {
  const resp = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    const err = body && body.error ? body.error : { status: resp.status, type: "HTTPError", message: resp.statusText };
    throw Object.assign(new Error(err.message_zh || err.message), err);
  }
  return { body, total: resp.headers.get("X-Total-Count") };
}
async function api(path) { return (await apiResponse(path)).body; }
// A list route's page and its total (X-Total-Count header, else the length).
async function apiPage(path) {
  const { body, total } = await apiResponse(path);
  return { items: body, total: total == null ? body.length : Number(total) };
}
function showError(main, err) {
  main.innerHTML = `<div class="error" role="alert"><strong>出错了</strong><p>${esc(err.message_zh || err.message || "请求未能完成。")}</p>
    <details class="tech"><summary>技术信息</summary><p class="small">${esc(err.status || "")} ${esc(err.type || "")}：${esc(err.message || "")}</p></details></div>`;
}
const zh = (table, v) => (ZH[table] || {})[v] || v || "";
const roleChips = roles => (roles || []).filter(r => r !== "involved" || roles.length === 1)
  .map(r => `<span class="chip role">${esc(zh("role", r))}</span>`).join("");
const typeName = t => zh("entity_type", t) || NODE_TYPE[t] || t || "";
const docHref = key => `#/document/${enc(key)}`;
// a measure is named by its label, unique in its document (三（二）, 6., 第十条, 1.2), else its ordinal
const measureHref = (key, ref) => `#/measure/${enc(key)}/${enc(ref)}`;
const measureRef = r => r.measure_label || r.ordinal;
const entityHref = ref => `#/entity/${enc(ref)}`;
const textHref = (key, start, end) => `#/text/${enc(key)}${start != null ? `?start=${start}&end=${end}` : ""}`;
function hrefForIri(iri) {
  if (!iri || !iri.startsWith(ID_BASE)) return null;
  const rest = iri.slice(ID_BASE.length);
  let m = rest.match(/^doc\/([^/]+)\/measure\/(\d+)$/);
  if (m) return measureHref(decodeURIComponent(m[1]), m[2]);
  m = rest.match(/^doc\/([^/]+)$/);
  if (m) return docHref(decodeURIComponent(m[1]));
  if (rest.startsWith("entity/")) return entityHref(iri);
  return null;
}
function label(x) {
  if (x == null) return "";
  if (typeof x === "string") return x;
  return x.label_zh || x.label || x.text || x.name || x.iri || "";
}
// A hash link to the current view with some parameters changed (null or "" removes one).
function withParams(params, changes) {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) { if (v == null || v === "") p.delete(k); else p.set(k, v); }
  const path = location.hash.replace(/^#/, "").split("?")[0] || "/";
  return `#${path}?${p}`;
}

// Highlight: ranges [start, end, html-open, html-close] over text; earlier ranges win on overlap.
function highlight(text, ranges) {
  ranges = ranges.filter(r => r[0] < r[1]).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = "", pos = 0;
  for (const [s, e, open, close] of ranges) {
    if (s < pos) continue;
    out += esc(text.slice(pos, s)) + open + esc(text.slice(s, e)) + close;
    pos = e;
  }
  return out + esc(text.slice(pos));
}
function needleRanges(text, needles, open, close) {
  const out = [];
  for (const n of new Set(needles.filter(n => n && n.length >= 1))) {
    let i = text.indexOf(n);
    while (i >= 0) { out.push([i, i + n.length, open, close]); i = text.indexOf(n, i + n.length); }
  }
  return out;
}

// ---- paging, filters, exports --------------------------------------------------------------
// "第 21–40 条，共 152 条" with previous / next and page numbers; hrefFor(offset) builds each link.
function pager(total, offset, limit, hrefFor, id = "pager") {
  if (!total) return "";
  const pages = Math.ceil(total / limit), cur = Math.floor(offset / limit);
  const link = (p, text, cls = "") => p < 0 || p >= pages || p === cur ? `<span class="pg ${cls} off" aria-disabled="true">${text}</span>`
    : `<a class="pg ${cls}" href="${hrefFor(p * limit)}">${text}</a>`;
  const nums = [];
  for (let p = 0; p < pages; p++) {
    if (p === 0 || p === pages - 1 || Math.abs(p - cur) <= 2) nums.push(p === cur ? `<span class="pg cur" aria-current="page">${p + 1}</span>` : link(p, p + 1));
    else if (nums[nums.length - 1] !== "…") nums.push("…");
  }
  return `<nav class="pager" id="${id}" aria-label="分页"><span class="range">第 ${offset + 1}–${Math.min(total, offset + limit)} 条，共 ${total} 条</span>
    ${link(cur - 1, "‹ 上一页", "prev")}${nums.join("")}${link(cur + 1, "下一页 ›", "next")}</nav>`;
}

const FILTER_KEYS = ["document", "issuer", "kind", "date_from", "date_to", "entity_type", "role", "sort"];
function filterQuery(params, keys = FILTER_KEYS) {
  const q = new URLSearchParams();
  for (const k of keys) if (params.get(k)) q.set(k, params.get(k));
  return q;
}
let DOC_CACHE = null;
async function allDocuments() {
  if (!DOC_CACHE) DOC_CACHE = await api("/documents").catch(() => []);
  return DOC_CACHE;
}
// The filter bar of a result list. which: the filters to show (all by default).
async function filterBar(params, which = FILTER_KEYS) {
  const docs = await allDocuments();
  const issuers = [...new Set(docs.flatMap(d => d.issuers || []))].sort();
  const opt = (name, v, t) => `<option value="${esc(v)}"${params.get(name) === v ? " selected" : ""}>${esc(t)}</option>`;
  const select = (name, table, any) => `<select name="${name}">${opt(name, "", any)}${Object.entries(table).map(([v, t]) => opt(name, v, t)).join("")}</select>`;
  const parts = {
    // a menu for a few hundred documents; past that, a box with suggestions (发文字号 or title)
    document: docs.length <= 300 ? `<label>文件 <select name="document">${opt("document", "", "全部文件")}${docs.filter(d => d.kind !== "attachment")
      .map(d => opt("document", d.key, (d.docno && d.docno !== d.title ? d.docno + " " : "") + d.title.slice(0, 28))).join("")}</select></label>`
      : `<label>文件 <input name="document" list="doc-list" value="${esc(params.get("document") || "")}" placeholder="发文字号或标题" autocomplete="off"></label>
      <datalist id="doc-list">${docs.map(d => `<option value="${esc(d.docno || d.title)}">`).join("")}</datalist>`,
    issuer: `<label>发文机关 <input name="issuer" list="issuer-list" value="${esc(params.get("issuer") || "")}" placeholder="如 国务院" autocomplete="off"></label>
      <datalist id="issuer-list">${issuers.map(i => `<option value="${esc(i)}">`).join("")}</datalist>`,
    kind: `<label>文件类型 ${select("kind", ZH.kind, "全部类型")}</label>`,
    date_from: `<label>日期从 <input name="date_from" value="${esc(params.get("date_from") || "")}" placeholder="如 2019" size="10"></label>`,
    date_to: `<label>日期至 <input name="date_to" value="${esc(params.get("date_to") || "")}" placeholder="如 2021-12" size="10"></label>`,
    entity_type: `<label>实体类型 ${select("entity_type", ZH.entity_type, "全部类型")}</label>`,
    role: `<label>角色 ${select("role", Object.fromEntries(Object.entries(ZH.role).filter(([k]) => k !== "support")), "任意角色")}</label>`,
    sort: `<label>排序 <select name="sort">${Object.entries(ZH.sort).map(([v, t]) => opt("sort", v === "relevance" ? "" : v, t)).join("")}</select></label>`,
  };
  const active = which.some(k => params.get(k));
  return `<form class="filters" id="filters" aria-label="筛选与排序">${which.map(k => parts[k]).join("")}
    <button type="submit">筛选</button>${active ? ` <a href="${withParams(params, Object.fromEntries(which.map(k => [k, null]).concat([["offset", null]])))}">清除筛选</a>` : ""}</form>`;
}
function wireFilters(main, params) {
  const form = main.querySelector("#filters");
  if (!form) return;
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const f = new FormData(form), changes = { offset: null };
    for (const k of FILTER_KEYS) if (form.elements[k]) changes[k] = String(f.get(k) || "").trim();
    location.hash = withParams(params, changes);
  });
}
function exportButtons(query, what = "measures") {
  return `<span class="exports">导出：<a class="download" data-format="csv" href="/export/${what}?${query}&format=csv" download>CSV 表格</a>
    <a class="download" data-format="xlsx" href="/export/${what}?${query}&format=xlsx" download>Excel 表格</a></span>`;
}

// ---- result card ---------------------------------------------------------------------------
function pathText(p) {
  return label(p).replace(/\s*—involves→\s*measure/g, " → 涉及该措施").replace(/—involves→/g, "→ 涉及 →")
    .replace(/^related to /, "关联 ").replace(/ via (\d+) shared entit(y|ies)/, "（$1 个共同实体）");
}
// A window of `text` around its first highlighted range, so long measures stay readable in a list.
function snippet(text, ranges, width = 80) {
  if (text.length <= width * 3) return { text, ranges, cut: false };
  const first = ranges.length ? Math.min(...ranges.map(r => r[0])) : 0;
  let a = Math.max(0, first - width), b = Math.min(text.length, a + width * 3);
  a = Math.max(0, Math.min(a, b - width * 3));
  const shifted = ranges.filter(r => r[0] >= a && r[1] <= b).map(([s, e, o, c]) => [s - a, e - a, o, c]);
  return { text: (a ? "…" : "") + text.slice(a, b) + (b < text.length ? "…" : ""), ranges: shifted.map(r => a ? [r[0] + 1, r[1] + 1, r[2], r[3]] : r), cut: true };
}
// Evidence quotes, each a link to the span in the document's full text.
function evidenceHtml(r) {
  const text = r.text || "";
  const seen = new Set();
  return (r.evidence || []).map(e => {
    if (seen.has(e.text)) return "";
    seen.add(e.text);
    let ctx = e.context;
    if (!ctx) { const i = text.indexOf(e.text); ctx = i < 0 ? e.text : text.slice(Math.max(0, i - 24), i + e.text.length + 24); }
    ctx = ctx.replace(/\s+/g, " ");
    const i = ctx.indexOf(e.text);
    const quote = i < 0 ? `<mark class="ev">${esc(ctx)}</mark>` :
      `“…${esc(ctx.slice(0, i))}<mark class="ev">${esc(e.text)}</mark>${esc(ctx.slice(i + e.text.length))}…”`;
    return r.document_key && e.start != null ? `<a class="ev-link" href="${textHref(r.document_key, e.start, e.end)}" title="在原文中查看">${quote}</a>` : quote;
  }).filter(Boolean).slice(0, 3).join("<br>");
}
function resultCard(r, opts = {}) {
  r = Object.assign({}, r, { text: (r.text || "").trim().replace(/\n\s*\n+/g, "\n") });
  const why = r.why || {};
  const ents = (why.entities || []).map(label).filter(Boolean);
  const terms = (why.terms || []).filter(t => t.length > 1 && !ents.some(e => e.includes(t)));
  const ranges = [
    ...needleRanges(r.text, ents, '<mark class="ent">', "</mark>"),
    ...needleRanges(r.text, terms, '<mark class="term">', "</mark>"),
  ];
  const snip = snippet(r.text, ranges);
  const href = r.document_key && measureRef(r) ? measureHref(r.document_key, measureRef(r)) : hrefForIri(r.iri);
  const heading = `${esc(r.measure_label || "")} ${esc(r.title || "")}`;
  const whyParts = [];
  const match = why.match ? MATCH[why.match] || why.match : why.intent === "involving" && ents.length ? MATCH.entity : "";
  if (match) whyParts.push(`<dt>匹配方式</dt><dd>${esc(match)}</dd>`);
  if (ents.length) whyParts.push(`<dt>识别实体</dt><dd>${(why.entities || []).map(e => {
    const h = typeof e === "object" && e.iri ? entityHref(e.iri) : null;
    return h ? `<a class="chip" href="${h}">${esc(label(e))}</a>` : `<span class="chip">${esc(label(e))}</span>`;
  }).join("")}</dd>`);
  const roles = r.roles || why.roles;
  if (roles && roles.length) whyParts.push(`<dt>角色</dt><dd>${roleChips(roles)}</dd>`);
  if (terms.length) whyParts.push(`<dt>匹配词</dt><dd>${terms.map(t => `<span class="chip term">${esc(t)}</span>`).join("")}</dd>`);
  if (r.shared && r.shared.length) whyParts.push(`<dt>共同实体</dt><dd>${r.shared.map(s => `<span class="chip">${esc(s)}</span>`).join("")}</dd>`);
  const tech = [];
  if (why.graph_path && why.graph_path.length) tech.push(`图谱路径：${why.graph_path.map(pathText).map(esc).join("；")}`);
  if (why.scores) {
    const sc = Object.entries(why.scores).filter(([, v]) => v).map(([k, v]) => `${esc(zh("score", k))} ${Number(v).toFixed(k === "fused" ? 3 : 2)}`);
    if (sc.length) tech.push(sc.join(" · "));
  }
  const ev = evidenceHtml(r);
  const fullText = highlight(r.text, ranges);
  const where = r.document_key && r.start != null ? ` · <a href="${textHref(r.document_key, r.start, r.end)}">在原文中查看</a>` : "";
  return `<article class="card result" data-measure="${esc(r.measure ?? "")}" data-doc="${esc(r.document_key || "")}" data-iri="${esc(r.iri || "")}">
    <h3>${href ? `<a href="${href}">${heading}</a>` : heading}</h3>
    <div class="meta">${r.document_key ? `<a href="${docHref(r.document_key)}">${esc(r.document_title || r.document)}</a>` : esc(r.document)}
      ${r.document && r.document !== r.document_title ? `（${esc(r.document)}）` : ""}${r.section ? ` · ${esc(r.section)}` : ""}${where}</div>
    ${opts.noText ? "" : `<p class="text">${highlight(snip.text, snip.ranges)}${snip.cut ? ` <button type="button" class="more" data-full="${esc(fullText)}">展开全文</button>` : ""}</p>`}
    ${ev ? `<div class="evidence"><strong>依据</strong> ${ev}</div>` : ""}
    ${whyParts.length ? `<dl class="why" aria-label="匹配原因">${whyParts.join("")}</dl>` : ""}
    ${tech.length ? `<details class="tech small"><summary>匹配详情</summary>${tech.map(t => `<div>${t}</div>`).join("")}</details>` : ""}
  </article>`;
}

// ---- home and search -----------------------------------------------------------------------
async function pageHome(main) {
  document.title = "政策知识图谱";
  const examples = ["河北软件职业技术学院", "哪些措施涉及国务院", "产教融合型企业", "Hebei Software Institute", "双师型教师"];
  let stats = "";
  try {
    const s = await api("/stats");
    const entities = Object.values(s.entities || {}).reduce((a, b) => a + (Number(b) || 0), 0);
    stats = `<p class="muted">已收录 ${esc(s.documents)} 份文件、${esc(s.measures)} 条措施${entities ? `、${entities} 个机构和主题` : ""}。</p>
      <details class="tech small"><summary>技术信息</summary>图谱三元组 ${esc(s.triples)} 个 · 索引版本 ${esc(s.generation ?? "")} · 语义模型 ${esc(s.encoder || "未启用")}</details>`;
  } catch (e) { /* the page still works */ }
  main.innerHTML = `<h1>查找政策措施</h1>
    <p>输入机构名称（中文、简称或英文）、产业或问题，查看涉及的措施、所在文件和匹配依据。</p>${stats}
    <p>示例：${examples.map(q => `<a class="chip" href="#/search?q=${enc(q)}">${esc(q)}</a>`).join("")}</p>
    <ul class="plain home-links">
      <li><a href="#/documents">浏览全部文件</a>：按发文机关、类型和日期筛选；阅读全文、导出单个文件的图谱</li>
      <li><a href="#/tasks">附件任务</a>：按单位、角色和完成时限查找任务并导出表格，例如
        <a href="#/tasks?org=${enc("保定市政府")}&role=lead&due_by=${enc("2022年底")}">保定市政府牵头、2022年底前完成的任务</a></li>
      <li><a class="download" href="/export?format=turtle" download>下载全部图谱（Turtle 格式）</a>：在 Protégé、GraphDB 等工具中使用</li>
    </ul>`;
}

// The entity a search names, if the query analysis linked one.
function linkedName(analysis) {
  if (analysis.subject) return analysis.subject;
  const e = (analysis.entities || []).find(x => (x.iris || []).length);
  return e ? e.text : null;
}

async function pageSearch(main, params) {
  const q = params.get("q") || "";
  document.getElementById("q").value = q;
  document.title = `${q} · 搜索`;
  if (!q.trim()) return pageHome(main);
  main.innerHTML = `<p class="muted">正在搜索“${esc(q)}”…</p>`;
  const offset = Number(params.get("offset") || 0), roff = Number(params.get("roffset") || 0);
  const fq = filterQuery(params);
  const first = await api(`/search?q=${enc(q)}&k=${PAGE_SIZE}${fq.toString() ? "&" + fq : ""}${roff ? `&offset=${roff}` : ""}`);
  const analysis = first.analysis || {};
  const name = linkedName(analysis);
  let exact = null;
  if (name) {
    exact = await api(`/measures?involving=${enc(name)}&offset=${offset}&limit=${PAGE_SIZE}${fq.toString() ? "&" + fq : ""}`).catch(() => null);
  }
  const exactIris = new Set(exact ? exact.results.map(r => r.iri) : []);
  const intent = analysis.intent ? `<span class="chip">${esc(zh("intent", analysis.intent))}</span>` : "";
  const filters = await filterBar(params);
  let html = `<h1>“${esc(q)}”的搜索结果</h1><p class="meta">${intent}${(analysis.entities || []).flatMap(e => (e.iris || []).map(iri =>
    `<a class="chip" href="${entityHref(iri)}">识别实体：${esc(e.text)}</a>`)).join("")}</p>${filters}`;
  if (exact) {
    const total = exact.total ?? exact.results.length, eoff = exact.offset ?? offset;
    const shown = exact.total == null ? exact.results.slice(offset, offset + PAGE_SIZE) : exact.results;
    const ents = exact.entities.length ? exact.entities.map(e => `<a href="${entityHref(e.iri)}">${esc(e.label_zh)}</a>`).join("、")
      : `“${esc(name)}”（原文包含）`;
    const xq = new URLSearchParams(fq); xq.set("involving", name);
    html += `<section class="exact" id="exact" aria-label="精确答案"><h2>精确答案：涉及 ${ents} 的措施 <span class="count">共 ${total} 条</span></h2>
      <p class="small muted">按图谱逐条找出提到该实体（含简称、别名、英文名）的全部措施，不是按相关度排序的部分结果。 ${exportButtons(xq)}</p>
      ${pager(total, eoff, PAGE_SIZE, o => withParams(params, { offset: o || null }), "exact-pager")}
      <div id="exact-results">${shown.map(r => resultCard(r)).join("") || '<p class="muted">没有符合筛选条件的措施。</p>'}</div>
      ${pager(total, eoff, PAGE_SIZE, o => withParams(params, { offset: o || null }), "exact-pager-bottom")}</section>`;
  }
  const related = first.results.filter(r => !exactIris.has(r.iri));
  const rtotal = first.total ?? first.results.length;
  const sq = new URLSearchParams(fq); sq.set("q", q);
  html += `<section class="related-hits" aria-label="${exact ? "相关结果" : "搜索结果"}"><h2>${exact ? "相关结果" : "搜索结果"}
      <span class="count">${exact ? `${related.length} 条` : first.total == null ? `前 ${rtotal} 条` : `共 ${rtotal} 条`}</span></h2>
    ${exact ? '<p class="small muted">按关键词和语义相关度找到的其他措施。</p>' : `<p class="small muted">${exportButtons(sq)}</p>`}
    ${exact ? "" : first.total == null ? (first.results.length >= PAGE_SIZE ? `<nav class="pager" id="results-pager" aria-label="分页">
      <span class="range">前 ${first.results.length} 条</span><a class="pg next" href="${withParams(params, { roffset: PAGE_SIZE })}">下一页 ›</a></nav>` : "")
      : pager(rtotal, roff, PAGE_SIZE, o => withParams(params, { roffset: o || null }), "results-pager")}
    <div id="results">${related.map(r => resultCard(r)).join("") || (first.why === "no_close_match" && !exact
      ? '<p class="no-match" id="no-match">没有足够接近的措施：文件中似乎没有谈到这个问题。可以换个说法，或用政策文件里的词语再试。</p>'
      : `<p>${!first.results.length ? "没有找到相近的措施。" : "没有其他相关措施。"}</p>`)}</div></section>`;
  main.innerHTML = html;
  wireFilters(main, params);
}

// ---- router --------------------------------------------------------------------------------
// Each navigation renders into a fresh container: a slow page that finishes after the user moved on
// writes into a detached element instead of over the current page.
async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, qs] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(qs || "");
  const seq = ++routeSeq;
  delete mainEl.dataset.ready;
  const main = document.createElement("div");
  main.className = "view";
  main.innerHTML = '<p class="muted">加载中…</p>';
  mainEl.replaceChildren(main);
  for (const a of document.querySelectorAll(".links a[data-nav]")) a.classList.toggle("active", a.dataset.nav === parts[0]);
  let scrolled = false;
  try {
    if (parts[0] === "search") await pageSearch(main, params);
    else if (parts[0] === "measure" && parts.length === 3) await pageMeasure(main, parts[1], parts[2]);
    else if (parts[0] === "document" && parts.length === 2) await pageDocument(main, parts[1], params);
    else if (parts[0] === "text" && parts.length === 2) scrolled = await pageText(main, parts[1], params);
    else if (parts[0] === "documents") await pageDocuments(main, params);
    else if (parts[0] === "diff") await pageDiff(main, params);
    else if (parts[0] === "tasks") await pageTasks(main, params);
    else if (parts[0] === "entity" && parts.length >= 2) await pageEntity(main, parts.slice(1).join("/"), params);
    else await pageHome(main);
  } catch (err) {
    showError(main, err);
  }
  if (seq !== routeSeq) return;
  // which view is fully drawn: scripts (and tests) wait on this instead of guessing from the content
  mainEl.dataset.ready = hash;
  mainEl.focus({ preventScroll: true });
  if (!scrolled) window.scrollTo(0, 0);
}

mainEl.addEventListener("click", ev => {
  const btn = ev.target.closest("button.more");
  if (btn) btn.parentElement.innerHTML = btn.dataset.full;
});
document.getElementById("search-form").addEventListener("submit", ev => {
  ev.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (q) location.hash = `#/search?q=${enc(q)}`;
});
window.addEventListener("hashchange", route);
fetch("/labels").then(r => r.ok ? r.json() : null).catch(() => null).then(tables => {
  if (tables) for (const [k, v] of Object.entries(tables)) ZH[k] = Object.assign({}, ZH[k], v);
  route();
});
