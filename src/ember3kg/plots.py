"""Forest plots of hazard ratios across trials, as SVG and PNG, drawn with matplotlib; deterministic bytes.

One row per hazard ratio of the plot's question (see :mod:`ember3kg.evidence`), on a
log scale with the line of no effect at 1, labelled with trial, drugs, population size
and the estimate with its interval as printed. A number that only a secondary source
gives is drawn hollow and marked with a dagger. The pooled estimates, when there are,
are diamonds under the rows.

The SVG carries what it shows as ``data-*`` attributes on the groups of its points
(``id="forest-point-N"``) and diamonds (``id="forest-pooled-fixed"``, ``...-random``),
so that readers and tests need not measure pixels. Output is deterministic: the SVG ids
are salted with a constant (``svg.hashsalt``), and neither file records a date or the
matplotlib version.
"""

from __future__ import annotations

import html
import io
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ember3kg.errors import OutputError
from ember3kg.evidence import ForestRow, Selection
from ember3kg.pooling import PooledEstimate

#: Plot settings that make the output the same on every run and keep SVG text as text.
_RC: dict[Any, Any] = {
    "svg.hashsalt": "ember3kg",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
}
#: Marker of the dagger put after a row whose number only a secondary source gives.
SECONDARY_MARK = "\u2020"
_TICKS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0)
_WRAP = 58
_PRIMARY_COLOUR = "#1f4e79"
_POOLED_COLOUR = "#8b2f1c"


def _row_attributes(row: ForestRow) -> dict[str, str]:
    """List what a point shows, as the lexical forms of its question's answer."""
    return {
        "trial": row["trial"],
        "experimental": row["experimental"],
        "comparator": row["comparator"],
        "hr": row["hazardRatio"],
        "lower": row["ciLower"],
        "upper": row["ciUpper"],
        "level": row["ciLevel"],
        "n": row.patients,
        "report": row["report"],
        "role": row["sourceRole"],
    }


def _pooled_attributes(estimate: PooledEstimate) -> dict[str, str]:
    """List what a diamond shows, rounded as the plot prints it (plus four decimals for checks)."""
    return {
        "method": estimate.method,
        "hr": f"{estimate.estimate:.4f}",
        "lower": f"{estimate.lower:.4f}",
        "upper": f"{estimate.upper:.4f}",
    }


def _limits(selection: Selection) -> tuple[float, float]:
    """Choose the x range: every interval, every pool and 1, with a margin."""
    values = [1.0]
    for row in selection.rows:
        values += [float(row[name]) for name in ("hazardRatio", "ciLower", "ciUpper") if row[name]]
    if selection.pool is not None:
        values += [value for est in selection.pool.estimates for value in (est.lower, est.upper)]
    return min(values) / 1.25, max(values) * 1.25


