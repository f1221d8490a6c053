#!/usr/bin/env python3
"""Fails when the build options drift apart: CMake's option(GREENTRAIN_...), the vcpkg port's
features (vcpkg.json and portfile.cmake) and the Conan recipe's options must name the same set.

    check_options.py <source tree>

GREENTRAIN_WITH_<X> is vcpkg feature <x> and Conan option with_<x>; GREENTRAIN_BUILD_TOOLS is
feature and option "tools". Options for greentrain's own development are listed in DEVELOPMENT.
"""
import ast
import json
import re
import sys
from pathlib import Path

DEVELOPMENT = {"GREENTRAIN_BUILD_TESTS", "GREENTRAIN_BUILD_EXAMPLES", "GREENTRAIN_BUILD_BENCHMARKS",
               "GREENTRAIN_INSTALL", "GREENTRAIN_SANITIZE", "GREENTRAIN_FUZZ"}
CONAN_BUILD_OPTIONS = {"shared", "fPIC"}


def vcpkg_name(cmake_option):
    return re.sub(r"^GREENTRAIN_(WITH|BUILD)_", "", cmake_option).lower()


def conan_name(cmake_option):
    name = vcpkg_name(cmake_option)
    return "with_" + name if cmake_option.startswith("GREENTRAIN_WITH_") else name


def cmake_options(root):
    text = (root / "CMakeLists.txt").read_text()
    return set(re.findall(r"^\s*option\(\s*(GREENTRAIN_\w+)", text, re.M)) - DEVELOPMENT


def cmake_components(root):
    text = (root / "src" / "CMakeLists.txt").read_text()
    found = re.search(r"foreach\(component IN ITEMS ([\w ]+)\)", text)
    return set(found.group(1).split()) if found else set()


def portfile_features(root):
    text = (root / "ports" / "greentrain" / "portfile.cmake").read_text()
    block = re.search(r"vcpkg_check_features\((.*?)\)", text, re.S)
    if not block:
        return {}
    pairs = re.findall(r"^\s*([\w-]+)\s+(GREENTRAIN_\w+)\s*$", block.group(1), re.M)
    return dict(pairs)


def conan_recipe(root):
    tree = ast.parse((root / "conanfile.py").read_text())
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in ("options", "_cmake_options"):
                found[target.id] = ast.literal_eval(node.value)
    return set(found.get("options", {})) - CONAN_BUILD_OPTIONS, found.get("_cmake_options", {})


def drift(root):
    problems = []
    options = cmake_options(root)

    def compare(what, have, want):
        for name in sorted(want - have):
            problems.append(f"{what} lacks {name}")
        for name in sorted(have - want):
            problems.append(f"{what} has {name}, which no CMake option matches")

    features = set(json.loads((root / "ports" / "greentrain" / "vcpkg.json").read_text())
                   .get("features", {}))
    compare("ports/greentrain/vcpkg.json features", features, {vcpkg_name(o) for o in options})
    portfile = portfile_features(root)
    compare("ports/greentrain/portfile.cmake vcpkg_check_features",
            {f"{k} {v}" for k, v in portfile.items()}, {f"{vcpkg_name(o)} {o}" for o in options})
    conan_options, conan_map = conan_recipe(root)
    compare("conanfile.py options", conan_options, {conan_name(o) for o in options})
    compare("conanfile.py _cmake_options", {f"{k} {v}" for k, v in conan_map.items()},
            {f"{conan_name(o)} {o}" for o in options})
    with_options = {vcpkg_name(o) for o in options if o.startswith("GREENTRAIN_WITH_")}
    components = cmake_components(root)
    for name in sorted(components - with_options):
        problems.append(f"src/CMakeLists.txt builds component {name} without a GREENTRAIN_WITH_ option")
    return problems, options


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems, options = drift(root)
    for problem in problems:
        print(f"drift: {problem}")
    if problems:
        print("Keep CMakeLists.txt, ports/greentrain/ and conanfile.py in step.")
        return 1
    print(f"{len(options)} packaged options in step: {', '.join(sorted(options))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
