"""Damaged and hostile files: each gives one FileFormatError, saying where and what, without
work that grows faster than the file (counted, not timed)."""

from __future__ import annotations

import json

import pytest
from files_samples import sample_doc, sample_text

from circuit_editor.core.circuit import Circuit
from circuit_editor.files import MAX_FILE_BYTES, FileFormatError, disk, jsontext, load, loads
from circuit_editor.files.jsontext import MAX_NUMBER_CHARS

TEXT = sample_text()
# In the sample: gates[0] is the input x, gates[2] the constant k, gates[4] the add gate g0
# (reading x twice), gates[5] the mul g1, gates[13] the pow gate g9; wires[0] is g0 -> g1.


def edit(change) -> str:
    doc = sample_doc()
    change(doc)
    return json.dumps(doc)


def setitem(*path_and_value):
    *path, key, value = path_and_value

    def change(doc):
        for p in path:
            doc = doc[p]
        doc[key] = value

    return change


def delitem(*path):
    *path, key = path

    def change(doc):
        for p in path:
            doc = doc[p]
        del doc[key]

    return change


def wire(source, target, port):
    return lambda doc: doc["wires"].append({"source": source, "target": target, "port": port})


INTO_EXP = [w["target"] for w in sample_doc()["wires"]].index("g3")  # the wire into exp g3

