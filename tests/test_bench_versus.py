"""bench/versus.py's report: the fastest round of each side counts, and the ratio is this
checkout's over the baseline's. (The builds themselves are only run by the benchmark.)"""

from __future__ import annotations

from bench.versus import report


def _round(first: float, day: float, site: float) -> dict[str, dict[str, float]]:
    build = {"cpu": first * 1.5, "tree_mb": 900.0, "site_mb": site}
    return {
        "first": {"s": first, **build},
        "new_day": {"s": day, **build, "cpu": day},
        "noop": {"s": day / 20, **build, "cpu": day / 20},
    }


def test_the_fastest_round_of_each_side_is_compared() -> None:
    runs = {
        "abc123": [_round(50.0, 16.0, 300.0), _round(46.0, 18.0, 300.0)],
        "this checkout": [_round(52.0, 15.0, 360.0), _round(61.0, 20.0, 360.0)],
    }
    text = report("abc123", 30000, runs)
    assert "`python -m bench.versus --baseline abc123 --papers 30000 --rounds 2`" in text
    assert "| first build, time | 46.0 s | 52.0 s | 1.13 |" in text
    assert "| one new day, time | 16.0 s | 15.0 s | 0.94 |" in text
    assert "| first build, site | 300.0 MB | 360.0 MB | 1.20 |" in text
    assert "| nothing new, time | 0.8 s | 0.8 s | 0.94 |" in text
    assert "- this checkout: 52.0 + 15.0 + 0.8, 61.0 + 20.0 + 1.0" in text


def test_a_step_some_round_did_not_take_is_left_out() -> None:
    older = {k: v for k, v in _round(46.0, 18.0, 300.0).items() if k != "noop"}
    runs = {"abc123": [older], "this checkout": [_round(52.0, 15.0, 360.0)]}
    text = report("abc123", 30000, runs)
    assert "| one new day, time | 18.0 s | 15.0 s | 0.83 |" in text
    assert "nothing new, time" not in text
