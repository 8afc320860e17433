"""nn.metrics: class probabilities, the confusion matrix, the smoothed loss curve."""

from __future__ import annotations

import numpy as np
import pytest

import nn


class ScoreTable:
    """A stand-in network: the score of class k for image i is the pixel x[i, k]."""

    def predict(self, x):
        return np.asarray(x)[:, :10] * 20.0


def test_confusion_matrix_counts_pairs():
    counts = nn.confusion_matrix([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0], num_classes=3)
    assert counts.tolist() == [[1, 0, 0], [0, 1, 1], [1, 0, 2]]
    assert counts.sum() == 6 and counts.dtype == np.int64


def test_confusion_matrix_rejects_bad_labels():
    with pytest.raises(ValueError, match="same length"):
        nn.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match=r"0\.\.9; got label 10"):
        nn.confusion_matrix([0, 10], [0, 1])
    with pytest.raises(ValueError, match="integer class labels"):
        nn.confusion_matrix(np.array([0.5, 1.0]), np.array([0, 1]))
    # Whole numbers stored as floats are labels, as everywhere else in nn.
    counts = nn.confusion_matrix(np.array([0.0, 1.0]), np.array([0, 1]), 2)
    assert counts.tolist() == [[1, 0], [0, 1]]


def test_predict_probabilities_in_batches_equals_all_at_once():
    x = np.random.default_rng(0).random((25, 784))
    probs = nn.predict_probabilities(ScoreTable(), x, batch_size=7)
    assert probs.shape == (25, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(probs, nn.predict_probabilities(ScoreTable(), x, batch_size=1000))
    assert (probs.argmax(axis=1) == x[:, :10].argmax(axis=1)).all()
    with pytest.raises(ValueError, match="batch_size"):
        nn.predict_probabilities(ScoreTable(), x, batch_size=0)


def test_smooth_curve():
    np.testing.assert_allclose(nn.smooth_curve([1, 2, 3, 4, 5], window=3), [1.5, 2, 3, 4, 4.5])
    np.testing.assert_allclose(nn.smooth_curve(np.ones(50), window=25), np.ones(50))
    noisy = np.sin(np.linspace(0, 3, 400)) + np.random.default_rng(0).normal(0, 0.5, 400)
    assert np.std(np.diff(nn.smooth_curve(noisy, 25))) < np.std(np.diff(noisy)) / 5
    with pytest.raises(ValueError, match="must hold only finite numbers; got 1 NaN or inf"):
        nn.smooth_curve([1.0, np.nan])
    with pytest.raises(ValueError, match="window"):
        nn.smooth_curve([1.0, 2.0], window=0)
