"""Forest plots of pooled hazard ratios, as SVG and PNG, drawn with matplotlib; deterministic bytes.

The layout follows metafor's ``forest()`` and RevMan: one row per pooled input (the
rows not pooled are listed under the plot with the reason), labelled with trial and
regimens, n (events where stated) and the hazard ratio with its interval as the source
prints it; a square whose area is proportional to the input's REML weight, with a
weight column; an arrow where an interval runs past the axis; a diamond per model
(:data:`ember3kg.evidence.pooling.MODELS`) and the REML Hartung-Knapp prediction interval as a
bar; subgroup blocks with their own diamonds when the selection has subgroups; the
heterogeneity, the test of the overall effect and the test for subgroup differences
under the plot; "favours" with the arms' drugs on both sides of the line of no effect.
A number that only a secondary source gives is drawn hollow and marked with a dagger.

The SVG carries what it shows as ``data-*`` attributes on the groups of its points
(``id="forest-point-N"``) and diamonds (``id="forest-pooled-MODEL"``, ``MODEL`` a key of
``MODELS``), so that readers and tests need not measure pixels. Output is deterministic:
the SVG ids are salted with a constant (``svg.hashsalt``), and neither file records a
date or the matplotlib version.
"""

from __future__ import annotations

import html
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ember3kg.evidence.cross_trial import NOT_STATED, ForestRow, Selection
from ember3kg.evidence.pooling import Pool, PooledEstimate
from ember3kg.evidence.reporting import format_number, format_p
from ember3kg.io.outputs import make_directory, write_atomic

#: Plot settings that make the output the same on every run and keep SVG text as text.
_RC: dict[Any, Any] = {
    "svg.hashsalt": "ember3kg",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
}
#: Marker of the dagger put after a row whose number only a secondary source gives.
SECONDARY_MARK = "\u2020"
#: The model whose weights size the squares and fill the weight column.
WEIGHT_MODEL = "reml"
#: The model whose prediction interval is drawn (REML with Hartung-Knapp, the Cochrane Handbook's choice).
PREDICTION_MODEL = "reml-hksj"
#: The model of the subgroups' diamonds and of the test of the overall effect printed under the plot.
SUMMARY_MODEL = "reml"
#: Axis range before it is widened to hold the pooled intervals; an input's interval past it gets an arrow.
_AXIS = (0.2, 2.0)
_TICKS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0)
_WRAP = 56
_FOOT_WRAP = 150
_PRIMARY_COLOUR = "#1f4e79"
_POOLED_COLOUR = "#8b2f1c"
_ROW = 0.34  # inches per row
_LINE = 0.15  # inches per footer line
_PLOT_MARGIN = 1.4  # inches of the plot block outside the axes: title, axis, favours labels


@dataclass(frozen=True)
class _Line:
    """One row of the plot: an input, a pooled diamond, or a heading."""

    kind: str  # "input", "pooled", "heading"
    text: str
    row: ForestRow | None = None
    estimate: PooledEstimate | None = None
    gid: str = ""
    weight: float | None = None


def _layout(selection: Selection) -> list[_Line]:
    """List the plot's rows from top to bottom: subgroups with their diamonds, then every model's diamond."""
    pool = selection.pool
    lines: list[_Line] = []
    if selection.subgroups:
        for group in selection.subgroups:
            lines.append(_Line("heading", f"{selection.subgroup}: {group.value}"))
            lines += [_input_line(selection, row) for row in group.rows]
            if group.pool is not None:
                estimate = group.pool.models[SUMMARY_MODEL]
                lines.append(_Line("pooled", f"subgroup, {estimate.method}", estimate=estimate, gid=""))
    else:
        lines += [_input_line(selection, row) for row in selection.pooled]
    if pool is not None:
        lines += [_Line("heading", "overall")] if selection.subgroups else []
        lines += [
            _Line("pooled", estimate.method, estimate=estimate, gid=f"forest-pooled-{key}")
            for key, estimate in pool.models.items()
        ]
    return lines


def _input_line(selection: Selection, row: ForestRow) -> _Line:
    """Make the row of one pooled input, with its weight."""
    mark = f" {SECONDARY_MARK}" if row.secondary else ""
    return _Line("input", row.label + mark, row=row, weight=selection.weight(row, WEIGHT_MODEL))


def _row_attributes(row: ForestRow, weight: float | None) -> dict[str, str]:
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
        "events": row.events,
        "report": row["report"],
        "role": row["sourceRole"],
        "weight": format_number(100 * weight, 1) if weight is not None else "",
    }


def _pooled_attributes(estimate: PooledEstimate) -> dict[str, str]:
    """List what a diamond shows, with four decimals for checks."""
    attributes = {
        "method": estimate.method,
        "hr": format_number(estimate.estimate, 4),
        "lower": format_number(estimate.lower, 4),
        "upper": format_number(estimate.upper, 4),
    }
    if estimate.prediction is not None:
        attributes |= {"pi-lower": format_number(estimate.prediction[0], 4)}
        attributes |= {"pi-upper": format_number(estimate.prediction[1], 4)}
    return attributes


