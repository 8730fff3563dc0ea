"""The ranking on two public networks shipped in ``bench/data/`` (sources in
``bench/bench_real.py``), for the claims issue 13 made about them.

* Lazega's law firm (Lazega 2001): 71 lawyers; strength = relations the pair has
  (co-work, advice, friendship, either direction) / 3. Before issue 13, 24 to 29 of the
  71 were labelled power connector, depending on the grouping.
* The DNC e-mail graph (KONECT ``dnc-temporalGraph``, 2016 leak, anonymised numeric
  ids), strengths derived as ``load-interactions`` derives them. Before issue 13, #1 and
  #2 were mega connectors.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from powerconnect.engine.graph import TieGraph
from powerconnect.engine.ranking import POWER_SHARE, rank


def bench_real() -> ModuleType:
    """``bench/bench_real.py``, whose readers turn the shipped files into ties."""
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_real.py"
    spec = importlib.util.spec_from_file_location("bench_real", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_real", module)
    spec.loader.exec_module(module)
    return module


def reversed_rows(g: TieGraph) -> TieGraph:
    """The same network, people and ties listed backwards and each tie turned round."""
    perm = np.arange(g.n)[::-1]
    order = np.arange(g.m)[::-1]
    return TieGraph.from_arrays(
        g.ids[::-1], perm[g.dst[order]], perm[g.src[order]], g.strength[order]
    )


def test_lazega_labels_at_most_one_lawyer_in_five() -> None:
    g = bench_real().lazega().graph
    assert (g.n, g.m) == (71, 1008)  # 1,008 pairs with at least one relation
    df = rank(g)
    # Explicit strengths 1/3, 2/3, 1: the upper quartile is 2/3, capped at 0.5.
    assert df.attrs["strong"] == 0.5
    powers = int((df["role"] == "power connector").sum())
    assert 0 < powers <= POWER_SHARE * 71  # at most 14 of 71, where 24-29 were
    assert rank(reversed_rows(g))["id"].head(20).tolist() == df["id"].head(20).tolist()


def test_dnc_mega_connectors_never_head_the_ranking() -> None:
    net = bench_real().message_log("dnc", "dnc-temporalGraph.txt.gz")  # as load-interactions
    assert net.calibrated == 1.0
    g = net.graph
    df = rank(g, calibrated=1.0)  # every strength is the model's P(close)
    assert df.attrs["strong"] == 0.5
    role = df["role"].tolist()
    assert "mega connector" not in role[:2]
    assert role.count("power connector") >= 2
    last_power = max(i for i, r in enumerate(role) if r == "power connector")
    assert "mega connector" not in role[:last_power]
    assert role.count("power connector") <= POWER_SHARE * int((df["degree"] > 0).sum())
    assert rank(reversed_rows(g), calibrated=1.0)["id"].head(20).tolist() == (
        df["id"].head(20).tolist()
    )
