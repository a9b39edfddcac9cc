"""Benchmark (not a test): how long one mouse-wheel zoom step takes on a big page in Chromium.

    python tests/bench/bench_zoom.py [NODES]      # default 10000

The page of a random article graph (tests/bench/bench_html.py's, every node kept) is
loaded in headless Debian Chromium; a wheel event is sent to the canvas and the time until
vis-network has drawn the zoomed frame is measured (median of 7 steps), first with edges
drawn while zooming (vis-network's default, what pages had before), then with
``hideEdgesOnZoom`` (what big pages now use). The edges come back 250 ms after the last
step (vis-network's zoom timeout); that redraw is timed too.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from graphnews.export.html import write_html

from bench_html import ARGS, random_graph

STEP = """hide => new Promise(resolve => {
  const net = window.graphnews.network;
  net.setOptions({interaction: {hideEdgesOnZoom: hide}});
  const canvas = document.querySelector('#graph canvas');
  const box = canvas.getBoundingClientRect();
  const started = performance.now();
  let zoomed = null;
  const done = () => {
    if (zoomed === null) { zoomed = performance.now() - started; if (!hide) { resolve([zoomed, 0]); return; } }
    else { net.off('afterDrawing', done); resolve([zoomed, performance.now() - started - 250 - zoomed]); }
  };
  net.on('afterDrawing', done);
  if (!hide) { net.once('afterDrawing', () => net.off('afterDrawing', done)); }
  canvas.dispatchEvent(new WheelEvent('wheel', {deltaY: -120, clientX: box.left + box.width / 2,
                                                clientY: box.top + box.height / 2, bubbles: true, cancelable: true}));
})"""


def main(nodes: int) -> None:
    path = Path(tempfile.mkdtemp()) / f"g{nodes}.html"
    info = write_html(random_graph(nodes), str(path), max_nodes=nodes)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 850})
        page.goto(path.as_uri())
        page.wait_for_function("() => window.graphnews && window.graphnews.stable", timeout=600000)
        page.wait_for_timeout(1000)
        for hide in (False, True):
            steps = []
            for _ in range(7):
                steps.append(page.evaluate(STEP, hide))
                page.wait_for_timeout(400)
            zoom = statistics.median(s[0] for s in steps)
            back = statistics.median(s[1] for s in steps)
            label = "edges hidden while zooming" if hide else "edges drawn while zooming"
            print(f"{info.nodes:,} nodes {info.edges:,} edges, {label}: zoom step {zoom / 1000:.2f} s"
                  + (f", edges redrawn after {back / 1000:.2f} s" if hide else ""), flush=True)
        browser.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
