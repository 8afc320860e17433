"""Convolution and max pooling, built on im2col (chapter 7 of the book, chapter 08 here).

``im2col`` turns every receptive field of an image batch into one row of a matrix, so that a
convolution becomes a single matrix product; ``col2im`` sends a matrix of that shape back onto the
image, adding where receptive fields overlap (it is the transpose of ``im2col``, which is exactly
what backpropagation needs).

Shapes: images are ``(N, C, H, W)`` (batch, channels, height, width); filters are
``(FN, C, FH, FW)``; an output map is ``(N, FN, OH, OW)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from ._checks import finite_array, non_negative_int, numeric_array, positive_int
from .images import image_2d

__all__ = [
    "conv_output_size",
    "receptive_field",
    "HAND_FILTERS",
    "feature_map",
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


def receptive_field(n_layers: int, filter_size: int = 3, stride: int = 1) -> int:
    """Side of the input square that one unit after ``n_layers`` equal conv layers depends on.

    Each layer widens the field by ``filter_size - 1`` steps of the layer below, and a step of
    layer k is ``stride**k`` input pixels: two 3x3 layers see 5x5, three see 7x7.
    """
    n_layers = non_negative_int("n_layers", n_layers)
    filter_size = positive_int("filter_size", filter_size)
    stride = positive_int("stride", stride)
    side, jump = 1, 1
    for _ in range(n_layers):
        side += (filter_size - 1) * jump
        jump *= stride
    return side


#: Hand-made 3x3 filters. Convolution layers compute a cross-correlation (no kernel flip), so
#: "horizontal edge" responds where brightness changes from one row to the next: it is positive
#: on the top edge of a horizontal stroke and negative on its bottom edge.
HAND_FILTERS: dict[str, np.ndarray] = {
    "horizontal edge": np.array([[-1.0, -1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
    "vertical edge": np.array([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]),
    "blur": np.full((3, 3), 1.0 / 9.0),
}


def feature_map(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, pad: int = 0, bias: float = 0.0
) -> np.ndarray:
    """One filter applied to one gray image by the library's ``Convolution`` layer -> (OH, OW).

    ``image`` is (H, W), (1, H, W) or (784,); ``kernel`` is (FH, FW). ``nn.Convolution``
    refuses a stride that does not tile the padded image exactly; here, as in the book's
    ``im2col`` and in most frameworks, the rows and columns the window cannot reach are dropped
    (the output size is rounded down) so that every slider setting has a picture. Raises
    ``ValueError`` when the filter does not fit even once.
    """
    img = image_2d(image)
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2:
        raise ValueError(f"kernel must be 2-D (FH, FW), got shape {k.shape}")
    stride, pad = positive_int("stride", stride), non_negative_int("pad", pad)
    padded = np.pad(img, pad)
    reach = []
    for size, fsize in zip(padded.shape, k.shape, strict=True):
        if size < fsize:
            raise ValueError(
                f"a {k.shape[0]}x{k.shape[1]} filter does not fit a {img.shape[0]}x{img.shape[1]} "
                f"image with padding {pad}"
            )
        reach.append(fsize + (size - fsize) // stride * stride)
    padded = padded[: reach[0], : reach[1]]
    layer = Convolution(k[None, None], np.array([float(bias)]), stride=stride, pad=0)
    return layer.forward(padded[None, None], train_flg=False)[0, 0]


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
    n, _, h, w = x.shape
    out_h = conv_output_size(h, filter_h, stride, pad)
    out_w = conv_output_size(w, filter_w, stride, pad)
    padded = _pad_images(x, pad)
    # A view, no copy: windows[n, c, i, j] is the filter_h x filter_w patch at row i, column j.
    windows = sliding_window_view(padded, (filter_h, filter_w), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride][:, :, :out_h, :out_w]  # (N, C, OH, OW, FH, FW)
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * out_h * out_w, -1)


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


# --- The layout Convolution uses internally -----------------------------------------------
# The same matrix as im2col, with the columns ordered (fh, fw, c) instead of (c, fh, fw) and
# the image stored channels-last.  Then every piece copied is a run of FW*C neighbouring
# numbers in memory rather than FW numbers, which makes the copy several times faster; the
# filters are reordered to match (a tiny array).
#
# The matrix is also never built for the whole batch at once.  For the book's 16-filter layer
# on a batch of 100 MNIST images it would hold 78,400 x 144 numbers (45 MB): writing it to
# memory and reading it back costs more than the arithmetic.  Instead the batch is taken a few
# images at a time, so that each piece of col is still in the processor's cache when the matrix
# product reads it.  Same result, about twice as fast.

#: Size of one piece of col, in bytes: small enough to stay in the cache (1 MB of level-2
#: cache per core on the machine the benchmark targets), big enough for an efficient product.
CHUNK_BYTES = 1 << 21


def _pad_channels_last(x: np.ndarray, pad_h: int, pad_w: int, dtype: np.dtype) -> np.ndarray:
    """(N, H, W, C), any memory layout -> a new contiguous (N, H + 2*pad_h, W + 2*pad_w, C)
    array in dtype, with a zero border."""
    n, h, w, c = x.shape
    padded = np.empty((n, h + 2 * pad_h, w + 2 * pad_w, c), dtype=dtype)
    # Zero only the border: the inside is overwritten by x just below.
    padded[:, :pad_h] = padded[:, h + pad_h :] = 0
    padded[:, :, :pad_w] = padded[:, :, w + pad_w :] = 0
    padded[:, pad_h : pad_h + h, pad_w : pad_w + w, :] = x
    return padded


def _output_hw(padded_shape: tuple, filter_h: int, filter_w: int, stride: int) -> tuple[int, int]:
    """(OH, OW) for a channels-last input (N, Hp, Wp, C) that is already padded."""
    _, hp, wp, _ = padded_shape
    return (hp - filter_h) // stride + 1, (wp - filter_w) // stride + 1


def _receptive_fields(padded: np.ndarray, filter_h: int, filter_w: int, stride: int) -> np.ndarray:
    """padded (N, Hp, Wp, C), contiguous -> a read-only view (N, OH, OW, FH, FW*C).

    fields[n, oh, ow, i] is row i of the receptive field of output pixel (oh, ow): FW pixels of
    C channels each, which lie next to each other in memory, so (fw, c) is one axis of FW*C
    numbers.  Reshaped to (N*OH*OW, FH*FW*C) it would be the (channels-last) im2col matrix.
    """
    n, _, _, c = padded.shape
    s_n, s_h, s_w, s_c = padded.strides
    out_h, out_w = _output_hw(padded.shape, filter_h, filter_w, stride)
    return as_strided(
        padded,
        shape=(n, out_h, out_w, filter_h, filter_w * c),
        strides=(s_n, stride * s_h, stride * s_w, s_h, s_c),
        writeable=False,
    )


def _col_pieces(
    padded: np.ndarray, filter_h: int, filter_w: int, stride: int
) -> Iterator[tuple[int, int, np.ndarray]]:
    """Yield (start, stop, col) over the batch, a few images at a time: col is the channels-last
    im2col matrix of images start..stop-1, ((stop - start)*OH*OW, FH*FW*C), about CHUNK_BYTES.

    col lives in one buffer that is overwritten by the next piece.  For a one-channel image
    (the first layer on MNIST) the buffer is column-major: a receptive field has only FW
    neighbouring numbers per row, too short a run to copy quickly, while filling the matrix
    one column (one filter weight) at a time copies whole rows of the image.
    """
    fields = _receptive_fields(padded, filter_h, filter_w, stride)
    n, out_h, out_w, _, _ = fields.shape
    rows_per_image, k, c = out_h * out_w, filter_h * filter_w * padded.shape[3], padded.shape[3]
    step = max(1, min(n, CHUNK_BYTES // (rows_per_image * k * padded.itemsize)))
    if c == 1:
        buffer = np.empty((k, step * rows_per_image), dtype=padded.dtype).T
    else:
        buffer = np.empty((step * rows_per_image, k), dtype=padded.dtype)
    for start in range(0, n, step):
        stop = min(n, start + step)
        col = buffer[: (stop - start) * rows_per_image]
        piece = fields[start:stop]
        if c == 1:  # (FH, FW, images, OH, OW) blocks, one per filter weight
            np.copyto(col.T.reshape(filter_h, filter_w, *piece.shape[:3]), piece.transpose(3, 4, 0, 1, 2))
        else:
            np.copyto(col.reshape(piece.shape), piece)
        yield start, stop, col


def _correlate(
    padded: np.ndarray,
    w_mat: np.ndarray,
    filter_h: int,
    filter_w: int,
    stride: int,
    out: np.ndarray,
    bias: np.ndarray | None = None,
) -> None:
    """out = im2col(padded) @ w_mat + bias, computed a few images at a time.

    padded: (N, Hp, Wp, C) contiguous; w_mat: (FH*FW*C, F); bias: (F,) or None; out:
    (N, OH, OW, F) contiguous, written in place.
    """
    f = out.shape[3]
    for start, stop, col in _col_pieces(padded, filter_h, filter_w, stride):
        piece = out[start:stop].reshape(-1, f)
        np.matmul(col, w_mat, out=piece)
        if bias is not None:
            piece += bias  # while the piece is still in the cache


def _correlate_weight_gradient(
    padded: np.ndarray, dout: np.ndarray, filter_h: int, filter_w: int, stride: int
) -> np.ndarray:
    """dW_mat (FH*FW*C, F) = im2col(padded).T @ dout, summed a few images at a time.

    padded: (N, Hp, Wp, C) contiguous, the forward input; dout: (N, OH, OW, F) contiguous.
    """
    f = dout.shape[3]
    dw_mat = np.zeros((filter_h * filter_w * padded.shape[3], f), dtype=np.result_type(padded, dout))
    for start, stop, col in _col_pieces(padded, filter_h, filter_w, stride):
        dw_mat += col.T @ dout[start:stop].reshape(-1, f)
    return dw_mat


def _col2im_channels_last(
    dcol: np.ndarray, padded_shape: tuple, filter_h: int, filter_w: int, stride: int
) -> np.ndarray:
    """dcol (FH*FW, N*OH*OW, C), one block per filter offset -> (N, Hp, Wp, C).

    The transpose of channels-last im2col, with dcol split by filter offset so that each
    block added is contiguous: FH*FW additions of whole (N, OH, OW, C) arrays.
    """
    n, _, _, c = padded_shape
    out_h, out_w = _output_hw(padded_shape, filter_h, filter_w, stride)
    dcol = dcol.reshape(filter_h, filter_w, n, out_h, out_w, c)
    padded = np.zeros(padded_shape, dtype=dcol.dtype)
    for i in range(filter_h):
        for j in range(filter_w):
            rows = slice(i, i + stride * out_h, stride)
            cols = slice(j, j + stride * out_w, stride)
            padded[:, rows, cols, :] += dcol[i, j]
    return padded


class Convolution:
    """Convolution layer: FN filters W (FN, C, FH, FW) plus one bias b (FN,) per filter.

    forward: x (N, C, H, W) -> (N, FN, OH, OW); backward: dout (N, FN, OH, OW) -> dx (N, C, H, W)
    and sets ``dW`` (FN, C, FH, FW), ``db`` (FN,) and ``grads``.  Mathematically the whole
    batch is one matrix product ``col @ W_col.T`` with col from im2col; the code uses the
    channels-last variant of im2col and takes the batch a few images at a time (see above).
    The result is returned as an (N, FN, OH, OW) view of the (N, OH, OW, FN) product, so
    no transposing copy is made.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0) -> None:
        # The same arrays (no copy) when they are already arrays: params shares them.
        W, b = finite_array("Convolution: W", W), finite_array("Convolution: b", b)
        if np.ndim(W) != 4:
            raise ValueError(f"Convolution expects W of shape (FN, C, FH, FW); got shape {np.shape(W)}")
        if np.shape(b) != (np.shape(W)[0],):
            raise ValueError(
                f"Convolution expects b of shape ({np.shape(W)[0]},), one bias per filter; "
                f"got shape {np.shape(b)}"
            )
        self.W = W
        self.b = b
        self.stride = positive_int("stride", stride)
        self.pad = non_negative_int("pad", pad)
        self.params = {"W": W, "b": b}
        self.grads: dict[str, np.ndarray] = {}
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None
        self._cache: tuple | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _check_images(x, "Convolution")
        fn, c, fh, fw = self.W.shape
        n, x_c, h, w = x.shape
        if x_c != c:
            raise ValueError(
                f"Convolution filters W {self.W.shape} expect {c} input channels; "
                f"got x of shape {x.shape} with {x_c} channels"
            )
        out_h, out_w = _map_size(x.shape, fh, fw, self.stride, self.pad, "Convolution")
        dtype = np.result_type(x.dtype, self.W.dtype, np.float16)  # integers computed as floats

        padded = _pad_channels_last(x.transpose(0, 2, 3, 1), self.pad, self.pad, dtype)  # (N, Hp, Wp, C)
        # (FH*FW*C, FN): row (i, j, ch) holds W[:, ch, i, j], the order of col's columns
        w_mat = np.ascontiguousarray(self.W.transpose(2, 3, 1, 0).reshape(-1, fn), dtype=dtype)
        out = np.empty((n, out_h, out_w, fn), dtype=dtype)
        _correlate(padded, w_mat, fh, fw, self.stride, out, bias=self.b)  # col @ w_mat + b
        self._cache = (x.shape, padded)
        return out.transpose(0, 3, 1, 2)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._cache is None:
            raise RuntimeError("Convolution.backward called before forward")
        x_shape, padded = self._cache
        fn, c, fh, fw = self.W.shape
        n, _, h, w = x_shape
        dout = np.asarray(dout)
        out_h, out_w = _output_hw(padded.shape, fh, fw, self.stride)
        if dout.shape != (n, fn, out_h, out_w):
            raise ValueError(
                f"Convolution.backward expects dout of shape {(n, fn, out_h, out_w)}; "
                f"got shape {dout.shape}"
            )

        # (N, OH, OW, FN): no copy when dout has the memory layout of forward's output.  BLAS
        # needs a plain contiguous matrix, hence ascontiguousarray (numpy's fallback is slow).
        dout_nhwc = np.ascontiguousarray(dout.transpose(0, 2, 3, 1), dtype=padded.dtype)
        dout_col = dout_nhwc.reshape(-1, fn)  # (N*OH*OW, FN)
        # db = dout_col.sum(axis=0), written as a product with a ones vector: the same sum,
        # about ten times faster on these tall, narrow matrices.
        self.db = (np.ones(len(dout_col), dtype=dout_col.dtype) @ dout_col).astype(self.b.dtype, copy=False)
        dw_mat = _correlate_weight_gradient(padded, dout_nhwc, fh, fw, self.stride)  # col.T @ dout_col
        self.dW = np.ascontiguousarray(
            dw_mat.reshape(fh, fw, c, fn).transpose(3, 2, 0, 1), dtype=self.W.dtype
        )
        self.grads = {"W": self.dW, "b": self.db}

        if self.stride == 1 and 1 < c and self.pad < min(fh, fw):
            return self._input_gradient_by_convolution(dout_nhwc, x_shape)
        # dcol = dout_col @ W_col, but laid out as one contiguous (N*OH*OW, C) block per filter
        # offset, (FH*FW, N*OH*OW, C), so that col2im adds whole blocks at a time.
        w_col = self.W.transpose(0, 2, 3, 1).reshape(fn, -1).astype(dout_col.dtype, copy=False)
        if c == 1:  # one product gives that layout directly (and BLAS is fastest on it)
            dcol = w_col.T @ dout_col.T  # (FH*FW, N*OH*OW)
        else:  # a stack of FH*FW products (N*OH*OW, FN) @ (FN, C)
            w_blocks = w_col.reshape(fn, fh * fw, c).transpose(1, 0, 2)  # (FH*FW, FN, C), a view
            dcol = np.matmul(dout_col, w_blocks)
        dpadded = _col2im_channels_last(dcol, padded.shape, fh, fw, self.stride)
        p = self.pad
        return dpadded[:, p : p + h, p : p + w, :].transpose(0, 3, 1, 2)

    def _input_gradient_by_convolution(self, dout_nhwc: np.ndarray, x_shape: tuple) -> np.ndarray:
        """dx for stride 1: dout, zero-padded by FH-1-pad, convolved with the filters turned
        by 180 degrees and with C and FN swapped.

        Every input pixel receives dout * W from each output pixel whose window covered it;
        written as a sum over the window, that is exactly a convolution of dout with the
        flipped filters. It is computed like forward, and it skips the scatter-add of col2im
        (about twice as fast for the book's 3x3 layers).
        """
        n, c, h, w = x_shape
        fn, _, fh, fw = self.W.shape
        ph, pw = fh - 1 - self.pad, fw - 1 - self.pad
        dpad = dout_nhwc if ph == pw == 0 else _pad_channels_last(dout_nhwc, ph, pw, dout_nhwc.dtype)
        # w_flip[(i, j, f), ch] = W[f, ch, FH-1-i, FW-1-j], rows ordered like col's columns
        w_flip = np.ascontiguousarray(
            self.W[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(fh * fw * fn, c), dtype=dout_nhwc.dtype
        )
        dx = np.empty((n, h, w, c), dtype=dout_nhwc.dtype)
        _correlate(dpad, w_flip, fh, fw, 1, dx)
        return dx.transpose(0, 3, 1, 2)


def _in_layout_of(template: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values (same shape as template) with template's memory layout; copied only if needed."""
    out = np.empty_like(template, dtype=values.dtype)  # empty_like keeps the layout
    if out.strides == values.strides:
        return values
    out[...] = values
    return out


class Pooling:
    """Max pooling over pool_h x pool_w windows, moved by ``stride``.

    forward: x (N, C, H, W) -> (N, C, OH, OW), the largest value of each window (padding
    counts as -inf, so it never wins).  backward: dout (N, C, OH, OW) -> dx (N, C, H, W); each
    window's gradient goes to the position of its maximum (the first one on a tie).
    """

    def __init__(self, pool_h: int, pool_w: int, stride: int = 1, pad: int = 0) -> None:
        self.pool_h = positive_int("pool_h", pool_h)
        self.pool_w = positive_int("pool_w", pool_w)
        self.stride = positive_int("stride", stride)
        self.pad = non_negative_int("pad", pad)
        if self.pad >= min(self.pool_h, self.pool_w):
            raise ValueError(
                f"Pooling pad must be smaller than the window ({self.pool_h}x{self.pool_w}) so "
                f"that every window sees the image; got pad={self.pad}"
            )
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._cache: tuple | None = None

    def _offsets(self):
        """Yield (k, rows, cols): for offset k = (i, j) inside the window, the slices that pick
        that offset's pixel out of every window of the padded image."""
        s, out_h, out_w = self.stride, self._out_h, self._out_w
        for i in range(self.pool_h):
            for j in range(self.pool_w):
                yield i * self.pool_w + j, slice(i, i + s * out_h, s), slice(j, j + s * out_w, s)

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _check_images(x, "Pooling")
        n, c, h, w = x.shape
        self._out_h, self._out_w = _map_size(
            x.shape, self.pool_h, self.pool_w, self.stride, self.pad, "Pooling"
        )
        padded = _pad_images(x, self.pad, value=-np.inf)

        # Running maximum over the pool_h*pool_w offsets inside a window, each offset being one
        # strided view that covers every window.  argmax keeps the last offset k that beat the
        # running maximum, i.e. the first occurrence of the window's maximum, like np.argmax;
        # as k only grows, that is max(argmax, k * better).  (Plain arithmetic: np.where and
        # masked copies are several times slower.)  copy(order="K") keeps x's memory layout,
        # so all the arrays here are walked in the same order.
        out = argmax = None
        for k, rows, cols in self._offsets():
            candidate = padded[:, :, rows, cols]
            if out is None:
                out = candidate.copy(order="K")
                argmax = np.zeros_like(out, dtype=np.min_scalar_type(self.pool_h * self.pool_w))
                continue
            better = candidate > out
            np.maximum(out, candidate, out=out)
            np.maximum(argmax, better * argmax.dtype.type(k), out=argmax)
        self._cache = (x.shape, padded, argmax)
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._cache is None:
            raise RuntimeError("Pooling.backward called before forward")
        x_shape, padded, argmax = self._cache
        dout = np.asarray(dout)
        if dout.shape != argmax.shape:
            raise ValueError(f"Pooling.backward expects dout of shape {argmax.shape}; got shape {dout.shape}")
        # Work in the memory layout of the forward pass (x's): mixing layouts, e.g. an NCHW
        # dout with a channels-last x, makes every operation below several times slower.
        dout = _in_layout_of(argmax, dout)
        _, _, hp, wp = padded.shape
        # When the windows tile the image exactly (the usual 2x2 pool with stride 2), every
        # pixel belongs to one window: each offset's share can be written straight into dx,
        # with no zero-filling first and no adding up.
        tiled = self.stride == self.pool_h == self.pool_w and (hp, wp) == (
            self._out_h * self.stride, self._out_w * self.stride)
        dpadded = (np.empty_like if tiled else np.zeros_like)(padded, dtype=dout.dtype)
        is_winner = np.empty_like(argmax, dtype=bool)
        for k, rows, cols in self._offsets():
            np.equal(argmax, k, out=is_winner)
            if tiled:
                np.multiply(dout, is_winner, out=dpadded[:, :, rows, cols])
            else:
                dpadded[:, :, rows, cols] += dout * is_winner
        p, (_, _, h, w) = self.pad, x_shape
        return dpadded[:, :, p : p + h, p : p + w]
