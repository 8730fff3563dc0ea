"""Derived tie strength against ground truth: SocioPatterns' high school (2013).

Data (not shipped: CC BY-NC-SA 3.0): "High school contact and friendship networks",
http://www.sociopatterns.org/datasets/high-school-contact-and-friendship-networks/
(Mastrandrea, Fournet and Barrat, PLoS ONE 10(9): e0136497, 2015). Give the directory
holding ``High-School_data_2013.csv.gz`` (rows ``t i j Ci Cj``: students i and j face
to face in the 20-s window starting at Unix time t) and
``Friendship-network_data_2013.csv.gz`` (arcs ``i j``: i named j a friend).

Truth: the pairs that were face to face at least once and whose two members both
answered the survey; close = either named the other (1,212 pairs, 345 close).

Two logs of the same contacts, as a converter would write them:

* **20-s rows as published**: one row per window, no duration;
* **contact episodes**: consecutive windows of a pair merged into one row with its
  ``duration`` (seconds), the form a real meeting or call log has.

Both with channel ``contact``, declared undirected. The pairs are split in two halves
at random (seed 2013): the model's shipped coefficients (``COEFFICIENTS`` in
``loaders/interactions.py``) were fit on the *training* half of the episodes log, and
every figure below is measured on the *held-out* half only (``--fit`` prints the fit
on the training half again, to compare with the shipped values). The old model is
the saturating one that shipped before (``derive_ties``), with its own default
threshold 0.5.

Speed: the read-and-derive step of ``load-interactions`` on a synthetic log of 1M rows
(``--rows``), in rows per second, beside a plain ``pandas.read_csv`` + group-by of the
same file (the yardstick) and beside the old model's read-and-derive; median of
``--repeat`` runs. Writing to Neo4j is the same for both models and is not included.

Run from the repository root::

    .venv/bin/python -m bench.bench_strength /path/to/highschool2013 --fit
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from powerconnect.loaders import interactions
from powerconnect.loaders.interactions import (
    COEFFICIENTS,
    HALF_LIFE_DAYS,
    STRONG_PROBABILITY,
    Interactions,
    derive_strengths,
    derive_ties,
    read_interaction_frame,
    read_interactions,
    tie_signals,
)
from powerconnect.loaders.tables import ProblemLog

CHANNEL = "contact"
#: published anchors for accuracy (binary strong/weak)
ANCHORS = "Gilbert and Karahalios (CHI 2009): 85%; Jones et al. (PLOS ONE 2013): 84%"


# ------------------------------------------------------------------------ data
def read_highschool(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(20-s rows, episodes, truth) from the SocioPatterns files."""
    rows = pd.read_csv(
        directory / "High-School_data_2013.csv.gz",
        sep=r"\s+",
        header=None,
        names=["t", "i", "j", "ci", "cj"],
    )
    rows = rows.sort_values(["i", "j", "t"], kind="stable").reset_index(drop=True)
    start = (
        rows["i"].ne(rows["i"].shift()) | rows["j"].ne(rows["j"].shift()) | rows["t"].diff().ne(20)
    )
    rows["episode"] = start.cumsum()
    episodes = rows.groupby("episode").agg(
        i=("i", "first"), j=("j", "first"), t=("t", "first"), windows=("t", "size")
    )
    published = pd.DataFrame(
        {
            "source": rows["i"].astype(str),
            "target": rows["j"].astype(str),
            "timestamp": pd.to_datetime(rows["t"], unit="s", utc=True),
            "channel": CHANNEL,
        }
    )
    merged = pd.DataFrame(
        {
            "source": episodes["i"].astype(str).to_numpy(),
            "target": episodes["j"].astype(str).to_numpy(),
            "timestamp": pd.to_datetime(episodes["t"].to_numpy(), unit="s", utc=True),
            "channel": CHANNEL,
            "duration": 20.0 * episodes["windows"].to_numpy(),
        }
    )
    friends = pd.read_csv(
        directory / "Friendship-network_data_2013.csv.gz", sep=r"\s+", header=None, names=["i", "j"]
    )
    answered = {str(i) for i in friends["i"]}
    named = {(str(i), str(j)) for i, j in zip(friends["i"], friends["j"], strict=True)}
    pairs = episodes.groupby(["i", "j"]).size().reset_index()[["i", "j"]].astype(str)
    pairs = pairs[pairs["i"].isin(answered) & pairs["j"].isin(answered)]
    a = np.where(pairs["i"] < pairs["j"], pairs["i"], pairs["j"])
    b = np.where(pairs["i"] < pairs["j"], pairs["j"], pairs["i"])
    close = [(x, y) in named or (y, x) in named for x, y in zip(a, b, strict=True)]
    truth = pd.DataFrame({"a": a, "b": b, "close": close})
    # a stratified random half: every other close pair and every other distant pair,
    # in a random order (seed 2013), so both halves have the same close rate
    rng = np.random.default_rng(2013)
    order = rng.permutation(len(truth))
    truth = truth.iloc[order].reset_index(drop=True)
    truth["held_out"] = truth.groupby("close").cumcount() % 2 == 1
    return published, merged, truth


