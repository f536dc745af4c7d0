// policykg web page: hash routing over the JSON API, no build step, no external resources.
"use strict";

const ROLE = { lead: "牵头", support_target: "支持对象", responsible: "负责", participant: "参与",
               involved: "涉及", support: "配合" };
const TYPE = { vocational_college: "职业院校", university: "高校", school: "学校", government_body: "政府部门",
               enterprise: "企业", park: "园区/平台", alliance: "集团/联盟", industry: "产业", place: "地区",
               programme: "项目/计划", document: "文件", measure: "措施", entity: "实体" };
const COLOR = { document: "#7a5af5", measure: "#f0a500", industry: "#2a9d8f", place: "#8d6e63",
                programme: "#e76f51", government_body: "#264653" };
const ID_BASE = "https://w3id.org/policykg/id/";
const mainEl = document.getElementById("main");
let routeSeq = 0;

// ---- helpers -------------------------------------------------------------------------------
function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
const enc = encodeURIComponent;
async function api(path) {
  const resp = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    const err = body && body.error ? body.error : { status: resp.status, type: "HTTPError", message: resp.statusText };
    throw Object.assign(new Error(err.message), err);
  }
  return body;
}
function showError(main, err) {
  main.innerHTML = `<div class="error" role="alert"><strong>出错了（${esc(err.status || "")} ${esc(err.type || "")}）</strong><br>${esc(err.message)}</div>`;
}
const roleChips = roles => (roles || []).map(r => `<span class="chip role">${esc(ROLE[r] || r)}</span>`).join("");
const typeName = t => TYPE[t] || t || "";
const docHref = key => `#/document/${enc(key)}`;
// a measure is named by its label, unique in its document (三（二）, 6., 第十条, 1.2), else its ordinal
const measureHref = (key, ref) => `#/measure/${enc(key)}/${enc(ref)}`;
const measureRef = r => r.measure_label || r.ordinal;
const entityHref = ref => `#/entity/${enc(ref)}`;
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

// ---- result card ---------------------------------------------------------------------------
const INTENT = { involving: "查询涉及某实体的措施", search: "全文检索", free_text: "全文检索", lookup: "实体查询" };
const SCORE = { bm25: "关键词", dense: "语义", graph: "图谱", related: "关联", fused: "融合" };
function pathText(p) {
  return label(p).replace(/\s*—involves→\s*measure/g, " → 涉及该措施").replace(/—involves→/g, "→ 涉及 →")
    .replace(/^related to /, "关联 ").replace(/ via (\d+) shared entities?/, "（$1 个共同实体）");
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
    return i < 0 ? `<mark class="ev">${esc(ctx)}</mark>` :
      `…${esc(ctx.slice(0, i))}<mark class="ev">${esc(e.text)}</mark>${esc(ctx.slice(i + e.text.length))}…`;
  }).filter(Boolean).slice(0, 3).join("<br>");
}
function resultCard(r, opts = {}) {
  r = Object.assign({}, r, { text: (r.text || "").trim() });
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
  if (ents.length) whyParts.push(`<dt>识别实体</dt><dd>${(why.entities || []).map(e => {
    const h = typeof e === "object" && e.iri ? entityHref(e.iri) : null;
    return h ? `<a class="chip" href="${h}">${esc(label(e))}</a>` : `<span class="chip">${esc(label(e))}</span>`;
  }).join("")}</dd>`);
  const roles = r.roles || why.roles;
  if (roles && roles.length) whyParts.push(`<dt>角色</dt><dd>${roleChips(roles)}</dd>`);
  if (terms.length) whyParts.push(`<dt>匹配词</dt><dd>${terms.map(t => `<span class="chip term">${esc(t)}</span>`).join("")}</dd>`);
  if (why.graph_path && why.graph_path.length) whyParts.push(`<dt>图谱路径</dt><dd>${why.graph_path.map(pathText).map(esc).join("；")}</dd>`);
  if (r.shared && r.shared.length) whyParts.push(`<dt>共同实体</dt><dd>${r.shared.map(s => `<span class="chip">${esc(s)}</span>`).join("")}</dd>`);
  const scores = why.scores ? Object.entries(why.scores).filter(([, v]) => v).map(([k, v]) => `${esc(SCORE[k] || k)} ${Number(v).toFixed(k === "fused" ? 3 : 2)}`).join(" · ") : "";
  const ev = evidenceHtml(r);
  const fullText = highlight(r.text, ranges);
  return `<article class="card result" data-measure="${esc(r.measure ?? "")}" data-doc="${esc(r.document_key || "")}">
    <h3>${href ? `<a href="${href}">${heading}</a>` : heading}</h3>
    <div class="meta">${r.document_key ? `<a href="${docHref(r.document_key)}">${esc(r.document_title || r.document)}</a>` : esc(r.document)}
      ${r.document && r.document !== r.document_title ? `（${esc(r.document)}）` : ""}${r.section ? ` · ${esc(r.section)}` : ""}</div>
    ${opts.noText ? "" : `<p class="text">${highlight(snip.text, snip.ranges)}${snip.cut ? ` <button type="button" class="more" data-full="${esc(fullText)}">展开全文</button>` : ""}</p>`}
    ${ev ? `<div class="evidence"><strong>依据</strong> ${ev}</div>` : ""}
    ${whyParts.length ? `<dl class="why" aria-label="匹配原因">${whyParts.join("")}</dl>` : ""}
    ${scores ? `<div class="scores small muted">得分：${scores}</div>` : ""}
  </article>`;
}

