"""Interactive widgets of the book (ipywidgets).

Each widget is thin: it wires sliders and buttons to a pure function in :mod:`nn.plots`, and
returns the container so a test can change a control and read the output again.
"""
