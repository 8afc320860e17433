"""Time one training step of the book's networks in the browser (Pyodide in headless Chromium)
and in CPython, side by side.

    NN_PYODIDE_DIR=../shared/pyodide/0.27.7 .venv/bin/python benchmarks/browser_step.py \
        [--rounds 3] [--only deep]

The live book runs ``nn`` in Pyodide, where numpy has no BLAS.  This script serves, on
127.0.0.1 only, the Pyodide distribution of ``NN_PYODIDE_DIR`` and a wheel of ``nn`` built from
``src/`` (with the pinned tqdm wheel the live book serves too), opens a page in headless
Chromium that starts Pyodide from there, and times the step of ``benchmarks/train_step.py``
(the same networks and batch: TwoLayerNet, SimpleConvNet, DeepConvNet, float32, batch 100).
Every request to another host is refused and makes the run fail: nothing comes from the
internet.

In the browser each network is timed both ways in alternating blocks of steps, so that a busy
moment of a shared machine slows both: the products of ``nn.backend.matmul`` computed with
``np.einsum`` (what the live book does) and with plain ``@`` (``nn.backend.USE_EINSUM = False``:
the code before issue 23).  Between the browser's rounds a CPython process times the same steps
at one thread (``OPENBLAS_NUM_THREADS=1``).  The end prints the median of every step timed, the
speed-up of einsum over ``@`` in the browser, and browser / CPython; then the browser's forward
pass alone (``predict``, as a chapter runs test images through a trained network).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "book" / "_ext")]

from pyodide_dist import PYODIDE_VERSION  # noqa: E402

from headless import CHROMIUM, chromium, serve  # noqa: E402

NETWORKS = ("TwoLayerNet", "SimpleConvNet", "DeepConvNet")
#: Steps per block in the browser (one block with each product, per round), and in CPython.
BROWSER_STEPS = {"TwoLayerNet": 20, "SimpleConvNet": 5, "DeepConvNet": 2}
CPYTHON_STEPS = {"TwoLayerNet": 60, "SimpleConvNet": 25, "DeepConvNet": 12}
BOOT_TIMEOUT_MS = 300_000

# Run inside Pyodide: time ``steps`` steps of one network with each way of computing products,
# in alternating blocks, and as many forward passes for inference (``predict``, what a chapter
# does on test images); returns {"einsum": [s, ...], "matmul": [...], "einsum predict": [...],
# "matmul predict": [...]}.
BROWSER_ROUND = """
import json, time
import numpy as np
import nn, nn.backend
from train_step import make_batch, make_network

def _round(name, steps, blocks=2):
    network = make_network(name, np.float32)
    x, t = make_batch(name, np.float32)
    times = {"einsum": [], "matmul": [], "einsum predict": [], "matmul predict": []}
    for _ in range(blocks):
        for way in ("einsum", "matmul"):
            nn.backend.USE_EINSUM = way == "einsum"
            network.gradient(x, t)  # warm up this way
            for _ in range(steps):
                start = time.perf_counter()
                network.gradient(x, t)
                times[way].append(time.perf_counter() - start)
            for _ in range(steps):
                start = time.perf_counter()
                network.predict(x, train_flg=False)
                times[way + " predict"].append(time.perf_counter() - start)
    nn.backend.USE_EINSUM = True
    return json.dumps(times)
"""

# Run inside Pyodide once: float32 (n x n) products per second, with @ and with einsum_matmul.
BROWSER_GFLOPS = """
import time
import numpy as np
import nn.backend

def _gflops(n=256, repeats=3):
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    result = {}
    for way, product in (("matmul", np.matmul), ("einsum", nn.backend.einsum_matmul)):
        product(a, b)
        best = min(_seconds(product, a, b) for _ in range(repeats))
        result[way] = 2 * n**3 / best / 1e9
    return json.dumps(result)

def _seconds(product, a, b):
    start = time.perf_counter()
    product(a, b)
    return time.perf_counter() - start
"""

# Run in a CPython subprocess at one thread: the median step of each network named in argv.
CPYTHON_ROUND = """
import json, sys
import numpy as np
from train_step import make_batch, make_network, median_step_ms
steps = json.loads(sys.argv[1])
print(json.dumps({name: median_step_ms(make_network(name, np.float32),
                                       *make_batch(name, np.float32), n)
                  for name, n in steps.items()}))
"""


def pyodide_dir() -> Path:
    folder = os.environ.get("NN_PYODIDE_DIR")
    if not folder:
        sys.exit(f"NN_PYODIDE_DIR is not set: point it at a Pyodide {PYODIDE_VERSION} "
                 f"distribution (e.g. ../shared/pyodide/{PYODIDE_VERSION})")
    folder = Path(folder).resolve()
    for name in ("pyodide.js", "pyodide.asm.wasm", "pyodide-lock.json"):
        if not (folder / name).is_file():
            sys.exit(f"NN_PYODIDE_DIR={folder} has no {name}: not a Pyodide distribution")
    return folder


def wheels(target: Path) -> list[str]:
    """Build nn's wheel from src/ into ``target`` and add the pinned tqdm wheel (nn.live imports
    tqdm in the browser), from the live book's cache or, once, from the package index."""
    from lite_site import CACHE_DIR
    from site_wheels import build_nn_wheel, fetch_pinned_wheels

    target.mkdir(parents=True)
    build_nn_wheel(ROOT, target)
    for name, path in fetch_pinned_wheels(ROOT / CACHE_DIR / "wheels", ("tqdm",)).items():
        shutil.copy(path, target / name)
    return sorted(p.name for p in target.glob("*.whl"))


