"""Views benchmark: a 2,000-node view generated in Python and drawn in headless Chromium.

    .venv/bin/python -m bench.views [--nodes 2000] [--repeats 5]

The view is the neighbourhood (depth 2, capped at ``--nodes``) of the country in a
synthetic inventory (bench/synthetic.py), as the explorer and ``tejido export view`` make
it. Measured:

1. generation, in Python, for each server-side layout (``auto`` is radial at this size,
   ``layered`` is the layout by governance level): choosing the nodes
   (``queries.exploration.neighbourhood``), building the styled vis-network data with
   computed positions (``app.views.network.build_network``), and rendering the standalone
   HTML file with vis-network inlined (``app.views.view_page.render_view_page``); the
   median of ``--repeats`` runs after a warm-up;
2. drawing, in Debian's headless Chromium (``/usr/bin/chromium``) with its network cut:
   the file opened from disk, timed inside the page from the start of navigation to the
   first frame drawn and to the moment the page says it is still (physics is off above
   300 nodes, so both come at once); the median of ``--repeats`` loads, each in a new tab.

Targets: generation under 0.5 s, drawing under 3 s. Results are written to
``bench/results/views.json`` and ``bench/results/views.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.views.network import LAYOUTS, Layout, build_network, resolve_layout  # noqa: E402
from app.views.view_page import render_view_page  # noqa: E402
from bench.machine import load_average  # noqa: E402
from bench.synthetic import InventoryShape, SeedProgramme, synthetic_inventory  # noqa: E402
from graph.model import entity_id  # noqa: E402
from queries.exploration import neighbourhood  # noqa: E402

TARGET_GENERATE_S = 0.5
TARGET_DRAW_S = 3.0
RESULTS = ROOT / "bench" / "results"
LAYOUTS_MEASURED: tuple[Layout, ...] = ("auto", "layered")
SEEDS: tuple[SeedProgramme, ...] = (
    SeedProgramme(name="Becas", objective="Otorgar becas económicas a estudiantes de "
                  "educación básica", agency="Secretaría de Educación", state="Jalisco",
                  target_groups=("Estudiantes",), support_types=("Becas",)),
    SeedProgramme(name="Huertos", objective="Promover huertos familiares para mejorar la "
                  "alimentación de las familias rurales", agency="Secretaría de Desarrollo "
                  "Rural", state="Oaxaca", target_groups=("Productores agrícolas",)),
    SeedProgramme(name="Emprende", objective="Apoyar con capital semilla a emprendedores para "
                  "crear nuevos negocios", agency="Secretaría de Economía", state="Puebla",
                  target_groups=("Emprendedores",), support_types=("Subsidios",)),
)
STATES = ("Jalisco", "Oaxaca", "Puebla", "Chiapas", "Sonora", "Yucatán")
# Set before any page script runs: the moments the page marks itself drawn and still.
TIMING_PROBE = """
(function () {
  var seen = {};
  new MutationObserver(function () {
    var body = document.body;
    if (!body) { return; }
    ["drawn", "stable"].forEach(function (key) {
      if (body.dataset[key] === "true" && !(key in seen)) {
        seen[key] = performance.now();
        window.__tejidoTimes = seen;
      }
    });
  }).observe(document, { attributes: true, subtree: true,
                         attributeFilter: ["data-drawn", "data-stable"] });
})();
"""


def median_seconds(run: Callable[[], Any], repeats: int) -> tuple[float, list[float], Any]:
    """Median wall-clock seconds of ``repeats`` runs after one warm-up, and the last value."""
    value = run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, value


def the_view_graph(nodes: int):  # type: ignore[no-untyped-def]
    """The synthetic inventory, large enough that the country's depth-2 neighbourhood fills
    ``nodes`` nodes, and the id of the country."""
    shape = InventoryShape(instruments=max(nodes, 1000), municipalities_per_state=60,
                           states=STATES, seed=11)
    graph = synthetic_inventory(SEEDS, shape)
    return graph, entity_id("Territory", "México", "mx")


def generate(graph, centre: str, nodes: int, layout: Layout) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Time the three steps of one view and return them with the HTML."""
    start = time.perf_counter()
    subgraph = neighbourhood(graph, centre, depth=2, limit=nodes)
    chosen = time.perf_counter()
    net = build_network(subgraph, layout)
    built = time.perf_counter()
    html = render_view_page(net, title="Vista de prueba", heading="Vista de prueba",
                            summary=f"{len(subgraph.nodes)} nodos", standalone=True)
    rendered = time.perf_counter()
    return {
        "select_s": chosen - start,
        "build_s": built - chosen,
        "render_s": rendered - built,
        "total_s": rendered - start,
        "nodes": len(subgraph.nodes),
        "edges": len(subgraph.edges),
        "layout": resolve_layout(layout, len(subgraph.nodes)),
        "html": html,
    }


