/* Draws a Tejido network view from the JSON block the page carries.
   The body gets data-drawn="true" once the network is first drawn and data-stable="true"
   once nodes stop moving (at once when positions were computed on the server). */
(function () {
  "use strict";
  var source = document.getElementById("tj-graph-data");
  var payload = JSON.parse(source.textContent);
  var container = document.getElementById("mynetwork");
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  var physics = Boolean(payload.options.physics && payload.options.physics.enabled);
  window.network = network;
  window.tejidoReadableLabels(network, payload.options.nodes && payload.options.nodes.font &&
                              payload.options.nodes.font.size);

  /* Groups of leaves arrive collapsed into one node each; a click opens one. The body's
     data-clusters says how many are still closed. */
  var clusters = payload.clusters || [];
  clusters.forEach(function (group) {
    var members = {};
    group.members.forEach(function (id) { members[id] = true; });
    network.cluster({
      joinCondition: function (node) { return members[node.id] === true; },
      clusterNodeProperties: {
        id: group.id, label: group.label, title: group.title, shape: "box",
        color: { background: "#eeeeee", border: "#8c8c8c" }
      }
    });
  });
  var closed = {};
  clusters.forEach(function (group) { closed[group.id] = true; });
  function countClusters() {
    document.body.setAttribute("data-clusters", String(Object.keys(closed).length));
  }
  countClusters();
  network.on("click", function (params) {
    var id = params.nodes.length ? params.nodes[0] : null;
    if (id !== null && closed[id]) {
      network.openCluster(id);
      delete closed[id];
      countClusters();
    }
  });
  window.tejidoIsCluster = function (id) { return closed[id] === true; };

  function markStable() {
    document.body.setAttribute("data-stable", "true");
  }

  network.once("afterDrawing", function () {
    document.body.setAttribute("data-drawn", "true");
    if (!physics) {
      markStable();
    }
  });
  if (physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markStable();
    });
  }
})();