def cpython_round(names: list[str]) -> dict[str, float]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "benchmarks")])}
    steps = json.dumps({name: CPYTHON_STEPS[name] for name in names})
    result = subprocess.run([sys.executable, "-c", CPYTHON_ROUND, steps], env=env, check=True,
                            capture_output=True, text=True, timeout=3600)
    return json.loads(result.stdout)


class BrowserPython:
    """Pyodide started in a page of headless Chromium that may reach 127.0.0.1 only."""

    def __init__(self, browser, base_url: str, wheel_names: list[str]) -> None:
        self.external: list[str] = []
        self.context = browser.new_context()
        host = urlparse(base_url).netloc

        def route(route):
            if urlparse(route.request.url).netloc == host:
                route.continue_()
            else:
                self.external.append(route.request.url)
                route.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(BOOT_TIMEOUT_MS)
        self.page.goto(base_url + "index.html")
        start = time.perf_counter()
        self.page.evaluate(
            """async (wheels) => {
                 window.pyodide = await loadPyodide({indexURL: '/pyodide/'});
                 await window.pyodide.loadPackage(['numpy', ...wheels.map(w => '/pypi/' + w)]);
               }""",
            wheel_names,
        )
        self.boot_s = time.perf_counter() - start
        train_step = (ROOT / "benchmarks" / "train_step.py").read_text(encoding="utf-8")
        self.page.evaluate("(text) => window.pyodide.FS.writeFile('train_step.py', text)",
                           train_step)
        self.run(BROWSER_ROUND + BROWSER_GFLOPS)

    def run(self, code: str):
        return self.page.evaluate("(code) => window.pyodide.runPython(code)", code)

    def close(self) -> None:
        self.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds (browser, then CPython)")
    parser.add_argument("--only", choices=["two", "simple", "deep"], help="one network only")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    names = [n for n in NETWORKS if args.only is None or n.lower().startswith(args.only)]
    if not Path(CHROMIUM).is_file():
        sys.exit(f"Chromium not found at {CHROMIUM}")
    from playwright import sync_api

    with tempfile.TemporaryDirectory(prefix="browser-step-") as tmp:
        site = Path(tmp)
        (site / "pyodide").symlink_to(pyodide_dir(), target_is_directory=True)
        (site / "index.html").write_text(
            '<!doctype html><title>nn step</title><script src="pyodide/pyodide.js"></script>\n',
            encoding="utf-8")
        wheel_names = wheels(site / "pypi")
        browser_times = {name: {way: [] for way in ("einsum", "matmul", "einsum predict",
                                                    "matmul predict")} for name in names}
        cpython_ms: dict[str, list[float]] = {name: [] for name in names}
        with serve(site) as url, chromium(sync_api) as browser:
            python = BrowserPython(browser, url, wheel_names)
            print(f"Pyodide with numpy and nn ({', '.join(wheel_names)}) started in "
                  f"{python.boot_s:.1f} s; {os.cpu_count()} CPUs; {args.rounds} rounds")
            gflops = json.loads(python.run("_gflops()"))
            print("browser float32 256x256 product: "
                  + ", ".join(f"{way} {value:.2f} GFLOP/s" for way, value in gflops.items()))
            for round_number in range(1, args.rounds + 1):
                line = []
                for name in names:
                    times = json.loads(python.run(f"_round({name!r}, {BROWSER_STEPS[name]})"))
                    for way, seconds in times.items():
                        browser_times[name][way] += seconds
                    line.append(f"{name} einsum {1e3 * np.median(times['einsum']):.1f} / @ "
                                f"{1e3 * np.median(times['matmul']):.1f}")
                for name, ms in cpython_round(names).items():
                    cpython_ms[name].append(ms)
                    line.append(f"{name} CPython {ms:.1f}")
                print(f"round {round_number} (ms): " + ", ".join(line), flush=True)
            python.close()
            if python.external:
                sys.exit(f"the page asked another host for {python.external}")

    print(f"\nmedian ms per step, float32, batch 100 (browser: every step timed; CPython, "
          f"1 thread: median of the {args.rounds} rounds' medians)")
    print(f"{'network':<14} {'browser @':>10} {'browser einsum':>15} {'speed-up':>9} "
          f"{'CPython':>8} {'@ / CPython':>12} {'einsum / CPython':>17}")
    for name in names:
        old = 1e3 * float(np.median(browser_times[name]["matmul"]))
        new = 1e3 * float(np.median(browser_times[name]["einsum"]))
        native = float(np.median(cpython_ms[name]))
        print(f"{name:<14} {old:>10.1f} {new:>15.1f} {old / new:>8.2f}x {native:>8.1f} "
              f"{old / native:>11.1f}x {new / native:>16.1f}x")
    print("\nforward pass only (predict, train_flg=False, 100 images), browser, median ms")
    print(f"{'network':<14} {'browser @':>10} {'browser einsum':>15} {'speed-up':>9}")
    for name in names:
        old = 1e3 * float(np.median(browser_times[name]["matmul predict"]))
        new = 1e3 * float(np.median(browser_times[name]["einsum predict"]))
        print(f"{name:<14} {old:>10.1f} {new:>15.1f} {old / new:>8.2f}x")


if __name__ == "__main__":
    main()