def measure_generation(graph, centre: str, nodes: int, layout: Layout,  # type: ignore[no-untyped-def]
                       repeats: int) -> dict[str, Any]:
    """Median of each step over ``repeats`` runs (after a warm-up run)."""
    runs = [generate(graph, centre, nodes, layout) for _ in range(repeats + 1)][1:]
    last = runs[-1]
    return {
        "layout": last["layout"],
        "nodes": last["nodes"],
        "edges": last["edges"],
        "html_mb": round(len(last["html"].encode("utf-8")) / 1_000_000, 2),
        **{key: round(statistics.median(r[key] for r in runs), 4)
           for key in ("select_s", "build_s", "render_s", "total_s")},
        "total_runs_s": [round(r["total_s"], 4) for r in runs],
        "html": last["html"],
    }


def measure_drawing(html: str, expected_nodes: int, repeats: int) -> dict[str, Any]:
    """Median times from navigation to first drawing and to a still page, in Chromium."""
    from tests.browser.chromium import CHROMIUM, Chromium

    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} is absent (apt-get install chromium)"}
    drawn: list[float] = []
    still: list[float] = []
    counts: list[int] = []
    with tempfile.TemporaryDirectory(prefix="tejido-bench-") as folder, Chromium() as browser:
        path = Path(folder) / "view.html"
        path.write_text(html, encoding="utf-8")
        for run in range(repeats + 1):
            page = browser.new_page()
            try:
                page.send("Network.emulateNetworkConditions", offline=True, latency=0,
                          downloadThroughput=-1, uploadThroughput=-1)
                page.send("Page.addScriptToEvaluateOnNewDocument", source=TIMING_PROBE)
                page.open(path.as_uri())
                page.wait_until("window.__tejidoTimes && window.__tejidoTimes.stable", 60)
                times = page.evaluate("JSON.stringify(window.__tejidoTimes)")
                count = page.evaluate("network.body.data.nodes.length")
                errors = page.errors()
            finally:
                browser.close_page(page)
            if errors:
                raise RuntimeError(f"the view logged errors: {errors[:3]}")
            if run == 0:
                continue  # warm-up: the first load also starts the renderer
            seen = json.loads(times)
            drawn.append(seen["drawn"] / 1000)
            still.append(seen["stable"] / 1000)
            counts.append(count)
    if set(counts) != {expected_nodes}:
        raise RuntimeError(f"Chromium drew {counts} nodes, expected {expected_nodes}")
    return {
        "drawn_s": round(statistics.median(drawn), 3),
        "stable_s": round(statistics.median(still), 3),
        "stable_runs_s": [round(v, 3) for v in still],
        "nodes_drawn": counts[0],
    }


