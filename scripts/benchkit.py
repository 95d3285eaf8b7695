# workshop: since 04
"""What the benchmark scripts share: a warm-up, rounds, the best and the median.

One run of a benchmark gives every figure side by side. Each side runs once
to warm up (imports, caches, the file system), then ``rounds`` times, the
sides taking turns to go first. A ratio is given at the best round (min: the
least disturbed) and at the median one, in wall-clock time and in CPU time
(CPU time barely moves when other programs share the machine; wall-clock
time also counts waiting for the disk).
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# A side: prepares a run (untimed) and returns the action to time.
Side = Callable[[], Callable[[], object]]


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def children_cpu() -> float:
    """CPU seconds of the finished child processes (for sides that run programs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    sides: dict[str, Side],
    rounds: int,
    check: Callable[[dict[str, Any]], None] | None = None,
    clock: Callable[[], float] = time.process_time,
    collect: Callable[[Any], Any] | None = None,
) -> dict[str, Timing]:
    """Time each side ``rounds`` times after a warm-up round. ``check`` gets
    every round's results by side, to prove the sides did the same work: what
    each action returned, or what ``collect`` makes of it (untimed)."""
    timings = {name: Timing() for name in sides}
    names = list(sides)
    for round_ in range(rounds + 1):
        results = {}
        for name in names if round_ % 2 else names[::-1]:
            action = sides[name]()
            wall, cpu = time.perf_counter(), clock()
            value = action()
            wall, cpu = time.perf_counter() - wall, clock() - cpu
            results[name] = value if collect is None else collect(value)
            if round_:
                timings[name].wall.append(wall)
                timings[name].cpu.append(cpu)
        if check is not None:
            check(results)
    return timings


def ratio(timings: dict[str, Timing], side: str, baseline: str) -> str:
    """``side``'s time over ``baseline``'s: min / median, wall-clock and CPU."""
    parts = []
    for clock in ("wall", "cpu"):
        mine, theirs = getattr(timings[side], clock), getattr(timings[baseline], clock)
        best = min(mine) / max(min(theirs), 1e-9)
        median = statistics.median(mine) / max(statistics.median(theirs), 1e-9)
        parts.append(f"{clock} {best:.2f}x / {median:.2f}x")
    return ", ".join(parts)


def best(timings: dict[str, Timing], side: str) -> float:
    """The best wall-clock seconds of ``side``."""
    return min(timings[side].wall)
