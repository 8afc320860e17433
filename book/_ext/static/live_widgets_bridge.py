"""The Python half of a chapter page's live widgets (it runs in Pyodide, inside a Web Worker).

ipywidgets speaks to its front end through *comms*, the Jupyter messaging protocol's channels.
On a chapter page there is no Jupyter kernel: the widget manager lives in the page and Python in
a worker. This module gives ipywidgets a comm whose messages leave as one JSON text each (binary
buffers base64-encoded inside it), and hands the page's messages to the widgets they address.

* :func:`connect` is called once by the worker with the function that posts a text to the page.
* :func:`deliver` is called by the worker with each text the page sends.
* :func:`keep` holds a widget the page shows, so that it lives as long as the page.

It is plain Python (no Pyodide import), so the tests run it in CPython.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import comm
from comm.base_comm import BaseComm

Send = Callable[[str], None]

_send: Send | None = None
_shown: list[Any] = []


class PageComm(BaseComm):
    """A comm whose messages go to the page's widget manager."""

    def publish_msg(self, msg_type: str, data: dict | None = None, metadata: dict | None = None,
                    buffers: list | None = None, **keys: Any) -> None:
        if _send is None:
            raise RuntimeError("live widgets: no page is connected; call connect(send) first")
        message = {
            "msg_type": msg_type,
            "comm_id": self.comm_id,
            "data": data or {},
            "metadata": metadata or {},
            "buffers": [base64.b64encode(bytes(b)).decode("ascii") for b in buffers or []],
            **keys,
        }
        _send(json.dumps(message))


class _ErrorsToPage(logging.Handler):
    """ipywidgets logs (rather than raises) an exception in a widget's callback: show it."""

    def emit(self, record: logging.LogRecord) -> None:
        if _send is None:
            return
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text = f"{type(error).__name__}: {error}"
        _send(json.dumps({"msg_type": "error", "text": text}))


def connect(send: Send) -> None:
    """Route every comm ipywidgets opens from now on to ``send`` (one JSON text a message)."""
    global _send
    if not callable(send):
        raise TypeError(f"connect: send must be callable, got {type(send).__name__}")
    _send = send
    comm.create_comm = PageComm
    handler = _ErrorsToPage(level=logging.WARNING)
    for name in ("traitlets", "ipywidgets"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _ErrorsToPage) for h in logger.handlers):
            logger.addHandler(handler)


def deliver(text: str) -> None:
    """Hand one message from the page (``comm_msg`` or ``comm_close``) to its comm.

    Raises ``KeyError`` for a comm this Python never opened and ``ValueError`` for a message
    of another type: both mean the page and the worker disagree, which must not pass silently.
    """
    message = json.loads(text)
    msg_type = message.get("msg_type")
    comm_id = message.get("comm_id")
    target = comm.get_comm_manager().get_comm(comm_id)
    if target is None:
        raise KeyError(f"live widgets: no comm {comm_id!r} in this Python")
    content = {"comm_id": comm_id, "data": message.get("data", {})}
    wrapped = {
        "header": {"msg_type": msg_type},
        "content": content,
        "metadata": message.get("metadata", {}),
        "buffers": [memoryview(base64.b64decode(b)) for b in message.get("buffers", [])],
    }
    if msg_type == "comm_msg":
        target.handle_msg(wrapped)
    elif msg_type == "comm_close":
        target.handle_close(wrapped)
    else:
        raise ValueError(f"live widgets: expected comm_msg or comm_close, got {msg_type!r}")


def keep(widget: Any) -> str:
    """Keep ``widget`` alive for the page's lifetime; return its model id for the page."""
    model_id = getattr(widget, "model_id", None)
    if not isinstance(model_id, str):
        raise TypeError(
            f"the widget cell must end with a widget (an ipywidgets object); it gave "
            f"{type(widget).__name__}"
        )
    _shown.append(widget)
    return model_id
