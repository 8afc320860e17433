"""The fast convolution and pooling layers the networks use (notebook 08 shows the book's in
:mod:`nn.conv`).

:class:`FastConvolution` computes exactly what :class:`nn.Convolution` computes, im2col and one
matrix product, with two changes that make it several times faster:

- **Channels last.** The im2col matrix has its columns ordered (fh, fw, c) instead of
  (c, fh, fw), and the image is stored channels-last.  Every piece copied is then a run of
  FW*C neighbouring numbers in memory rather than FW numbers, which copies several times
  faster; the filters are reordered to match (a tiny array).
- **A few images at a time.** The matrix is never built for the whole batch.  For the book's
  16-filter layer on a batch of 100 MNIST images it would hold 78,400 x 144 numbers (45 MB):
  writing it to memory and reading it back costs more than the arithmetic.  :func:`col_pieces`
  builds it a few images at a time, so that each piece is still in the processor's cache when
  the matrix product reads it.  Same result, about twice as fast.

backward needs no patch matrix kept from forward.  For stride 1 (DeepConvNet's layers) the input
gradient is itself a convolution, of dout padded with the filters turned by 180 degrees, and the
pieces built for it give the filters' gradient as well (:func:`correlate_with_weight_gradient`),
so backward builds one set of pieces, not two.  A network's first layer skips the input gradient
altogether (``backward_params``, of the :class:`nn.Layer` contract): nothing uses the gradient of
the images.

:class:`FastPooling` computes exactly what :class:`nn.Pooling` computes without an im2col
matrix: one strided slice of the channels-last image per position of the window, and only
operations that are fast in the browser's numpy too (see the class).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .backend import keep_where, matmul, running_maximum
from .conv import Convolution, Pooling, _check_images, _map_size

__all__ = ["FastConvolution", "FastPooling"]

#: Size of one piece of col, in bytes: 2 MiB. It is not what fits the cache (the machine the
#: benchmark targets has 1 MiB of level-2 cache per core): pieces of 512 KiB and of 8 MiB were
#: measured no faster, and 2 MiB keeps each product large while bounding the extra memory.
CHUNK_BYTES = 1 << 21


def _pad_channels_last(
    x: np.ndarray, pad_h: int, pad_w: int, dtype: np.dtype, value: float = 0.0
) -> np.ndarray:
    """(N, H, W, C), any memory layout -> a new contiguous (N, H + 2*pad_h, W + 2*pad_w, C)
    array in dtype, with a border of ``value`` (zero unless given)."""
    n, h, w, c = x.shape
    padded = np.empty((n, h + 2 * pad_h, w + 2 * pad_w, c), dtype=dtype)
    # Fill only the border: the inside is overwritten by x just below.
    padded[:, :pad_h] = padded[:, h + pad_h :] = value
    padded[:, :, :pad_w] = padded[:, :, w + pad_w :] = value
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


def col_pieces(
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
            blocks = col.T.reshape(filter_h, filter_w, *piece.shape[:3])
            np.copyto(blocks, piece.transpose(3, 4, 0, 1, 2))
        else:
            np.copyto(col.reshape(piece.shape), piece)
        yield start, stop, col


def correlate(
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
    for start, stop, col in col_pieces(padded, filter_h, filter_w, stride):
        piece = out[start:stop].reshape(-1, f)
        matmul(col, w_mat, out=piece)
        if bias is not None:
            piece += bias  # while the piece is still in the cache


def correlate_weight_gradient(
    padded: np.ndarray, dout: np.ndarray, filter_h: int, filter_w: int, stride: int
) -> np.ndarray:
    """dW_mat (FH*FW*C, F) = im2col(padded).T @ dout, summed a few images at a time.

    padded: (N, Hp, Wp, C) contiguous, the forward input; dout: (N, OH, OW, F) contiguous.
    """
    f = dout.shape[3]
    rows = filter_h * filter_w * padded.shape[3]
    dw_mat = np.zeros((rows, f), dtype=np.result_type(padded, dout))
    for start, stop, col in col_pieces(padded, filter_h, filter_w, stride):
        dw_mat += matmul(col.T, dout[start:stop].reshape(-1, f))
    return dw_mat


def correlate_with_weight_gradient(
    padded: np.ndarray,
    w_mat: np.ndarray,
    filter_h: int,
    filter_w: int,
    x: np.ndarray,
    out: np.ndarray,
) -> np.ndarray:
    """out = im2col(padded) @ w_mat as :func:`correlate` (stride 1, no bias), and, from the same
    pieces while they are in the cache, return im2col(padded).T @ x, (FH*FW*C, X).

    padded: (N, Hp, Wp, C) contiguous; w_mat: (FH*FW*C, F); x: (N, OH, OW, X) contiguous, one
    row of X numbers per output pixel; out: (N, OH, OW, F) contiguous, written in place.
    The input gradient uses it: col is built from the padded dout, and col.T @ x is then the
    weight gradient too (with the filters turned by 180 degrees), with no second set of pieces.
    """
    f, k = out.shape[3], x.shape[3]
    product = np.zeros((w_mat.shape[0], k), dtype=np.result_type(padded, x))
    for start, stop, col in col_pieces(padded, filter_h, filter_w, 1):
        matmul(col, w_mat, out=out[start:stop].reshape(-1, f))
        product += matmul(col.T, x[start:stop].reshape(-1, k))
    return product


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


class FastConvolution(Convolution):
    """:class:`nn.Convolution` computed channels-last, a few images at a time: the same
    parameters, shapes, gradients and contract, several times faster.

    forward returns an (N, FN, OH, OW) view of the (N, OH, OW, FN) product, so no transposing
    copy is made.  backward rebuilds the im2col pieces rather than keeping the whole matrix.
    For stride 1 (every layer of DeepConvNet but the first) it builds them only once, from the
    padded dout: they give the input gradient, and the weight gradient as well.

    ``backward_params`` (for a network's first layer, whose input is the images: nothing needs
    their gradient) computes only ``dW`` and ``db``, from pieces of the padded input.
    """

    def __init__(
        self, W: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0, dtype: object = None
    ) -> None:
        super().__init__(W, b, stride, pad, dtype)
        self._cache: tuple | None = None

    def _by_convolution(self) -> bool:
        """Whether backward computes dx (and dW with it) as a convolution of the padded dout."""
        _, c, fh, fw = self.W.shape
        return self.stride == 1 and 1 < c and self.pad < min(fh, fw)

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _check_images(x, type(self).__name__)
        fn, c, fh, fw = self.W.shape
        out_h, out_w = self._output_size(x)
        dtype = self.W.dtype
        padded = _pad_channels_last(x.transpose(0, 2, 3, 1), self.pad, self.pad, dtype)
        # (FH*FW*C, FN): row (i, j, ch) holds W[:, ch, i, j], the order of col's columns
        w_mat = np.ascontiguousarray(self.W.transpose(2, 3, 1, 0).reshape(-1, fn))
        out = np.empty((len(x), out_h, out_w, fn), dtype=dtype)
        correlate(padded, w_mat, fh, fw, self.stride, out, bias=self.b)  # col @ w_mat + b
        by_convolution = self._by_convolution()
        if by_convolution:  # backward needs x channels-last: no copy when x comes so
            kept = x.transpose(0, 2, 3, 1)
            if not (kept.flags.c_contiguous and kept.dtype == dtype):
                p = self.pad
                kept = padded[:, p : p + x.shape[2], p : p + x.shape[3]].copy()
        else:  # backward rebuilds the pieces from the padded input
            kept = padded
        self._cache = (x.shape, padded.shape, kept, by_convolution)
        return out.transpose(0, 3, 1, 2)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return self._backward(dout, input_gradient=True)

    def backward_params(self, dout: np.ndarray) -> None:
        self._backward(dout, input_gradient=False)

    def _backward(self, dout: np.ndarray, input_gradient: bool) -> np.ndarray | None:
        """dW and db, and dx when ``input_gradient`` (else None: only backward_params asks so)."""
        x_shape, padded_shape, kept, by_convolution = self._saved(self._cache)
        fn, c, fh, fw = self.W.shape
        n, _, h, w = x_shape
        dout = np.asarray(dout)
        out_h, out_w = _output_hw(padded_shape, fh, fw, self.stride)
        if dout.shape != (n, fn, out_h, out_w):
            raise ValueError(
                f"{type(self).__name__}.backward expects dout of shape {(n, fn, out_h, out_w)}; "
                f"got shape {dout.shape}"
            )

        # (N, OH, OW, FN): no copy when dout has the memory layout of forward's output.  BLAS
        # needs a plain contiguous matrix, hence ascontiguousarray (numpy's fallback is slow).
        dout_nhwc = np.ascontiguousarray(dout.transpose(0, 2, 3, 1), dtype=self.W.dtype)
        dout_col = dout_nhwc.reshape(-1, fn)  # (N*OH*OW, FN)
        # db = dout_col.sum(axis=0), written as a product with a ones vector: the same sum,
        # about ten times faster on these tall, narrow matrices.
        ones = np.ones(len(dout_col), dtype=dout_col.dtype)
        self.db = (ones @ dout_col).astype(self.b.dtype, copy=False)
        if by_convolution and input_gradient:  # decided by forward, which kept x for it
            return self._gradients_by_convolution(dout_nhwc, kept)

        # The pieces come from the padded input: forward kept it, or (when it kept x for the
        # path above, which computes dx too) it is padded again here.
        padded = kept
        if by_convolution:
            padded = _pad_channels_last(kept, self.pad, self.pad, kept.dtype)
        # dW_col = col.T @ dout_col
        dw_mat = correlate_weight_gradient(padded, dout_nhwc, fh, fw, self.stride)
        self.dW = np.ascontiguousarray(
            dw_mat.reshape(fh, fw, c, fn).transpose(3, 2, 0, 1), dtype=self.W.dtype
        )
        self.grads = {"W": self.dW, "b": self.db}
        if not input_gradient:
            return None
        # dcol = dout_col @ W_col, but laid out as one contiguous (N*OH*OW, C) block per filter
        # offset, (FH*FW, N*OH*OW, C), so that col2im adds whole blocks at a time.
        w_col = self.W.transpose(0, 2, 3, 1).reshape(fn, -1).astype(dout_col.dtype, copy=False)
        if c == 1:  # one product gives that layout directly (and BLAS is fastest on it)
            dcol = matmul(w_col.T, dout_col.T)  # (FH*FW, N*OH*OW)
        else:  # a stack of FH*FW products (N*OH*OW, FN) @ (FN, C)
            w_blocks = w_col.reshape(fn, fh * fw, c).transpose(1, 0, 2)  # (FH*FW, FN, C), a view
            dcol = np.matmul(dout_col, w_blocks)
        dpadded = _col2im_channels_last(dcol, padded.shape, fh, fw, self.stride)
        p = self.pad
        return dpadded[:, p : p + h, p : p + w, :].transpose(0, 3, 1, 2)

    def _gradients_by_convolution(self, dout_nhwc: np.ndarray, x_nhwc: np.ndarray) -> np.ndarray:
        """dx and dW for stride 1, from one set of pieces of dout zero-padded by FH-1-pad.

        dx: every input pixel receives dout * W from each output pixel whose window covered
        it; written as a sum over the window, that is a convolution of the padded dout with the
        filters turned by 180 degrees and with C and FN swapped.  It is computed like forward,
        and it skips the scatter-add of col2im (about twice as fast for the book's 3x3 layers).

        dW: with the same pieces, dcol.T @ x (x channels-last, (N, H, W, C)) sums
        dout[pixel - offset] * x[pixel] over the input pixels for every filter offset: the
        weight gradient, with the offsets turned by 180 degrees like the filters above.
        """
        n, h, w, c = x_nhwc.shape
        fn, _, fh, fw = self.W.shape
        ph, pw = fh - 1 - self.pad, fw - 1 - self.pad
        dtype = dout_nhwc.dtype
        dpad = dout_nhwc if ph == pw == 0 else _pad_channels_last(dout_nhwc, ph, pw, dtype)
        # w_flip[(i, j, f), ch] = W[f, ch, FH-1-i, FW-1-j], rows ordered like col's columns
        w_flip = np.ascontiguousarray(
            self.W[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(fh * fw * fn, c), dtype=dtype
        )
        dx = np.empty((n, h, w, c), dtype=dtype)
        dw_flip = correlate_with_weight_gradient(dpad, w_flip, fh, fw, x_nhwc, dx)
        # dw_flip[(i, j, f), ch] is dW[f, ch, FH-1-i, FW-1-j]
        self.dW = np.ascontiguousarray(
            dw_flip.reshape(fh, fw, fn, c)[::-1, ::-1].transpose(2, 3, 0, 1), dtype=self.W.dtype
        )
        self.grads = {"W": self.dW, "b": self.db}
        return dx.transpose(0, 3, 1, 2)


class FastPooling(Pooling):
    """:class:`nn.Pooling` computed from strided slices of the channels-last image: the same
    outputs, gradients (ties included), shapes and contract, without the im2col matrix.

    Number the positions of the pool_h x pool_w window k = 0, 1, ... in reading order.  For
    position k = (i, j), ``image[:, rows, cols, :]`` with rows ``i, i + stride, ...`` and cols
    ``j, j + stride, ...`` holds that position's pixel of every window, (N, OH, OW, C).
    forward keeps a running maximum over these slices and, next to it, ``winner``: the first
    position k that holds its window's maximum, the one :class:`nn.Pooling`'s argmax picks.
    backward writes the gradient into each position's slice where ``winner == k``, and 0
    elsewhere.  The image is taken channels-last, (N, H, W, C): a view, with no copy, of the
    (N, C, H, W) output of :class:`nn.FastConvolution`.

    Written for the browser's numpy as well: no boolean indexing and no ``np.add.at``, which
    run several times slower there, and the elementwise steps through :mod:`nn.backend`,
    which spells them as each numpy runs them fastest.  The results equal
    :class:`nn.Pooling`'s for every input without NaN; a NaN that is not the first pixel of its
    window is skipped here, while ``np.argmax`` there picks it.
    """

    def __init__(self, pool_h: int, pool_w: int, stride: int = 1, pad: int = 0) -> None:
        super().__init__(pool_h, pool_w, stride, pad)
        self._cache: tuple | None = None

    def _positions(self, out_h: int, out_w: int) -> Iterator[tuple[int, slice, slice]]:
        """Yield (k, rows, cols) for every position k of the window, in reading order: the
        slices of the padded channels-last image that hold that position's pixel of every
        window."""
        s = self.stride
        for i in range(self.pool_h):
            for j in range(self.pool_w):
                yield i * self.pool_w + j, slice(i, i + s * out_h, s), slice(j, j + s * out_w, s)

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        x = _check_images(x, type(self).__name__)
        out_h, out_w = _map_size(
            x.shape, self.pool_h, self.pool_w, self.stride, self.pad, type(self).__name__
        )
        image = x.transpose(0, 2, 3, 1)  # (N, H, W, C), a view
        if self.pad:  # padding is -inf, so it never wins
            image = _pad_channels_last(image, self.pad, self.pad, x.dtype, value=-np.inf)
        out = winner = None
        for k, rows, cols in self._positions(out_h, out_w):
            pixel = image[:, rows, cols, :]  # (N, OH, OW, C)
            if out is None:  # position 0 wins until a later one holds more
                out = pixel.copy()  # (N, OH, OW, C), contiguous
                winner = np.zeros(out.shape, np.min_scalar_type(self.pool_h * self.pool_w))
                continue
            # Strictly greater: on a tie the earlier position stays the winner.
            out, winner = running_maximum(out, winner, pixel, k)
        self._cache = (x.shape, image.shape, winner)
        return out.transpose(0, 3, 1, 2)  # (N, C, OH, OW)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x_shape, image_shape, winner = self._saved(self._cache)
        (n, c, h, w), (_, out_h, out_w, _) = x_shape, winner.shape
        dout = np.asarray(dout)
        if dout.shape != (n, c, out_h, out_w):
            raise ValueError(
                f"{type(self).__name__}.backward expects dout of shape {(n, c, out_h, out_w)}; "
                f"got shape {dout.shape}"
            )
        # (N, OH, OW, C) in winner's memory layout: a copy only when dout comes channels-first
        # (from an Affine layer); mixing layouts would slow every step below.
        grad = np.ascontiguousarray(dout.transpose(0, 2, 3, 1))
        # When the windows tile the image exactly (the usual 2x2 pool with stride 2), every
        # pixel belongs to one window and is written once: no zeros first and no adding up.
        tiled = self.stride == self.pool_h == self.pool_w and image_shape[1:3] == (
            out_h * self.stride, out_w * self.stride)
        dimage = (np.empty if tiled else np.zeros)(image_shape, dtype=grad.dtype)
        won = np.empty(winner.shape, dtype=bool)
        for k, rows, cols in self._positions(out_h, out_w):
            np.equal(winner, k, out=won)  # the windows position k won
            if tiled:
                keep_where(won, grad, out=dimage[:, rows, cols, :])
            else:
                dimage[:, rows, cols, :] += keep_where(won, grad)
        p = self.pad
        return dimage[:, p : p + h, p : p + w, :].transpose(0, 3, 1, 2)  # (N, C, H, W)
