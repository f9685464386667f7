/* Clicks on an explorer page's network (drawn by network.js as window.network).
   data-mode="open": a click on a node opens its page.
   data-mode="expand": a click adds the node's neighbours (fetched from data-expand-url,
   with {id} replaced) and shows a link to its page; a double click opens the page.
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
  var expanded = {};
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
    var origin = network.getPositions([centre])[centre] || { x: 0, y: 0 };
    var radius = 140 + 12 * added.length;
    added.forEach(function (node, k) {
      var angle = (2 * Math.PI * k) / added.length;
      node.x = origin.x + radius * Math.cos(angle);
      node.y = origin.y + radius * Math.sin(angle);
    });
  }

  function expand(id) {
    if (expanded[id] || !template) { return; }
    expanded[id] = true;
    fetch(template.replace("{id}", encodeURIComponent(id)) + "?depth=1",
          { headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var room = cap - nodes.length;
        var fresh = data.nodes.filter(function (node) { return !nodes.get(node.id); });
        var added = fresh.slice(0, Math.max(room, 0));
        added.forEach(function (node) { node.size = 16; node.borderWidth = 1; });
        place(id, added);
        nodes.add(added);
        var newEdges = data.edges.filter(function (edge) {
          return !edges.get(edge.id) && nodes.get(edge.from) && nodes.get(edge.to);
        });
        edges.add(newEdges);
        if (fresh.length > added.length) {
          say("Se alcanzó el máximo de " + cap + " nodos de una vista: " +
              (fresh.length - added.length) + " vecinos no se agregaron.");
        }
        if (count) { count.textContent = String(nodes.length); }
        expansions += 1;
        body.setAttribute("data-expanded", id);
        body.setAttribute("data-expansions", String(expansions));
      })
      .catch(function (error) {
        expanded[id] = false;
        say("No se pudo expandir el nodo (" + error.message + ").");
      });
  }

  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    if (mode === "expand") {
      select(id);
      expand(id);
    } else {
      open(id);
    }
  });
  if (mode === "expand") {
    network.on("doubleClick", function (params) {
      if (params.nodes.length) { open(params.nodes[0]); }
    });
  }
  body.setAttribute("data-graph-ready", "true");
})();
