/* Draws every network of a Tejido report from the JSON block its container names
   (data-tj-network). Each container gets data-drawn="true" once it is drawn and still;
   the body gets data-stable="true" when all are. The networks are window.tejidoNetworks. */
(function () {
  "use strict";
  var holders = Array.prototype.slice.call(document.querySelectorAll("[data-tj-network]"));
  var remaining = holders.length;
  window.tejidoNetworks = {};

  function finished(holder) {
    holder.setAttribute("data-drawn", "true");
    remaining -= 1;
    if (remaining === 0) {
      document.body.setAttribute("data-stable", "true");
    }
  }

  holders.forEach(function (holder) {
    var source = document.getElementById(holder.getAttribute("data-tj-network"));
    var payload = JSON.parse(source.textContent);
    var network = new vis.Network(
      holder,
      { nodes: new vis.DataSet(payload.nodes), edges: new vis.DataSet(payload.edges) },
      payload.options
    );
    window.tejidoNetworks[holder.id] = network;
    window.tejidoReadableLabels(network, payload.options.nodes && payload.options.nodes.font &&
                                payload.options.nodes.font.size);
    var physics = Boolean(payload.options.physics && payload.options.physics.enabled);
    if (physics) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        network.fit();
        finished(holder);
      });
    } else {
      network.once("afterDrawing", function () { finished(holder); });
    }
  });
  if (remaining === 0) {
    document.body.setAttribute("data-stable", "true");
  }
})();
