"""Benchmark: how long the `mognad` command line takes to start (issue 15: the CLI imports only what a
command needs).

Times, in fresh processes, `mognad --help`, `mognad validate` on the bundled questionnaire and one store
command (`mognad rounds list` on a temporary SQLite database, set up beforehand and not timed), each against
two floors measured in the same run: `python -c pass` (the interpreter alone) and `python -c "import
argparse"` (the least any command line needs). The cases take turns, run after run, so a change in the
machine's load falls on all of them alike. Prints p50 and p95 in milliseconds, the ratio of each p50 to both
floors' p50, and the peak resident memory of the process (the largest over the runs).

    .venv/bin/python bench/cli.py [--runs 20] [--baseline DIR]

`--baseline DIR` also times the three commands as `python -m cli` in another copy of the code (e.g. the last
commit: `git archive HEAD cli store questionnaires scoring service reports | tar -x -C DIR`), and this copy the
same way, in the same turns: a before and after under the same load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MOGNAD = str(Path(PYTHON).with_name("mognad"))
QUESTIONNAIRE = str(ROOT / "questionnaires" / "bundled" / "regional-validering-2.yaml")


def timed(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, int]:
    """Seconds from start to exit and the child's peak resident memory in KB (os.wait4: this child only)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit code {child.returncode}")
    return elapsed, usage.ru_maxrss


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="another copy of the code to time beside this one")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        env = {**os.environ, "MOGNAD_LANG": "sv", "MOGNAD_DATA_DIR": tmp}
        env.pop("MOGNAD_DATABASE_URL", None)
        subprocess.run([MOGNAD, "db", "upgrade", "--database", url], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        subprocess.run([MOGNAD, "rounds", "open", "2026", "--database", url], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        commands = {
            "--help": ["--help"],
            "validate (bundled @2)": ["validate", QUESTIONNAIRE],
            "rounds list (SQLite)": ["rounds", "list", "--database", url],
        }
        cases = {
            "floor: python -c pass": ([PYTHON, "-c", "pass"], ROOT),
            "floor: python -c 'import argparse'": ([PYTHON, "-c", "import argparse"], ROOT),
            **{f"mognad {name}": ([MOGNAD, *argv], ROOT) for name, argv in commands.items()},
        }
        if options.baseline is not None:
            # `python -m cli` takes the package from the working directory, ahead of the installed one
            for label, tree in (("this", ROOT), ("baseline", options.baseline.resolve())):
                cases.update({f"{label}: -m cli {name}": ([PYTHON, "-m", "cli", *argv], tree)
                              for name, argv in commands.items()})
        for argv, cwd in cases.values():  # warm the file cache and the bytecode once, untimed
            timed(argv, env, cwd)
        times: dict[str, list[float]] = {name: [] for name in cases}
        peak: dict[str, int] = dict.fromkeys(cases, 0)
        for _ in range(options.runs):
            for name, (argv, cwd) in cases.items():
                seconds, rss = timed(argv, env, cwd)
                times[name].append(seconds)
                peak[name] = max(peak[name], rss)

    floor_pass = statistics.median(times["floor: python -c pass"])
    floor_argparse = statistics.median(times["floor: python -c 'import argparse'"])
    print(f"{options.runs} runs each, taking turns; load average {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} cores)")
    print(f"{'case':<38} {'p50 ms':>8} {'p95 ms':>8} {'×pass':>7} {'×argparse':>10} {'peak RSS MB':>12}")
    for name in cases:
        p50 = statistics.median(times[name])
        print(f"{name:<38} {p50 * 1000:>8.1f} {percentile(times[name], 95) * 1000:>8.1f} "
              f"{p50 / floor_pass:>7.2f} {p50 / floor_argparse:>10.2f} {peak[name] / 1024:>12.1f}")


if __name__ == "__main__":
    main()
