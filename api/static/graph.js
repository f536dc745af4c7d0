// policykg web page: an entity's neighbourhood drawn with Cytoscape.js (vendor/cytoscape, MIT licence).
// Force-directed layout (cose) sized by the labels, then a pass that pushes apart any labels still
// overlapping; every node opens its page. Loaded before app.js.
"use strict";

const GRAPH_COLOR = { centre: "#d62828", document: "#7a5af5", measure: "#f0a500", industry: "#2a9d8f", place: "#8d6e63",
                      programme: "#e76f51", government_body: "#264653", other: "#1d5fbf" };
const GRAPH_LEGEND = [["中心实体", "centre"], ["措施", "measure"], ["文件", "document"], ["政府部门", "government_body"],
  ["院校/企业等机构", "other"], ["产业", "industry"], ["地区", "place"], ["项目/计划", "programme"]];

// A short label: a measure as "6. heading" without its document key, at most 9 characters (all on hover).
function nodeLabel(n) {
  let s = String(n.label || "");
  if (n.type === "measure") s = s.replace(/^\S+\s+/, "");
  return s.length > 9 ? s.slice(0, 8) + "…" : s;
}

// Push overlapping label boxes apart (model coordinates): each overlapping pair moves apart along the
// line between their centres, by just enough to clear the smaller overlap. Returns the passes needed.
function separateLabels(cy, pad = 6) {
  const nodes = cy.nodes().toArray();
  for (let pass = 0; pass < 200; pass++) {
    let moved = false;
    const boxes = nodes.map(n => n.boundingBox({ includeLabels: true }));
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + pad, oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + pad;
        if (ox <= 0 || oy <= 0) continue;
        moved = true;
        const pi = nodes[i].position(), pj = nodes[j].position();
        let dx = pj.x - pi.x, dy = pj.y - pi.y;
        if (!dx && !dy) { dx = 1; dy = 0.5; }
        const len = Math.hypot(dx, dy), step = Math.min(ox / Math.max(Math.abs(dx) / len, 0.2), oy / Math.max(Math.abs(dy) / len, 0.2)) / 2 + 1;
        const ux = dx / len * step, uy = dy / len * step;
        const fi = nodes[i].data("centre") ? 0 : 1, fj = nodes[j].data("centre") ? 0 : 1;  // the centre stays put
        const si = fi && fj ? 1 : 2 * fi, sj = fi && fj ? 1 : 2 * fj;
        nodes[i].position({ x: pi.x - ux * si, y: pi.y - uy * si }); nodes[j].position({ x: pj.x + ux * sj, y: pj.y + uy * sj });
        for (const [box, f, sx, sy] of [[a, si, -ux, -uy], [b, sj, ux, uy]]) { box.x1 += sx * f; box.x2 += sx * f; box.y1 += sy * f; box.y2 += sy * f; }
      }
    }
    if (!moved) return pass;
  }
  return -1;
}

// The number of pairs of node labels whose boxes overlap (0 when readable); used by the tests too.
function labelOverlaps(cy) {
  const boxes = cy.nodes().map(n => n.boundingBox({ includeLabels: true }));
  let count = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (Math.min(a.x2, b.x2) > Math.max(a.x1, b.x1) && Math.min(a.y2, b.y2) > Math.max(a.y1, b.y1)) count++;
  }
  return count;
}

function drawGraph(box, g, centre) {
  if (typeof cytoscape !== "function") { box.innerHTML = '<p class="muted">绘图组件未能加载。</p>'; return; }
  const ids = new Set(g.nodes.map(n => n.id));
  const elements = [
    ...g.nodes.map(n => ({ data: { id: n.id, label: n.id === centre ? n.label : nodeLabel(n), full: `${typeName(n.type)}：${n.label}`,
      color: GRAPH_COLOR[n.id === centre ? "centre" : n.type] || GRAPH_COLOR.other, centre: n.id === centre ? 1 : 0 } })),
    ...g.edges.filter(e => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, label: zh("role", e.label) } })),
  ];
  box.innerHTML = `<div class="graph" id="graph-canvas" role="img" aria-label="实体在图谱中的邻域：${g.nodes.length} 个节点"></div>
    <p class="legend">${GRAPH_LEGEND.map(([t, c]) => `<span><i style="background:${GRAPH_COLOR[c]}"></i>${t}</span>`).join("")}</p>
    <p class="small muted" id="graph-info">点击节点打开它的页面；滚轮缩放，拖动平移。</p>`;
  const cy = cytoscape({
    container: box.querySelector("#graph-canvas"), elements, wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3,
    style: [
      { selector: "node", style: { "background-color": "data(color)", width: 12, height: 12, label: "data(label)",
        "font-size": 12, "font-family": "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif",
        "text-valign": "bottom", "text-margin-y": 3, color: "#1d2430", "text-background-color": "#fff",
        "text-background-opacity": 0.85, "text-background-padding": 1 } },
      { selector: "node[centre = 1]", style: { width: 20, height: 20, "font-size": 14, "font-weight": "bold" } },
      { selector: "edge", style: { width: 1, "line-color": "#b7c0cc", "curve-style": "straight" } },
      { selector: "node:active, node.hover", style: { "overlay-opacity": 0.15 } },
    ],
    layout: { name: "preset" },
  });
  const el = box.querySelector("#graph-canvas");
  const layout = cy.layout({ name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: true,
    nodeRepulsion: () => 60000, idealEdgeLength: () => 60, nodeOverlap: 40, gravity: 4, numIter: 2500, fit: false,
    boundingBox: { x1: 0, y1: 0, w: el.clientWidth || 1000, h: el.clientHeight || 560 } });
  layout.run();
  separateLabels(cy);
  cy.fit(undefined, 20);
  const info = box.querySelector("#graph-info");
  cy.on("tap", "node", ev => { const h = hrefForIri(ev.target.id()); if (h) location.hash = h; });
  cy.on("mouseover", "node", ev => { info.textContent = ev.target.data("full"); box.querySelector("#graph-canvas").style.cursor = "pointer"; });
  cy.on("mouseout", "node", () => { box.querySelector("#graph-canvas").style.cursor = ""; });
  window.policykgGraph = cy;  // for tests and the curious
}
