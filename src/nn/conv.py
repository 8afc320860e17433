"""Convolution and max pooling, built on im2col (book ch. 7, notebook 08).

``im2col`` turns every receptive field of an image batch into one row of a matrix, so that a
convolution becomes a single matrix product; ``col2im`` sends a matrix of that shape back onto the
image, adding where receptive fields overlap (it is the transpose of ``im2col``, which is exactly
what backpropagation needs).

Shapes: images are ``(N, C, H, W)`` (batch, channels, height, width); filters are
``(FN, C, FH, FW)``; an output map is ``(N, FN, OH, OW)``.

The :class:`Convolution` and :class:`Pooling` here are the book's, written for reading.  The
networks use :class:`nn.FastConvolution` and :class:`nn.FastPooling` from :mod:`nn.conv_fast`:
the same results from a channels-last layout, without building the whole im2col matrix.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import non_negative_int, numeric_array, positive_int
from .layers import Layer

__all__ = [
    "conv_output_size",
    "im2col",
    "col2im",
    "Convolution",
    "Pooling",
]


def conv_output_size(input_size: int, filter_size: int, stride: int = 1, pad: int = 0) -> int:
    """Output length along one axis: ``(input_size + 2*pad - filter_size) / stride + 1``.

    Raises ``ValueError`` when the filter does not tile the padded input exactly (the formula
    gives a fraction) or does not fit at all (the formula gives less than 1).
    """
    input_size = positive_int("input_size", input_size)
    filter_size = positive_int("filter_size", filter_size)
    stride = positive_int("stride", stride)
    pad = non_negative_int("pad", pad)
    span = input_size + 2 * pad - filter_size
    if span < 0:
        raise ValueError(
            f"a filter of size {filter_size} does not fit an input of size {input_size} "
            f"padded by {pad} on each side (output size would be {span / stride + 1:g})"
        )
    if span % stride:
        raise ValueError(
            f"output size (input_size + 2*pad - filter_size) / stride + 1 = "
            f"({input_size} + 2*{pad} - {filter_size}) / {stride} + 1 = {span / stride + 1:g} "
            f"is not an integer; change the stride or the padding"
        )
    return span // stride + 1


def _check_images(x: object, who: str) -> np.ndarray:
    """Return x as an array, or raise if it is not a 4-D image batch (N, C, H, W) of numbers."""
    x = numeric_array(f"{who}: x", x)
    if x.ndim != 4:
        raise ValueError(f"{who} expects x, a 4-D input (N, C, H, W); got shape {x.shape}")
    return x


def _map_size(
    x_shape: tuple, filter_h: int, filter_w: int, stride: int, pad: int, who: str
) -> tuple[int, int]:
    """(OH, OW) of a layer's output for an input x of x_shape (N, C, H, W); a ValueError that
    names x and its shape when the window does not fit or tile it."""
    try:
        return (
            conv_output_size(x_shape[2], filter_h, stride, pad),
            conv_output_size(x_shape[3], filter_w, stride, pad),
        )
    except ValueError as exc:
        raise ValueError(
            f"{who}: x of shape {tuple(x_shape)} does not fit a {filter_h}x{filter_w} window with "
            f"stride {stride} and pad {pad}: {exc}"
        ) from None


def _pad_images(x: np.ndarray, pad: int, value: float = 0.0) -> np.ndarray:
    """(N, C, H, W) -> (N, C, H + 2*pad, W + 2*pad), a new array (or x itself when pad == 0)."""
    if pad == 0:
        return x
    return np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], constant_values=value)


def im2col(
    input_data: np.ndarray, filter_h: int, filter_w: int, stride: int = 1, pad: int = 0
) -> np.ndarray:
    """Unfold every receptive field of an image batch into a row of a matrix.

    input_data: (N, C, H, W).  Returns col: (N*OH*OW, C*FH*FW), one row per output pixel
    (ordered n, oh, ow) and one column per filter weight (ordered c, fh, fw, the order of
    ``W.reshape(FN, -1)``), so a convolution is ``col @ W.reshape(FN, -1).T``.
    """
    x = _check_images(input_data, "im2col")
    n, c, h, w = x.shape
    out_h = conv_output_size(h, filter_h, stride, pad)
    out_w = conv_output_size(w, filter_w, stride, pad)
    padded = _pad_images(x, pad)
    # A view, no copy: windows[n, c, i, j] is the filter_h x filter_w patch at row i, column j.
    windows = sliding_window_view(padded, (filter_h, filter_w), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride][:, :, :out_h, :out_w]  # (N, C, OH, OW, FH, FW)
    # Both sizes spelled out: -1 cannot be inferred for an empty batch.
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * out_h * out_w, c * filter_h * filter_w)


def col2im(
    col: np.ndarray,
    input_shape: tuple[int, int, int, int],
    filter_h: int,
    filter_w: int,
    stride: int = 1,
    pad: int = 0,
) -> np.ndarray:
    """The transpose of ``im2col``: add each row of col back onto its receptive field.

    col: (N*OH*OW, C*FH*FW) in im2col's layout; input_shape: (N, C, H, W).  Returns an
    (N, C, H, W) array; pixels covered by several receptive fields receive the sum.
    """
    n, c, h, w = input_shape
    out_h = conv_output_size(h, filter_h, stride, pad)
    out_w = conv_output_size(w, filter_w, stride, pad)
    expected = (n * out_h * out_w, c * filter_h * filter_w)
    if np.shape(col) != expected:
        raise ValueError(
            f"col2im expects col of shape {expected} for input_shape {tuple(input_shape)}; "
            f"got shape {np.shape(col)}"
        )
    col = np.asarray(col).reshape(n, out_h, out_w, c, filter_h, filter_w)
    padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=col.dtype)
    # One strided slice per filter offset (FH*FW iterations, each over the whole batch).
    for i in range(filter_h):
        for j in range(filter_w):
            rows = slice(i, i + stride * out_h, stride)
            cols = slice(j, j + stride * out_w, stride)
            padded[:, :, rows, cols] += col[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return padded[:, :, pad : pad + h, pad : pad + w]


class Convolution(Layer):
    """Convolution layer: FN filters W (FN, C, FH, FW) plus one bias b (FN,) per filter.

    forward: x (N, C, H, W) -> (N, FN, OH, OW); backward: dout (N, FN, OH, OW) -> dx (N, C, H, W)
    and sets ``dW`` (FN, C, FH, FW), ``db`` (FN,) and ``grads``.  This is the book's im2col
    layer: the whole batch is one matrix product ``col @ W_col.T``.  :class:`nn.FastConvolution`
    (module :mod:`nn.conv_fast`) computes the same, several times faster, and is what the
    networks use.  ``dtype`` (default: W's float dtype) follows the contract of :class:`nn.Layer`.
    """

    def __init__(
        self, W: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0, dtype: object = None
    ) -> None:
        super().__init__()
        self.W = self._param(W, dtype, "W")
        self.b = self._param(b, self.W.dtype, "b")
        who = type(self).__name__
        if self.W.ndim != 4:
            raise ValueError(f"{who} expects W of shape (FN, C, FH, FW); got shape {self.W.shape}")
        if self.b.shape != (self.W.shape[0],):
            raise ValueError(
                f"{who} expects b of shape ({self.W.shape[0]},), one bias per filter; "
                f"got shape {self.b.shape}"
            )
        self.stride = positive_int("stride", stride)
        self.pad = non_negative_int("pad", pad)
        self.params = {"W": self.W, "b": self.b}
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None
        self.x: np.ndarray | None = None
        self.col: np.ndarray | None = None
        self.col_W: np.ndarray | None = None

    def _output_size(self, x: np.ndarray) -> tuple[int, int]:
        """(OH, OW) for the image batch x, after checking that its channels fit W."""
        fn, c, fh, fw = self.W.shape
        if x.shape[1] != c:
            raise ValueError(
                f"{type(self).__name__} filters W {self.W.shape} expect {c} input channels; "
                f"got x of shape {x.shape} with {x.shape[1]} channels"
            )
        return _map_size(x.shape, fh, fw, self.stride, self.pad, type(self).__name__)

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _check_images(x, type(self).__name__).astype(self.W.dtype, copy=False)
        fn, _, fh, fw = self.W.shape
        out_h, out_w = self._output_size(x)
        col = im2col(x, fh, fw, self.stride, self.pad)  # (N*OH*OW, C*FH*FW)
        col_W = self.W.reshape(fn, -1).T  # (C*FH*FW, FN)
        out = col @ col_W + self.b  # (N*OH*OW, FN)
        self.x, self.col, self.col_W = x, col, col_W
        return out.reshape(len(x), out_h, out_w, fn).transpose(0, 3, 1, 2)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x = self._saved(self.x)
        fn, c, fh, fw = self.W.shape
        dout = np.asarray(dout).astype(self.W.dtype, copy=False)
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, fn)  # (N*OH*OW, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = (self.col.T @ dout).T.reshape(fn, c, fh, fw)
        self.grads = {"W": self.dW, "b": self.db}
        dcol = dout @ self.col_W.T  # (N*OH*OW, C*FH*FW)
        return col2im(dcol, x.shape, fh, fw, self.stride, self.pad)


class Pooling(Layer):
    """Max pooling over pool_h x pool_w windows, moved by ``stride``: the book's layer, built on
    im2col.

    forward: x (N, C, H, W) -> (N, C, OH, OW), the largest value of each window (padding
    counts as -inf, so it never wins).  backward: dout (N, C, OH, OW) -> dx (N, C, H, W); each
    window's gradient goes to the position of its maximum (the first one, in reading order, on
    a tie) and the other positions of the window get 0.  :class:`nn.FastPooling` (module
    :mod:`nn.conv_fast`) computes the same without building col, and is what the networks use.
    """

    def __init__(self, pool_h: int, pool_w: int, stride: int = 1, pad: int = 0) -> None:
        super().__init__()
        self.pool_h = positive_int("pool_h", pool_h)
        self.pool_w = positive_int("pool_w", pool_w)
        self.stride = positive_int("stride", stride)
        self.pad = non_negative_int("pad", pad)
        if self.pad >= min(self.pool_h, self.pool_w):
            raise ValueError(
                f"{type(self).__name__} pad must be smaller than the window "
                f"({self.pool_h}x{self.pool_w}) so that every window sees the image; "
                f"got pad={self.pad}"
            )
        self.x_shape: tuple | None = None  # forward's input (N, C, H, W)
        self.out_shape: tuple | None = None  # forward's output (N, C, OH, OW)
        self.argmax: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _check_images(x, type(self).__name__)
        n, c, _, _ = x.shape
        out_h, out_w = _map_size(
            x.shape, self.pool_h, self.pool_w, self.stride, self.pad, type(self).__name__
        )
        padded = _pad_images(x, self.pad, value=-np.inf)  # (N, C, H + 2*pad, W + 2*pad)
        # im2col gives one row per output pixel, its columns ordered (channel, window row,
        # window column); cut every row into C pieces of pool_h*pool_w numbers, and each
        # piece is one channel's window, read row by row.
        col = im2col(padded, self.pool_h, self.pool_w, self.stride)  # (N*OH*OW, C*pool_h*pool_w)
        windows = col.reshape(-1, self.pool_h * self.pool_w)  # (N*OH*OW*C, pool_h*pool_w)
        self.argmax = np.argmax(windows, axis=1)  # (N*OH*OW*C,): where each maximum sits
        self.x_shape, self.out_shape = x.shape, (n, c, out_h, out_w)
        out = np.take_along_axis(windows, self.argmax[:, None], axis=1)  # (N*OH*OW*C, 1)
        return out.reshape(n, out_h, out_w, c).transpose(0, 3, 1, 2)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        argmax = self._saved(self.argmax)
        (n, c, h, w), (_, _, out_h, out_w) = self.x_shape, self.out_shape
        dout = np.asarray(dout)
        if dout.shape != self.out_shape:
            raise ValueError(
                f"{type(self).__name__}.backward expects dout of shape {self.out_shape}; "
                f"got shape {dout.shape}"
            )
        # The rows of forward's windows, in the same order: (N, OH, OW, C) flattened.
        dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, 1)  # (N*OH*OW*C, 1)
        dwindows = np.zeros((len(dout_rows), self.pool_h * self.pool_w), dtype=dout.dtype)
        np.put_along_axis(dwindows, argmax[:, None], dout_rows, axis=1)  # winners only
        dcol = dwindows.reshape(n * out_h * out_w, c * self.pool_h * self.pool_w)
        p = self.pad
        padded_shape = (n, c, h + 2 * p, w + 2 * p)
        # col2im adds each window back where it came from (windows overlap when stride < size).
        dpadded = col2im(dcol, padded_shape, self.pool_h, self.pool_w, self.stride)
        return dpadded[:, :, p : p + h, p : p + w]
