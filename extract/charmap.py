"""A map from positions in a rewritten text back to positions in its original.

Every rewrite that changes a text's length is recorded as an edit: the input range
``[in_start, in_end)`` became the output range ``[out_start, out_end)``. Rewrites that
keep the length (ي -> ی, ٣ -> 3, a space -> ZWNJ) need no record: position i of the
output is position i of the input. A pass of rewrites is one :class:`Layer`; a
:class:`CharMap` is the stack of layers, walked back from the last to the first.

Two sides matter when a position sits on an edit:

* the START of a span maps to the first original character of the span;
* the END of a span maps just past its last original character.

Deleted characters (a space removed before a comma) belong to no span: a start skips
them and an end stops before them. Characters that were merged into a neighbour (a
diacritic folded into its letter) are recorded as a replacement of letter+mark by the
letter, so they stay inside the letter's span.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

START, END = 0, 1


@dataclass(slots=True)
class Layer:
    """Edits of one rewrite pass, sorted and non-adjacent in the input."""

    in_starts: list[int] = field(default_factory=list)
    in_ends: list[int] = field(default_factory=list)
    out_starts: list[int] = field(default_factory=list)
    out_ends: list[int] = field(default_factory=list)

    def add(self, in_start: int, in_end: int, out_start: int, out_end: int) -> None:
        # Merge with the previous edit only when both start at the same output
        # position (the previous one deleted its input): out_starts then stay strictly
        # increasing and bisecting them is unambiguous, while edits that merely touch
        # keep their own spans ("ـ" folded into "." stays apart from "ا" after it).
        if self.in_ends and self.in_ends[-1] == in_start and self.out_starts[-1] == out_start:
            self.in_ends[-1] = in_end
            self.out_ends[-1] = out_end
            return
        self.in_starts.append(in_start)
        self.in_ends.append(in_end)
        self.out_starts.append(out_start)
        self.out_ends.append(out_end)

    def absorb(self, in_start: int, in_end: int, out_start: int) -> None:
        """Record deleted input ``[in_start, in_end)`` as part of the output character
        just before it: extend the previous edit when that character came from it."""
        if self.in_ends and self.in_ends[-1] == in_start:
            self.in_ends[-1] = in_end
        else:
            self.add(in_start - 1, in_end, out_start - 1, out_start)

    def __bool__(self) -> bool:
        return bool(self.in_starts)

    def back(self, pos: int, side: int) -> int:
        """The input position of output position ``pos``."""
        i = bisect_right(self.out_starts, pos) - 1
        if i < 0:
            return pos
        out_start, out_end = self.out_starts[i], self.out_ends[i]
        in_start, in_end = self.in_starts[i], self.in_ends[i]
        if pos > out_end:
            return in_end + (pos - out_end)
        if out_start == out_end:  # a deletion: spans never take the deleted characters
            return in_end if side == START else in_start
        if pos == out_start:
            return in_start
        if pos == out_end:
            return in_end
        return in_start if side == START else in_end


class CharMap:
    """Positions of a normalized text, mapped back to its original text."""

    def __init__(self, original_length: int, layers: list[Layer] | None = None):
        self.original_length = original_length
        self.layers = [layer for layer in (layers or []) if layer]

    def push(self, layer: Layer) -> None:
        if layer:
            self.layers.append(layer)

    def position(self, pos: int, side: int = START) -> int:
        for layer in reversed(self.layers):
            pos = layer.back(pos, side)
        return pos

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalized span ``[start, end)``."""
        if end < start:
            raise ValueError(f"span end {end} is before its start {start}")
        # Walk both ends back together: a span made only of inserted characters is
        # empty in the layer before, and from there on it maps as an empty span.
        for layer in reversed(self.layers):
            if start == end:
                start = end = layer.back(start, START)
            else:
                start, end = layer.back(start, START), layer.back(end, END)
        return start, end