// ---- pages (each renders into its own container `main`) ------------------------------------
const KIND = { policy: "政策文件", attachment: "附件", law: "法律法规", report: "报告" };
const turtleLink = `<a class="download" href="/export?format=turtle" download>下载图谱（Turtle）</a>`;

async function pageHome(main) {
  document.title = "政策知识图谱";
  const examples = ["河北软件职业技术学院", "哪些措施涉及保定电力职业技术学院", "产教融合型企业", "Hebei Software Institute", "双师型教师"];
  let stats = "";
  try {
    const s = await api("/stats");
    stats = `<p class="muted">已收录 ${esc(s.documents)} 份文件、${esc(s.measures)} 条措施、${esc(s.triples)} 个三元组。</p>`;
  } catch (e) { /* the page still works */ }
  main.innerHTML = `<h1>查找政策措施</h1>
    <p>输入机构名称（中文、简称或英文）、产业或问题，查看涉及的措施、所在文件和匹配依据。</p>${stats}
    <p>示例：${examples.map(q => `<a class="chip" href="#/search?q=${enc(q)}">${esc(q)}</a>`).join("")}</p>
    <ul class="plain home-links">
      <li><a href="#/documents">浏览全部文件</a>：文件的章节、措施、附件和引用关系</li>
      <li><a href="#/tasks">附件任务</a>：按单位、角色和完成时限查找任务，例如
        <a href="#/tasks?org=${enc("保定市政府")}&role=lead&due_by=${enc("2022年底")}">保定市政府牵头、2022年底前完成的任务</a></li>
      <li>${turtleLink}：在 Protégé、GraphDB 等工具中使用</li>
    </ul>`;
}

async function pageSearch(main, params) {
  const q = params.get("q") || "";
  document.getElementById("q").value = q;
  document.title = `${q} · 搜索`;
  if (!q.trim()) return pageHome(main);
  main.innerHTML = `<p class="muted">正在搜索“${esc(q)}”…</p>`;
  const data = await api(`/search?q=${enc(q)}&k=${enc(params.get("k") || "20")}`);
  const analysis = data.analysis || {};
  const linked = (analysis.entities || []).flatMap(e => (e.iris || []).map(iri => ({ text: e.text, iri })));
  const intent = analysis.intent ? `<span class="chip">${esc(INTENT[analysis.intent] || analysis.intent)}</span>` : "";
  main.innerHTML = `<h1>“${esc(q)}”的搜索结果</h1>
    <p class="meta">${intent}${linked.map(e => `<a class="chip" href="${entityHref(e.iri)}">识别实体：${esc(e.text)}</a>`).join("")}
      共 ${data.total ?? data.results.length} 条${(data.total || 0) > data.results.length ? `，显示前 ${data.results.length} 条` : ""}</p>
    <div id="results">${data.results.map(r => resultCard(r)).join("") || (data.why === "no_close_match"
      ? '<p class="no-match" id="no-match">没有足够接近的措施：文件中似乎没有谈到这个问题。可以换个说法，或用政策文件里的词语再试。</p>'
      : '<p>没有找到匹配的措施。</p>')}</div>`;
}

