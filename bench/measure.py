"""Run a command and measure it: wall time, CPU time of the whole process tree and its peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Measurement:
    """One run: seconds of wall and CPU time, peak memory in MB, and whether it succeeded."""

    label: str
    wall: float
    cpu: float
    peak_mb: float  # the most the process and all its children held at once (PSS, sampled)
    ok: bool
    note: str = ""


def _pss(folder: str) -> int:
    """Proportional resident bytes of a process: a page shared by forked workers counts once in all."""
    for line in Path(folder, "smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_rss(root: int) -> int:
    """Resident bytes (PSS) of a process and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            rss[pid] = _pss(f"/proc/{pid}")
        except OSError:
            rss[pid] = 0
        stack.extend(children.get(pid, ()))
    return sum(rss.values())


def run(label: str, command: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> Measurement:
    """Run ``command`` to the end and measure it; output is kept only to report a failure."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss covers the largest single process, sampling the whole tree at its widest.
    peak_mb = max(peak[0], after.ru_maxrss * 1024 if after.ru_maxrss > before.ru_maxrss else 0) / 2**20
    ok = process.returncode == 0
    note = "" if ok else output.decode("utf-8", "replace").strip().splitlines()[-1:][0][:160] if output else "failed"
    return Measurement(label, wall, cpu, peak_mb, ok, note)
