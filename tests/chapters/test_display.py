"""show_figure: one PNG output carrying the caption and alt text as metadata."""

import base64

import matplotlib.pyplot as plt

from lnutils.chapters.display import show_figure


def _figure():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    return fig


def test_show_figure_carries_caption_and_alt():
    fig = _figure()
    out = show_figure(fig, ("Svar per gruppe (n = 3)", "Stolper: a 1, b 2."))
    data, meta = out._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    assert meta["image/png"] == {"caption": "Svar per gruppe (n = 3)", "alt": "Stolper: a 1, b 2."}
    assert not plt.fignum_exists(fig.number)  # closed: the inline backend will not show it again


def test_show_figure_plain_alt_string_and_nothing():
    assert show_figure(_figure(), "Bare alt")._repr_mimebundle_()[1] == {
        "image/png": {"alt": "Bare alt"}}
    assert show_figure(_figure())._repr_mimebundle_()[1] == {"image/png": {}}