async function pageMeasure(main, key, ref) {
  const [m, doc] = await Promise.all([api(`/documents/${enc(key)}/measures/${enc(ref)}`),
    api(`/documents/${enc(key)}`).catch(() => ({}))]);
  document.title = `${m.measure_label || ""} ${m.title} · 措施`;
  const base = m.start || 0;
  const ranges = (m.mentions || []).map(x => [x.start - base, x.end - base,
    `<a class="ment" href="${entityHref(x.iri)}" title="${esc(typeName(x.type))} · ${esc(ROLE[x.role] || x.role)}">`, "</a>"]);
  const mtext = m.text || "";
  const targets = (m.targets || []).map(t => {
    const a = t.start - base, b = t.end - base;
    const ok = a >= 0 && b <= mtext.length && mtext.slice(a, b) === t.text;
    const ctx = ok ? `…${esc(mtext.slice(Math.max(0, a - 14), a))}<mark class="ev">${esc(t.text)}</mark>${esc(mtext.slice(b, b + 14))}…` : esc(t.text);
    return `<li>${ctx}${t.year ? `<span class="chip">${esc(t.year)} 年</span>` : ""}</li>`;
  }).join("");
  const ents = new Map();
  for (const x of m.mentions || []) {
    const e = ents.get(x.iri) || { label: x.label || x.text, type: x.type, roles: new Set() };
    e.roles.add(x.role); ents.set(x.iri, e);
  }
  const o = Number(m.ordinal || 0);
  const items = (m.items || []).map(i => `<li${m.item && m.item.ref === i.ref ? ' class="current"' : ""}><a href="${measureHref(m.document_key, i.ref)}">${esc(i.ref)}</a> ${esc(i.text.slice(i.label.length, i.label.length + 60).trim())}…</li>`).join("");
  await loadHeadings(m.tasks);
  main.innerHTML = `<nav class="crumbs small"><a href="${docHref(m.document_key)}">${esc(m.document_title)}</a>（${esc(m.document)}）${m.section ? " › " + esc(m.section) : ""}</nav>
    <h1>${esc(m.measure_label || "")} ${esc(m.title)}</h1>
    <p class="text measure-text">${highlight(m.text || "", ranges)}</p>
    <p class="small muted">带下划线的是识别出的实体，点击查看该实体涉及的全部措施。
      ${o > 1 ? `<a href="${measureHref(m.document_key, o - 1)}">‹ 上一条</a>` : ""}
      ${o && o < (doc.measures || 0) ? `<a href="${measureHref(m.document_key, o + 1)}">下一条 ›</a>` : ""}</p>
    ${m.item ? `<p class="text item-text"><strong>条目 ${esc(m.item.ref)}</strong>：${esc(m.item.text)}</p>` : ""}
    ${items ? `<h2>条目（${(m.items || []).length}）</h2><ul class="plain items">${items}</ul>` : ""}
    <h2>涉及的实体（${ents.size}）</h2>
    <p>${[...ents].map(([iri, e]) => `<span class="ent-item"><a class="chip" href="${entityHref(iri)}">${esc(e.label)} · ${esc(typeName(e.type))}</a>${roleChips([...e.roles].filter(r => r !== "involved"))}</span>`).join(" ") || '<span class="muted">无</span>'}</p>
    <h2>目标</h2>${targets ? `<ul class="plain">${targets}</ul>` : '<p class="muted">无量化目标</p>'}
    <h2>落实该措施的附件任务（${(m.tasks || []).length}）</h2>
    ${tasksTable(m.tasks, { measure: m.iri, empty: "没有附件任务关联到这条措施。" })}
    <h2>相关措施</h2><p class="small muted">与本措施涉及相同机构、产业或项目的措施。</p>
    ${(m.related || []).length ? `<ul class="related">${m.related.map(r => `<li><a href="${measureHref(r.document_key, measureRef(r))}">${esc(r.measure_label || "")} ${esc(r.title)}</a>
      <span class="small muted">${esc(r.document)}</span> ${(r.shared || []).map(x => `<span class="chip">${esc(x)}</span>`).join("")}</li>`).join("")}</ul>` : '<p class="muted">无</p>'}`;
  await alignSection(main, m);
}

