"""The report's order: chapters and narratives, with their parts and appendices.

Both engines render the same list of :class:`Item` s, built here from the
pipeline: executed chapters in pipeline order, each narrative placed before or
after the chapter its ``anchor`` names (at the start, or the end, without one).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lnutils import paths
from lnutils.render.errors import RenderError

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember"]


@dataclass(frozen=True)
class Item:
    """One piece of the report.

    Attributes
    ----------
    kind : ``"chapter"`` (an executed notebook) or ``"narrative"`` (markdown).
    id : the chapter or narrative id.
    source : the executed notebook or the narrative file.
    title : heading to use when the source starts without one ("" for none).
    part : the part it belongs to ("" for none).
    appendix : whether it is an appendix ("Vedlegg").
    """

    kind: str
    id: str
    source: Path
    title: str = ""
    part: str = ""
    appendix: bool = False


def report_items(pipeline, stage_dir: Path, region: str | None = None) -> list[Item]:
    """The report's pieces in reading order.

    In a per-region sub-report (``region`` given) only chapters run in the
    fan-out appear, and only the narratives marked ``subreports: true`` or ``only``
    (their placeholders and claims are resolved with the region's facts); the others
    are written about the whole network and stay in the main report.

    Raises
    ------
    RenderError
        When an executed notebook or a narrative file is missing, or a narrative
        is anchored to a chapter the pipeline does not have.
    """
    spec = pipeline.spec
    chapters = [c for c in spec.chapters
                if (c.fanout != "only" if region is None else c.fanout)]
    items = []
    missing = []
    for chapter in chapters:
        path = Path(stage_dir) / "notebooks" / f"{chapter.id}.ipynb"
        if not path.is_file():
            missing.append(f"{path}: executed notebook of chapter {chapter.id!r} not found")
        items.append(Item("chapter", chapter.id, path, chapter.title, chapter.part,
                          chapter.appendix))
    if missing:
        raise RenderError("\n".join(missing) + "\nrun the chapters before rendering "
                          "(lnreport build executes them into the stage folder)")
    return _place_narratives(pipeline, items, region is not None)


def _shown(narrative, subreport: bool) -> bool:
    """Whether a narrative belongs in the main report or in a sub-report."""
    if subreport:
        return narrative.subreports in (True, "only")
    return narrative.subreports != "only"


def _place_narratives(pipeline, items: list[Item], subreport: bool = False) -> list[Item]:
    ids = [item.id for item in items]
    before: dict[str, list[Item]] = {}
    after: dict[str, list[Item]] = {}
    head, tail = [], []
    for narrative in pipeline.spec.narratives:
        if not _shown(narrative, subreport):
            continue
        path = paths.reports_dir() / narrative.file
        if not path.is_file():
            raise RenderError(f"{pipeline.path}: narrative {narrative.id!r}: file {path} not found;"
                              " narrative files are relative to reports/")
        item = Item("narrative", narrative.id, path, narrative.title, narrative.part,
                    narrative.appendix)
        if narrative.position not in {"before", "after"}:
            raise RenderError(f"{pipeline.path}: narrative {narrative.id!r}: position must be "
                              f"'before' or 'after', not {narrative.position!r}")
        if not narrative.anchor:
            (head if narrative.position == "before" else tail).append(item)
        elif narrative.anchor not in ids:
            where = "the sub-reports do" if subreport else "the pipeline does"
            raise RenderError(f"{pipeline.path}: narrative {narrative.id!r} is anchored to "
                              f"chapter {narrative.anchor!r}, which {where} not have "
                              f"(chapters: {', '.join(ids)})")
        else:
            target = before if narrative.position == "before" else after
            target.setdefault(narrative.anchor, []).append(item)
    ordered = list(head)
    for item in items:
        ordered += before.get(item.id, []) + [item] + after.get(item.id, [])
    return ordered + tail


def part_order(pipeline, items: list[Item]) -> list[str]:
    """Parts in reading order: the pipeline's ``parts`` list, else first appearance."""
    order = list(pipeline.spec.parts)
    for item in items:
        if item.part and item.part not in order:
            order.append(item.part)
    return order


def norwegian_date(value: Any) -> str:
    """A date as "24. september 2021"; text that is not an ISO date is kept as is."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value or "")
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def report_meta(pipeline, region: str | None = None) -> dict[str, Any]:
    """Title-page fields of the report (or of a region's sub-report)."""
    meta = pipeline.spec.report
    subtitle = meta.subtitle
    if region is not None:
        subtitle = f"Delrapport for {region}" + (f" – {subtitle}" if subtitle else "")
    return {
        "title": meta.title,
        "subtitle": subtitle,
        "organisation": meta.organisation,
        "authors": list(meta.authors),
        "date": norwegian_date(meta.date),
        "date_iso": str(meta.date or ""),
        "lang": meta.lang or "nb",
    }


def load_facts(stage_dir: Path) -> dict[str, Any]:
    """The flat facts the build wrote to ``stage_dir/facts.json``."""
    path = Path(stage_dir) / "facts.json"
    if not path.is_file():
        raise RenderError(f"{path}: facts not found; the build writes them before rendering")
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RenderError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(facts, dict):
        raise RenderError(f"{path}: facts must be one JSON object of dotted keys")
    return facts
