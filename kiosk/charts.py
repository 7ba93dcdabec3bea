"""Bar charts as inline SVG, drawn on the server: no script, no external resource, and
presentation attributes only (the Content-Security-Policy allows no style attribute)."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_COLOUR = "#0b5d8a"
INK = "#1b1b1b"
LABEL_WIDTH = 230
VALUE_WIDTH = 70
BAR_HEIGHT = 22
GAP = 8
FONT = 'font-family="DejaVu Sans, Noto Sans, Arial, sans-serif" font-size="13"'
MAX_LABEL = 32


def bar_chart(bars: list[tuple[str, float]], title: str, unit: str = "",
              width: int = 600) -> Markup:
    """One horizontal bar per (label, value), the longest for the largest value."""
    largest = max((value for _, value in bars), default=0) or 1
    room = width - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(room * value / largest)
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<g><title>{escape(label)}: {_number(value)}{escape(unit)}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" dominant-baseline="middle" '
            f'text-anchor="end" fill="{INK}" {FONT}>{escape(_short(label))}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" dominant-baseline="middle" '
            f'fill="{INK}" {FONT}>{_number(value)}{escape(unit)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
