"""Make (or check) the shipped weights.

    python -m nn.pretrained train NAME [--epochs E] [--out PATH] [--seed S] [--augment]
    python -m nn.pretrained evaluate NAME

``train`` trains NAME on whatever ``nn.load_mnist`` provides (set ``NN_DATA_DIR`` to use a
local copy), prints its settings and the test accuracy reached, and writes float32 weights
plus metadata to ``src/nn/pretrained/NAME.npz`` (or PATH). It is seeded: the same data and
settings give the same weights, up to floating-point rounding that may differ between
machines. ``--augment`` adds four copies of every training image shifted by one pixel (up,
down, left, right), five times the data per epoch.

On a machine shared with other jobs, ``OPENBLAS_NUM_THREADS=1`` can make training several
times faster: a multi-threaded matrix product whose threads wait for busy cores is slow.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from ..data import load_mnist
from ..trainer import Trainer
from . import NAMES, RECIPES, load, shift_augment


def train(
    name: str, epochs: int | None, out: Path | None, seed: int, augment: bool | None
) -> float:
    recipe = RECIPES[name]
    epochs = recipe.epochs if epochs is None else epochs
    augment = recipe.augment if augment is None else augment
    out = out or Path(__file__).parent / f"{name}.npz"
    (x_train, t_train), (x_test, t_test) = load_mnist(flatten=recipe.flatten)
    train_size = len(x_train)
    if augment:
        x_train, t_train = shift_augment(x_train), np.tile(t_train, 5)

    network = recipe.build(np.float32)
    print(
        f"training {name}: {type(network).__name__}, float32, {train_size} training images"
        f"{' + 4 one-pixel shifts each' if augment else ''}, {len(x_test)} test images"
    )
    print(
        f"settings: epochs={epochs}, mini_batch_size={recipe.batch_size}, "
        f"optimizer={recipe.optimizer}(lr={recipe.lr:g}), seed={seed}"
    )
    trainer = Trainer(
        network,
        x_train,
        t_train,
        x_test,
        t_test,
        epochs=epochs,
        mini_batch_size=recipe.batch_size,
        optimizer=recipe.optimizer,
        optimizer_param={"lr": recipe.lr},
        evaluate_sample_num_per_epoch=1000,
        seed=seed,
        verbose=True,
    )
    start = time.perf_counter()
    trainer.train()
    minutes = (time.perf_counter() - start) / 60
    if trainer.diverged:
        print("not saved: training diverged", file=sys.stderr)
        raise SystemExit(1)

    test_acc = network.accuracy(x_test, t_test)
    print(f"test accuracy: {test_acc:.4f} on {len(x_test)} images ({minutes:.1f} min)")
    metadata = {
        "architecture": name,
        "test_accuracy": test_acc,
        "test_size": len(x_test),
        "train_size": train_size,
        "augment": augment,
        "epochs": epochs,
        "mini_batch_size": recipe.batch_size,
        "optimizer": recipe.optimizer,
        "lr": recipe.lr,
        "seed": seed,
    }
    network.save_params(out, metadata=metadata)
    print(f"saved {out}")
    if test_acc < recipe.accuracy_floor:
        print(
            f"warning: below the floor {recipe.accuracy_floor} the shipped weights must reach",
            file=sys.stderr,
        )
    return test_acc


def evaluate(name: str) -> float:
    network = load(name)
    _, (x_test, t_test) = load_mnist(flatten=RECIPES[name].flatten)
    acc = network.accuracy(x_test, t_test)
    print(
        f"{name}: test accuracy {acc:.4f} on {len(x_test)} images "
        f"(trained on {network.metadata.get('train_size')} images)"
    )
    return acc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m nn.pretrained",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    p_train = commands.add_parser("train", help="train NAME and save its weights")
    p_train.add_argument("name", choices=NAMES)
    p_train.add_argument("--epochs", type=int, default=None, help="default: the recipe's")
    p_train.add_argument("--out", type=Path, default=None, help="default: the package's NAME.npz")
    p_train.add_argument("--seed", type=int, default=0, help="mini-batch order (default 0)")
    p_train.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="add 1-pixel shifted copies of the training images",
    )
    p_eval = commands.add_parser("evaluate", help="test accuracy of the shipped weights")
    p_eval.add_argument("name", choices=NAMES)
    args = parser.parse_args(argv)
    if args.command == "train":
        if args.epochs is not None and args.epochs < 1:
            parser.error(f"--epochs must be >= 1; got {args.epochs}")
        train(args.name, args.epochs, args.out, args.seed, args.augment)
    else:
        evaluate(args.name)


if __name__ == "__main__":
    main()