def _limits(pool: Pool | None) -> tuple[float, float]:
    """Choose the x range: :data:`_AXIS`, widened to hold every pooled interval and prediction interval."""
    values = list(_AXIS)
    if pool is not None:
        for estimate in pool.estimates:
            values += [estimate.lower, estimate.upper, *(estimate.prediction or ())]
    return min(values) / 1.1, max(values) * 1.1


def _favours(rows: Sequence[ForestRow]) -> tuple[str, str]:
    """Write the "favours" labels: the experimental and the comparator arms' drugs of the pooled trials."""

    def drugs(arms: Sequence[tuple[str, ...]]) -> str:
        found = list(dict.fromkeys(drug for arm in arms for drug in arm if drug != NOT_STATED))
        return ", ".join(found) or NOT_STATED

    experimental = drugs([row.experimental.drugs for row in rows])
    comparator = drugs([row.reference.drugs for row in rows])
    return (
        textwrap.fill(f"\u2190 favours experimental arm: {experimental}", 46),
        textwrap.fill(f"favours comparator arm: {comparator} \u2192", 46),
    )


def _footer(selection: Selection) -> list[str]:
    """Write the lines under the plot: heterogeneity, tests, what was not pooled, marks and the rule."""
    notes: list[str] = []
    pool = selection.pool
    if pool is not None:
        dl, reml, summary = pool.models["dl"], pool.models["reml"], pool.models[SUMMARY_MODEL]
        notes.append(
            f"Heterogeneity: Q = {format_number(pool.q, 2)} (df = {pool.df}), {format_p(pool.q_p)}; "
            f"I\u00b2 = {format_number(100 * pool.i2, 1)}%; \u03c4\u00b2 = {format_number(dl.tau2, 4)} (DL), "
            f"{format_number(reml.tau2, 4)} (REML)"
        )
        notes.append(
            f"Test for overall effect ({summary.method}): z = {format_number(summary.statistic, 2)}, "
            f"{format_p(summary.p)}"
        )
        predicted = pool.models[PREDICTION_MODEL]
        if predicted.prediction is not None:
            low, high = predicted.prediction
            notes.append(
                f"Bar under the diamonds: 95% prediction interval ({predicted.method}): "
                f"{format_number(low, 2)}\u2013{format_number(high, 2)}. Squares: area proportional to the REML weight."
            )
    else:
        notes.append(selection.no_pool_reason)
    for test in selection.subgroup_tests:
        notes.append(
            f"Test for subgroup differences ({test.model.label}): Q = {format_number(test.q, 2)} (df = {test.df}), "
            f"{format_p(test.p)}, I\u00b2 = {format_number(100 * test.i2, 1)}%"
        )
    if any(row.secondary for row in selection.pooled):
        notes.append(f"{SECONDARY_MARK} hollow square: the number comes from a secondary source only")
    for row, reason in selection.excluded:
        notes += textwrap.wrap(f"Not pooled: {row['trial']} {row.interval} ({row['report']}): {reason}", _FOOT_WRAP)
    notes += textwrap.wrap(f"Rule: {selection.rule}", _FOOT_WRAP)
    return notes


