"""Run by bench_inbox.py in a fresh process: cold start, `j` to repaint, peak memory.

argv: DATABASE PARENT_START_EPOCH [--paint-only]. Prints one JSON line; with --paint-only it
stops at the first painted frame and prints only the cold start (bench_inbox.py runs that a few
times: one start on a busy machine can be an outlier).

Repaint time is from posting the key event to the moment the compositor's update for the
frame is ready (rendered to the terminal's escape codes), measured by wrapping `App._display`,
so Pilot's own idle waits are not counted. Two figures: the wall-clock latency, which includes
waiting for Textual's next frame tick (every 1/FPS s), and the main thread's CPU time over the
same span, which is the work the key press costs.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

PARENT_START = float(sys.argv[2])
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cminbox.app import InboxApp  # noqa: E402  (first: it sets Textual's frame rate)
from cminbox.store import Store  # noqa: E402
from textual import constants  # noqa: E402

PAINT_ONLY = "--paint-only" in sys.argv[3:]
PRESSES = 200
SPACING = 0.06  # seconds between presses: a fast typist, and time for the detail pane to load


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> None:
    store = Store(sys.argv[1])
    app = InboxApp(store, live=False)
    first_paint: list[float] = []
    frame = asyncio.Event()
    original = app._display

    def display(screen, renderable) -> None:
        if renderable is not None:
            renderable.render_segments(app.console)  # the work a real terminal frame costs
            if not first_paint:
                first_paint.append(time.time() - PARENT_START)
            frame.set()
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(160, 45)) as pilot:
        if PAINT_ONLY:
            await frame.wait()
            print(json.dumps({"first_paint_s": first_paint[0]}))
            return
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        timings, work = [], []
        for _ in range(PRESSES):
            frame.clear()
            start, start_cpu = time.perf_counter(), time.thread_time()
            app.simulate_key("j")
            await frame.wait()
            timings.append((time.perf_counter() - start) * 1000)
            work.append((time.thread_time() - start_cpu) * 1000)
            await asyncio.sleep(SPACING)
        await app.workers.wait_for_complete()
    timings.sort()
    work.sort()
    print(
        json.dumps(
            {
                "first_paint_s": first_paint[0] if first_paint else float("nan"),
                "j_p50_ms": statistics.median(timings),
                "j_p95_ms": timings[int(len(timings) * 0.95) - 1],
                "j_work_p50_ms": statistics.median(work),
                "j_work_p95_ms": work[int(len(work) * 0.95) - 1],
                "fps": constants.MAX_FPS,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


asyncio.run(main())