async function pageDocument(main, key) {
  const [d, all] = await Promise.all([api(`/documents/${enc(key)}`), api("/documents").catch(() => [])]);
  document.title = `${d.title} · 文件`;
  const byKey = new Map(all.map(x => [x.key, x]));
  const docLink = k => { const x = byKey.get(k); return `<a href="${docHref(k)}">${esc(x ? x.title : k)}</a>${x && x.docno && x.docno !== x.title ? `（${esc(x.docno)}）` : ""}`; };
  const kv = [["发文字号", d.docno], ["日期", d.date], ["类型", KIND[d.kind] || d.kind], ["发布机构", (d.issuers || []).join("、")],
              ["主送", (d.addressees || []).join("、")], ["主题", (d.subjects || []).join("、")],
              ["来源文件", (d.source || "").split(/[\\/]/).pop()]].filter(([, v]) => v);
  const annexByTitle = new Map((d.annexes || []).map(k => [(byKey.get(k) || {}).title, k]));
  const counts = new Map();
  if ((d.annexes || []).length) {
    for (const t of await api("/tasks").catch(() => [])) counts.set(t.attachment, (counts.get(t.attachment) || 0) + 1);
  }
  const nTasks = k => counts.get(k) ? `<span class="small muted">（${counts.get(k)} 项任务）</span>` : "";
  const attachments = (d.attachments || []).map(a => {
    const k = annexByTitle.get(a.title);
    return `<li>附件${esc(a.number || "")}：${k ? `<a href="${docHref(k)}">${esc(a.title)}</a>${nTasks(k)}` : `${esc(a.title)} <span class="small muted">（未导入）</span>`}</li>`;
  });
  const listed = new Set((d.attachments || []).map(a => annexByTitle.get(a.title)).filter(Boolean));
  for (const k of d.annexes || []) if (!listed.has(k)) attachments.push(`<li>${docLink(k)}${nTasks(k)}</li>`);
  let body;
  if (d.kind === "attachment") {
    const tasks = await api(`/tasks?attachment=${enc(d.key)}`);
    body = `${d.parent ? `<p>本文件是 ${docLink(d.parent)} 的附件。</p>` : '<p class="muted">尚未找到它所属的正文文件（按正文的附件列表和标题匹配）。</p>'}
      <h2>任务（${tasks.length}）</h2>${tasksTable(tasks, { attachment: false })}`;
  } else {
    body = `${d.preamble ? `<p class="text preamble">${esc(d.preamble.trim())}</p>` : ""}
    ${(d.sections || []).map(s => `<section><h2>${esc(s.label)}${esc(s.title) || (s.label ? "" : "措施")}</h2>${
      s.lead ? `<p class="text lead"><a href="${measureHref(d.key, s.ref)}">${esc(s.lead.split("\n").slice(1).join(" ").trim().slice(0, 120) || s.lead.slice(0, 120))}…</a></p>` : ""}<ul class="plain">${
      s.measures.map(m => `<li><a href="${measureHref(d.key, measureRef(m))}">${esc(m.label)} ${esc(m.heading)}</a></li>`).join("")}</ul></section>`).join("")}
    <h2>附件</h2>${attachments.length ? `<ul class="plain">${attachments.join("")}</ul>` : '<p class="muted">无</p>'}
    ${(d.annexes || []).length ? `<p><a href="#/tasks">查看全部附件任务</a></p>` : ""}`;
  }
  main.innerHTML = `<h1>${esc(d.title)}</h1>
    <dl class="kv">${kv.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
    <p>${turtleLink}</p>
    ${body}
    <h2>引用</h2>${(d.cites || []).length ? `<ul class="plain">${d.cites.map(c => `<li>${docLink(label(c))}</li>`).join("")}</ul>` : '<p class="muted">无</p>'}
    ${(d.cites_titles || []).length ? `<p class="small muted">文中引用：${d.cites_titles.map(esc).join("；")}</p>` : ""}
    <h2>被引用</h2>${(d.cited_by || []).length ? `<ul class="plain">${d.cited_by.map(c => `<li>${docLink(label(c))}</li>`).join("")}</ul>` : '<p class="muted">无</p>'}`;
  await timeSections(main, d);
}

