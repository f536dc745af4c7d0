// policykg web page: attachment tasks (task → units → deadline → measures). Loaded before app.js.
"use strict";

const TASK_ROLE = { lead: "牵头单位", responsible: "责任单位", support: "配合单位" };
const EVIDENCE_KIND = { explicit: "明确引用", shared_entities: "共同实体", text_similarity: "文本相似" };

// Units of a task by role, each linked to its entity page; `focus` (an IRI) is emphasised.
function taskUnits(t, focus) {
  return Object.keys(TASK_ROLE).filter(r => (t[r] || []).length).map(r =>
    `<div class="units"><span class="muted">${TASK_ROLE[r]}：</span>${t[r].map(o => {
      const cls = o.iri === focus ? ' class="focus"' : "";
      return `<a${cls} href="${entityHref(o.iri)}">${esc(o.label)}</a>`;
    }).join("、")}</div>`).join("") || '<span class="muted">未列明</span>';
}

// Measure headings by IRI, from the documents the tasks' measures belong to (fetched once per document).
const HEADINGS = new Map();
async function loadHeadings(tasks) {
  const keys = new Set((tasks || []).flatMap(t => (t.measures || []).map(m => m.doc_key)));
  await Promise.all([...keys].filter(k => !HEADINGS.has(k)).map(async k => {
    HEADINGS.set(k, true);
    try {
      const d = await api(`/documents/${enc(k)}`);
      for (const s of d.sections || []) for (const m of s.measures) if (m.iri) HEADINGS.set(m.iri, m.heading);
    } catch (e) { /* headings are a nicety */ }
  }));
}

function linkChip(m) {
  const conf = m.confidence == null ? "" : `${Math.round(m.confidence * 100)}%`;
  const kind = EVIDENCE_KIND[m.evidence_kind] || m.evidence_kind || "";
  return `<span class="chip kind ${esc(m.evidence_kind || "")}" title="关联依据：${esc(kind)}；置信度 ${conf}">${esc(kind)} ${conf}</span>`;
}

function taskMeasures(t, skipIri) {
  const ms = (t.measures || []).filter(m => m.iri !== skipIri);
  if (!ms.length) return skipIri ? "" : '<span class="muted">未关联</span>';
  return ms.map(m => {
    const heading = HEADINGS.get(m.iri);
    return `<div class="implements"><a href="${hrefForIri(m.iri) || "#"}" title="${esc(m.doc_key)} 第 ${esc(m.number)} 条">措施 ${esc(m.number)}${
      typeof heading === "string" ? ` <span class="heading">${esc(heading)}</span>` : ""}</a> ${linkChip(m)}</div>`;
  }).join("");
}

function deadlineCell(t) {
  if (!t.deadline_text && !t.deadline) return '<span class="muted">未列明</span>';
  const ranged = t.deadline && /[—–~至-]|每年|上半年|下半年/.test(t.deadline_text || "");
  const iso = ranged ? `<div class="small muted">${esc(t.deadline)} 前</div>` : "";
  return `${esc(t.deadline_text || t.deadline)}${t.deadline ? "" : '<div class="small muted">（持续）</div>'}${iso}`;
}

/**
 * A table of tasks. opts: focus (an organisation IRI to emphasise), measure (the measure IRI of the page,
 * whose own link is then shown as its confidence only), attachment (false hides the attachment column).
 */
