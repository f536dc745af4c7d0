// Documents in time and in relation: validity and editions, citations (with a small graph),
// article comparison (条文对比) and the measure page's 对应的上位政策措施. Uses app.js helpers.

const REL_KIND = { cites: "引用", based_on: "依据", repeals: "废止", implements: "贯彻实施", changes: "修改", amended_by: "被修改" };
const DIFF_STATUS = { unchanged: "未改", changed: "修改", added: "新增", removed: "删除" };

function citationSvg(g, centre) {
  const W = 640, H = 300, others = g.nodes.filter(n => n.id !== centre);
  const pos = new Map([[centre, [W / 2, H / 2]]]);
  others.forEach((n, i) => {
    const t = (2 * Math.PI * i) / Math.max(others.length, 1);
    pos.set(n.id, [W / 2 + Math.cos(t) * 240, H / 2 + Math.sin(t) * 115]);
  });
  const svg = [`<svg class="graph" viewBox="0 0 ${W} ${H}" role="img" aria-label="引用关系图：${g.nodes.length} 个文件，${g.edges.length} 条关系">`,
    `<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>`];
  for (const e of g.edges) {
    const [x1, y1] = pos.get(e.source), [x2, y2] = pos.get(e.target);
    svg.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#aaa" marker-end="url(#arr)"><title>${esc(REL_KIND[e.label] || e.label)}</title></line>`);
  }
  for (const n of g.nodes) {
    const [x, y] = pos.get(n.id), me = n.id === centre;
    const dot = `<circle r="${me ? 10 : 6}" fill="${me ? "#d62828" : n.type === "unresolved" ? "#bbb" : "#1d5fbf"}"></circle>
      <text x="9" y="4">${esc(String(n.label || "").slice(0, 18))}</text><title>${esc(n.label)}</title>`;
    svg.push(`<g class="node" transform="translate(${x.toFixed(1)},${y.toFixed(1)})">${
      n.type === "unresolved" || me ? dot : `<a href="${docHref(n.id)}">${dot}</a>`}</g>`);
  }
  return svg.join("") + "</svg>";
}

function relationList(items, side) {
  if (!items.length) return '<p class="muted">无</p>';
  return `<ul class="plain">${items.map(x => {
    const other = side === "out" ? x.target : x.source;
    const title = (side === "out" ? x.target_title : x.source_title) || x.title;
    const name = other ? `<a href="${docHref(other)}">《${esc(title)}》</a>` : `《${esc(title)}》<span class="small muted">（未收录）</span>`;
    const date = side === "out" ? x.target_version_date : x.source_date;
    const art = x.article ? ` ${esc(x.article)}` : "";
    const where = side === "out" && x.source_measure ? ` <a class="small" href="${measureHref(x.source, x.source_measure)}">出处</a>` : "";
    return `<li><span class="chip">${esc(REL_KIND[x.kind] || x.kind)}</span> ${name}${art}${date ? ` <span class="small muted">${esc(date)} 版</span>` : ""}${where}</li>`;
  }).join("")}</ul>`;
}

async function timeSections(main, d) {
  const [v, rel, graph] = await Promise.all([
    api(`/documents/${enc(d.key)}/versions`).catch(() => null),
    api(`/documents/${enc(d.key)}/relations`).catch(() => null),
    api(`/documents/${enc(d.key)}/citation-graph`).catch(() => null)]);
  const box = document.createElement("div");
  const me = v && v.versions.find(x => x.key === d.key);
  let html = "";
  if (me) {
    html += `<h2>效力与版本</h2><p>效力：<span class="chip">${esc(me.status_zh)}</span>
      ${me.entry_into_force ? `施行日期 ${esc(me.entry_into_force)}` : ""}${me.date_no_longer_in_force ? `，${esc(me.date_no_longer_in_force)} 起不再有效` : ""}</p>`;
    if (v.versions.length > 1) {
      html += `<div class="table-wrap"><table><thead><tr><th>版本日期</th><th>施行</th><th>失效</th><th>效力</th><th></th></tr></thead><tbody>${
        v.versions.map((x, i) => `<tr><td>${x.key === d.key ? "<b>" + esc(x.version_date || "") + "</b>" : `<a href="${docHref(x.key)}">${esc(x.version_date || "")}</a>`}</td>
          <td>${esc(x.entry_into_force || "")}</td><td>${esc(x.date_no_longer_in_force || "")}</td><td>${esc(x.status_zh)}</td>
          <td>${i ? `<a href="#/diff?a=${enc(v.versions[i - 1].key)}&b=${enc(x.key)}">与上一版本对比</a>` : ""}</td></tr>`).join("")}</tbody></table></div>`;
    }
  }
  if (rel) {
    html += `<h2>引用与依据</h2><h3>本文件引用、依据、废止或实施的文件（${rel.outgoing.length}）</h3>${relationList(rel.outgoing, "out")}
      <h3>引用、依据或实施本文件的文件（${rel.incoming.length}）</h3>${relationList(rel.incoming, "in")}`;
    if (graph && graph.edges.length) html += `<div class="graph-box">${citationSvg(graph, d.key)}</div>`;
  }
  box.innerHTML = html;
  main.appendChild(box);
  await documentAnalytics(main, d);
}

