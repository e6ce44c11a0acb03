#!/usr/bin/env python3
"""Labels answer pairs with MathRuler's own grade_answer, the reward grader of the original MM-UPT.

MathRuler is not vendored: pass the folder that holds its `mathruler/` package (a checkout of github
hiyouga/MathRuler; the fixture was labelled at 14dadeb). Needs sympy and pylatexenc (Debian: python3-sympy,
python3-pylatexenc). Writes one line per pair with "mathruler": true/false; a pair on which sympy runs past the
time limit gets "mathruler": null and the C# test skips it.

    python3 generate_pairs.py | python3 label_with_mathruler.py /path/to/MathRuler > mathruler_pairs.jsonl
"""
import json
import signal
import sys
import types

if len(sys.argv) != 2:
    sys.exit("usage: label_with_mathruler.py MATHRULER_CHECKOUT < pairs.jsonl > labelled.jsonl")
sys.path.insert(0, sys.argv[1])
# grader.py imports tqdm for its batch evaluator only; grade_answer does not use it.
sys.modules.setdefault("tqdm", types.SimpleNamespace(tqdm=lambda x, **_: x))
from mathruler.grader import grade_answer  # noqa: E402


class Timeout(Exception):
    pass


def on_alarm(*_):
    raise Timeout()


signal.signal(signal.SIGALRM, on_alarm)
for line in sys.stdin:
    row = json.loads(line)
    signal.alarm(5)  # sympy.simplify has no bound of its own
    try:
        row["mathruler"] = bool(grade_answer(row["candidate"], row["reference"]))
    except Timeout:
        row["mathruler"] = None
    finally:
        signal.alarm(0)
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
