"""Pictures (export, screenshots, step deck) show the canvas as it is now. Gates are cached as
pixmaps for the screen, and Qt does not always refresh those for another paint device: a gate
lit at one step once stayed lit in the pictures of the following steps."""

from PySide6.QtGui import QColor

from circuit_editor import resources
from circuit_editor.gui.export import picture_rect, render_image


def fill_at(scene, image, gid):
    """The colour inside the gate's circle, left of its symbol (pictures at scale 1)."""
    rect = picture_rect(scene)
    p = scene.gates[gid].scenePos()
    return QColor(
        image.pixel(round(p.x() - 15 - rect.left()), round(p.y() + 8 - rect.top()))
    ).name()


def test_pictures_of_successive_steps_light_only_the_current_gate(window, qtbot):
    w = window
    w.files.open_example(resources.path("examples", "4abc-neuron.circuit"))
    qtbot.wait(20)
    pb, scene = w.playback, w.scene
    lit = scene.theme.color("highlight").name()
    plain = scene.theme.color("gate_fill").name()
    n = len(w.document.result.trace()) // 2
    for k in (n, n + 3, n + 5):
        pb.set_position(k)
        pb.step_forward()  # step k's gate lights, its pulses start
        pb.anim.setCurrentTime(pb.anim.duration() // 2)
        qtbot.wait(10)  # the screen repaints (and caches) the gates
        image = render_image(scene, scale=1.0)
        steps = w.document.trace.steps
        current = steps[k].gate
        for gid in (steps[s].gate for s in (n, n + 3, n + 5)):
            assert fill_at(scene, image, gid) == (lit if gid == current else plain), (k, gid)
    pb.stop()
