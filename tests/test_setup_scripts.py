"""The scripts that put Debian's programs on the machine (scripts/ensure-*.sh, lib/debian.sh).

``make test`` runs them before pytest; they must find a program that is there, and when one is
missing either install it (as root, with apt-get) or stop with one line saying what to install —
never a silent skip. The installing branch needs root and the package registry, so it is what
``make test`` itself exercises on a clean machine; here the finding and the refusing branches run
for real, the refusal as an unprivileged user (``runuser``) when the suite runs as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import REPO

SCRIPTS = REPO / "scripts"
ENSURE = sorted(SCRIPTS.glob("ensure-*.sh"))


def _bash(script: str, *, unprivileged: bool = False,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in bash in scripts/ (as ``nobody`` with ``unprivileged``: then from ``/``,
    with the shared helper's text passed inline, since the checkout may be unreadable to it)."""
    cwd = SCRIPTS
    if unprivileged:
        script = script.replace("source lib/debian.sh\n",
                                (SCRIPTS / "lib" / "debian.sh").read_text(encoding="utf-8"))
        cwd = "/"
    command = ["bash", "-c", script]
    if unprivileged and os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.fail("runuser (util-linux) is needed to run a script as a non-root user",
                        pytrace=False)
        command = [runuser, "-u", "nobody", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, **(env or {})})


def test_every_ensure_script_uses_the_shared_apt_helper() -> None:
    assert {path.name for path in ENSURE} == {
        "ensure-chromium.sh", "ensure-libreoffice.sh", "ensure-poppler.sh"}
    for path in ENSURE:
        text = path.read_text(encoding="utf-8")
        assert 'source "$(dirname "$0")/lib/debian.sh"' in text, path.name
        assert "ensure_debian_program" in text, path.name
        assert "apt-get" not in text.split("ensure_debian_program", 1)[1], path.name


@pytest.mark.parametrize("script", ENSURE, ids=lambda path: path.name)
def test_an_installed_program_is_found_and_named(script) -> None:
    # make test ran every script before pytest, so each program is on this machine.
    done = _bash(f"bash {script.name}")
    assert done.returncode == 0, done.stderr
    label, _, rest = done.stdout.strip().partition(": ")
    assert label in {"chromium", "libreoffice", "poppler-utils"}
    assert rest.startswith("/") and "(" in rest, done.stdout


def test_a_missing_program_without_root_is_one_line_saying_what_to_install() -> None:
    script = (
        "source lib/debian.sh\n"
        "path_of() { echo /nonexistent/frobnicate; }\n"
        "check() { [[ -x \"$1\" ]] && \"$1\" --version; }\n"
        "ensure_debian_program frobnicate path_of check "
        "'install it: sudo apt-get install frobnicate' frobnicate\n")
    done = _bash(script, unprivileged=True)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines == ["error: frobnicate not found (looked for /nonexistent/frobnicate); "
                     "install it: sudo apt-get install frobnicate"]


@pytest.mark.parametrize(("variable", "script"), [("CHROMIUM", "ensure-chromium.sh"),
                                                  ("SOFFICE", "ensure-libreoffice.sh")])
def test_a_named_program_that_does_not_run_is_refused_without_installing(variable,
                                                                         script) -> None:
    done = _bash(f"bash {script}", env={variable: "/bin/false"})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: {variable}=/bin/false is not an executable")
    assert "installing" not in done.stderr