async function alignSection(main, m) {
  const rel = await api(`/documents/${enc(m.document_key)}/relations?kind=implements`).catch(() => null);
  const targets = rel ? [...new Set(rel.outgoing.map(x => x.target).filter(Boolean))] : [];
  if (!targets.length) return;
  const box = document.createElement("div");
  let html = "<h2>对应的上位政策措施</h2>";
  for (const t of targets) {
    const a = await api(`/align?local=${enc(m.document_key)}&national=${enc(t)}`).catch(() => null);
    const rows = a ? a.alignments.filter(r => r.local.ordinal === m.ordinal) : [];
    html += `<p class="small muted">《${esc(a ? a.national.title : t)}》</p>${rows.length ? `<ul class="plain">${rows.map(r => `<li>
      <a href="${measureHref(t, r.national.ordinal)}">${esc(r.national.label)} ${esc(r.national.heading)}</a>
      <span class="small muted">相似度 ${r.score.toFixed(3)}</span>
      ${r.shared_entities.map(x => `<span class="chip">${esc(x)}</span>`).join("")}
      ${r.shared_wording.length ? `<br><span class="small muted">共同表述：${r.shared_wording.map(esc).join("；")}</span>` : ""}</li>`).join("")}</ul>`
      : '<p class="muted">没有找到对应的措施</p>'}`;
  }
  box.innerHTML = html;
  main.appendChild(box);
}

function diffHtml(ops, side) {
  return ops.map(([op, a, b]) => op === "equal" ? esc(a)
    : side === "a" ? (a ? `<del>${esc(a)}</del>` : "") : (b ? `<ins>${esc(b)}</ins>` : "")).join("");
}

async function pageDiff(main, params) {
  const d = await api(`/diff?a=${enc(params.get("a") || "")}&b=${enc(params.get("b") || "")}`);
  document.title = `条文对比 · ${d.b.title}`;
  const s = d.summary;
  main.innerHTML = `<h1>条文对比</h1>
    <p><a href="${docHref(d.a.key)}">《${esc(d.a.title)}》${esc(d.a.date || "")}</a> → <a href="${docHref(d.b.key)}">《${esc(d.b.title)}》${esc(d.b.date || "")}</a></p>
    <p>修改 ${s.changed} · 新增 ${s.added} · 删除 ${s.removed} · 未改 ${s.unchanged} · 条号变动 ${s.renumbered}</p>
    <div class="table-wrap"><table class="diff"><thead><tr><th>状态</th><th>原条文</th><th>新条文</th></tr></thead><tbody>${
      d.articles.map(r => `<tr class="diff-${r.status}"><td>${DIFF_STATUS[r.status]}${r.renumbered ? "<br><span class=\"small muted\">条号变动</span>" : ""}</td>
        <td>${r.a ? `<b>${esc(r.a.label)}</b> ${r.ops ? diffHtml(r.ops, "a") : esc(r.a.text)}` : ""}</td>
        <td>${r.b ? `<b>${esc(r.b.label)}</b> ${r.ops ? diffHtml(r.ops, "b") : esc(r.b.text)}` : ""}</td></tr>`).join("")}</tbody></table></div>`;
}

// Network analytics: the document's place in the citation network, and an entity's laws and communities.
function docList(items) {
  return items.length ? `<ul class="plain">${items.map(x => `<li><a href="${docHref(x.key)}">${esc(x.title)}</a>${
    x.documents ? ` <span class="small muted">${x.documents} 份相关文件</span>` : ""}</li>`).join("")}</ul>` : '<p class="muted">无</p>';
}

function communityHtml(c) {
  return `<p>所在的相互引用群落：${c.size} 个文件，核心文件 ${c.hubs.map(h => `<a href="${docHref(h.key)}">${esc(h.title)}</a>`).join("、")}${
    c.documents ? `<span class="small muted">（其中 ${c.documents} 份涉及本实体）</span>` : ""}</p>`;
}

async function documentAnalytics(main, d) {
  const a = await api(`/documents/${enc(d.key)}/analytics`).catch(() => null);
  if (!a || !a.in_graph) return;
  const box = document.createElement("div");
  box.className = "analytics";
  box.innerHTML = `<h2>引用网络分析</h2>
    <p>被 ${a.cited_by} 份文件直接引用（在 ${a.nodes} 个文件中排第 ${a.rank} 位）。</p>
    <h3>直接或间接依据的法律法规（${a.reachable_laws.count}）</h3>${docList(a.reachable_laws.laws)}
    <h3>直接或间接引用本文件的文件（${a.reached_by.count}）</h3>${docList(a.reached_by.documents)}
    ${a.community ? communityHtml(a.community) : ""}`;
  main.appendChild(box);
}

async function entityAnalytics(main, e) {
  const a = await api(`/analytics/entity?ref=${enc(e.iri)}`).catch(() => null);
  if (!a || !a.documents) return;
  const roles = Object.entries(a.roles).map(([r, n]) => `${esc(zh("role", r))} ${n}`).join("，");
  const box = document.createElement("div");
  box.className = "analytics";
  box.innerHTML = `<h2>网络分析</h2>
    <p>出现在 ${a.documents} 份文件的 ${a.measures} 条措施中${roles ? `（${roles}）` : ""}。</p>
    <h3>这些文件所依据的法律法规</h3>${docList(a.laws)}
    ${a.communities.length ? `<h3>这些文件所在的引用群落</h3>${a.communities.map(communityHtml).join("")}` : ""}`;
  main.appendChild(box);
}
