"""Message catalogs of :mod:`nn.i18n`, one module per language other than English.

Each module holds ``MESSAGES`` (English message of the library's code → translation, the same
``{fields}`` in both) and ``FIGURE_TEXTS`` (texts that the chapters' own cells draw into
figures, translated when a figure is shown; a ``{field}`` there matches any text).
``tests/widgets/test_i18n.py`` checks that a catalog holds every message the code uses and no other.
"""
