/* Draws a Tejido network view from the JSON block the page carries. */
(function () {
  "use strict";
  var source = document.getElementById("tj-graph-data");
  var payload = JSON.parse(source.textContent);
  var container = document.getElementById("mynetwork");
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  window.network = network;
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-drawn", "true");
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
  });
})();
