"""Time one training step of the book's networks in the browser (Pyodide in headless Chromium)
and in CPython, with today's ``nn`` and with the ``nn`` of an older commit, side by side.

    NN_PYODIDE_DIR=../shared/pyodide/0.27.7 .venv/bin/python benchmarks/browser_step.py \
        [--rounds 3] [--only deep] [--layers] [--baseline REV]

The live book runs ``nn`` in Pyodide, where numpy has no BLAS.  This script serves, on
127.0.0.1 only, the Pyodide distribution of ``NN_PYODIDE_DIR``, a wheel of ``nn`` built from
``src/`` (with the pinned tqdm wheel the live book serves too) and, as a zip, the ``src/nn`` of
the baseline commit (``--baseline``, by default :data:`BASELINE`, the code before issue 23's
work) renamed ``nn_baseline``.  It opens a page in headless Chromium that starts Pyodide from
there, and times the step of ``benchmarks/train_step.py`` (the same networks and batch:
TwoLayerNet, SimpleConvNet, DeepConvNet, float32, batch 100).  Every request to another host is
refused and makes the run fail: nothing comes from the internet.

In the browser each network is timed with both libraries in alternating blocks of steps, so that
a busy moment of a shared machine slows both: "before" (the baseline commit) and "now" (the
working tree).  Between the browser's rounds a CPython process times the same steps with both,
at one thread (``OPENBLAS_NUM_THREADS=1``).  The end prints the median of every step timed, the
browser's speed-up now over before, browser / CPython, CPython before and now (which must not
regress); then the browser's forward pass alone (``predict``, as a chapter runs test images
through a trained network).  ``--layers`` instead times every layer's forward and backward of
the networks in the browser, before and now, to show where a step's time goes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "book" / "_ext")]

from pyodide_dist import PYODIDE_VERSION  # noqa: E402

from headless import CHROMIUM, chromium, serve  # noqa: E402

NETWORKS = ("TwoLayerNet", "SimpleConvNet", "DeepConvNet")
#: The code the speed-up is measured against: the commit before issue 23's first change to
#: ``nn`` (dfff0f1, ``nn.backend``), with numpy's ``@`` for every product.
BASELINE = "e9d0a9493646e3e897516053c0d50f44f438b7aa"
#: Where the baseline's package lives, in the browser and for the CPython process.
BASELINE_PACKAGE = "nn_baseline"
WAYS = ("before", "now")
#: Steps per block in the browser (one block with each product, per round), and in CPython.
BROWSER_STEPS = {"TwoLayerNet": 20, "SimpleConvNet": 5, "DeepConvNet": 2}
CPYTHON_STEPS = {"TwoLayerNet": 60, "SimpleConvNet": 25, "DeepConvNet": 12}
BOOT_TIMEOUT_MS = 300_000

# Run inside Pyodide: time ``steps`` steps of one network with each library, in alternating
# blocks, and as many forward passes for inference (``predict``, what a chapter does on test
# images); returns {"before": [s, ...], "now": [...], "before predict": [...],
# "now predict": [...]}.
BROWSER_ROUND = """
import json, time
import numpy as np
import nn, nn_baseline
from train_step import make_batch, make_network

LIBRARIES = {"before": nn_baseline, "now": nn}

def _round(name, steps, blocks=2):
    networks = {way: make_network(name, np.float32, library)
                for way, library in LIBRARIES.items()}
    x, t = make_batch(name, np.float32)
    times = {key: [] for way in LIBRARIES for key in (way, way + " predict")}
    for _ in range(blocks):
        for way, network in networks.items():
            network.gradient(x, t)  # warm up
            for _ in range(steps):
                start = time.perf_counter()
                network.gradient(x, t)
                times[way].append(time.perf_counter() - start)
            for _ in range(steps):
                start = time.perf_counter()
                network.predict(x, train_flg=False)
                times[way + " predict"].append(time.perf_counter() - start)
    return json.dumps(times)

