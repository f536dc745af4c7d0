// policykg web page: documents, a document's full text, entities and measures. Loaded before app.js.
"use strict";

const graphFormats = key => [["turtle", "Turtle"], ["trig", "TriG"], ["jsonld", "JSON-LD"]].map(([f, t]) =>
  `<a class="download" data-format="${f}" href="/documents/${enc(key)}/export?format=${f}" download>${t}</a>`).join(" ");

async function pageDocuments(main, params) {
  document.title = "文件列表";
  const offset = Number(params.get("offset") || 0), limit = 50;
  const fq = filterQuery(params, ["issuer", "kind", "date_from", "date_to", "sort"]);
  if (!params.get("sort")) fq.set("sort", "date");
  const { items, total } = await apiPage(`/documents?${fq}&offset=${offset}&limit=${limit}`);
  const filters = await filterBar(params, ["issuer", "kind", "date_from", "date_to", "sort"]);
  main.innerHTML = `<h1>文件 <span class="count">共 ${total} 份</span></h1>${filters}
    ${pager(total, offset, limit, o => withParams(params, { offset: o || null }))}
    <div class="table-wrap"><table class="docs"><thead><tr><th>标题</th><th>发文字号</th><th>发文机关</th><th class="date">日期</th><th>类型</th><th>措施数</th></tr></thead><tbody>${
    items.map(d => `<tr data-key="${esc(d.key)}"><td><a href="${docHref(d.key)}">${esc(d.title)}</a></td><td class="docno">${esc(d.docno || "")}</td>
      <td>${esc((d.issuers || []).join("、"))}</td><td class="date">${esc(d.date || "")}</td><td class="kind">${esc(zh("kind", d.kind))}</td>
      <td class="num">${d.kind === "attachment" ? "—" : esc(d.measures)}</td></tr>`).join("") || '<tr><td colspan="6">没有符合条件的文件。</td></tr>'}</tbody></table></div>`;
  // the sort menu offers relevance, which means nothing for a list of documents
  const sort = main.querySelector("#filters select[name=sort]");
  if (sort) for (const o of [...sort.options]) if (!["date", "date_asc"].includes(o.value)) o.remove();
  wireFilters(main, params);
}