function tasksTable(tasks, opts = {}) {
  if (!tasks || !tasks.length) return `<p class="muted">${opts.empty || "无附件任务"}</p>`;
  const showAtt = opts.attachment !== false;
  const rows = tasks.map(t => {
    const own = opts.measure && (t.measures || []).find(m => m.iri === opts.measure);
    const ownCell = own ? `<div class="small muted">与本措施的关联：${linkChip(own)}</div>` : "";
    const others = taskMeasures(t, opts.measure);
    return `<tr class="task" data-row="${esc(t.row)}" data-deadline="${esc(t.deadline || "")}">
      ${showAtt ? `<td class="att"><a href="${docHref(t.attachment)}">${esc(t.attachment_title)}</a><div class="small muted">第 ${esc(t.row)} 项</div></td>` : `<td class="rowno">${esc(t.row)}</td>`}
      <td>${esc(t.text)}${ownCell}</td>
      <td>${taskUnits(t, opts.focus)}</td>
      <td class="due">${deadlineCell(t)}</td>
      <td class="measures">${others || (own ? '<span class="muted">—</span>' : "")}</td></tr>`;
  }).join("");
  return `<div class="table-wrap"><table class="tasks"><thead><tr><th>${showAtt ? "附件" : "序号"}</th><th>任务</th><th>单位</th><th>完成时限</th>
    <th>${opts.measure ? "还落实的措施" : "落实的措施"}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

let ORG_CACHE = null;
async function taskOrganisations() {
  if (!ORG_CACHE) {
    const all = await api("/tasks");
    const seen = new Map();
    for (const t of all) for (const r of Object.keys(TASK_ROLE)) for (const o of t[r] || []) seen.set(o.label, (seen.get(o.label) || 0) + 1);
    ORG_CACHE = [...seen].sort((a, b) => b[1] - a[1]).map(([l]) => l);
  }
  return ORG_CACHE;
}

async function pageTasks(main, params) {
  const org = params.get("org") || "", role = params.get("role") || "", due = params.get("due_by") || "";
  document.title = "附件任务";
  const query = new URLSearchParams();
  if (org) query.set("org", org);
  if (role) query.set("role", role);
  if (due) query.set("due_by", due);
  const offset = Number(params.get("offset") || 0), limit = 50;
  const [{ items: tasks, total }, orgs, entity] = await Promise.all([apiPage(`/tasks?${query}&offset=${offset}&limit=${limit}`),
    taskOrganisations().catch(() => []), org ? api(`/entities/${enc(org)}`).catch(() => null) : null]);
  await loadHeadings(tasks);
  const roleOpt = (v, t) => `<option value="${v}"${v === role ? " selected" : ""}>${t}</option>`;
  const dueChips = ["2021年底", "2022年6月", "2022年底", "2025年底"].map(d =>
    `<a class="chip" href="#/tasks?${new URLSearchParams(Object.assign({}, org && { org }, role && { role }, { due_by: d }))}">${d}前</a>`).join("");
  const what = [org && `“${org}”${role ? TASK_ROLE[role].replace("单位", "") : "参与"}的`, due && `${due}前到期的`].filter(Boolean).join("、");
  main.innerHTML = `<h1>附件任务</h1>
    <p class="muted">政策附件（任务清单、支持政策清单）中的每一项任务：牵头和责任单位、完成时限，以及它落实的正文措施。</p>
    <form id="task-filter" class="filters" aria-label="筛选任务">
      <label>单位 <input name="org" list="org-list" value="${esc(org)}" placeholder="如 保定市政府" autocomplete="off"></label>
      <datalist id="org-list">${orgs.map(o => `<option value="${esc(o)}">`).join("")}</datalist>
      <label>角色 <select name="role">${roleOpt("", "任意")}${roleOpt("lead", "牵头")}${roleOpt("responsible", "责任")}${roleOpt("support", "配合")}</select></label>
      <label>完成时限不晚于 <input name="due_by" value="${esc(due)}" placeholder="如 2022年底 或 2022-12-31" size="18"></label>
      <button type="submit">筛选</button> <a href="#/tasks">清除</a>
    </form>
    <p class="small">快捷时限：${dueChips}</p>
    <p id="task-count"><strong>${what ? what : "全部"}任务：共 ${total} 项</strong>${due ? '<span class="small muted">（“长期坚持”等无具体时限的任务不计入）</span>' : ""}
      ${total ? exportButtons(query.toString(), "tasks") : ""}</p>
    ${pager(total, offset, limit, o => withParams(params, { offset: o || null }))}
    ${tasksTable(tasks, { empty: "没有符合条件的任务。", focus: entity && entity.iri })}`;
  main.querySelector("#task-filter").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = new FormData(ev.target), q = new URLSearchParams();
    for (const k of ["org", "role", "due_by"]) { const v = String(f.get(k) || "").trim(); if (v) q.set(k, v); }
    location.hash = `#/tasks?${q}`;
  });
}
