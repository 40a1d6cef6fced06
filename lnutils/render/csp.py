"""A strict Content-Security-Policy for the self-contained HTML report.

The report is one file that opens offline: its styles are inline ``<style>`` elements
and its images ``data:`` URIs. The policy allows exactly that: no script at all, no
request to any server (images, styles, fonts, frames, forms), no ``<base>``. Should a
text from data ever come through as markup, the browser still runs nothing and fetches
nothing.

Each ``<style>`` element is allowed by the hash of its content (``style-src-elem``);
``style=""`` attributes (column widths and alignment written by pandoc) are allowed
(``style-src-attr``), as they can neither load nor run anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_CHARSET = re.compile(r'<meta charset="[^"]*"\s*/?>', re.I)


def style_hashes(html: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for every ``<style>`` element, in order."""
    hashes = []
    for content in _STYLE.findall(html):
        digest = hashlib.sha256(content.encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(html: str) -> str:
    """The policy for ``html``: nothing but its own inline styles and data: images."""
    styles = " ".join(style_hashes(html)) or "'none'"
    return ("default-src 'none'; img-src data:; font-src data:; "
            f"style-src-elem {styles}; style-src-attr 'unsafe-inline'; "
            "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")


def add_policy(path: Path) -> None:
    """Write the policy into the report's ``<head>``, right after the charset.

    Raises
    ------
    ValueError
        When the file has no ``<meta charset>`` to anchor the policy to (not a report
        written with our template).
    """
    path = Path(path)
    html = path.read_text(encoding="utf-8")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    match = _CHARSET.search(html)
    if match is None:
        raise ValueError(f"{path}: no <meta charset> in the head; cannot add the policy")
    path.write_text(html[:match.end()] + "\n" + tag + html[match.end():], encoding="utf-8")
