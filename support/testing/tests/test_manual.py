"""The manual's runnable examples: every fenced block marked `sh test` in
docs/*.md runs with bash from the top of the tree, with $OUT a fresh output
folder, and must succeed within its time bound."""
import os
import re
import subprocess

import pytest

from conftest import TOP

BLOCK = re.compile(r"^```sh test\n(.*?)^```$", re.S | re.M)


def blocks():
    for doc in sorted((TOP / "docs").glob("*.md")):
        for n, m in enumerate(BLOCK.finditer(doc.read_text())):
            yield pytest.param(m.group(1), id=f"{doc.name}-{n}")


def test_there_are_runnable_blocks():
    assert len(list(blocks())) >= 3


@pytest.mark.parametrize("script", blocks())
def test_manual_block_runs(script, tmp_path):
    r = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=TOP,
                       env=dict(os.environ, OUT=str(tmp_path / "out")),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"{script}\n--- stdout\n{r.stdout[-2000:]}\n--- stderr\n{r.stderr[-2000:]}"
