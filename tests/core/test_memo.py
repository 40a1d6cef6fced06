"""Recent: the last few values by key, the least recently used dropped first."""

from lnutils.memo import Recent


def test_keeps_the_last_used_and_drops_the_oldest():
    kept = Recent(2)
    assert kept.put("a", 1) == 1
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" used again: "b" is now the oldest
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)
    kept.clear()
    assert kept.get("a") is None