# (data, the place the message must name, words it must contain)
CASES = {
    # ---- not a circuit file at all
    "not json": ("hello, world", "line 1, column 1", "not valid JSON"),
    "binary junk": (b"\x00\x01\x02\x03", "line 1, column 1", "not valid JSON"),
    "empty": (b"", None, "empty"),
    "only spaces": ("  \n\t ", None, "empty"),
    "truncated": (TEXT[: len(TEXT) // 2], "line ", "cut off"),
    "truncated after a key": (TEXT[: TEXT.index('"gates"') + 8], "line ", "cut off"),
    "truncated in a number": (TEXT[: TEXT.index("-2.0") + 2], "line ", "cut off"),
    "truncated in a string": (TEXT[: TEXT.index('"input"') + 4], "line ", "cut off"),
    "trailing comma": (
        TEXT.replace('"pos": [0.0, -110.0]}', '"pos": [0.0, -110.0],}', 1),
        "line 10",
        "JSON",
    ),
    "extra data": (TEXT + "{}", "line ", "more after the end"),
    "nested lists": ("[" * 100_000, None, "too deeply"),
    "nested objects": ('{"a": ' * 100_000, None, "too deeply"),
    "nested and closed": ("[" * 100_000 + "]" * 100_000, None, "too deeply"),
    "nested in a gate": (
        TEXT.replace('"value": -2.0', '"value": ' + "[" * 100_000 + "]" * 100_000),
        None,
        "too deeply",
    ),
    "not utf-8": (TEXT.encode().replace(b"Every", b"Ev\xffry"), "line 4, column 15", "UTF-8"),
    "utf-16": (TEXT.encode("utf-16"), "line 1, column 1", "UTF-8"),
    "top level list": ("[]", None, "not an object"),
    "top level number": ("12", None, "not an object"),
    "top level null": ("null", None, "not an object"),
    "top level text": ('"circuit"', None, "not an object"),
    "no format": (edit(delitem("format")), None, "not a circuit-editor file"),
    "wrong format": (edit(setitem("format", "circuit-editer")), "format", "not a circuit-editor"),
    "format not text": (edit(setitem("format", 1)), "format", "not a circuit-editor"),
    "no version": (edit(delitem("version")), None, '"version" is missing'),
    "newer version": (edit(setitem("version", 2)), "version", "saved by a newer circuit-editor"),
    "much newer version": (
        edit(setitem("version", 10**40)),
        "version",
        "saved by a newer circuit-editor",
    ),
    "version zero": (edit(setitem("version", 0)), "version", "no format version 0"),
    "version text": (edit(setitem("version", "1")), "version", "whole number"),
    "version true": (edit(setitem("version", True)), "version", "whole number"),
    "version fraction": (edit(setitem("version", 1.5)), "version", "whole number"),
    # ---- JSON that no circuit holds
    "NaN": (edit(setitem("gates", 0, "value", float("nan"))), "gates[0].value", "NaN"),
    "Infinity": (edit(setitem("gates", 5, "pos", 1, float("inf"))), "gates[5].pos[1]", "Infinity"),
    "-Infinity": (
        edit(setitem("input_sets", "lecture", "x", float("-inf"))),
        "input_sets.lecture.x",
        "-Infinity",
    ),
    "NaN as a title": (edit(setitem("title", float("nan"))), "title", "NaN"),
    "5000-digit integer": (
        TEXT.replace('"value": -2.0', '"value": ' + "9" * 5000),
        "gates[0].value",
        "5000 characters",
    ),
    "5000-digit fraction": (
        TEXT.replace('"value": -2.0', '"value": 0.' + "1" * 5000),
        "gates[0].value",
        "characters long",
    ),
    "5000-digit port": (
        TEXT.replace('"port": 0', '"port": ' + "1" * 5000, 1),
        "wires[0].port",
        "characters long",
    ),
    "5000-digit version": (
        TEXT.replace('"version": 1', '"version": ' + "1" * 5000),
        "version",
        "characters long",
    ),
    "beyond float range": (
        TEXT.replace('"value": -2.0', '"value": -1e400'),
        "gates[0].value",
        "too large",
    ),
    "duplicate key at the top": (
        TEXT.replace('"title"', '"format": "circuit-editor",\n  "title"'),
        None,
        "twice",
    ),
    "duplicate key in a gate": (
        TEXT.replace('"kind": "add"', '"kind": "add", "kind": "mul"'),
        "gates[4]",
        '"kind" appears twice',
    ),
    "duplicate key in an input set": (
        TEXT.replace('"x": -2.0}', '"x": -2.0, "x": 1.0}'),
        "input_sets.lecture",
        '"x" appears twice',
    ),
    "duplicate key in params": (
        TEXT.replace('{"c": 3.0}', '{"c": 3.0, "c": 3.0}'),
        "gates[13].params",
        "twice",
    ),
    # ---- the shape of the document
    "unknown top key": (edit(setitem("colour", "red")), None, '"colour" is not something'),
    "missing title": (edit(delitem("title")), None, '"title" is missing'),
    "title not text": (edit(setitem("title", 5)), "title", "should be text"),
    "description list": (edit(setitem("description", ["a"])), "description", "a list"),
    "settings a list": (edit(setitem("settings", [])), "settings", "should be an object"),
    "unknown tie": (
        edit(setitem("settings", "tie", "random")),
        "settings.tie",
        "both, split, first",
    ),
    "tie missing": (edit(setitem("settings", {})), "settings", '"tie" is missing'),
    "gates an object": (edit(setitem("gates", {})), "gates", "should be a list"),
    "wires null": (edit(setitem("wires", None)), "wires", "not null"),
    "input_sets a list": (edit(setitem("input_sets", [])), "input_sets", "should be an object"),
    "input set a number": (
        edit(setitem("input_sets", "lecture", 3)),
        "input_sets.lecture",
        "should be an object",
    ),
    "input value text": (
        edit(setitem("input_sets", "tie \u00e0 z\u00e9ro", "x", "1")),
        'input_sets["tie \u00e0 z\u00e9ro"].x',
        "should be a number",
    ),
    "input set without a name": (
        edit(setitem("input_sets", " ", {})),
        'input_sets[" "]',
        "needs a name",
    ),
    "input value true": (
        edit(setitem("input_sets", "lecture", "x", True)),
        "input_sets.lecture.x",
        "not true",
    ),
    # ---- gates
    "gate not an object": (edit(setitem("gates", 3, "k")), "gates[3]", "should be a gate"),
    "missing id": (edit(delitem("gates", 3, "id")), "gates[3]", '"id" is missing'),
    "empty id": (edit(setitem("gates", 3, "id", "")), "gates[3].id", "empty"),
    "id a number": (edit(setitem("gates", 3, "id", 7)), "gates[3].id", "should be text"),
    "duplicate id": (edit(setitem("gates", 3, "id", "x")), "gates[3].id", "already the id"),
    "unknown kind": (
        edit(setitem("gates", 4, "kind", "xor")),
        "gates[4].kind",
        '"xor" is not a kind of gate',
    ),
    "kind null": (edit(setitem("gates", 4, "kind", None)), "gates[4].kind", "not null"),
    "unknown gate key": (
        edit(setitem("gates", 4, "colour", 1)),
        "gates[4]",
        '"colour" is not something a gate has',
    ),
    "value true": (
        edit(setitem("gates", 0, "value", True)),
        "gates[0].value",
        "should be a number, not true",
    ),
    "value text": (
        edit(setitem("gates", 2, "value", "1.5")),
        "gates[2].value",
        "should be a number",
    ),
    "value missing": (edit(delitem("gates", 2, "value")), "gates[2]", '"value" is missing'),
    "value on an operation": (
        edit(setitem("gates", 4, "value", 1.0)),
        "gates[4].value",
        "computes its value",
    ),
    "pos text": (edit(setitem("gates", 4, "pos", "0,0")), "gates[4].pos", "two numbers"),
    "pos three numbers": (edit(setitem("gates", 4, "pos", [1, 2, 3])), "gates[4].pos", "not 3"),
    "pos false": (edit(setitem("gates", 4, "pos", [False, 0])), "gates[4].pos[0]", "not false"),
    "label a number": (edit(setitem("gates", 4, "label", 3)), "gates[4].label", "should be text"),
    "label not a name": (
        edit(setitem("gates", 4, "label", "1 x")),
        "gates[4].label",
        "not a valid name",
    ),
    "input without a name": (
        edit(setitem("gates", 1, "label", "")),
        "gates[1].label",
        "needs a name",
    ),
    "two inputs one name": (
        edit(setitem("gates", 1, "label", "x")),
        "gates[1].label",
        "already an input called",
    ),
    "params a list": (
        edit(setitem("gates", 13, "params", [3.0])),
        "gates[13].params",
        "should be an object",
    ),
    "param missing": (
        edit(setitem("gates", 13, "params", {})),
        "gates[13].params",
        '"c" is missing',
    ),
    "param unknown": (
        edit(setitem("gates", 4, "params", {"c": 1.0})),
        "gates[4].params",
        "no parameter",
    ),
    "param text": (
        edit(setitem("gates", 13, "params", "c", "3")),
        "gates[13].params.c",
        "should be a number",
    ),
    # ---- wires
    "wire not an object": (
        edit(setitem("wires", 0, ["g0", "g1", 0])),
        "wires[0]",
        "should be a wire",
    ),
    "wire to a missing gate": (
        edit(setitem("wires", 0, "target", "nowhere")),
        "wires[0].target",
        'no gate with id "nowhere"',
    ),
    "wire from a missing gate": (
        edit(setitem("wires", 0, "source", "n99")),
        "wires[0].source",
        'no gate with id "n99"',
    ),
    "port beyond arity": (
        edit(setitem("wires", INTO_EXP, "port", 1)),
        f"wires[{INTO_EXP}].port",
        "has one input port, port 0; there is no port 1",
    ),
    "port 2 of a two-input gate": (
        edit(wire("x", "g1", 2)),
        "wires[25].port",
        "2 input ports, numbered 0 to 1",
    ),
    "port negative": (edit(setitem("wires", 0, "port", -1)), "wires[0].port", "no port -1"),
    "port text": (edit(setitem("wires", 0, "port", "0")), "wires[0].port", "whole number"),
    "port true": (edit(setitem("wires", 0, "port", True)), "wires[0].port", "not true"),
    "port fraction": (edit(setitem("wires", 0, "port", 0.5)), "wires[0].port", "whole number"),
    "wire missing port": (edit(delitem("wires", 0, "port")), "wires[0]", '"port" is missing'),
    "wire into an input": (
        edit(wire("g0", "x", 0)),
        "wires[25].target",
        "nothing can be wired into",
    ),
    "two wires into one port": (edit(wire("k", "g1", 0)), "wires[25]", "already has a wire"),
    "same wire twice": (
        edit(lambda d: d["wires"].append(dict(d["wires"][3]))),
        "wires[25]",
        "already has a wire (wires[3])",
    ),
    "wire into itself": (edit(setitem("wires", 0, "source", "g1")), "wires[0]", "back into itself"),
    "cycle": (
        edit(
            lambda d: (
                d["wires"].pop(0),
                d["wires"].append({"source": "g18", "target": "g1", "port": 0}),
            )
        ),
        "wires[",
        "loop",
    ),
    # ---- settings naming gates
    "output missing gate": (edit(setitem("output", "n99")), "output", 'no gate with id "n99"'),
    "target a number": (edit(setitem("target", 3)), "target", "should be text"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_gives_one_located_error(name):
    data, where, words = CASES[name]
    with pytest.raises(FileFormatError) as info:
        loads(data)
    err = info.value
    message = str(err)
    assert isinstance(err, ValueError)
    assert words in message, message
    if where is None:
        assert not err.path and err.line is None, message
    elif where.startswith("line"):
        assert message.startswith(where), message
        assert err.line is not None and err.column is not None
    else:
        assert err.path.startswith(where) and message.startswith(
            where + ("" if where.endswith("[") else ": ")
        ), message
    assert "Traceback" not in message and "Error" not in message


@pytest.mark.parametrize("name", list(CASES))
def test_no_number_longer_than_the_cap_is_converted(name, monkeypatch):
    """Turning digits into a number takes time that grows faster than their count (and
    Python 3.10 has no limit of its own), so a hostile file's long numbers are refused as
    text: the conversions the reader makes are counted by the length of what they convert."""
    converted: list[int] = []

    def counting(convert):
        def counted(text):
            converted.append(len(text))
            return convert(text)

        return counted

    monkeypatch.setattr(jsontext, "int", counting(int), raising=False)
    monkeypatch.setattr(jsontext, "float", counting(float), raising=False)
    with pytest.raises(FileFormatError):
        loads(CASES[name][0])
    assert max(converted, default=0) <= MAX_NUMBER_CHARS


def test_a_cycle_names_the_gates_around_it():
    data, _, _ = CASES["cycle"]
    with pytest.raises(FileFormatError) as info:
        loads(data)
    assert "g1 \u2192" in str(info.value) or "mul_1 \u2192" in str(info.value)
    assert "from inputs to output" in str(info.value)


def test_a_long_cycle_is_named_briefly(monkeypatch):
    doc = {
        "format": "circuit-editor",
        "version": 1,
        "title": "",
        "description": "",
        "settings": {"tie": "both"},
        "output": None,
        "target": None,
        "input_sets": {},
        "gates": [
            {"id": f"n{i}", "kind": "neg", "label": "", "params": {}, "pos": [0, 0]}
            for i in range(5_000)
        ],
        "wires": [
            {"source": f"n{i}", "target": f"n{(i + 1) % 5_000}", "port": 0} for i in range(5_000)
        ],
    }
    connected: list[tuple] = []
    real_connect = Circuit.connect
    # the model checks each wire it is given for a loop; the reader finds it in one pass first
    monkeypatch.setattr(
        Circuit, "connect", lambda c, *wire: (connected.append(wire), real_connect(c, *wire))[1]
    )
    with pytest.raises(FileFormatError, match=r"loop \(.*\.\.\..*\)") as info:
        loads(json.dumps(doc))
    assert info.value.path.startswith("wires[")
    assert len(str(info.value)) < 300
    assert connected == []


def test_file_over_the_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.circuit"
    with open(path, "wb") as f:
        f.truncate(50_000_000)  # 50 MB of zeros, sparse: nothing is really written
    monkeypatch.setattr(disk, "loads", lambda data: pytest.fail("the file was parsed"))
    read: list[int] = []  # the sizes asked of the file's read()

    def recording_open(*args, **kwargs):
        f = open(*args, **kwargs)  # noqa: SIM115 (load's own with-statement closes it)
        real_read = f.read
        f.read = lambda size=-1: (read.append(size), real_read(size))[1]
        return f

    monkeypatch.setattr(disk, "open", recording_open, raising=False)
    with pytest.raises(FileFormatError, match="at most 40 MB") as info:
        load(path)
    assert "50.0 MB" in str(info.value)
    assert read == []


def test_text_over_the_cap_is_refused():
    assert 20_000_000 < MAX_FILE_BYTES < 50_000_000
    with pytest.raises(FileFormatError, match="at most"):
        loads(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(FileFormatError, match="at most"):
        loads(" " * (MAX_FILE_BYTES + 1))


def test_a_byte_order_mark_is_fine():
    assert loads(b"\xef\xbb\xbf" + TEXT.encode()) == loads(TEXT)


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nothing.circuit")
    with pytest.raises(IsADirectoryError):
        load(tmp_path)


def test_loads_wants_text_or_bytes():
    with pytest.raises(TypeError):
        loads(12)


def test_nothing_in_a_file_is_executed():
    import inspect

    import circuit_editor.files as files
    from circuit_editor.files import disk, errors, jsontext, migrate, read, write

    for module in (files, disk, errors, jsontext, migrate, read, write):
        source = inspect.getsource(module)
        for word in ("pickle", "eval(", "exec(", "literal_eval", "marshal", "__import__"):
            assert word not in source, (module.__name__, word)


def huge_loop(doc, huge):
    """Give g1 a huge id and no label, and close a loop through it."""
    doc["gates"][5].update(id=huge, label="")
    for w in doc["wires"]:
        for end in ("source", "target"):
            if w[end] == "g1":
                w[end] = huge
        if w["target"] == huge and w["port"] == 0:
            w["source"] = "g18"


def test_messages_stay_short_whatever_the_file_holds():
    huge = "x" * 1_000_000
    cases = [
        edit(setitem("gates", 4, "label", huge + " y")),  # the model's message
        edit(setitem("gates", 4, "kind", huge)),
        edit(setitem("input_sets", huge, {"x": "1"})),
        edit(setitem("gates", 4, "id", huge)),  # a wire then misses it
        edit(lambda d: huge_loop(d, huge)),
    ]
    for data in cases:
        with pytest.raises(FileFormatError) as info:
            loads(data)
        assert len(str(info.value)) < 600


def test_whole_numbers_may_be_written_with_a_point():
    """JSON Schema's "integer" allows 1.0, and so does the loader."""
    doc = sample_doc()
    doc["version"] = 1.0
    for w in doc["wires"]:
        w["port"] = float(w["port"])
    assert loads(json.dumps(doc)) == loads(TEXT)


def test_a_migration_that_trips_over_a_damaged_file_says_so(monkeypatch):
    from circuit_editor.files import migrate

    monkeypatch.setattr(migrate, "CURRENT_VERSION", 2)
    monkeypatch.setitem(migrate.MIGRATIONS, 1, lambda doc: doc["no such key"])
    with pytest.raises(FileFormatError, match="damaged and cannot be upgraded to version 2"):
        loads(TEXT)
