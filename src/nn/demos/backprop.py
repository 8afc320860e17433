"""The book's shopping examples (book ch. 5, notebook 06): computational graphs of
``nn.MulLayer`` and ``nn.AddLayer`` nodes, run forward and backward.

The example's numbers are written here once; the figures (:mod:`nn.plots.graph`) and the
computational graph explorer start from them.
"""

from __future__ import annotations

from .. import _checks
from ..layers import AddLayer, MulLayer

__all__ = [
    "APPLE_PRICE",
    "APPLE_NUM",
    "ORANGE_PRICE",
    "ORANGE_NUM",
    "TAX",
    "apple_values",
    "apple_orange_values",
]

#: The book's example: 2 apples at 100 each and 3 oranges at 150 each, with a tax factor of 1.1.
APPLE_PRICE = 100.0
APPLE_NUM = 2
ORANGE_PRICE = 150.0
ORANGE_NUM = 3
TAX = 1.1


def apple_values(
    apple_price: float = APPLE_PRICE, apple_num: float = APPLE_NUM, tax: float = TAX
) -> dict:
    """Forward and backward pass of "2 apples at 100 each, tax 1.1" through ``nn.MulLayer``.

    Returns a dict with the forward values ``apple_total`` and ``price`` and the gradients
    ``d_apple_price``, ``d_apple_num``, ``d_apple_total`` and ``d_tax`` of the price.
    """
    apple_price, apple_num, tax = (_checks.finite_number(name, value) for name, value in
                                   (("apple_price", apple_price), ("apple_num", apple_num),
                                    ("tax", tax)))
    mul_apple, mul_tax = MulLayer(), MulLayer()
    apple_total = mul_apple.forward(apple_price, apple_num)
    price = mul_tax.forward(apple_total, tax)
    d_apple_total, d_tax = mul_tax.backward(1.0)
    d_apple_price, d_apple_num = mul_apple.backward(d_apple_total)
    return dict(apple_price=apple_price, apple_num=apple_num, tax=tax,
                apple_total=apple_total, price=price, d_price=1.0,
                d_apple_total=d_apple_total, d_tax=d_tax,
                d_apple_price=d_apple_price, d_apple_num=d_apple_num)


def apple_orange_values(
    apple_price: float = APPLE_PRICE,
    apple_num: float = APPLE_NUM,
    orange_price: float = ORANGE_PRICE,
    orange_num: float = ORANGE_NUM,
    tax: float = TAX,
) -> dict:
    """Apples and oranges with tax, through ``nn.MulLayer`` and ``nn.AddLayer``.

    Returns the forward values (``apple_total``, ``orange_total``, ``total``, ``price``) and the
    gradient of the price with respect to every input and intermediate value (``d_...``).
    """
    apple_price, apple_num, orange_price, orange_num, tax = (
        _checks.finite_number(name, value) for name, value in
        (("apple_price", apple_price), ("apple_num", apple_num), ("orange_price", orange_price),
         ("orange_num", orange_num), ("tax", tax)))
    mul_apple, mul_orange, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_total = mul_apple.forward(apple_price, apple_num)
    orange_total = mul_orange.forward(orange_price, orange_num)
    total = add.forward(apple_total, orange_total)
    price = mul_tax.forward(total, tax)
    d_total, d_tax = mul_tax.backward(1.0)
    d_apple_total, d_orange_total = add.backward(d_total)
    d_orange_price, d_orange_num = mul_orange.backward(d_orange_total)
    d_apple_price, d_apple_num = mul_apple.backward(d_apple_total)
    return dict(apple_price=apple_price, apple_num=apple_num, orange_price=orange_price,
                orange_num=orange_num, tax=tax, apple_total=apple_total,
                orange_total=orange_total, total=total, price=price, d_price=1.0,
                d_total=d_total, d_tax=d_tax, d_apple_total=d_apple_total,
                d_orange_total=d_orange_total, d_apple_price=d_apple_price,
                d_apple_num=d_apple_num, d_orange_price=d_orange_price,
                d_orange_num=d_orange_num)
