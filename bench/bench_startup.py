"""Start-up cost of the command line: CPU seconds of ``order-gateway … --help`` and of
the listing commands.

Every ``--help`` (and every short command) pays for what the command line imports before
it runs. This script measures it in fresh processes, side by side with the interpreter
alone and with ``import gateway.cli`` alone, interleaved round by round so that a busy
machine weighs on each the same; it prints the minimum and the median of the child's
CPU time (user + system, from ``wait4``) and of the wall time, the largest peak resident
memory of its rounds, and the machine's load average before and after. The listings
(``orders list``, ``files list``, ``rejections list``, ``status``) run on a small
workspace that ``order-gateway demo`` makes in a temporary folder (its four sample files
processed). ``--imports`` adds the modules that cost the most (``python -X importtime``)
to ``--help`` and to ``orders list``, the lists to work through. ``--against DIR`` runs
every case in another checkout too (e.g. ``git archive`` of the commit before a change,
unpacked), interleaved with this one: before and after in one run; each checkout imports
its own code (``PYTHONPATH``, checked) and lists a demo workspace it made itself.

    python bench/bench_startup.py                 # 7 rounds
    python bench/bench_startup.py --rounds 15 --imports
    python bench/bench_startup.py --against /tmp/before
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CASES: dict[str, list[str]] = {
    "python -c pass (the interpreter alone)": ["-c", "pass"],
    "import gateway.cli": ["-c", "import gateway.cli"],
    # the floor of any --help: typer and rich rendering a two-command help, nothing of ours
    "typer alone: --help of an empty app": [
        "-c",
        "import typer; app = typer.Typer(); app.command('a')(lambda: None); "
        "app.command('b')(lambda: None); app(['--help'])",
    ],
    "order-gateway --help": ["-m", "gateway", "--help"],
    "order-gateway run --help": ["-m", "gateway", "run", "--help"],
    "order-gateway orders list --help": ["-m", "gateway", "orders", "list", "--help"],
    # on the demo workspace of the checkout (WORKSPACE is replaced by its folder)
    "order-gateway orders list": ["-m", "gateway", "-w", "WORKSPACE", "orders", "list"],
    "order-gateway files list": ["-m", "gateway", "-w", "WORKSPACE", "files", "list"],
    "order-gateway rejections list": ["-m", "gateway", "-w", "WORKSPACE", "rejections", "list"],
    "order-gateway status": ["-m", "gateway", "-w", "WORKSPACE", "status"],
}


def child_env(repo: Path) -> dict[str, str]:
    """The environment of a child in ``repo``: that checkout's code first on the path, its
    bytecode written and read as an installed gateway's is (a shell that sets
    ``PYTHONDONTWRITEBYTECODE`` would have every child compile our modules again)."""
    env = {**os.environ, "COLUMNS": "100", "PYTHONPATH": str(repo)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def check_imports_its_own_code(repo: Path) -> None:
    """Refuse to measure a checkout whose children would import another one's gateway."""
    found = subprocess.run(
        [sys.executable, "-c", "import gateway; print(gateway.__file__)"],
        cwd=repo,
        env=child_env(repo),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(repo.resolve()):
        raise SystemExit(f"in {repo}, `import gateway` loads {found}")


def make_demo(repo: Path, folder: Path) -> Path:
    """A small workspace made by ``repo``'s own ``order-gateway demo`` (files processed)."""
    subprocess.run(
        [sys.executable, "-m", "gateway", "demo", str(folder)],
        cwd=repo,
        env=child_env(repo),
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return folder


def run_once(args: list[str], repo: Path = REPO) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak resident MB) of one fresh ``python args…`` in
    ``repo``."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(repo),
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024  # Linux: KiB


def slowest_imports(args: list[str], top: int) -> list[tuple[float, str]]:
    """The ``top`` modules with the largest cumulative import time (seconds)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=REPO,
        env=child_env(REPO),
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    found = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[12:].split("|"))
        found.append((int(cumulative) / 1e6, name))
    found.sort(reverse=True)
    return found[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="repetitions of each (≥ 3)")
    parser.add_argument("--imports", action="store_true", help="list the costliest imports")
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    opts = parser.parse_args()
    rounds = max(3, opts.rounds)
    trees = {"": REPO} if opts.against is None else {"this: ": REPO, "other: ": opts.against}
    scratch = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    workspaces = {}
    for i, tree in enumerate(trees.values()):
        check_imports_its_own_code(tree)
        workspaces[tree] = str(make_demo(tree, scratch / f"demo-{i}"))
    runs = [(f"{label}{name}", tree, [workspaces[tree] if a == "WORKSPACE" else a for a in args])
            for name, args in CASES.items() for label, tree in trees.items()]  # fmt: skip
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    wall: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    peak: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    for _, tree, args in runs:  # warm the file cache and the .pyc files first
        run_once(args, tree)
    load_before = os.getloadavg()
    for _ in range(rounds):
        for name, tree, args in runs:  # interleaved: each round runs every case once
            c, w, m = run_once(args, tree)
            cpu[name].append(c)
            wall[name].append(w)
            peak[name].append(m)
    load_after = os.getloadavg()
    costliest = {}
    if opts.imports:  # on this checkout's demo workspace, before it is removed
        for case in ("order-gateway --help", "order-gateway orders list"):
            args = [workspaces[REPO] if a == "WORKSPACE" else a for a in CASES[case]]
            costliest[case] = slowest_imports(args, 25)
    shutil.rmtree(scratch)
    print(f"{rounds} rounds, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    # other work on the machine weighs on every figure: say how much there was
    print("load average (1, 5, 15 min): before " + " ".join(f"{x:.2f}" for x in load_before)
          + ", after " + " ".join(f"{x:.2f}" for x in load_after))  # fmt: skip
    for label, tree in trees.items():
        print(f"  {label or 'checkout: '}{tree}")
    width = max(len(name) for name in cpu) + 2
    print(
        f"\n{'':{width}} {'CPU min':>8} {'CPU median':>11} {'wall min':>9} {'wall median':>12}"
        f" {'peak RSS':>9}"
    )
    for name in cpu:
        print(
            f"{name:{width}} {min(cpu[name]):7.3f}s {statistics.median(cpu[name]):10.3f}s "
            f"{min(wall[name]):8.3f}s {statistics.median(wall[name]):11.3f}s "
            f"{max(peak[name]):6.0f} MB"
        )
    for case, found in costliest.items():
        print(f"\ncostliest imports of `{case}` (cumulative, one run):")
        for seconds, name in found:
            print(f"  {seconds:6.3f}s  {name}")


if __name__ == "__main__":
    main()
