"""The lecture's reveal, Qt-free: the stages in order, and numbers hidden and shown by key."""

from circuit_editor.core.circuit import Wire
from circuit_editor.core.reveal import (
    JunctionNumber,
    OutputNumber,
    RevealStage,
    RevealState,
    WireNumber,
    step_title,
)


def test_the_stages_cycle_structure_values_gradients():
    stage = RevealStage.STRUCTURE
    seen = []
    for _ in range(4):
        seen.append(stage)
        stage = stage.next()
    assert seen == [
        RevealStage.STRUCTURE,
        RevealStage.VALUES,
        RevealStage.GRADIENTS,
        RevealStage.STRUCTURE,
    ]


def test_each_stage_shows_what_the_ones_before_it_show():
    shown = [(s.shows_values, s.shows_gradients) for s in RevealStage]
    assert shown == [(False, False), (True, False), (True, True)]
    assert [s.title for s in RevealStage] == [
        "Structure only",
        "Forward values",
        "Values and gradients",
    ]


def test_a_new_state_shows_everything_and_advance_moves_on():
    state = RevealState()
    assert state.stage is RevealStage.GRADIENTS
    assert state.advance() is RevealStage.STRUCTURE
    assert state.stage is RevealStage.STRUCTURE


def test_keys_are_equal_by_what_they_name_and_kinds_never_collide():
    assert WireNumber(Wire("a", "b", 0)) == WireNumber(Wire("a", "b", 0))
    assert WireNumber(Wire("a", "b", 0)) != WireNumber(Wire("a", "b", 1))
    assert JunctionNumber("a") == JunctionNumber("a")
    assert OutputNumber() == OutputNumber()
    keys = {WireNumber(Wire("a", "b", 0)), JunctionNumber("a"), OutputNumber()}
    assert len(keys) == 3


def test_a_toggle_hides_one_number_and_a_second_shows_it_again():
    state = RevealState()
    wire = WireNumber(Wire("a", "b", 0))
    state.toggle(wire, gradient=True)
    assert state.hidden_grads == {wire} and state.hidden_values == set()
    state.toggle(JunctionNumber("a"), gradient=False)
    assert state.hidden_values == {JunctionNumber("a")}
    state.toggle(wire, gradient=True)
    assert state.hidden_grads == set()


def test_reset_shows_everything_again():
    state = RevealState()
    state.advance()
    state.toggle(OutputNumber(), gradient=False)
    state.toggle(OutputNumber(), gradient=True)
    state.reset()
    assert state == RevealState()


def test_clear_hidden_shows_every_number_again_and_keeps_the_stage():
    state = RevealState()
    state.advance()
    state.toggle(JunctionNumber("a"), gradient=False)
    state.toggle(OutputNumber(), gradient=True)
    assert state.is_hidden(JunctionNumber("a"), gradient=False)
    assert not state.is_hidden(JunctionNumber("a"), gradient=True)
    assert state.is_hidden(OutputNumber(), gradient=True)
    state.clear_hidden()
    assert not state.hidden_values and not state.hidden_grads
    assert state.stage is RevealStage.STRUCTURE


def test_step_title_says_where_a_step_through_stands():
    assert step_title(None, 8) == "" and step_title(3, 0) == ""
    assert step_title(0, 8) == "Start: 0 of 8 steps"
    assert step_title(1, 8) == "Forward 1 of 4"
    assert step_title(4, 8) == "Forward 4 of 4"
    assert step_title(7, 8) == "Backward 3 of 4"
    assert step_title(8, 8) == "Backward 4 of 4"
