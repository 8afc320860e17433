// The worker behind a chapter page's live widgets: one Python (Pyodide) per page, off the page's
// main thread so that the page keeps scrolling while Python starts.
//
// Messages from the page (each with an `id`, answered by {type: "done", id, ...} or
// {type: "failed", id, message}):
//   start {pyodideUrl, lockFileUrl, packages, bridgeUrl, files: [{url, path}],
//          language}
//   run   {cells: [{key, code}], code}   setup cells (each run once per page), then the widget
//   comm  {text}                         a comm message for ipywidgets (answered "idle")
// Messages to the page: {type: "comm", text} for every message ipywidgets sends.
"use strict";

let pyodide = null;
let bridge = null;
let namespace = null;
const ran = new Set();

function log(text) {
  console.log("[live widgets] " + text);
}

async function start(message) {
  const began = performance.now();
  importScripts(message.pyodideUrl + "pyodide.js");
  // The book's lock file is Pyodide's own plus the site's wheels (nn, ipywidgets, comm, tqdm),
  // each with its SHA-256: everything loads in parallel, checked, from this site.
  // Matplotlib's font list, when the build could make it (book/_ext/font_cache.py): read
  // instead of scanning every font at the first import.
  const lock = await (await fetch(message.lockFileUrl)).json();
  const fontCache = lock.packages["matplotlib-font-cache"];
  pyodide = await loadPyodide({
    indexURL: message.pyodideUrl,
    lockFileURL: message.lockFileUrl,
    packages: fontCache ? [...message.packages, "matplotlib-font-cache"] : message.packages,
    stdout: log,
    stderr: log,
  });
  await Promise.all(message.files.map(async (file) => {
    const response = await fetch(file.url);
    if (!response.ok) throw new Error(`${file.url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    pyodide.FS.mkdirTree(file.path.slice(0, file.path.lastIndexOf("/")));
    pyodide.FS.writeFile(file.path, bytes);
  }));
  const bridgeCode = await (await fetch(message.bridgeUrl)).text();
  pyodide.FS.writeFile("/home/pyodide/live_widgets_bridge.py", bridgeCode);
  // Figures are drawn to PNG by nn (Agg): a worker has no canvas for matplotlib's web backend.
  pyodide.runPython(`
import os, sys, warnings
os.environ["MPLBACKEND"] = "agg"
sys.path.insert(0, "/home/pyodide")
warnings.filterwarnings("ignore", message=".*non-interactive.*")
`);
  bridge = pyodide.pyimport("live_widgets_bridge");
  bridge.connect((text) => postMessage({ type: "comm", text }));
  namespace = pyodide.globals.get("dict")();
  if (message.language && message.language !== "en") {
    await pyodide.runPythonAsync(
      `import nn\nnn.set_language(${JSON.stringify(message.language)})`,
      { globals: namespace });
  }
  return { seconds: (performance.now() - began) / 1000 };
}

async function run(message) {
  const began = performance.now();
  for (const cell of message.cells) {
    if (ran.has(cell.key)) continue;
    await pyodide.runPythonAsync(cell.code, { globals: namespace });
    ran.add(cell.key);
  }
  const widget = await pyodide.runPythonAsync(message.code, { globals: namespace });
  try {
    const modelId = bridge.keep(widget);
    pyodide.runPython("import matplotlib.pyplot as _plt; _plt.close('all')");
    return { modelId, seconds: (performance.now() - began) / 1000 };
  } finally {
    if (widget && widget.destroy) widget.destroy();
  }
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    let result = {};
    if (message.type === "start") result = await start(message);
    else if (message.type === "run") result = await run(message);
    else if (message.type === "comm") {
      bridge.deliver(message.text);
      result = { idle: true };
    } else throw new Error(`unknown message type ${message.type}`);
    postMessage({ type: "done", id: message.id, ...result });
  } catch (error) {
    postMessage({ type: "failed", id: message.id, message: String(error && error.message || error) });
  }
};
