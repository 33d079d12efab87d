"""Docstrings on everything public (help(bufferzone.zones) is a manual), and type stubs that
cover every public name."""
import ast
import inspect
import os

import bufferzone as bz


def test_every_public_name_has_a_docstring():
    for name in bz.__all__:
        obj = getattr(bz, name)
        if isinstance(obj, (int, float)):
            continue
        assert inspect.getdoc(obj), name
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                assert inspect.getdoc(member), "%s.%s" % (name, attr)


def test_help_of_zones_is_a_manual():
    doc = inspect.getdoc(bz.zones)
    for word in ("territory", "region", "distance_a", "threads", "progress", "Raises",
                 "Example", "KeyboardInterrupt"):
        assert word in doc, word
    assert "bz.zones" in inspect.getdoc(bz)


def test_stubs_cover_the_public_names():
    pkg = os.path.dirname(bz.__file__)
    assert os.path.exists(os.path.join(pkg, "py.typed"))
    tree = ast.parse(open(os.path.join(pkg, "__init__.pyi")).read())
    defined = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
    assert set(bz.__all__) <= defined, set(bz.__all__) - defined
