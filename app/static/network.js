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