async function pageDocument(main, key, params) {
  const [d, all] = await Promise.all([api(`/documents/${enc(key)}`), allDocuments()]);
  document.title = `${d.title} · 文件`;
  const byKey = new Map(all.map(x => [x.key, x]));
  const docLink = k => { const x = byKey.get(k); return `<a href="${docHref(k)}">${esc(x ? x.title : k)}</a>${x && x.docno && x.docno !== x.title ? `（${esc(x.docno)}）` : ""}`; };
  const kv = [["发文字号", d.docno], ["发文机关", (d.issuers || []).join("、")], ["日期", d.date], ["类型", zh("kind", d.kind)],
              ["主送", (d.addressees || []).join("、")], ["主题", (d.subjects || []).join("、")]].filter(([, v]) => v);
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
      <h2>任务（${tasks.length}）</h2><p class="small">${exportButtons(`attachment=${enc(d.key)}`, "tasks")}</p>${tasksTable(tasks, { attachment: false })}`;
  } else {
    body = `${d.preamble ? `<p class="text preamble">${esc(d.preamble.trim())}</p>` : ""}
    <h2>措施（${d.measures}）</h2><p class="small">${exportButtons(`document=${enc(d.key)}`)}</p>
    ${(d.sections || []).map(s => `<section><h3>${esc(s.label)}${esc(s.title) || (s.label ? "" : "措施")}</h3>${
      s.lead ? `<p class="text lead"><a href="${measureHref(d.key, s.ref)}">${esc(s.lead.split("\n").slice(1).join(" ").trim().slice(0, 120) || s.lead.slice(0, 120))}…</a></p>` : ""}<ul class="plain">${
      s.measures.map(m => `<li><a href="${measureHref(d.key, measureRef(m))}">${esc(m.label)} ${esc(m.heading)}</a></li>`).join("")}</ul></section>`).join("")}
    <h2>附件</h2>${attachments.length ? `<ul class="plain">${attachments.join("")}</ul>` : '<p class="muted">无</p>'}
    ${(d.annexes || []).length ? `<p><a href="#/tasks">查看全部附件任务</a></p>` : ""}`;
  }
  main.innerHTML = `<h1>${esc(d.title)}</h1>
    <dl class="kv">${kv.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
    <p class="actions"><a class="button" href="${textHref(d.key)}">阅读全文</a>
      <span class="exports" id="doc-graph">下载本文件图谱：${graphFormats(d.key)}</span></p>
    ${body}
    <h2>引用</h2>${(d.cites || []).length ? `<ul class="plain">${d.cites.map(c => `<li>${docLink(label(c))}</li>`).join("")}</ul>` : '<p class="muted">无</p>'}
    ${(d.cites_titles || []).length ? `<p class="small muted">文中引用：${d.cites_titles.map(esc).join("；")}</p>` : ""}
    <h2>被引用</h2>${(d.cited_by || []).length ? `<ul class="plain">${d.cited_by.map(c => `<li>${docLink(label(c))}</li>`).join("")}</ul>` : '<p class="muted">无</p>'}
    <details class="tech small"><summary>技术信息</summary><dl class="kv"><dt>标识</dt><dd><code>${esc(d.iri || "")}</code></dd>
      <dt>来源文件</dt><dd>${esc((d.source || "").split(/[\\/]/).pop())}</dd><dt>内部键</dt><dd>${esc(d.key)}</dd></dl></details>`;
  await timeSections(main, d);
}

// The full text with every measure marked; ?start=&end= highlights a span (evidence) and scrolls to it.
// Returns true when it scrolled, so the router leaves the scroll position alone.
async function pageText(main, key, params) {
  const t = await api(`/documents/${enc(key)}/text`);
  document.title = `${t.title} · 全文`;
  const text = t.text || "";
  const start = params.get("start") == null ? null : Number(params.get("start"));
  const end = params.get("end") == null ? null : Number(params.get("end"));
  const hit = start != null && end > start && start >= 0 && end <= text.length ? [start, end] : null;
  // cut points: measure bounds and the hit's bounds; each piece is wrapped as it needs
  const cuts = new Set([0, text.length]);
  for (const m of t.measures) { cuts.add(m.start); cuts.add(m.end); }
  if (hit) { cuts.add(hit[0]); cuts.add(hit[1]); }
  const points = [...cuts].filter(x => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const measureAt = pos => t.measures.find(m => m.start <= pos && pos < m.end);
  let html = "", open = null, hitOpened = false;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const m = measureAt(a);
    if (open && open !== m) { html += "</span>"; open = null; }
    if (m && open !== m) {
      html += `<span class="measure-span" id="m-${m.ordinal}" data-ordinal="${m.ordinal}"><a class="mlabel" href="${measureHref(t.key, m.measure_label || m.ordinal)}" title="打开措施 ${esc(m.measure_label || m.label)}">${esc(m.measure_label || m.label || "措施")}</a>`;
      open = m;
    }
    const piece = esc(text.slice(a, b));
    if (hit && a >= hit[0] && b <= hit[1]) {
      html += `<mark class="hit"${hitOpened ? "" : ' id="hit"'}>${piece}</mark>`;
      hitOpened = true;
    } else html += piece;
  }
  if (open) html += "</span>";
  main.innerHTML = `<nav class="crumbs small"><a href="${docHref(t.key)}">${esc(t.title)}</a>${t.docno && t.docno !== t.title ? `（${esc(t.docno)}）` : ""} › 全文</nav>
    <h1>${esc(t.title)}</h1>
    <p class="small muted">共 ${t.measures.length} 条措施，以色块标出，点击编号打开该措施。${hit ? ' <a href="#hit" id="to-hit">回到引文位置</a>' : ""}</p>
    <div class="fulltext text" id="fulltext">${html}</div>`;
  const target = main.querySelector("#hit") || (params.get("m") && main.querySelector(`#m-${CSS.escape(params.get("m"))}`));
  if (target) {
    requestAnimationFrame(() => target.scrollIntoView({ block: "center" }));
    const link = main.querySelector("#to-hit");
    if (link) link.addEventListener("click", ev => { ev.preventDefault(); target.scrollIntoView({ block: "center" }); });
    return true;
  }
  return false;
}

async function pageEntity(main, ref, params) {
  const e = await api(`/entities/${enc(ref)}`);
  document.title = `${e.label_zh} · 实体`;
  const offset = Number(params.get("offset") || 0);
  const fq = filterQuery(params);
  const { items, total } = await apiPage(`/entities/${enc(e.iri)}/measures?offset=${offset}&limit=${PAGE_SIZE}${fq.toString() ? "&" + fq : ""}`);
  const filters = await filterBar(params);
  const tasksLink = `#/tasks?org=${enc(e.label_zh)}`;
  await loadHeadings(e.tasks);
  const xq = new URLSearchParams(fq); xq.set("entity", e.iri);
  const card = r => resultCard(Object.assign({}, r, { why: Object.assign({ entities: [{ label_zh: e.label_zh, iri: e.iri }] }, r.why || {}) }));
  main.innerHTML = `<h1>${esc(e.label_zh)}</h1>
    <dl class="kv"><dt>类型</dt><dd>${esc(typeName(e.type))}</dd>
      ${e.label_en ? `<dt>英文名</dt><dd lang="en">${esc(e.label_en)}</dd>` : ""}
      ${(e.aliases || []).length ? `<dt>别名</dt><dd>${e.aliases.map(esc).join("、")}</dd>` : ""}</dl>
    <details class="tech small"><summary>技术信息</summary><dl class="kv"><dt>标识</dt><dd><code>${esc(e.iri)}</code></dd><dt>内部键</dt><dd>${esc(e.key)}</dd></dl></details>
    <h2>涉及该实体的措施 <span class="count">共 ${total} 条</span></h2>
    ${filters}<p class="small">${exportButtons(xq)}</p>
    ${pager(total, offset, PAGE_SIZE, o => withParams(params, { offset: o || null }))}
    <div id="entity-measures">${items.map(card).join("") || '<p class="muted">没有符合条件的措施。</p>'}</div>
    ${pager(total, offset, PAGE_SIZE, o => withParams(params, { offset: o || null }), "pager-bottom")}
    <h2>附件任务（${(e.tasks || []).length}）</h2>
    ${(e.tasks || []).length ? `<p class="small"><a href="${tasksLink}&role=lead">只看牵头的任务</a> · <a href="${tasksLink}&due_by=${enc("2022年底")}">2022年底前到期</a> ·
      ${exportButtons(`org=${enc(e.iri)}`, "tasks")}</p>` : ""}
    ${tasksTable(e.tasks, { focus: e.iri, empty: "附件任务中没有出现该实体。" })}
    <h2>图谱邻域</h2><div id="graph"><p class="muted">正在绘制…</p></div>`;
  wireFilters(main, params);
  const box = main.querySelector("#graph");
  try {
    drawGraph(box, await api(`/entities/${enc(e.iri)}/neighbourhood?depth=2`), e.iri);
  } catch (err) {
    box.innerHTML = `<p class="error">${esc(err.message_zh || err.message)}</p>`;
  }
  await entityAnalytics(main, e);
}

async function pageMeasure(main, key, ref) {
  const [m, doc] = await Promise.all([api(`/documents/${enc(key)}/measures/${enc(ref)}`),
    api(`/documents/${enc(key)}`).catch(() => ({}))]);
  document.title = `${m.measure_label || ""} ${m.title} · 措施`;
  const base = m.start || 0;
  const ranges = (m.mentions || []).map(x => [x.start - base, x.end - base,
    `<a class="ment" href="${entityHref(x.iri)}" title="${esc(typeName(x.type))} · ${esc(zh("role", x.role))}">`, "</a>"]);
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
      <a id="in-text" href="${textHref(m.document_key, m.start, m.end)}">在原文中查看</a>
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
