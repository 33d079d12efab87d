#!/usr/bin/env python3
"""check_layers.py LIBDIR: the library's layering rules, checked from the sources.

1. Every module is a folder/file pair: lib/LAYER/NAME.c and/or lib/LAYER/NAME.h. Every bzi_
   function a header declares is defined in the .c of the same name, so "includes X.h" means
   "depends on module X", and the include graph is the dependency graph.
2. Layers only look down: core < geo < zones < io. A file includes its own layer's headers and
   lower layers' only ("layer/name.h").
3. No cycles between modules (a .c and its .h are one module).
Prints each violation and exits 1 if there is any.
"""
import os
import re
import sys

LAYERS = ["core", "geo", "zones", "io"]


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def main(libdir):
    problems = []
    modules = {}  # "layer/name" -> {"c": text, "h": text}
    for layer in sorted(os.listdir(libdir)):
        path = os.path.join(libdir, layer)
        if not os.path.isdir(path):
            continue
        if layer not in LAYERS:
            problems.append(f"lib/{layer}/: not a layer ({', '.join(LAYERS)})")
            continue
        for f in sorted(os.listdir(path)):
            stem, ext = os.path.splitext(f)
            if ext not in (".c", ".h"):
                continue
            with open(os.path.join(path, f), encoding="utf-8") as fh:
                modules.setdefault(f"{layer}/{stem}", {})[ext[1:]] = fh.read()
    for f in sorted(os.listdir(libdir)):
        if f.endswith((".c", ".h")):
            problems.append(f"lib/{f}: source outside the layer folders")

    graph = {m: set() for m in modules}
    for mod, parts in modules.items():
        layer = mod.split("/")[0]
        for ext, text in parts.items():
            for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, flags=re.M):
                if inc == "bufferzone.h":
                    continue
                target = inc[:-2] if inc.endswith(".h") else inc
                if target not in modules or "h" not in modules[target]:
                    problems.append(f"lib/{mod}.{ext}: includes \"{inc}\", which is not a "
                                    "layer/module header")
                    continue
                tl = target.split("/")[0]
                if LAYERS.index(tl) > LAYERS.index(layer):
                    problems.append(f"lib/{mod}.{ext}: includes \"{inc}\" from the higher layer "
                                    f"{tl}/ (layers look down: {' < '.join(LAYERS)})")
                if target != mod:
                    graph[mod].add(target)
        # Declarations in the header are defined in the same module's .c.
        if "h" in parts:
            decl = set(re.findall(r"\b(bzi_\w+)\s*\(", strip_comments(parts["h"])))
            body = strip_comments(parts.get("c", ""))
            for name in sorted(decl):
                if re.search(r"\b" + name + r"\s*\([^;{]*\)\s*\{", body):
                    continue
                # function-like macros and inline functions defined in the header itself
                if re.search(r"#\s*define\s+" + name + r"\b", parts["h"]) or re.search(
                        r"\b" + name + r"\s*\([^;{]*\)\s*\{", strip_comments(parts["h"])):
                    continue
                # a name used, not declared, in the header (e.g. in a macro) is fine when
                # another module defines it; only report real prototypes
                if re.search(r"^[\w][\w \t\*]*\b" + name + r"\s*\([^;{]*\)\s*(BZI_\w+\([^)]*\)\s*)?;",
                             strip_comments(parts["h"]), flags=re.M):
                    problems.append(f"lib/{mod}.h declares {name}, which lib/{mod}.c does not "
                                    "define")

    # Cycles (Tarjan's strongly connected components).
    index, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for comp in sccs:
        problems.append("include cycle between modules: " + ", ".join(comp))

    for p in problems:
        print(p)
    edges = sum(len(v) for v in graph.values())
    print(f"{len(modules)} modules, {edges} dependencies, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "lib"))
