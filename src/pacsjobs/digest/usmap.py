"""A tile grid map of the US: one square per state (50, DC, Puerto Rico), shaded by a count.

Pure layout for the digest's inline SVG (``templates/coverage_map.html``): no external resources,
no fonts or scripts, readable on a phone because the SVG scales to the page's width. Tile places
follow the common "tile grid" layout, roughly where each state lies (Alaska and Hawaii at the left
edge, Puerto Rico to the lower right).
"""

from __future__ import annotations

from dataclasses import dataclass

from pacsjobs.store.coverage import Coverage

# (row, column) of each area's tile.
TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 11),
    "WI": (1, 6), "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6), "MI": (2, 7),
    "NY": (2, 9), "MA": (2, 10),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6), "OH": (3, 7),
    "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10), "RI": (3, 11),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6), "WV": (4, 7),
    "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7), "SC": (5, 8),
    "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9), "PR": (7, 11),
}
TILE = 44  # px of a tile in the SVG's own units
GAP = 4
COLUMNS, ROWS = 12, 8
WIDTH, HEIGHT = COLUMNS * (TILE + GAP), ROWS * (TILE + GAP)
EMPTY = "#e9ecef"
# Light to dark blue; the darkest text-on-tile contrast stays readable (white on the two darkest).
SHADES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    count: int
    x: int
    y: int
    fill: str
    ink: str  # the label's colour

    @property
    def title(self) -> str:
        return f"{self.name}: {self.count} open PACS opening{'s' if self.count != 1 else ''}"


def shade(count: int, most: int) -> str:
    """The fill of a tile: grey for none, else one of five blues by its share of the largest count."""
    if count <= 0 or most <= 0:
        return EMPTY
    step = min(len(SHADES) - 1, (count * len(SHADES) - 1) // most)
    return SHADES[step]


def tiles(cov: Coverage) -> list[Tile]:
    """Every area's tile, in reading order (top to bottom, left to right)."""
    most = cov.most
    out = []
    for area in cov.areas:
        row, col = TILES[area.code]
        fill = shade(area.openings, most)
        ink = "#ffffff" if fill in SHADES[3:] else "#1f2933"
        out.append(Tile(area.code, area.name, area.openings, col * (TILE + GAP), row * (TILE + GAP), fill, ink))
    return sorted(out, key=lambda t: (t.y, t.x))


@dataclass(frozen=True)
class MapView:
    """What the map template draws."""

    tiles: list[Tile]
    width: int = WIDTH
    height: int = HEIGHT
    tile: int = TILE
    shades: tuple[str, ...] = SHADES
    empty: str = EMPTY


def map_view(cov: Coverage) -> MapView:
    return MapView(tiles(cov))