# ------------------------------------------------------------------------ measures
def auc(score: np.ndarray, close: np.ndarray) -> float:
    """ROC AUC by the Mann-Whitney rank sum (ties get mean ranks)."""
    ranks = pd.Series(np.asarray(score, dtype=np.float64)).rank().to_numpy()
    close = np.asarray(close, dtype=bool)
    n1, n0 = int(close.sum()), int((~close).sum())
    return float((ranks[close].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Maximum-likelihood logistic regression by Newton's method (IRLS); x without
    the intercept column. Returns (intercept, coefficients...)."""
    design = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        w = p * (1.0 - p)
        hessian = design.T @ (design * w[:, None]) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, design.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return beta


def fit(log: pd.DataFrame, truth: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(coefficients fit on the training half, ln(share) of every truth pair)."""
    signals, _, _ = tie_signals(log, undirected_channels=[CHANNEL])
    x = on_truth(truth, signals["a"], signals["b"], np.log(signals["share"].to_numpy()))
    train = ~truth["held_out"].to_numpy()
    return fit_logistic(x[train, None], truth["close"].to_numpy()[train].astype(float)), x


def on_truth(truth: pd.DataFrame, a: np.ndarray, b: np.ndarray, values: np.ndarray) -> np.ndarray:
    got = pd.Series(values, index=pd.MultiIndex.from_arrays([a, b]))
    return got.reindex(pd.MultiIndex.from_arrays([truth["a"], truth["b"]])).to_numpy()


def new_strengths(log: pd.DataFrame, truth: pd.DataFrame, **options: object) -> np.ndarray:
    derived = derive_strengths(log, undirected_channels=[CHANNEL], **options)  # type: ignore[arg-type]
    return on_truth(truth, derived.ties.a, derived.ties.b, derived.ties.strength)


def old_strengths(log: pd.DataFrame, truth: pd.DataFrame) -> np.ndarray:
    events = Interactions(
        log["source"].to_numpy(dtype=object),
        log["target"].to_numpy(dtype=object),
        pd.DatetimeIndex(log["timestamp"]),
        log["channel"].to_numpy(dtype=object),
    )
    ties = derive_ties(events)
    return on_truth(truth, ties.a, ties.b, ties.strength)


def counts(log: pd.DataFrame, truth: pd.DataFrame) -> np.ndarray:
    a = np.minimum(log["source"].to_numpy(dtype=object), log["target"].to_numpy(dtype=object))
    b = np.maximum(log["source"].to_numpy(dtype=object), log["target"].to_numpy(dtype=object))
    n = pd.DataFrame({"a": a, "b": b}).groupby(["a", "b"]).size()
    return on_truth(truth, n.index.get_level_values(0), n.index.get_level_values(1), n.to_numpy())


def row(name: str, strength: np.ndarray, count: np.ndarray, truth: pd.DataFrame) -> str:
    test = truth["held_out"].to_numpy()
    y = truth["close"].to_numpy()[test]
    s, c = strength[test], count[test]
    strong = s >= STRONG_PROBABILITY
    return (
        f"| {name} | {y.mean():.0%} | {auc(s, y):.3f} | {auc(c, y):.3f} | "
        f"{(strong == y).mean():.3f} | {strong.mean():.0%} |"
    )


def prior_sweep(log: pd.DataFrame, truth: pd.DataFrame) -> None:
    """Refit for each share prior: held-out AUC, and P(close) of a lone interaction (one
    untimed row between two people who have no other)."""
    shipped = interactions.SHARE_PRIOR_MINUTES
    test = truth["held_out"].to_numpy()
    y = truth["close"].to_numpy()[test]
    print(
        "| share prior (minutes) | intercept, ln(share) | held-out AUC | P(close) of a lone row |"
    )
    print("|---|---|---|---|")
    try:
        for prior in (30.0, 60.0, 120.0, 240.0, 480.0):
            interactions.SHARE_PRIOR_MINUTES = prior
            beta, x = fit(log, truth)
            z = beta[0] + beta[1] * x[test]
            lone = 1 / (1 + np.exp(-(beta[0] + beta[1] * np.log(1 / (1 + prior)))))
            print(f"| {prior:g} | {beta[0]:.2f}, {beta[1]:.2f} | {auc(z, y):.3f} | {lone:.2f} |")
    finally:
        interactions.SHARE_PRIOR_MINUTES = shipped


# ------------------------------------------------------------------------ speed
def synthetic_log(path: Path, rows: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    people = 20_000
    src = rng.zipf(1.6, rows) % people
    dst = (src + 1 + rng.zipf(1.8, rows) % (people - 1)) % people
    t = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 365 * 86400, rows), unit="s"
    )
    channel = rng.choice(["email", "call", "meeting"], rows)
    pd.DataFrame(
        {
            "from": [f"p{x}" for x in src],
            "to": [f"p{x}" for x in dst],
            "timestamp": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channel": channel,
        }
    ).to_csv(path, index=False)


def timed(f: object, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        f()  # type: ignore[operator]
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def speed(rows: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.csv"
        synthetic_log(path, rows)

        def yardstick() -> None:
            df = pd.read_csv(path)
            a = np.minimum(df["from"].to_numpy(dtype=object), df["to"].to_numpy(dtype=object))
            b = np.maximum(df["from"].to_numpy(dtype=object), df["to"].to_numpy(dtype=object))
            pd.DataFrame({"a": a, "b": b, "t": df["timestamp"]}).groupby(["a", "b"]).agg(
                n=("t", "size"), last=("t", "max")
            )

        def new() -> None:
            derive_strengths(
                read_interaction_frame([path], ProblemLog()), undirected_channels=["meeting"]
            )

        def old() -> None:
            derive_ties(read_interactions([path], ProblemLog()))

        base, t_new, t_old = timed(yardstick, repeat), timed(new, repeat), timed(old, repeat)
    print(f"\nSpeed on {rows:,} rows (read, check and derive; median of {repeat}):")
    print("| step | seconds | rows/s | / yardstick |")
    print("|---|---|---|---|")
    for name, t in (
        ("pandas read_csv + group-by (yardstick)", base),
        ("old model (read_interactions + derive_ties)", t_old),
        ("new model (read_interaction_frame + derive_strengths)", t_new),
    ):
        print(f"| {name} | {t:.2f} | {rows / t:,.0f} | {t / base:.2f} |")


# ------------------------------------------------------------------------ main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the SocioPatterns high school 2013 files")
    parser.add_argument("--fit", action="store_true", help="refit on the training half")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the speed test")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    published, episodes, truth = read_highschool(args.directory)
    test = truth["held_out"].to_numpy()
    print(
        f"High school 2013: {len(published):,} 20-s rows, {len(episodes):,} episodes; "
        f"truth {len(truth)} pairs ({int(truth['close'].sum())} close), "
        f"held out {int(test.sum())} ({int(truth['close'][test].sum())} close)"
    )
    if args.fit:
        beta, _ = fit(episodes, truth)
        print(
            "fit on the training half (episodes): intercept, ln(share) = "
            + ", ".join(f"{v:.3f}" for v in beta)
            + f"; shipped {COEFFICIENTS}"
        )
        prior_sweep(episodes, truth)

    print("\nHeld-out half; strong = strength >= 0.5. Accuracy anchors: " + ANCHORS)
    print(
        "| log / truth | close rate | AUC of derived strength | AUC of a plain count | "
        "accuracy at 0.5 | share called strong |"
    )
    print("|---|---|---|---|---|---|")
    for name, log in (("20-s rows as published", published), ("contact episodes", episodes)):
        count = counts(log, truth)
        print(row(f"old model, {name}", old_strengths(log, truth), count, truth))
        print(row(f"new model, {name}", new_strengths(log, truth), count, truth))

    # direction of the rows: the same contacts written three ways
    rng = np.random.default_rng(7)
    flip = rng.random(len(episodes)) < 0.5
    shuffled = episodes.copy()
    shuffled.loc[flip, ["source", "target"]] = episodes.loc[flip, ["target", "source"]].to_numpy()
    reversed_ = episodes.rename(columns={"source": "target", "target": "source"})
    print("\nShare called strong on the held-out half, by how the rows are written:")
    print("| rows written | old model | new model (contact undirected) |")
    print("|---|---|---|")
    for name, log in (
        ("smaller id first", episodes),
        ("larger id first", reversed_),
        ("either, at random", shuffled),
    ):
        old = old_strengths(log, truth)[test] >= 0.5
        new = new_strengths(log, truth)[test] >= STRONG_PROBABILITY
        print(f"| {name} | {old.mean():.0%} | {new.mean():.0%} |")

    print("\nHalf-life (days) against held-out AUC and share called strong (episodes):")
    print("| half-life | AUC | share strong |")
    print("|---|---|---|")
    y = truth["close"].to_numpy()[test]
    for h in (1.0, 7.0, 30.0, HALF_LIFE_DAYS, 365.0, 1e9):
        s = new_strengths(episodes, truth, half_life_days=h)[test]
        label = "no decay" if h == 1e9 else f"{h:g}"
        print(f"| {label} | {auc(s, y):.3f} | {(s >= STRONG_PROBABILITY).mean():.0%} |")

    print("\nCalibration on the held-out half (episodes): predicted vs observed close rate")
    print("| strength | pairs | mean strength | close rate |")
    print("|---|---|---|---|")
    s = new_strengths(episodes, truth)[test]
    for lo, hi in ((0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 1.01)):
        m = (s >= lo) & (s < hi)
        if m.any():
            print(
                f"| {lo:.1f}-{min(hi, 1):.1f} | {int(m.sum())} | "
                f"{s[m].mean():.2f} | {y[m].mean():.2f} |"
            )

    if args.rows:
        speed(args.rows, args.repeat)


if __name__ == "__main__":
    main()
