/* Clicks on an explorer page's network (drawn by network.js as window.network).
   data-mode="open": a click on a node opens its page.
   data-mode="expand": a click opens the node in place: the page asks data-expand-url,
   with every node opened so far as open=<id>, for the graph it should now show, adds
   what it lacks, and shows a link to the node's page; a double click opens the page.
   After each expansion the body gets data-expanded="<id>" and data-expansions="<n>". */
(function () {
  "use strict";
  var network = window.network;
  var holder = document.getElementById("tj-graph");
  if (!network || !holder) { return; }
  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var mode = holder.getAttribute("data-mode") || "open";
  var template = holder.getAttribute("data-expand-url") || "";
  var cap = parseInt(holder.getAttribute("data-cap"), 10) || 2000;
  var nodes = network.body.data.nodes;
  var edges = network.body.data.edges;
  var count = document.getElementById("tj-node-count");
  var notice = document.getElementById("tj-graph-notice");
  var selection = document.getElementById("tj-selection");
  var selectionLink = document.getElementById("tj-selection-link");
  var DOUBLE_CLICK_MS = 350;
  var opened = (holder.getAttribute("data-opened") || "").split(",").filter(Boolean);
  var expansions = 0;

  function entityUrl(id) {
    return root + "/explore/entity/" + encodeURIComponent(id);
  }

  function open(id) {
    window.location.assign(entityUrl(id));
  }

  function fullName(id) {
    var node = nodes.get(id);
    var title = node && typeof node.title === "string" ? node.title : "";
    return title ? title.split("\n")[0] : id;
  }

  function select(id) {
    if (!selection) { return; }
    selectionLink.textContent = fullName(id);
    selectionLink.href = entityUrl(id);
    selection.hidden = false;
  }

  function say(message) {
    if (!notice) { return; }
    notice.textContent = message;
    notice.hidden = !message;
  }

  function place(centre, added) {
    // New nodes fan out from the opened node, on the side away from the rest of the graph.
    if (!added.length) { return; }
    var positions = network.getPositions();
    var origin = positions[centre] || { x: 0, y: 0 };
    var ids = Object.keys(positions);
    var cx = 0;
    var cy = 0;
    ids.forEach(function (key) { cx += positions[key].x; cy += positions[key].y; });
    cx /= Math.max(ids.length, 1);
    cy /= Math.max(ids.length, 1);
    var away = Math.hypot(origin.x - cx, origin.y - cy) < 1 ? -Math.PI / 2
      : Math.atan2(origin.y - cy, origin.x - cx);
    var spread = Math.min(2 * Math.PI, Math.max(Math.PI / 2, added.length * 0.45));
    var steps = spread >= 2 * Math.PI ? added.length : Math.max(added.length - 1, 1);
    var radius = 170 + 10 * added.length;
    added.forEach(function (node, k) {
      var angle = added.length === 1 ? away : away - spread / 2 + (spread * k) / steps;
      node.x = origin.x + radius * Math.cos(angle);
      node.y = origin.y + radius * Math.sin(angle);
    });
  }

  /* The legend lists only what is drawn: an expansion adds the levels, entity types and
     relationship types it brought. */
  function extendList(selector, attribute, entries, draw) {
    var list = document.querySelector("#tj-legend " + selector);
    if (!list || !entries) { return; }
    entries.forEach(function (entry) {
      var known = Array.prototype.some.call(list.children, function (item) {
        return item.getAttribute(attribute) === entry.key;
      });
      if (known) { return; }
      var item = document.createElement("li");
      item.setAttribute(attribute, entry.key);
      item.appendChild(draw(entry));
      item.appendChild(document.createTextNode(entry.name));
      list.appendChild(item);
    });
    var title = list.previousElementSibling;
    if (title && list.children.length) { title.hidden = false; }
  }

  function extendLegend(legend) {
    if (!legend) { return; }
    extendList("ul.tj-legend-levels", "data-level", legend.levels, function (entry) {
      var swatch = document.createElement("span");
      swatch.className = "tx-swatch";
      swatch.style.backgroundColor = entry.colour;
      return swatch;
    });
    extendList("ul.tj-legend-labels", "data-label", legend.labels, function (entry) {
      var glyph = document.createElement("span");
      glyph.className = "tx-glyph";
      glyph.setAttribute("aria-hidden", "true");
      glyph.textContent = entry.glyph;
      return glyph;
    });
    extendList("ul.tj-legend-relations", "data-relation", legend.relations, function (entry) {
      var line = document.createElement("span");
      line.className = "tx-line";
      line.style.borderTop = "3px " + entry.line + " " + entry.colour;
      return line;
    });
  }

  /* The opened nodes are kept in the address: the expanded view is a link. */
  function remember() {
    var params = new URLSearchParams(window.location.search);
    params.set("open", opened.join(","));
    history.replaceState(null, "", window.location.pathname + "?" + params.toString() +
                         window.location.hash);
  }

  function expand(id) {
    if (opened.indexOf(id) >= 0 || !template) { return; }
    opened.push(id);
    var query = opened.map(function (node) { return "open=" + encodeURIComponent(node); });
    fetch(template + "&" + query.join("&"), { headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var room = cap - nodes.length;
        var fresh = data.nodes.filter(function (node) { return !nodes.get(node.id); });
        var added = fresh.slice(0, Math.max(room, 0));
        place(id, added);
        nodes.add(added);
        var newEdges = data.edges.filter(function (edge) {
          return !edges.get(edge.id) && nodes.get(edge.from) && nodes.get(edge.to);
        });
        edges.add(newEdges);
        extendLegend(data.legend);
        if (added.length) { network.fit({ animation: false }); }
        if (fresh.length > added.length) {
          say("Se alcanzó el máximo de " + cap + " nodos de una vista: " +
              (fresh.length - added.length) + " vecinos no se agregaron.");
        }
        if (count) { count.textContent = String(nodes.length); }
        expansions += 1;
        remember();
        body.setAttribute("data-expanded", id);
        body.setAttribute("data-expansions", String(expansions));
      })
      .catch(function (error) {
        opened.splice(opened.indexOf(id), 1);
        say("No se pudo expandir el nodo (" + error.message + ").");
      });
  }

  // A click opens the node in place only once no second click follows: the first click of
  // a double click must not move the graph under the pointer.
  var pending = null;

  function cancelPending() {
    if (pending) { clearTimeout(pending); pending = null; }
  }

  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    if (window.tejidoIsCluster && window.tejidoIsCluster(id)) { return; }  /* network.js opens it */
    if (mode !== "expand") {
      open(id);
      return;
    }
    select(id);
    cancelPending();
    pending = setTimeout(function () { pending = null; expand(id); }, DOUBLE_CLICK_MS);
  });
  if (mode === "expand") {
    network.on("doubleClick", function (params) {
      cancelPending();
      var id = params.nodes.length ? params.nodes[0] : null;
      if (id !== null && !(window.tejidoIsCluster && window.tejidoIsCluster(id))) { open(id); }
    });
  }
  body.setAttribute("data-graph-ready", "true");
})();