def run(nodes: int, repeats: int, out_dir: Path) -> dict[str, Any]:
    """Measure, write the JSON and Markdown results, and return them."""
    load_start = load_average()
    start = time.perf_counter()
    graph, centre = the_view_graph(nodes)
    build_graph_s = time.perf_counter() - start
    layouts = {}
    for layout in LAYOUTS_MEASURED:
        generation = measure_generation(graph, centre, nodes, layout, repeats)
        html = generation.pop("html")
        drawing = measure_drawing(html, generation["nodes"], repeats)
        layouts[layout] = {"generation": generation, "drawing": drawing}
    worst_generate = max(v["generation"]["total_s"] for v in layouts.values())
    draws = [v["drawing"].get("stable_s") for v in layouts.values()]
    worst_draw = max((d for d in draws if d is not None), default=None)
    results = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "logical_cpus": os.cpu_count(),
            "load_average_start": load_start,
            "load_average_end": load_average(),
        },
        "graph": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                  "built_s": round(build_graph_s, 2), "centre": centre},
        "view_nodes": nodes,
        "repeats": repeats,
        "targets": {"generate_s": TARGET_GENERATE_S, "draw_s": TARGET_DRAW_S},
        "layouts": layouts,
        "summary": {
            "generate_s": worst_generate,
            "draw_s": worst_draw,
            "meets_generate_target": worst_generate < TARGET_GENERATE_S,
            "meets_draw_target": worst_draw is not None and worst_draw < TARGET_DRAW_S,
        },
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "views.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    (out_dir / "views.md").write_text(render_markdown(results), encoding="utf-8")
    return results





def _verdict(ok: bool) -> str:
    return "meets target" if ok else "**misses target**"


def render_markdown(results: dict[str, Any]) -> str:
    """The results as a short Markdown report."""
    machine = results["machine"]
    targets = results["targets"]
    graph = results["graph"]
    lines = [
        "# Views benchmark",
        "",
        f"Written by `bench/views.py` on {machine['platform']}, Python {machine['python']}, "
        f"{machine['logical_cpus']} logical CPUs; load average {machine['load_average_start']} "
        f"at the start, {machine['load_average_end']} at the end. Medians of "
        f"{results['repeats']} runs after a warm-up.",
        "",
        f"The view: the depth-2 neighbourhood of `{graph['centre']}` in a synthetic inventory "
        f"of {graph['nodes']:,} entities and {graph['edges']:,} relations, capped at "
        f"{results['view_nodes']:,} nodes; one standalone HTML file with vis-network inlined, "
        "drawn from disk in headless Chromium with its network cut.",
        "",
        "| layout | nodes | edges | select | build (styles, positions) | render HTML | "
        f"generated (< {targets['generate_s']} s) | file | first frame | "
        f"still (< {targets['draw_s']} s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, measured in results["layouts"].items():
        gen = measured["generation"]
        draw = measured["drawing"]
        if "skipped" in draw:
            drawn = still = draw["skipped"]
        else:
            drawn = f"{draw['drawn_s']:.2f} s"
            still = f"{draw['stable_s']:.2f} s: {_verdict(draw['stable_s'] < targets['draw_s'])}"
        lines.append(
            f"| {name} ({gen['layout']}) | {gen['nodes']:,} | {gen['edges']:,} | "
            f"{gen['select_s'] * 1000:.0f} ms | {gen['build_s'] * 1000:.0f} ms | "
            f"{gen['render_s'] * 1000:.0f} ms | {gen['total_s'] * 1000:.0f} ms: "
            f"{_verdict(gen['total_s'] < targets['generate_s'])} | {gen['html_mb']} MB | "
            f"{drawn} | {still} |"
        )
    lines += [
        "",
        "Physics is off above 300 nodes: positions come from Python (radial rings by distance "
        "from the centre, or bands by governance level), so the page draws once and is still. "
        "Times in the browser run from the start of navigation, inside the page.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``--nodes``, ``--repeats``, ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000, help="nodes of the view")
    parser.add_argument("--repeats", type=int, default=5, help="measured runs of each step")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the results")
    args = parser.parse_args(argv)
    if args.nodes < 1 or args.repeats < 1:
        parser.error("--nodes and --repeats must be positive")
    results = run(args.nodes, args.repeats, args.out)
    print(render_markdown(results))
    summary = results["summary"]
    if not (summary["meets_generate_target"] and summary["meets_draw_target"]):
        sys.exit(1)


if __name__ == "__main__":
    assert set(LAYOUTS_MEASURED) <= set(LAYOUTS)
    main()