def _layers(name, steps):
    # Every layer's forward and backward, before and now: {'Conv1 forward': {way: [ms, class]}}.
    x, t = make_batch(name, np.float32)
    result, classes = {}, {}
    for _ in range(2):  # alternate, as _round does
        for way, library in LIBRARIES.items():
            network = make_network(name, np.float32, library)
            network.gradient(x, t)
            layers = list(network.layers.items())
            inputs = [x]
            for layer_name, layer in layers:
                inputs.append(layer.forward(inputs[-1], train_flg=True))
            for (layer_name, layer), data in zip(layers, inputs):
                out = layer.forward(data, train_flg=True)
                dout = np.empty_like(out)  # out's memory layout, as the next layer hands it
                dout[...] = np.random.default_rng(0).standard_normal(out.shape)
                for step, call in (("forward", lambda: layer.forward(data, train_flg=True)),
                                   ("backward", lambda: layer.backward(dout))):
                    seconds = []
                    for _ in range(steps):
                        start = time.perf_counter()
                        call()
                        seconds.append(time.perf_counter() - start)
                    key = f"{layer_name} {step}"
                    result.setdefault(key, {}).setdefault(way, []).extend(seconds)
                    classes.setdefault(key, {})[way] = type(layer).__name__
    return json.dumps({key: {way: [1e3 * float(np.median(v)), classes[key][way]]
                             for way, v in ways.items()} for key, ways in result.items()})
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

# Run in a CPython subprocess at one thread: the median step of each network named in argv,
# with each library, timed in alternating blocks of steps like the browser's.
CPYTHON_ROUND = """
import json, sys, time
import numpy as np
import nn, nn_baseline
from train_step import make_batch, make_network
steps = json.loads(sys.argv[1])
result = {}
for name, n in steps.items():
    x, t = make_batch(name, np.float32)
    networks = {"before": make_network(name, np.float32, nn_baseline),
                "now": make_network(name, np.float32, nn)}
    times = {way: [] for way in networks}
    for _ in range(2):
        for way, network in networks.items():
            network.gradient(x, t)  # warm up
            for _ in range(n // 2):
                start = time.perf_counter()
                network.gradient(x, t)
                times[way].append(time.perf_counter() - start)
    result[name] = {way: 1e3 * float(np.median(v)) for way, v in times.items()}
print(json.dumps(result))
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


def baseline_zip(revision: str, target: Path) -> str:
    """Write ``src/nn`` of ``revision`` as a zip of the package ``nn_baseline`` (its imports
    inside the package are relative, so the renamed copy imports itself); returns the commit."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify",
                             f"{revision}^{{commit}}"], check=True, capture_output=True,
                            text=True).stdout.strip()
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=zip", commit, "src/nn"],
                         check=True, capture_output=True).stdout
    with zipfile.ZipFile(io.BytesIO(tar)) as source, zipfile.ZipFile(target, "w") as renamed:
        for item in source.infolist():
            if not item.is_dir():
                name = BASELINE_PACKAGE + item.filename[len("src/nn"):]
                renamed.writestr(name, source.read(item))
    return commit


