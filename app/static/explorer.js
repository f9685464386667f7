/* The explorer's small behaviours: search as you type on the front page (the server renders
   the results), and the copy
   button of the iframe snippets. Search results are HTML rendered and escaped by the
   server; nothing else from the server is set as HTML. */
(function () {
  "use strict";
  var body = document.body;
  var root = body.getAttribute("data-root") || "";

  function setupSearch() {
    var form = document.getElementById("tj-search-form");
    var input = document.getElementById("tj-search");
    if (!form || !input) { return; }
    var sequence = 0;
    var timer = null;

    function params() {
      var found = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value && field.value.trim()) { found.set(field.name, field.value.trim()); }
      });
      return found;
    }

    /* The server renders the results (one renderer); this swaps them in and keeps the
       address in step, so the search is a link. */
    function run() {
      var query = params();
      sequence += 1;
      var mine = sequence;
      var address = root + "/" + (query.toString() ? "?" + query.toString() : "");
      history.replaceState(null, "", address);
      query.set("fragment", "results");
      fetch(root + "/?" + query.toString(), { headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.text();
        })
        .then(function (html) {
          if (mine !== sequence) { return; }
          var block = document.getElementById("tj-results-block");
          var holder = document.createElement("div");
          holder.innerHTML = html;  /* rendered and escaped by the server's templates */
          var fresh = holder.querySelector("#tj-results-block");
          if (block && fresh) { block.replaceWith(fresh); }
          body.setAttribute("data-searched", String(mine));
        })
        .catch(function (error) {
          if (mine !== sequence) { return; }
          var status = document.getElementById("tj-search-status");
          if (status) { status.textContent = "La búsqueda falló (" + error.message + ")."; }
          body.setAttribute("data-searched", String(mine));
        });
    }

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(run, 200);
    }

    input.addEventListener("input", schedule);
    Array.prototype.forEach.call(form.querySelectorAll("input[type=text]"), function (field) {
      field.addEventListener("input", schedule);
    });
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      select.addEventListener("change", run);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    body.setAttribute("data-searched", "0");
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

  /* Reviewers' verdicts on the duplication page: each form posts its pair or cluster to
     POST /verdicts with the write token typed once on the page (kept for this tab only),
     then reloads the list, which shows the verdict. */
  function setupVerdicts() {
    var token = document.getElementById("tj-verdict-token");
    if (!token) { return; }
    token.value = sessionStorage.getItem("tejido-token") || "";
    Array.prototype.forEach.call(document.querySelectorAll("form.tj-verdict-form"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var status = form.querySelector(".tj-verdict-status");
        sessionStorage.setItem("tejido-token", token.value.trim());
        fetch(root + "/verdicts", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token.value.trim() },
          body: JSON.stringify({
            members: form.getAttribute("data-members").split(" "),
            verdict: form.elements.verdict.value,
            note: form.elements.note.value
          })
        }).then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          window.location.reload();
        }).catch(function (error) {
          if (status) { status.textContent = "No se pudo guardar (" + error.message + ")."; }
        });
      });
    });
  }

  setupSearch();
  setupCopyButtons();
  setupVerdicts();
})();
