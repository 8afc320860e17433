// Live widgets on the chapter page: each saved widget gets a "Make this live" button; a click
// starts one Python for the page (Pyodide in a Web Worker, see live-widgets-worker.js), runs the
// widget's declared setup cells and the widget's own cell there, and shows the live widget in
// the place of its saved snapshot. The snapshot stays until the live widget is drawn.
//
// The page's data (written at build time by book/_ext/live_widgets.py) sits in
// <script type="application/json" id="live-widgets-data">.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";

  const dataElement = document.getElementById("live-widgets-data");
  const data = dataElement ? JSON.parse(dataElement.textContent) : null;
  const text = data ? data.text : null;

  // ------------------------------------------------------------------ from file://
  // Browsers run neither a worker nor JupyterLite from a file: say what to do instead of
  // opening a blank page.
  function servedFromFile() {
    return window.location.protocol === "file:";
  }

  function fileNotice(anchor, message) {
    let note = anchor.parentElement.querySelector(".live-file-notice");
    if (!note) {
      note = document.createElement("p");
      note.className = "live-file-notice";
      note.setAttribute("role", "alert");
      anchor.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
  }

  const launch = document.querySelector(".live-launch-button");
  if (launch && servedFromFile()) {
    launch.addEventListener("click", (event) => {
      event.preventDefault();
      fileNotice(launch, launch.dataset.fileNotice);
    });
  }

  if (!data) return;

  // ------------------------------------------------------------------ the worker
  let worker = null;
  let started = null;
  let managerPromise = null;
  let nextId = 1;
  const pending = new Map();      // request id -> {resolve, reject}
  const idleCallbacks = new Map(); // comm message id -> ipywidgets' callbacks
  const comms = new Map();        // comm id -> WorkerComm

  function request(type, payload) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type, id, ...payload });
    });
  }

  function decodeBuffers(list) {
    return (list || []).map((b64) => {
      const raw = atob(b64);
      const bytes = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      return new DataView(bytes.buffer);
    });
  }

  function encodeBuffers(list) {
    return (list || []).map((buffer) => {
      const view = ArrayBuffer.isView(buffer)
        ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
        : new Uint8Array(buffer);
      let raw = "";
      for (let i = 0; i < view.length; i++) raw += String.fromCharCode(view[i]);
      return btoa(raw);
    });
  }

  // ipywidgets' front end talks to a comm with this interface (IClassicComm).
  class WorkerComm {
    constructor(commId, targetName) {
      this.comm_id = commId;
      this.target_name = targetName;
      this.onMessage = null;
      this.onClose = null;
    }
    send(data, callbacks, metadata, buffers) {
      return this._post("comm_msg", data, callbacks, metadata, buffers);
    }
    close(data, callbacks, metadata, buffers) {
      comms.delete(this.comm_id);
      return this._post("comm_close", data || {}, callbacks, metadata, buffers);
    }
    open() {
      throw new Error("live widgets: the page never opens comms; Python does");
    }
    on_msg(callback) { this.onMessage = callback; }
    on_close(callback) { this.onClose = callback; }
    _post(msgType, data, callbacks, metadata, buffers) {
      const msgId = `page-${nextId++}`;
      if (callbacks) idleCallbacks.set(msgId, callbacks);
      const message = {
        msg_type: msgType, comm_id: this.comm_id, data, metadata: metadata || {},
        buffers: encodeBuffers(buffers),
      };
      request("comm", { text: JSON.stringify(message) }).then(
        () => idle(msgId),
        (error) => { idle(msgId); reportError(error.message); });
      return msgId;
    }
  }

  // ipywidgets throttles a model's updates until Python is idle again after the last one.
  function idle(msgId) {
    const callbacks = idleCallbacks.get(msgId);
    idleCallbacks.delete(msgId);
    const status = callbacks && callbacks.iopub && callbacks.iopub.status;
    if (status) status({ content: { execution_state: "idle" } });
  }

  let reportError = (message) => console.error("[live widgets] " + message);

  async function fromPython(textMessage) {
    const message = JSON.parse(textMessage);
    const manager = await managerPromise;
    if (message.msg_type === "error") {
      reportError(message.text);
    } else if (message.msg_type === "comm_open") {
      const comm = new WorkerComm(message.comm_id, message.target_name);
      comms.set(message.comm_id, comm);
      await manager.handle_comm_open(comm, {
        content: { comm_id: message.comm_id, target_name: message.target_name, data: message.data },
        metadata: message.metadata,
        buffers: decodeBuffers(message.buffers),
      });
    } else {
      const comm = comms.get(message.comm_id);
      if (!comm) return;
      const wrapped = {
        content: { comm_id: message.comm_id, data: message.data },
        metadata: message.metadata,
        buffers: decodeBuffers(message.buffers),
      };
      if (message.msg_type === "comm_msg" && comm.onMessage) comm.onMessage(wrapped);
      if (message.msg_type === "comm_close") {
        comms.delete(message.comm_id);
        if (comm.onClose) comm.onClose(wrapped);
      }
    }
  }

  // Messages from Python are handled one after another, in the order they were sent: a
  // widget's children must exist before the box that holds them.
  let inbox = Promise.resolve();

  function makeManager() {
    return new Promise((resolve, reject) => {
      window.require(["@jupyter-widgets/html-manager"], (htmlManager) => {
        class LiveManager extends htmlManager.HTMLManager {
          _get_comm_info() { return Promise.resolve({}); }
          _create_comm() {
            return Promise.reject(new Error("live widgets: models are created by Python"));
          }
        }
        resolve(new LiveManager());
      }, reject);
    });
  }

  function startPython() {
    if (started) return started;
    worker = new Worker(data.worker);
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "comm") {
        inbox = inbox.then(() => fromPython(message.text)).catch(
          (error) => reportError(String(error && error.message || error)));
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.type === "done") waiting.resolve(message);
      else waiting.reject(new Error(message.message));
    };
    worker.onerror = (event) => reportError(event.message || "the worker failed to start");
    managerPromise = makeManager();
    started = Promise.all([
      request("start", {
        pyodideUrl: data.pyodide, lockFileUrl: data.lockFile, packages: data.packages,
        bridgeUrl: data.bridge, files: data.files, language: data.language,
      }),
      managerPromise,
    ]).then(([answer]) => answer);
    return started;
  }

  // ------------------------------------------------------------------ on the page
  function lastLine(message) {
    const lines = String(message).trim().split("\n");
    return lines[lines.length - 1];
  }

  function setUp(widget) {
    const script = Array.from(document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]'))
      .find((s) => { try { return JSON.parse(s.textContent).model_id === widget.model_id; } catch (e) { return false; } });
    if (!script) return;
    const output = script.parentElement;
    output.classList.add("live-widget-snapshot");
    output.inert = true;  // a saved picture: its controls take neither clicks nor keys
    const bar = document.createElement("div");
    bar.className = "live-widget-bar";
    bar.dataset.modelId = widget.model_id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "live-widget-button";
    button.textContent = text.button;
    const status = document.createElement("span");
    status.className = "live-widget-status";
    status.setAttribute("aria-live", "polite");
    status.textContent = text.snapshot;
    bar.append(button, status);
    output.parentElement.insertBefore(bar, output);

    // The pointer on the button is a strong hint: start Python while the reader clicks.
    button.addEventListener("pointerenter", () => { if (!servedFromFile()) startPython(); },
                            { once: true });
    button.addEventListener("click", async () => {
      if (servedFromFile()) {
        status.textContent = text.fromFile;
        bar.classList.add("live-widget-failed");
        return;
      }
      button.disabled = true;
      bar.classList.add("live-widget-starting");
      const clicked = performance.now();
      const report = (message) => {
        bar.classList.add("live-widget-failed");
        status.textContent = text.failed + " " + lastLine(message);
      };
      reportError = (message) => {
        console.error("[live widgets] " + message);
        const active = document.querySelector(".live-widget-bar.live-widget-ready .live-widget-status");
        if (active) active.textContent = text.failed + " " + lastLine(message);
      };
      try {
        status.textContent = worker ? text.running : text.starting;
        const start = await startPython();
        bar.dataset.startSeconds = start.seconds.toFixed(2);
        status.textContent = text.running;
        const answer = await request("run", { cells: widget.setup, code: widget.code });
        bar.dataset.runSeconds = answer.seconds.toFixed(2);
        await inbox;
        const manager = await managerPromise;
        const model = await manager.get_model(answer.modelId);
        const view = await manager.create_view(model);
        const live = document.createElement("div");
        live.className = "live-widget-live";
        output.insertAdjacentElement("afterend", live);
        await manager.display_view(view, live);
        output.classList.add("live-widget-replaced");
        bar.classList.remove("live-widget-starting");
        bar.classList.add("live-widget-ready");
        const seconds = (performance.now() - clicked) / 1000;
        bar.dataset.seconds = seconds.toFixed(2);
        status.textContent = text.ready;
        button.textContent = text.live;
      } catch (error) {
        console.error(error);
        report(error.message || error);
        button.disabled = false;
      }
    });
  }

  data.widgets.forEach(setUp);
});
