"""What the canvas draws, as plain geometry, and the marks of a readable drawing counted on it
(for tests/gui/test_layout_canvas.py and tests/bench/bench_layout.py): gate boxes, wire
segments (routed polylines, junction trunks, the output's stub) and the boxes of the numbers
on them, as the light theme measures them."""

from __future__ import annotations

import itertools

import circuit_editor as ce
from circuit_editor.gui.geometry import hits


def drawn(c: ce.Circuit):
    """Gate boxes, segments (source, target, a, b) and label boxes (source, box), as a canvas
    of the light theme draws ``c``."""
    from circuit_editor.gui.document import Document
    from circuit_editor.gui.scene import CircuitScene
    from circuit_editor.gui.theme import Theme, load_fonts

    load_fonts()  # the bundled fonts, as every window has them: the same sizes on any machine
    return drawn_on(CircuitScene(Document(c), Theme.named("light")))


def drawn_on(scene):
    """The same, read from a scene on screen."""
    boxes = dict(scene.index.boxes)
    segs, labels = [], []
    for w, item in scene.wires.items():
        pts = [(p.x(), p.y()) for p in item.points]
        for a, b in itertools.pairwise(pts):
            segs.append((w.source, w.target, a, b))
        labels += [(w.source, r) for r in item.label_rects() if not r.isEmpty()]
    for src, j in scene.junctions.items():
        segs.append((src, src, (j.start.x(), j.start.y()), (j.dot.x(), j.dot.y())))
        labels += [(src, r) for r in j.label_rects() if not r.isEmpty()]
    if scene.stub is not None:
        s = scene.stub
        segs.append((s.source_id, s.source_id, (s.start.x(), s.start.y()), (s.dot.x(), s.dot.y())))
        labels += [(s.source_id, r) for r in s.label_rects() if not r.isEmpty()]
    labels = [(src, (r.left(), r.top(), r.right(), r.bottom())) for src, r in labels]
    return boxes, segs, labels


def _cross(a, b, c, d) -> bool:
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _overlap(r, s) -> bool:
    return min(r[2], s[2]) - max(r[0], s[0]) > 0.5 and min(r[3], s[3]) - max(r[1], s[1]) > 0.5


def crossing_points(segs) -> list[tuple[float, float]]:
    """Where two drawn segments from different sources cross (not at a shared port or
    junction: those are ends, and ends do not count)."""
    out = []
    for (s1, _, a, b), (s2, _, p, q) in itertools.combinations(segs, 2):
        if s1 != s2 and _cross(a, b, p, q):
            d = (b[0] - a[0]) * (q[1] - p[1]) - (b[1] - a[1]) * (q[0] - p[0])
            t = ((p[0] - a[0]) * (q[1] - p[1]) - (p[1] - a[1]) * (q[0] - p[0])) / d
            out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return out


def counts(c: ce.Circuit, scene=None) -> tuple[int, int, int]:
    """Crossings, segments through a gate other than their own, and label overlaps (a number's
    box over another's, a gate's box or name, or a wire from another source), on ``scene`` or
    on a canvas of its own."""
    boxes, segs, labels = drawn(c) if scene is None else drawn_on(scene)
    crossings = len(crossing_points(segs))
    through = sum(
        1
        for src, tgt, a, b in segs
        for gid, (body, _) in boxes.items()
        if gid not in (src, tgt) and hits(a, b, body)
    )
    gate_boxes = [b for body, name in boxes.values() for b in (body, name) if b is not None]
    over = sum(1 for (_, r), (_, s) in itertools.combinations(labels, 2) if _overlap(r, s))
    over += sum(1 for _, r in labels for b in gate_boxes if _overlap(r, b))
    over += sum(
        1
        for src, r in labels
        for s, _, a, b in segs
        if s != src and hits(a, b, (r[0], r[1], r[2], r[3]))
    )
    return crossings, through, over
