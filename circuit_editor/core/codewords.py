"""How the code reader names what it reads, in its messages: operators by their symbol,
constructs in words ("an if statement"), calls by the name they were written with."""

from __future__ import annotations

import ast

OP_NAMES = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}


def call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return f"{f.value.id}.{f.attr}"
    if isinstance(f, ast.Attribute):
        return f".{f.attr}"
    return f.id if isinstance(f, ast.Name) else describe(f)


def unary_name(op: ast.unaryop) -> str:
    return {ast.Not: "not", ast.Invert: "~"}.get(type(op), "?")


_CONSTRUCTS = {
    "If": "an if statement",
    "For": "a for loop",
    "While": "a while loop",
    "FunctionDef": "defining a function",
    "ClassDef": "defining a class",
    "Return": "return",
    "Compare": "a comparison",
    "BoolOp": "and/or",
    "IfExp": "x if c else y",
    "Lambda": "lambda",
    "List": "a list",
    "Tuple": "a tuple",
    "Dict": "a dict",
    "Set": "a set",
    "ListComp": "a list comprehension",
    "GeneratorExp": "a generator",
    "Await": "await",
    "JoinedStr": "an f-string",
    "Starred": "*args",
    "NamedExpr": ":=",
    "With": "with",
    "Try": "try",
    "Raise": "raise",
    "Delete": "del",
    "Global": "global",
    "Nonlocal": "nonlocal",
    "Assert": "assert",
    "AnnAssign": "an annotated assignment",
    "Slice": "a slice",
    "Attribute": "an attribute",
    "Subscript": "a subscript",
}


def describe(node: ast.AST) -> str:
    name = type(node).__name__
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"[:60]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.Name):
        return repr(node.id)
    return _CONSTRUCTS.get(name, name)