def forest_figure(selection: Selection):  # -> matplotlib.figure.Figure (imported lazily)
    """Draw the forest plot of a selection; a selection without a pool says why.

    :returns: a matplotlib ``Figure`` not attached to pyplot.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    lines = _layout(selection)
    footer = _footer(selection)
    rows = max(len(lines), 1) + 1  # one more for the column headings
    plot_height = _ROW * rows + _PLOT_MARGIN
    height = plot_height + _LINE * len(footer) + 0.2
    figure = Figure(figsize=(12, height))
    bottom = (height - plot_height + _PLOT_MARGIN - 0.35) / height
    axes = figure.add_axes((0.43, bottom, 0.3, (plot_height - _PLOT_MARGIN) / height))
    figure.text(0.01, 1 - 0.12 / height, selection.spec.title, fontsize=11, fontweight="bold", va="top")
    low, high = _limits(selection.pool)
    axes.set_xscale("log")
    axes.set_xlim(low, high)
    axes.xaxis.set_major_locator(FixedLocator([tick for tick in _TICKS if low <= tick <= high]))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.axvline(1.0, color="#555555", linewidth=1, gid="forest-no-effect")
    axes.set_yticks([])
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    left, right = _favours(selection.pooled)
    axes.set_xlabel("hazard ratio (log scale)", labelpad=2)
    below = -0.5 / (plot_height - _PLOT_MARGIN)
    axes.text(0.49, below, left, transform=axes.transAxes, ha="right", va="top", fontsize=7.5)
    axes.text(0.51, below, right, transform=axes.transAxes, ha="left", va="top", fontsize=7.5)
    axes.set_ylim(-0.6, rows - 0.4)
    style: dict[str, Any] = {"transform": axes.get_yaxis_transform(), "va": "center", "fontsize": 8.2}
    top = rows - 1
    for x, heading, align in ((-1.38, "trial: experimental vs comparator", "left"), (-0.04, "n (events)", "right")):
        axes.text(x, top, heading, ha=align, fontweight="bold", **style)
    axes.text(1.03, top, "HR (95% CI)", ha="left", fontweight="bold", **style)
    axes.text(1.62, top, "weight", ha="right", fontweight="bold", **style)
    widest = max(
        (weight for line in lines if (weight := line.weight) is not None),
        default=1.0,
    )
    number = 0
    for y, line in zip(range(top - 1, -1, -1), lines, strict=False):
        if line.kind == "heading":
            axes.text(-1.38, y, line.text, ha="left", fontweight="bold", fontstyle="italic", **style)
        elif line.kind == "input" and line.row is not None:
            number += 1
            _draw_input(axes, line, line.row, (y, number), widest, (low, high), style)
        elif line.estimate is not None:
            _draw_diamond(axes, line, line.estimate, y, style)
    if not lines:
        axes.text(0.5, 0.5, "No pooled estimate.", transform=axes.transAxes, ha="center", va="center")
    figure.text(0.01, 0.1 / height, "\n".join(footer), fontsize=7.5, va="bottom", linespacing=1.35)
    return figure


def _draw_input(
    axes: Any, line: _Line, row: ForestRow, place: tuple[int, int], widest: float, axis: tuple[float, float], style: Any
) -> None:
    """Draw one input at (y, number): its interval (an arrow where clipped), a square sized by weight, its columns."""
    y, number = place
    low, high = axis
    estimate, lower, upper = float(row["hazardRatio"]), float(row["ciLower"]), float(row["ciUpper"])
    shown = (max(lower, low), min(upper, high))
    axes.plot(shown, [y, y], color=_PRIMARY_COLOUR, linewidth=1.4, gid=f"forest-ci-{number}")
    for clipped, end, direction in ((lower < low, shown[0], "<"), (upper > high, shown[1], ">")):
        if clipped:
            axes.plot([end], [y], marker=direction, markersize=6, color=_PRIMARY_COLOUR, gid=f"forest-arrow-{number}")
    size = 4 + 12 * math.sqrt((line.weight or 0) / widest)
    axes.plot(
        [estimate],
        [y],
        marker="s",
        markersize=size,
        linestyle="none",
        color=_PRIMARY_COLOUR,
        markerfacecolor="white" if row.secondary else _PRIMARY_COLOUR,
        gid=f"forest-point-{number}",
    )
    axes.text(-1.38, y, textwrap.fill(line.text, _WRAP, max_lines=2, placeholder=" \u2026"), ha="left", **style)
    count = row.patients or NOT_STATED
    axes.text(-0.04, y, f"{count} ({row.events})" if row.events else count, ha="right", **style)
    axes.text(1.03, y, row.interval, ha="left", **style)
    weight = f"{format_number(100 * line.weight, 1)}%" if line.weight is not None else ""
    axes.text(1.62, y, weight, ha="right", **style)


def _draw_diamond(axes: Any, line: _Line, estimate: PooledEstimate, y: int, style: Any) -> None:
    """Draw one pooled estimate: a diamond, its prediction interval if it is the drawn one, its text."""
    centre = estimate.estimate
    if line.gid == f"forest-pooled-{PREDICTION_MODEL}" and estimate.prediction is not None:
        axes.plot(estimate.prediction, [y, y], color=_POOLED_COLOUR, linewidth=1, linestyle=(0, (2, 1.5)))
    axes.fill(
        [estimate.lower, centre, estimate.upper, centre],
        [y, y + 0.3, y, y - 0.3],
        color=_POOLED_COLOUR,
        **({"gid": line.gid} if line.gid else {}),
    )
    axes.text(-1.38, y, line.text, ha="left", fontstyle="italic", **style)
    printed = f"{format_number(centre, 2)} ({format_number(estimate.lower, 2)}\u2013{format_number(estimate.upper, 2)})"
    axes.text(1.03, y, printed, ha="left", **style)


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
    inputs = [line for line in _layout(selection) if line.kind == "input" and line.row is not None]
    attributes = {
        f"forest-point-{n}": _row_attributes(line.row, line.weight)
        for n, line in enumerate(inputs, start=1)
        if line.row
    }
    if selection.pool is not None:
        attributes |= {f"forest-pooled-{key}": _pooled_attributes(est) for key, est in selection.pool.models.items()}
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

    :param selection: see :func:`ember3kg.evidence.cross_trial.forest_selection`.
    :param stem: path without suffix; its folder is created if missing.
    :returns: the files written.
    :raises OutputError: a file cannot be written.

    Example:
        >>> write_forest(forest_selection(Evidence(), "all"), Path("out/forest-all"))  # doctest: +SKIP
    """
    make_directory(stem.parent)
    return [write_atomic(stem.with_name(stem.name + suffix), render(selection)) for suffix, render in RENDERERS.items()]