def cpython_round(names: list[str], baseline_dir: Path) -> dict[str, dict[str, float]]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "benchmarks"),
                                          str(baseline_dir)])}
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
                 const zip = await (await fetch('/baseline.zip')).arrayBuffer();
                 window.pyodide.unpackArchive(zip, 'zip', {extractDir: '/home/pyodide'});
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
    parser.add_argument("--layers", action="store_true",
                        help="time every layer's forward and backward in the browser instead")
    parser.add_argument("--baseline", default=BASELINE,
                        help="the commit to compare with (default: before issue 23)")
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
        commit = baseline_zip(args.baseline, site / "baseline.zip")
        with zipfile.ZipFile(site / "baseline.zip") as baseline:
            baseline.extractall(site / "baseline")
        browser_times = {name: {key: [] for way in WAYS for key in (way, way + " predict")}
                         for name in names}
        cpython_ms = {name: {way: [] for way in WAYS} for name in names}
        with serve(site) as url, chromium(sync_api) as browser:
            python = BrowserPython(browser, url, wheel_names)
            print(f"Pyodide with numpy and nn ({', '.join(wheel_names)}) started in "
                  f"{python.boot_s:.1f} s; {os.cpu_count()} CPUs; before = {commit[:10]}, "
                  f"now = the working tree")
            if args.layers:
                print_layers(python, names, args.rounds)
                python.close()
                return
            gflops = json.loads(python.run("_gflops()"))
            print("browser float32 256x256 product: "
                  + ", ".join(f"{way} {value:.2f} GFLOP/s" for way, value in gflops.items()))
            for round_number in range(1, args.rounds + 1):
                line = []
                for name in names:
                    times = json.loads(python.run(f"_round({name!r}, {BROWSER_STEPS[name]})"))
                    for key, seconds in times.items():
                        browser_times[name][key] += seconds
                    line.append(f"{name} before {1e3 * np.median(times['before']):.1f} / now "
                                f"{1e3 * np.median(times['now']):.1f}")
                for name, ms in cpython_round(names, site / "baseline").items():
                    for way in WAYS:
                        cpython_ms[name][way].append(ms[way])
                    line.append(f"{name} CPython {ms['before']:.1f} / {ms['now']:.1f}")
                print(f"round {round_number} (ms): " + ", ".join(line), flush=True)
            python.close()
            if python.external:
                sys.exit(f"the page asked another host for {python.external}")

    print(f"\nmedian ms per step, float32, batch 100 (browser: every step timed; CPython, "
          f"1 thread: median of the {args.rounds} rounds' medians); before = {commit[:10]}")
    print(f"{'network':<14} {'browser before':>15} {'browser now':>12} {'speed-up':>9} "
          f"{'CPython before':>15} {'CPython now':>12} {'browser / CPython now':>22}")
    for name in names:
        old = 1e3 * float(np.median(browser_times[name]["before"]))
        new = 1e3 * float(np.median(browser_times[name]["now"]))
        native_old = float(np.median(cpython_ms[name]["before"]))
        native = float(np.median(cpython_ms[name]["now"]))
        print(f"{name:<14} {old:>15.1f} {new:>12.1f} {old / new:>8.2f}x {native_old:>15.1f} "
              f"{native:>12.1f} {new / native:>21.1f}x")
    print("\nforward pass only (predict, train_flg=False, 100 images), browser, median ms")
    print(f"{'network':<14} {'browser before':>15} {'browser now':>12} {'speed-up':>9}")
    for name in names:
        old = 1e3 * float(np.median(browser_times[name]["before predict"]))
        new = 1e3 * float(np.median(browser_times[name]["now predict"]))
        print(f"{name:<14} {old:>15.1f} {new:>12.1f} {old / new:>8.2f}x")


def print_layers(python: BrowserPython, names: list[str], rounds: int) -> None:
    """Every layer's forward and backward in the browser, before and now (median ms)."""
    for name in names:
        steps = max(2, rounds * BROWSER_STEPS[name] // 2)
        layers = json.loads(python.run(f"_layers({name!r}, {steps})"))
        print(f"\n{name}: median ms of {2 * steps} calls per layer and library")
        print(f"{'layer':<18} {'class before -> now':<36} {'before':>8} {'now':>8} "
              f"{'speed-up':>9}")
        totals = dict.fromkeys(WAYS, 0.0)
        for key, ways in layers.items():
            (old, old_class), (new, new_class) = ways["before"], ways["now"]
            totals["before"] += old
            totals["now"] += new
            classes = old_class if old_class == new_class else f"{old_class} -> {new_class}"
            print(f"{key:<18} {classes:<36} {old:>8.2f} {new:>8.2f} "
                  f"{old / max(new, 1e-9):>8.2f}x")
        print(f"{'sum':<55} {totals['before']:>8.2f} {totals['now']:>8.2f} "
              f"{totals['before'] / totals['now']:>8.2f}x")


if __name__ == "__main__":
    main()
