"""Runs the answer box's prompts in a real terminal for tests/test_answerbox.py.

Usage: answerbox_harness.py [--plain] STEP...   where a STEP is ``text``, ``text:INITIAL``,
``line:PROMPT`` or ``pause``. After each step one line ``RESULT {json}`` is printed, with
"kind" and "text" exactly as returned; an interruption prints kind "interrupted" and ends.
SIGHUP and SIGTERM raise KeyboardInterrupt in the main thread, as the reflectkit command
line makes them do.
"""

from __future__ import annotations

import json
import signal
import sys

from reflectkit.cli import answerbox


def closing_is_an_interrupt() -> None:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGHUP", "SIGTERM"):
        signal.signal(getattr(signal, name), interrupt)


def run(step: str, plain: bool) -> dict[str, str]:
    kind, _, value = step.partition(":")
    if kind == "text":
        reply = answerbox.read_text(initial=value, plain=plain)
    elif kind == "line":
        reply = answerbox.read_line(value or "Number: ", plain=plain)
    elif kind == "pause":
        return {"kind": "pause", "text": answerbox.pause(plain=plain)}
    else:
        raise SystemExit(f"unknown step {step!r}")
    return {"kind": reply.kind, "text": reply.text}


def main(argv: list[str]) -> int:
    plain = "--plain" in argv
    closing_is_an_interrupt()
    for step in (a for a in argv if a != "--plain"):
        try:
            result = run(step, plain)
        except answerbox.Interrupted as exc:
            print("RESULT " + json.dumps({"kind": "interrupted", "text": exc.text}), flush=True)
            return 130
        print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
