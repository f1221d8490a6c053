#!/usr/bin/env python3
"""Proves check_options.py can fail: each drift below, made on a copy of the tree, must be reported.

    check_options_detects_drift.py <source tree>
"""
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_options import drift  # noqa: E402

FILES = ["CMakeLists.txt", "src/CMakeLists.txt", "ports/greentrain/vcpkg.json",
         "ports/greentrain/portfile.cmake", "conanfile.py"]

# (file, text, replacement, what the report must name)
DRIFTS = [
    ("CMakeLists.txt", 'option(GREENTRAIN_WITH_MPI',
     'option(GREENTRAIN_WITH_GPU "GPU" ON)\noption(GREENTRAIN_WITH_MPI', "gpu"),
    ("ports/greentrain/vcpkg.json", '"server": {', '"dashboard": {', "server"),
    ("ports/greentrain/portfile.cmake", "mpi     GREENTRAIN_WITH_MPI", "", "mpi GREENTRAIN_WITH_MPI"),
    ("conanfile.py", '"with_trainer": [True, False]', '"trainer": [True, False]', "with_trainer"),
    ("conanfile.py", '"tools": "GREENTRAIN_BUILD_TOOLS"', '"tools": "GREENTRAIN_BUILD_TESTS"',
     "tools GREENTRAIN_BUILD_TOOLS"),
    ("src/CMakeLists.txt", "IN ITEMS regions trainer server", "IN ITEMS regions trainer server gpu",
     "component gpu"),
]


def main():
    source = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for file, text, replacement, expected in DRIFTS:
            root = Path(work) / "tree"
            shutil.rmtree(root, ignore_errors=True)
            for name in FILES:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source / name, root / name)
            original = (root / file).read_text()
            if text not in original:
                print(f"{file} no longer contains {text!r}: update this test")
                failures += 1
                continue
            (root / file).write_text(original.replace(text, replacement, 1))
            problems, _ = drift(root)
            if not any(expected in problem for problem in problems):
                print(f"undetected drift in {file}: {text!r} -> {replacement!r} ({problems})")
                failures += 1
            else:
                print(f"detected: {file}: {problems[0]}")
        problems, _ = drift(source)
        if problems:
            print(f"the tree itself drifts: {problems}")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