async function pageDocuments(main) {
  const docs = await api("/documents");
  document.title = "文件列表";
  docs.sort((a, b) => (a.kind === "attachment") - (b.kind === "attachment") || String(b.date || "").localeCompare(String(a.date || "")));
  main.innerHTML = `<h1>文件（${docs.length}）</h1><p>${turtleLink}</p><div class="table-wrap"><table><thead><tr><th>标题</th><th>发文字号</th><th>日期</th><th>类型</th><th>措施数</th></tr></thead><tbody>${
    docs.map(d => `<tr><td><a href="${docHref(d.key)}">${esc(d.title)}</a></td><td>${esc(d.docno || "")}</td><td>${esc(d.date || "")}</td><td>${esc(KIND[d.kind] || d.kind)}</td><td>${d.kind === "attachment" ? "—" : esc(d.measures)}</td></tr>`).join("")}</tbody></table></div>`;
}

async function pageEntity(main, ref) {
  const e = await api(`/entities/${enc(ref)}`);
  document.title = `${e.label_zh} · 实体`;
  const tasksLink = `#/tasks?org=${enc(e.label_zh)}`;
  await loadHeadings(e.tasks);
  main.innerHTML = `<h1>${esc(e.label_zh)}</h1>
    <dl class="kv"><dt>类型</dt><dd>${esc(typeName(e.type))}</dd>
      ${e.label_en ? `<dt>英文名</dt><dd lang="en">${esc(e.label_en)}</dd>` : ""}
      ${(e.aliases || []).length ? `<dt>别名</dt><dd>${e.aliases.map(esc).join("、")}</dd>` : ""}
      <dt>IRI</dt><dd class="small"><code>${esc(e.iri)}</code></dd></dl>
    <h2>涉及该实体的措施（${e.measures.length}）</h2>
    <div id="entity-measures">${e.measures.map(r => resultCard(Object.assign({}, r, { why: Object.assign({ entities: [{ label_zh: e.label_zh, iri: e.iri }] }, r.why || {}) }))).join("") || '<p class="muted">无</p>'}</div>
    <h2>附件任务（${(e.tasks || []).length}）</h2>
    ${(e.tasks || []).length ? `<p class="small"><a href="${tasksLink}&role=lead">只看牵头的任务</a> · <a href="${tasksLink}&due_by=${enc("2022年底")}">2022年底前到期</a></p>` : ""}
    ${tasksTable(e.tasks, { focus: e.iri, empty: "附件任务中没有出现该实体。" })}
    <h2>图谱邻域</h2><div id="graph"><p class="muted">正在绘制…</p></div>`;
  const box = main.querySelector("#graph");
  try {
    drawGraph(box, await api(`/entities/${enc(e.iri)}/neighbourhood?depth=2`), e.iri);
  } catch (err) {
    box.innerHTML = `<p class="error">${esc(err.message)}</p>`;
  }
}

