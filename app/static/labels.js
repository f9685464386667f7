/* Names a reader can read, at any zoom, that never print over each other.

   vis-network skips a label whose font is under a few pixels on screen, which every label
   of a fitted view of a hundred nodes is. So the font grows as the view zooms out (never
   below the view's own size), each name showing at READABLE_PX or more on screen; and the
   names are placed by importance (groups of leaves and the selected node first, then the
   most connected):
   a name whose box would cover one already placed, or cross the edge of the view, is left
   out until a zoom or a move makes room.
   Every node keeps its name in its tooltip. Used by network.js and report.js; the network's
   holder gets data-labels-shown with how many names are drawn. */
window.tejidoReadableLabels = function (network, base) {
  "use strict";
  var READABLE_PX = 12;
  var PAD_PX = 3;                       /* screen pixels kept clear around a name */
  var nodes = network.body.data.nodes;
  var names = {};                        /* id -> the name the page gave the node */
  var measure = document.createElement("canvas").getContext("2d");
  var size = null;
  var placedFor = null;

  function learnNames() {
    nodes.forEach(function (node) {
      if (node.label && !(node.id in names)) { names[node.id] = node.label; }
    });
  }

  function priority(id, selected) {
    if (network.isCluster(id) || selected[id]) { return Infinity; }
    var node = nodes.get(id);
    return node && typeof node.rank === "number" ? node.rank : 0;
  }

  function box(id, position, font) {
    var body = network.body.nodes[id];
    var text = network.isCluster(id) ? body.options.label : names[id];
    measure.font = font + "px sans-serif";
    var half = measure.measureText(text || "").width / 2;
    var pad = PAD_PX / network.getScale();
    var top = network.isCluster(id) ? position.y - font : position.y + (body.options.size || 0);
    return { left: position.x - half - pad, right: position.x + half + pad,
             top: top - pad, bottom: top + font * 1.3 + pad };
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function place(font) {
    learnNames();
    var visible = network.body.nodeIndices.slice();
    var centre = network.getViewPosition();
    var chosen = network.getSelectedNodes();
    var selected = {};
    chosen.forEach(function (id) { selected[id] = true; });
    var key = [font, visible.length, Math.round(network.getScale() * 1000),
               Math.round(centre.x), Math.round(centre.y), chosen.join(",")].join(":");
    if (key === placedFor) { return; }
    placedFor = key;
    var candidates = visible.filter(function (id) {
      return network.isCluster(id) || names[id];
    });
    candidates.sort(function (a, b) {
      return priority(b, selected) - priority(a, selected) || (a < b ? -1 : a > b ? 1 : 0);
    });
    var positions = network.getPositions(candidates);
    var canvas = network.canvas.frame.canvas;
    var corner = network.DOMtoCanvas({ x: 0, y: 0 });
    var far = network.DOMtoCanvas({ x: canvas.clientWidth, y: canvas.clientHeight });
    function inView(b) {  /* a name cut by the edge of the view is not a name */
      return b.left >= corner.x && b.right <= far.x && b.top >= corner.y && b.bottom <= far.y;
    }
    var kept = [];
    var changes = [];
    candidates.forEach(function (id) {
      var mine = box(id, positions[id], font);
      var free = network.isCluster(id) || (inView(mine) &&
                 !kept.some(function (other) { return overlaps(mine, other); }));
      if (free) { kept.push(mine); }
      if (network.isCluster(id)) { return; }
      var wanted = free ? names[id] : "";
      if (nodes.get(id).label !== wanted) { changes.push({ id: id, label: wanted }); }
    });
    if (changes.length) { nodes.update(changes); }
    var holder = network.body.container;
    holder.setAttribute("data-labels-shown", String(kept.length));
  }

  function adjust() {
    var scale = network.getScale();
    if (!(scale > 0)) { return; }
    var wanted = Math.max(base || 14, Math.ceil(READABLE_PX / scale));
    if (wanted !== size) {
      size = wanted;
      network.setOptions({ nodes: { font: { size: wanted } } });
      return;  /* the options redraw the network, which comes back here */
    }
    place(size);
  }
  network.on("afterDrawing", adjust);  /* after a fit, a zoom or an expansion alike */
};
