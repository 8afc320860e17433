"""The library's surface: what `import nn` exposes, and that it trains without the book extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import nn


def test_no_submodule_leaks_into_the_nn_namespace():
    import types

    modules = {name for name, obj in vars(nn).items()
               if isinstance(obj, types.ModuleType) and not name.startswith("_")}
    # nn's own modules are reachable by design (nn.gates, nn.conv_fast, ...), but not the
    # internals of the networks package nor third-party modules.
    assert not modules & {"base", "two_layer_net", "multi_layer_net", "simple_convnet",
                          "deep_convnet", "np", "numpy", "math"}
    assert set(nn.networks.__all__) == {"Network", "TwoLayerNet", "MultiLayerNet",
                                        "SimpleConvNet", "DeepConvNet"}


def test_the_gates_module_is_not_shadowed_by_the_perceptron_function():
    assert callable(nn.perceptron)
    assert nn.gates.perceptron is nn.perceptron


def test_nn_trains_without_matplotlib_and_ipywidgets():
    # Block the optional "book" extra, as on a machine that installed only `nn`.
    code = textwrap.dedent("""
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"matplotlib", "ipywidgets"}:
                    raise ImportError(f"{name} is blocked for this test")
                return None

        sys.meta_path.insert(0, Block())
        import numpy as np
        import nn

        rng = np.random.default_rng(0)
        x, t = rng.normal(size=(60, 4)), rng.integers(0, 3, 60)
        net = nn.TwoLayerNet(4, 8, 3)
        trainer = nn.Trainer(net, x, t, x, t, epochs=2, mini_batch_size=20, verbose=False)
        trainer.train()
        assert len(trainer.train_loss_list) == 6
        assert "matplotlib" not in sys.modules and "ipywidgets" not in sys.modules
        try:
            nn.plots
        except ImportError:
            print("plots need the extra")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=None)
    assert result.returncode == 0, result.stderr
    assert "plots need the extra" in result.stdout