// ---- neighbourhood picture: a small force layout drawn as SVG --------------------------------
function drawGraph(box, g, centre) {
  const W = 900, H = 460, nodes = g.nodes.map((n, i) => Object.assign({}, n, {
    x: W / 2 + Math.cos(i * 2.4) * (n.id === centre ? 0 : 160), y: H / 2 + Math.sin(i * 2.4) * (n.id === centre ? 0 : 160), vx: 0, vy: 0 }));
  const at = new Map(nodes.map(n => [n.id, n]));
  const edges = g.edges.filter(e => at.has(e.source) && at.has(e.target));
  for (let it = 0; it < 300; it++) {
    for (const a of nodes) for (const b of nodes) {
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 25), f = 2200 / d2;
      a.vx += dx * f / Math.sqrt(d2); a.vy += dy * f / Math.sqrt(d2);
    }
    for (const e of edges) {
      const a = at.get(e.source), b = at.get(e.target), dx = b.x - a.x, dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1, f = (d - 120) * 0.02;
      a.vx += dx / d * f; a.vy += dy / d * f; b.vx -= dx / d * f; b.vy -= dy / d * f;
    }
    for (const n of nodes) {
      if (n.id === centre) { n.x = W / 2; n.y = H / 2; continue; }
      n.vx += (W / 2 - n.x) * 0.004; n.vy += (H / 2 - n.y) * 0.004;
      n.x = Math.min(W - 40, Math.max(40, n.x + n.vx * 0.5)); n.y = Math.min(H - 20, Math.max(20, n.y + n.vy * 0.5));
      n.vx *= 0.6; n.vy *= 0.6;
    }
  }
  // scale the layout to fill the picture, leaving room for labels on the right
  const xs = nodes.map(n => n.x), ys = nodes.map(n => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.min((W - 220) / Math.max(x1 - x0, 1), (H - 60) / Math.max(y1 - y0, 1), 3);
  for (const n of nodes) { n.x = 40 + (n.x - x0) * k + (W - 220 - (x1 - x0) * k) / 2; n.y = 30 + (n.y - y0) * k + (H - 60 - (y1 - y0) * k) / 2; }
  const short = s => (s = String(s || "")).length > 16 ? s.slice(0, 15) + "…" : s;
  const svg = [`<svg class="graph" viewBox="0 0 ${W} ${H}" role="img" aria-label="实体在图谱中的邻域：${nodes.length} 个节点，${edges.length} 条边">`];
  for (const e of edges) {
    const a = at.get(e.source), b = at.get(e.target);
    svg.push(`<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}"><title>${esc(e.label)}</title></line>`);
  }
  for (const n of nodes) {
    const href = hrefForIri(n.id), r = n.id === centre ? 11 : 7, fill = n.id === centre ? "#d62828" : (COLOR[n.type] || "#1d5fbf");
    const shape = `<circle r="${r}" fill="${fill}"></circle><text x="${r + 3}" y="4">${esc(short(n.label))}</text><title>${esc(typeName(n.type))}：${esc(n.label)}</title>`;
    svg.push(`<g class="node" transform="translate(${n.x.toFixed(1)},${n.y.toFixed(1)})">${href ? `<a href="${href}">${shape}</a>` : shape}</g>`);
  }
  svg.push("</svg>");
  const legend = [["中心实体", "#d62828"], ["措施", COLOR.measure], ["文件", COLOR.document], ["政府部门", COLOR.government_body],
    ["院校/企业等机构", "#1d5fbf"], ["产业", COLOR.industry], ["地区", COLOR.place], ["项目/计划", COLOR.programme]];
  box.innerHTML = svg.join("") + `<p class="legend">${legend.map(([t, c]) => `<span><i style="background:${c}"></i>${t}</span>`).join("")}</p>`;
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
  const main = document.createElement("div");
  main.className = "view";
  main.innerHTML = '<p class="muted">加载中…</p>';
  mainEl.replaceChildren(main);
  for (const a of document.querySelectorAll(".links a[data-nav]")) a.classList.toggle("active", a.dataset.nav === parts[0]);
  try {
    if (parts[0] === "search") await pageSearch(main, params);
    else if (parts[0] === "measure" && parts.length === 3) await pageMeasure(main, parts[1], parts[2]);
    else if (parts[0] === "document" && parts.length === 2) await pageDocument(main, parts[1]);
    else if (parts[0] === "documents") await pageDocuments(main);
    else if (parts[0] === "diff") await pageDiff(main, params);
    else if (parts[0] === "tasks") await pageTasks(main, params);
    else if (parts[0] === "entity" && parts.length >= 2) await pageEntity(main, parts.slice(1).join("/"));
    else await pageHome(main);
  } catch (err) {
    showError(main, err);
  }
  if (seq !== routeSeq) return;
  mainEl.focus({ preventScroll: true });
  window.scrollTo(0, 0);
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
route();
