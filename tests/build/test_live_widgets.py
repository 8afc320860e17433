"""Widgets made live on the chapter page (book/_ext/live_widgets.py and its static files),
without a browser. Two layers, each able to fail on its own:

* the declarations: every widget cell names its setup cells, and exactly those cells plus the
  widget cell build the widget in a fresh CPython namespace (what the page runs in Pyodide);
* the Python half of the page's comm (``live_widgets_bridge``), run in CPython with a real
  ipywidgets slider.

The pages themselves, as a reader uses them in headless Chromium, are tested in
``tests/browser/test_live_widget_pages.py``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import editions
import live_widgets
import live_widgets_bridge as bridge
import pytest

from paths import CHAPTERS


def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def widget_cell(setup: list[str], outputs: bool = True, data: list | None = None) -> dict:
    view = {"output_type": "display_data",
            "data": {live_widgets.VIEW_MIME: {"model_id": "abc", "version_major": 2}}}
    live = {"setup": setup, **({"data": data} if data is not None else {})}
    return {"cell_type": "code", "id": "w", "source": "nn.widgets.neuron_explorer()",
            "metadata": {"live": live}, "outputs": [view] if outputs else []}


def code_cell(cell_id: str, source: str) -> dict:
    return {"cell_type": "code", "id": cell_id, "source": source, "metadata": {}, "outputs": []}


# --------------------------------------------------------------------------- declarations


def test_a_widget_cell_with_its_setup_gives_the_page_what_it_runs():
    nb = {"cells": [code_cell("imp", "import nn\n"), widget_cell(["imp"])]}
    [spec] = live_widgets.widget_specs(nb)
    assert spec == {"model_id": "abc", "code": "nn.widgets.neuron_explorer()",
                    "setup": [{"key": "imp", "code": "import nn\n"}], "data": []}


@pytest.mark.parametrize("cells, message", [
    ([code_cell("imp", "import nn"), widget_cell(None)], "declares the cells it needs"),
    ([code_cell("imp", "import nn"), widget_cell(["nope"])], "'nope' is not in the notebook"),
    ([widget_cell(["imp"]), code_cell("imp", "import nn")], "before the widget"),
    ([code_cell("imp", "%matplotlib inline\nimport nn"), widget_cell(["imp"])], "plain Python"),
    ([code_cell("imp", "import nn"), widget_cell(["imp"], outputs=False)], "no saved widget"),
    ([code_cell("imp", "import nn"), widget_cell(["imp"], data=["cifar"])], "must list some"),
])
def test_a_wrong_declaration_is_refused_with_the_cell_named(cells, message):
    with pytest.raises(live_widgets.LiveWidgetError, match=message):
        live_widgets.widget_specs({"cells": cells}, "ch.ipynb")


def test_page_data_fetches_mnist_only_for_widgets_that_load_it():
    plain = [{"model_id": "a", "code": "w", "setup": [{"key": "i", "code": "import nn"}],
              "data": []}]
    data = live_widgets.page_data(plain, lite="../lite/", static="../_static/", language="en")
    assert data["files"] == [] and data["pyodide"] == "../lite/static/pyodide/"
    assert data["lockFile"] == "../lite/static/pyodide/book-lock.json"
    assert data["text"]["button"] == "▶ Make this live"
    mnist = [{"model_id": "a", "code": "w",
              "setup": [{"key": "d", "code": "x = nn.load_mnist()"}], "data": ["mnist"]}]
    data = live_widgets.page_data(mnist, lite="../../lite/", static="../_static/",
                                  language="zh_CN")
    assert [f["path"] for f in data["files"]][:4] == [
        f"/drive/data/mnist/{n}" for n in live_widgets.MNIST_FILES]
    assert data["files"][0]["url"].startswith("../../lite/files/data/mnist/")
    assert data["files"][-1]["path"] == "/drive/fonts/NotoSansCJKsc-nn.otf"  # Chinese figures
    assert data["text"]["button"] == "▶ 运行此交互"


def test_the_page_paths_are_where_nn_reads_in_the_browser():
    import nn

    assert live_widgets.BROWSER_DATA_DIR == str(nn.live.BROWSER_DATA_DIR)
    assert f"{live_widgets.BROWSER_FONT_DIR}/{live_widgets.FONT_FILE}" == str(nn.live.BROWSER_FONT)


def test_every_edition_has_the_page_words():
    for edition in editions.EDITIONS.values():
        assert edition.widgets.keys() == editions.EDITIONS["en"].widgets.keys()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_widget_cell_declares_setup_that_builds_it(path, monkeypatch, tmp_path):
    """Exactly the declared cells, then the widget cell, in a fresh namespace: a widget.

    A widget that does not declare MNIST gets none, as on the page: its data folder is empty.
    """
    pytest.importorskip("ipywidgets")

    nb = notebook(path)
    calls = sum(bool(live_widgets.WIDGET_CALL.search("".join(c["source"])))
                for c in nb["cells"] if c["cell_type"] == "code")
    specs = live_widgets.widget_specs(nb, path.name)
    assert len(specs) == calls
    for spec in specs:
        monkeypatch.undo()  # the MNIST folder as the suite has it
        if "mnist" not in spec["data"]:
            monkeypatch.setenv("NN_DATA_DIR", str(tmp_path))
        namespace: dict = {}
        for cell in spec["setup"]:
            exec(compile(cell["code"], f"{path.name}:{cell['key']}", "exec"), namespace)
        widget = eval(compile(spec["code"], f"{path.name}:widget", "eval"), namespace)
        assert isinstance(widget.model_id, str), f"{path.name}: {spec['code']} gave no widget"
        widget.close()


# --------------------------------------------------------------------------- the bridge


@pytest.fixture
def page(monkeypatch):
    """A connected bridge whose messages to the page are collected as dicts."""
    import comm

    monkeypatch.setattr(comm, "create_comm", comm.create_comm)
    sent: list[dict] = []
    bridge.connect(lambda text: sent.append(json.loads(text)))
    yield sent
    monkeypatch.setattr(bridge, "_send", None)


def test_a_widget_opens_its_comm_to_the_page_and_follows_the_page(page):
    import ipywidgets as W

    slider = W.IntSlider(value=1, min=0, max=10)
    opened = [m for m in page if m["msg_type"] == "comm_open"]
    assert opened[-1]["comm_id"] == slider.model_id
    assert opened[-1]["data"]["state"]["value"] == 1
    assert opened[-1]["target_name"] == "jupyter.widget"
    page.clear()
    bridge.deliver(json.dumps({"msg_type": "comm_msg", "comm_id": slider.model_id,
                               "data": {"method": "update", "state": {"value": 7},
                                        "buffer_paths": []}}))
    assert slider.value == 7
    assert any(m["data"].get("method") == "echo_update" for m in page)
    assert bridge.keep(slider) == slider.model_id
    slider.close()


def test_binary_buffers_cross_as_base64(page):
    import ipywidgets as W

    image = W.Image(value=b"\x89PNG-bytes")
    opened = [m for m in page if m["comm_id"] == image.model_id][0]
    assert [base64.b64decode(b) for b in opened["buffers"]] == [b"\x89PNG-bytes"]
    image.close()


def test_messages_the_page_and_python_disagree_on_are_refused(page):
    import ipywidgets as W

    with pytest.raises(KeyError, match="no comm"):
        bridge.deliver(json.dumps({"msg_type": "comm_msg", "comm_id": "nobody", "data": {}}))
    slider = W.IntSlider()
    with pytest.raises(ValueError, match="comm_msg or comm_close"):
        bridge.deliver(json.dumps({"msg_type": "execute", "comm_id": slider.model_id}))
    with pytest.raises(TypeError, match="must end with a widget"):
        bridge.keep(3)
    slider.close()


def test_an_error_in_a_widget_callback_reaches_the_page(page):
    import ipywidgets as W

    slider = W.IntSlider()
    slider.observe(lambda change: 1 / 0, "value")
    bridge.deliver(json.dumps({"msg_type": "comm_msg", "comm_id": slider.model_id,
                               "data": {"method": "update", "state": {"value": 3},
                                        "buffer_paths": []}}))
    assert any(m["msg_type"] == "error" and "ZeroDivisionError" in m["text"] for m in page)
    slider.close()
