/* The explorer's small behaviours: search as you type on the front page, and the copy
   button of the iframe snippets. Text from the server is only ever set as textContent. */
(function () {
  "use strict";
  var body = document.body;
  var root = body.getAttribute("data-root") || "";

  function entityUrl(id) {
    return root + "/explore/entity/" + encodeURIComponent(id);
  }

  function optionText(select, value) {
    if (!select || !value) { return ""; }
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === value) { return select.options[i].textContent; }
    }
    return value;
  }

  function setupSearch() {
    var input = document.getElementById("tj-search");
    if (!input) { return; }
    var list = document.getElementById("tj-results");
    var status = document.getElementById("tj-search-status");
    var selects = {
      type: document.getElementById("tj-filter-type"),
      level: document.getElementById("tj-filter-level"),
      country: document.getElementById("tj-filter-country"),
      theme: document.getElementById("tj-filter-theme"),
      territory: document.getElementById("tj-filter-territory")
    };
    var sequence = 0;
    var timer = null;

    function render(items, query) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = entityUrl(item.id);
        link.className = "tj-result";
        link.textContent = item.name;
        li.appendChild(link);
        var facts = [optionText(selects.type, item.label) || item.label];
        if (item.acronym) { facts.push(item.acronym); }
        facts.push(item.level ? optionText(selects.level, item.level) : "sin nivel");
        if (item.territory) { facts.push(item.territory); }
        if (item.country) { facts.push(item.country); }
        var meta = document.createElement("span");
        meta.className = "tx-meta";
        meta.textContent = facts.join(" · ");
        li.appendChild(meta);
        list.appendChild(li);
      });
      status.textContent = items.length ? items.length + (items.length === 1 ? " resultado" : " resultados")
        : "Sin resultados.";
      list.setAttribute("data-query", query);
      body.setAttribute("data-searched", String(sequence));
    }

    function run() {
      var query = input.value.trim();
      var params = new URLSearchParams();
      var filtered = false;
      if (query) { params.set("q", query); }
      Object.keys(selects).forEach(function (name) {
        var value = selects[name] && selects[name].value;
        if (value) { params.set(name, value); filtered = true; }
      });
      sequence += 1;
      var mine = sequence;
      if (!query && !filtered) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        status.textContent = "Escriba para buscar o elija un filtro.";
        body.setAttribute("data-searched", String(mine));
        return;
      }
      params.set("limit", "25");
      var endpoint = params.has("theme") || params.has("territory")
        ? root + "/explore/search" : root + "/entities";
      status.textContent = "Buscando…";
      fetch(endpoint + "?" + params.toString(), { headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (page) { if (mine === sequence) { render(page.items, query); } })
        .catch(function (error) {
          if (mine === sequence) {
            status.textContent = "La búsqueda falló (" + error.message + ").";
            body.setAttribute("data-searched", String(mine));
          }
        });
    }

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(run, 150);
    }

    input.addEventListener("input", schedule);
    Object.keys(selects).forEach(function (name) {
      if (selects[name]) { selects[name].addEventListener("change", run); }
    });
    if (selects.territory) { selects.territory.addEventListener("input", schedule); }
    if (input.value) { run(); }
  }

  function setupCopyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy"));
        if (!field) { return; }
        field.focus();
        field.select();
        var done = function () { button.textContent = "Copiado"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(done, function () {});
        }
      });
    });
  }

  setupSearch();
  setupCopyButtons();
})();