def forest_figure(selection: Selection):  # -> matplotlib.figure.Figure (imported lazily)
    """Draw the forest plot of a selection; empty plots say that no result answers the question.

    :returns: a matplotlib ``Figure`` not attached to pyplot.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    rows = selection.rows
    estimates: tuple[PooledEstimate, ...] = selection.pool.estimates if selection.pool is not None else ()
    height = max(2.6, 1.6 + 0.55 * (len(rows) + len(estimates) + (1 if estimates else 0)))
    figure = Figure(figsize=(11, height))
    axes = figure.add_axes((0.44, 1.05 / height, 0.34, 1 - 1.75 / height))
    axes.set_title(selection.spec.title, loc="left", x=-1.29, fontsize=11, fontweight="bold")
    low, high = _limits(selection)
    axes.set_xscale("log")
    axes.set_xlim(low, high)
    axes.xaxis.set_major_locator(FixedLocator([tick for tick in _TICKS if low <= tick <= high]))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.set_xlabel("hazard ratio (log scale); < 1 favours the experimental arm")
    axes.axvline(1.0, color="#555555", linewidth=1, gid="forest-no-effect")
    axes.set_yticks([])
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)

    total = len(rows) + len(estimates) + (1 if estimates else 0)
    axes.set_ylim(-0.7, max(total, 1) - 0.3)
    label_style: dict[str, Any] = {"transform": axes.get_yaxis_transform(), "va": "center", "fontsize": 8.5}
    axes.text(
        -1.29,
        total - 0.35 if total else 0.5,
        "trial: experimental vs comparator",
        ha="left",
        fontweight="bold",
        **label_style,
    )
    axes.text(-0.04, total - 0.35 if total else 0.5, "n", ha="right", fontweight="bold", **label_style)
    axes.text(1.03, total - 0.35 if total else 0.5, "HR (95% CI)", ha="left", fontweight="bold", **label_style)
    for number, row in enumerate(rows, start=1):
        y = total - number
        hollow = row.secondary
        if row.has_interval:
            axes.plot(
                [float(row["ciLower"]), float(row["ciUpper"])],
                [y, y],
                color=_PRIMARY_COLOUR,
                linewidth=1.6,
                gid=f"forest-ci-{number}",
            )
        axes.plot(
            [float(row["hazardRatio"])],
            [y],
            marker="s",
            markersize=7,
            linestyle="none",
            color=_PRIMARY_COLOUR,
            markerfacecolor="white" if hollow else _PRIMARY_COLOUR,
            gid=f"forest-point-{number}",
        )
        mark = f" {SECONDARY_MARK}" if hollow else ""
        axes.text(-1.29, y, textwrap.fill(row.label + mark, _WRAP), ha="left", **label_style)
        axes.text(-0.04, y, row.patients or "?", ha="right", **label_style)
        axes.text(1.03, y, row.interval, ha="left", **label_style)
    for number, estimate in enumerate(estimates, start=len(rows) + 2):
        y = total - number
        centre = estimate.estimate
        axes.fill(
            [estimate.lower, centre, estimate.upper, centre],
            [y, y + 0.28, y, y - 0.28],
            color=_POOLED_COLOUR,
            gid=f"forest-pooled-{'fixed' if estimate is estimates[0] else 'random'}",
        )
        axes.text(-1.29, y, f"pooled, {estimate.method}", ha="left", fontstyle="italic", **label_style)
        axes.text(1.03, y, f"{centre:.2f} ({estimate.lower:.2f}\u2013{estimate.upper:.2f})", ha="left", **label_style)
    notes = []
    if selection.pool is not None:
        pool = selection.pool
        notes.append(
            f"Heterogeneity: Q = {pool.q:.2f} (df {pool.df}), I\u00b2 = {100 * pool.i2:.1f}%, "
            f"\u03c4\u00b2 = {pool.tau2:.4f}"
        )
    elif rows:
        notes.append(selection.no_pool_reason)
    if any(row.secondary for row in rows):
        notes.append(f"{SECONDARY_MARK} hollow: the number comes from a secondary source only")
    if not rows:
        axes.text(
            0.5,
            0.5,
            "No result in the graph answers this question.",
            transform=axes.transAxes,
            ha="center",
            va="center",
        )
    figure.text(0.02, 0.02, "\n".join(notes), fontsize=8, va="bottom")
    return figure


def _annotate(svg: str, attributes: Mapping[str, Mapping[str, str]]) -> str:
    """Add ``data-*`` attributes to the groups with the given ids."""
    for gid, values in attributes.items():
        extra = "".join(f' data-{key}="{html.escape(value, quote=True)}"' for key, value in values.items())
        svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}"{extra}>', 1)
    return svg


def forest_svg(selection: Selection) -> bytes:
    """Render the forest plot as SVG, with the ``data-*`` attributes of its points and diamonds."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        buffer = io.StringIO()
        forest_figure(selection).savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    attributes = {f"forest-point-{n}": _row_attributes(row) for n, row in enumerate(selection.rows, start=1)}
    if selection.pool is not None:
        attributes["forest-pooled-fixed"] = _pooled_attributes(selection.pool.fixed)
        attributes["forest-pooled-random"] = _pooled_attributes(selection.pool.random)
    return _annotate(buffer.getvalue(), attributes).encode("utf-8")


def forest_png(selection: Selection, dpi: int = 150) -> bytes:
    """Render the forest plot as PNG, without the software and date metadata."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        buffer = io.BytesIO()
        forest_figure(selection).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


#: File suffix -> renderer: what ``write_forest`` writes.
RENDERERS = {".svg": forest_svg, ".png": forest_png}


def write_forest(selection: Selection, stem: Path) -> list[Path]:
    """Write the forest plot as ``STEM.svg`` and ``STEM.png``.

    :param selection: see :func:`ember3kg.evidence.forest_selection`.
    :param stem: path without suffix; its folder is created if missing.
    :returns: the files written.
    :raises OutputError: a file cannot be written.

    Example:
        >>> write_forest(forest_selection(Evidence(), "all"), Path("out/forest-all"))  # doctest: +SKIP
    """
    written = []
    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
        for suffix, render in RENDERERS.items():
            path = stem.with_name(stem.name + suffix)
            path.write_bytes(render(selection))
            written.append(path)
    except OSError as exc:
        raise OutputError(f"{stem}: cannot write the plot: {exc.strerror or exc}") from None
    return written
