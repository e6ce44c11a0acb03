#!/usr/bin/env python3
"""Writes a deterministic set of (candidate, reference) answer pairs for the faithful-grader fixture.

Each family spells the same value in several ways (and a few wrong values), as final answers written by a model and
by a dataset. Both directions of every pair are kept because grade_answer(given, truth) is asymmetric.

    python3 generate_pairs.py > pairs.jsonl        # then label_with_mathruler.py
"""
import json
import random
import sys

R = random.Random(20250527)  # MathRuler HEAD date: a fixed seed, so the set is reproducible.


def frac(a, b, cmd="frac"):
    return "\\%s{%d}{%d}" % (cmd, a, b)


def integers():
    for _ in range(60):
        n = R.randint(0, 99999)
        s = str(n)
        grouped = f"{n:,}"
        yield s, s
        yield grouped, s
        yield grouped.replace(",", "\\,"), s
        yield grouped.replace(",", "\\;"), grouped.replace(",", "\\,")
        yield grouped.replace(",", "{,}"), s
        yield grouped.replace(",", ",\\!"), s
        yield grouped.replace(",", "\\!"), s
        yield grouped.replace(",", " "), s
        yield s + ".0", s
        yield s + ".00", s
        yield "0" + s, s
        yield "+" + s, s
        yield str(n + R.choice([1, -1, 10])), s
        yield "-" + s, s
        yield f"{n}e0", s
    for _ in range(6):
        big = R.randint(10**29, 10**30 - 2)
        yield str(big), str(big + 1)
        yield str(big), str(big)


def decimals():
    for _ in range(50):
        a, b = R.randint(1, 9), R.choice([2, 4, 5, 8, 10, 20, 25])
        v = a / b
        d = repr(v)
        yield d, frac(a, b)
        yield d, f"{a}/{b}"
        yield d.lstrip("0") if d.startswith("0.") else d, d
        yield d + "0", d
        yield f"{v:.1e}", d
        yield f"{v:e}", d
        yield d, f"{v * 1.1:.3f}"
    for x, y in [("0.333", "\\frac{1}{3}"), ("0.3333333333333333", "\\frac{1}{3}"), ("0.33", "1/3"),
                 ("0.1", "1e-1"), ("0.1", "1E-1"), ("1e3", "1000"), ("1e-3", "0.001"), ("2.5e2", "250"),
                 ("0.0833333333333333", "\\frac{1}{12}"), ("1.5", "\\frac{3}{2}"), ("1.50", "3/2"),
                 ("0.5", "\\frac12"), (".5", "\\frac{1}{2}"), ("0.75", "\\dfrac{3}{4}"), ("0.2", "1/5")]:
        yield x, y


def fractions():
    for _ in range(60):
        a, b = R.randint(1, 30), R.randint(2, 30)
        k = R.randint(2, 4)
        yield frac(a, b), f"{a}/{b}"
        yield frac(a, b, "dfrac"), frac(a, b)
        yield frac(a, b, "tfrac"), frac(a, b)
        yield frac(a, b, "cfrac"), frac(a, b)
        yield frac(a * k, b * k), frac(a, b)
        yield f"{a * k}/{b * k}", f"{a}/{b}"
        yield "\\frac{-%d}{%d}" % (a, b), "-" + frac(a, b)
        yield "\\frac{-%d}{%d}" % (a, b), "-" + frac(a * k, b * k)
        yield "-" + frac(a, b), f"-{a}/{b}"
        yield frac(b, a), frac(a, b)
        yield frac(a * b, b), str(a)
        yield "\\frac %d %d" % (a % 10, b % 10), frac(a % 10, b % 10)
        yield "\\frac%d%d" % (a % 10, b % 10), f"{a % 10}/{b % 10}"
        w = R.randint(1, 5)
        yield "%d\\frac{%d}{%d}" % (w, a % b or 1, b), frac(w * b + (a % b or 1), b)
        yield "%d %d/%d" % (w, a % b or 1, b), frac(w * b + (a % b or 1), b)


def percents():
    for _ in range(40):
        n = R.randint(1, 100)
        for c in [f"{n}\\%", f"{n}%", f"{n} percent", f"{n}\\text{{ percent}}", f"{n} \\%", f"{n}\\ \\%",
                  f"{n / 100:g}", f"{n}", f"{n + 1}\\%"]:
            yield c, f"{n}\\%"


def degrees():
    for _ in range(35):
        n = R.choice([15, 30, 45, 60, 72, 90, 108, 120, 135, 150, 180, R.randint(1, 359)])
        for c in [f"{n}^\\circ", f"{n}^{{\\circ}}", f"{n}°", f"{n} degrees", f"{n}\\text{{ degrees}}",
                  f"{n}^\\circ C", f"{n}", f"{n}\\degree", f"{n + 5}^\\circ"]:
            yield c, f"{n}^\\circ"
    for c, r in [("\\frac{\\pi}{6}", "30^\\circ"), ("\\frac{\\pi}{2}", "90"), ("30^\\circ", "30°")]:
        yield c, r


def units():
    names = ["km", "cm", "m", "kg", "meters", "miles", "hours", "seconds", "days", "feet", "inches", "yards",
             "square units", "units", "dollars", "cm^2", "m^2", "mph", "minutes", "years"]
    for _ in range(70):
        n = R.randint(1, 500)
        u = R.choice(names)
        for c in [f"{n} {u}", f"{n}\\text{{ {u}}}", f"{n}\\text{{{u}}}", f"{n}\\mbox{{ {u}}}", f"{n}\\ \\text{{{u}}}",
                  f"\\${n}", f"{n}\\,\\text{{{u}}}", f"{n + 1} {u}"]:
            yield c, str(n)
    for c, r in [("monday", "mon"), ("Monday", "\\text{Monday}"), ("smile", "s"), ("3 hours", "3 hour"),
                 ("5 km", "5"), ("today", "to")]:
        yield c, r


def texts():
    words = ["Evelyn", "odd", "even", "yes", "no", "Yes", "True", "false", "right", "acute", "obtuse", "isosceles",
             "never", "always", "infinite", "undefined", "Monday", "parallelogram"]
    for w in words:
        for c in [w, w.lower(), w.upper(), f"\\text{{{w}}}", f"\\textbf{{{w}}}", f"\\mathrm{{{w}}}",
                  f"\\text{{ {w}}}", f"{w}."]:
            yield c, w
            yield c, f"\\text{{{w}}}"
        yield w, R.choice(words)


def intervals():
    for _ in range(45):
        a, b = sorted(R.sample(range(-20, 21), 2))
        lo, hi = R.choice("(["), R.choice(")]")
        ref = f"{lo}{a},{b}{hi}"
        for c in [ref, f"{lo}{a}, {b}{hi}", f"\\left{lo}{a},{b}\\right{hi}", f"{lo}{a},{b}{')' if hi == ']' else ']'}",
                  f"{lo}{a}, {b + 1}{hi}", f"{lo}{a}.0,{b}{hi}"]:
            yield c, ref
        yield f"[{a},\\infty)", f"[{a}, \\infty)"
        yield f"(-\\infty,{b})", f"(-\\infty, {b})"
        yield f"(-\\infty,{b}) \\cup ({b},\\infty)", f"(-\\infty, {b})\\cup({b}, \\infty)"
        yield f"(\\frac{{1}}{{2}}, {b})", f"(0.5,{b})"


def tuples():
    for _ in range(50):
        xs = [R.randint(-9, 9) for _ in range(R.choice([2, 2, 3]))]
        ref = "(" + ",".join(map(str, xs)) + ")"
        for c in [ref, "(" + ", ".join(map(str, xs)) + ")", "\\left(" + ", ".join(map(str, xs)) + "\\right)",
                  "(" + ",".join(map(str, reversed(xs))) + ")", "(" + ",".join(map(str, xs[:-1])) + ")",
                  ",".join(map(str, xs)), "(" + ",".join(f"{x}.0" for x in xs) + ")",
                  "(" + ",".join(frac(2 * x, 2) for x in xs) + ")"]:
            yield c, ref
        yield "(\\frac{1}{2}, 3)", "(0.5, 3)"
        yield "(1,4.5)", "(1,\\frac{9}{2})"


def sets():
    for _ in range(40):
        xs = R.sample(range(-9, 10), R.choice([2, 3]))
        ys = list(xs)
        R.shuffle(ys)
        ref = "\\{" + ",".join(map(str, xs)) + "\\}"
        for c in [ref, "\\{" + ",".join(map(str, ys)) + "\\}", "{" + ",".join(map(str, xs)) + "}",
                  ",".join(map(str, xs)), ", ".join(map(str, ys)), " \\text{ and } ".join(map(str, xs)),
                  " or ".join(map(str, xs)), "\\{" + ",".join(map(str, xs[:-1])) + "\\}"]:
            yield c, ref
            yield c, ",".join(map(str, xs))


def matrices():
    for _ in range(35):
        m = [[R.randint(-9, 9) for _ in range(2)] for _ in range(R.choice([1, 2]))]
        body = " \\\\ ".join(" & ".join(map(str, row)) for row in m)
        ref = f"\\begin{{pmatrix}} {body} \\end{{pmatrix}}"
        flat = [x for row in m for x in row]
        other = body.replace(str(flat[0]), str(flat[0] + 1), 1)
        for c in [ref, ref.replace("pmatrix", "bmatrix"), ref.replace(" ", ""),
                  f"\\left[\\begin{{array}}{{cc}} {body} \\end{{array}}\\right]",
                  f"\\begin{{pmatrix}} {other} \\end{{pmatrix}}", "(" + ",".join(map(str, flat)) + ")",
                  f"\\begin{{matrix}} {body} \\end{{matrix}}"]:
            yield c, ref


def radicals():
    for _ in range(35):
        n = R.choice([2, 3, 5, 6, 7, 10, 11])
        k = R.randint(2, 5)
        for c, r in [(f"\\sqrt{{{n}}}", f"\\sqrt{n}"), (f"{k}\\sqrt{{{n}}}", f"\\sqrt{{{k * k * n}}}"),
                     (f"\\sqrt{{{n}}}/{k}", f"\\frac{{\\sqrt{{{n}}}}}{{{k}}}"),
                     (f"\\frac{{1}}{{\\sqrt{{{n}}}}}", f"\\frac{{\\sqrt{{{n}}}}}{{{n}}}"),
                     (f"\\sqrt[3]{{{n}}}", f"\\sqrt{{{n}}}"), (f"{n ** 0.5!r}", f"\\sqrt{{{n}}}"),
                     (f"{n}^{{1/2}}", f"\\sqrt{{{n}}}"), (f"\\sqrt{{{n}}}", f"\\sqrt{{{n + 1}}}"),
                     (f"{k}\\sqrt{n}", f"{k}\\sqrt{{{n}}}"), (f"\\sqrt {n}", f"\\sqrt{{{n}}}"),
                     (f"sqrt({n})", f"\\sqrt{{{n}}}"), (f"{k}*sqrt({n})", f"{k}\\sqrt{{{n}}}")]:
            yield c, r


def powers():
    for _ in range(35):
        b, e = R.randint(2, 9), R.randint(2, 12)
        for c, r in [(f"{b}^{{{e}}}", str(b ** e)), (f"{b}^{e}", str(b ** e)), (f"{b}^{{{e}}}", f"{b}**{e}"),
                     (f"{b}^{{{e}}}", f"{b}^{e}"), (f"x^{e}", f"x^{{{e}}}"), (f"{b}^(-1)", f"\\frac{{1}}{{{b}}}"),
                     (f"{b}^{{-1}}", f"1/{b}"), (f"{b}^{e}", str(b ** e + 1)), ("x^2", "x\\cdot x"),
                     ("x^2", "x*x"), ("2^{x}", "2^x"), (f"{b}e{e % 4}", str(b * 10 ** (e % 4)))]:
            yield c, r


def pis():
    for _ in range(30):
        k, d = R.randint(1, 6), R.choice([2, 3, 4, 6])
        for c, r in [(f"\\frac{{{k}\\pi}}{{{d}}}", f"\\frac{{{k}}}{{{d}}}\\pi"), (f"{k}\\pi/{d}", f"\\frac{{{k}\\pi}}{{{d}}}"),
                     (f"{k * 3.141592653589793 / d!r}", f"\\frac{{{k}\\pi}}{{{d}}}"),
                     (f"{k * 3.14159 / d:.2f}", f"\\frac{{{k}\\pi}}{{{d}}}"), (f"{k}\\pi", f"{k}\\cdot\\pi"),
                     (f"{k}\\pi", f"\\pi {k}"), (f"{k}\\pi", f"{k}pi"), (f"{k}\\pi", f"{k + 1}\\pi"),
                     (f"{k / d!r}\\pi", f"\\frac{{{k}\\pi}}{{{d}}}"), ("\\pi", "3.141592653589793"), ("\\pi", "π")]:
            yield c, r


def negatives():
    for _ in range(40):
        n = R.randint(1, 99)
        for c, r in [(f"-{n}", f"- {n}"), (f"-{n}", f"(-{n})"), (f"−{n}", f"-{n}"), (f"-{n}", str(n)),
                     (f"-\\frac{{{n}}}{{2}}", f"-{n / 2!r}"), (f"-{n}.0", f"-{n}"), (f"\\left(-{n}\\right)", f"-{n}"),
                     (f"-\\left({n}\\right)", f"-{n}")]:
            yield c, r


def algebra():
    pairs = [("x+1", "1+x"), ("2x", "x+x"), ("x^2-1", "(x-1)(x+1)"), ("\\sin x", "\\sin(x)"), ("a+b", "b+a"),
             ("ab", "ba"), ("x y z", "xyz"), ("2x+3", "3+2x"), ("\\frac{x}{2}", "0.5x"), ("\\frac{x}{2}", "x/2"),
             ("x^2+2x+1", "(x+1)^2"), ("(x+1)^{2}", "x^2+2x+1"), ("2(x+1)", "2x+2"), ("x-y", "y-x"),
             ("\\frac{1}{x}", "x^{-1}"), ("\\frac{1}{x}", "x^(-1)"), ("\\sqrt{x^2}", "x"), ("3a", "a3"),
             ("2\\sqrt{2}", "\\sqrt{8}"), ("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}"), ("e^x", "e^{x}"),
             ("\\frac{x+2}{7}", "\\frac{x}{7}+\\frac{2}{7}"), ("\\sec^2(y)", "\\tan^2(y)+1"), ("mn", "nm"),
             ("\\frac{a}{b}", "a/b"), ("\\frac{a+b}{2}", "(a+b)/2"), ("x+y", "x+y+0"), ("2^{10}", "1024"),
             ("1\\pm\\sqrt{19}", "1 \\pm \\sqrt{19}"), ("3x", "3 x"), ("\\frac{1}{2}x", "\\frac{x}{2}")]
    for c, r in pairs:
        yield c, r
        k = R.randint(2, 9)
        yield c.replace("2", str(k)), r.replace("2", str(k))


def choices():
    letters = "ABCDE"
    for L in letters:
        other = R.choice([x for x in letters if x != L])
        for c in [L, f"({L})", f"{L}.", f"{L})", f"\\text{{{L}}}", f"\\text{{({L})}}", L.lower(), f"{L}:", f"({other})",
                  other, f"\\textbf{{{L}}}", f"{L} ", f"\\mathrm{{{L}}}", f"option {L}"]:
            yield c, L
            yield c, f"({L})"


def specials():
    for c, r in [("None", "None"), ("None", "none"), ("None", ""), ("", ""), ("", "None"), ("None", "0"),
                 (" ", ""), ("", "5"), ("5", ""), ("None", "\\text{None}"), ("\\text{None}", "None"),
                 ("\\boxed{5}", "5"), ("\\fbox{5}", "5"), ("\\boxed{\\frac{1}{2}}", "0.5"), ("\\boxed{}", ""),
                 ("3\\,000", "3\\;000"), ("3\\!000", "3000"), ("1\\quad 2", "12"), ("\\ 5", "5"), ("5\\,", "5"),
                 ("1\\,000", "1000"), ("1 000", "1000"), ("25\\%", "25 percent"), ("30^\\circ", "30°"),
                 ("5", "5 km"), ("\\pi", "3.141592653589793"), ("\\frac{-2}{3}", "-\\frac{4}{6}"),
                 ("2^{10}", "2**10"), ("\\sin x", "\\sin(x)"), ("\\frac{1}{2}", "2^(-1)"),
                 ("\\begin{pmatrix}1&2\\end{pmatrix}", "\\begin{bmatrix}1&2\\end{bmatrix}"), ("0.1", "1e-1"),
                 ("\\sqrt[3]{2}", "\\sqrt2"), ("\\sqrt{}", "\\sqrt"), ("\\frac{1}{}", "\\frac"), ("{", "}"),
                 ("\\text{ cm} 5", "5"), ("5 \\text{ cm} \\text{ km}", "5"), ("\\$", "$"), ("\\left(", "(")]:
        yield c, r


def equations():
    for _ in range(40):
        n = R.randint(-20, 20)
        v = R.choice("xykna")
        for c, r in [(f"{v}={n}", str(n)), (f"{v} = {n}", str(n)), (f"{v}={n}", f"{v}={n}"), (str(n), f"{v}={n}"),
                     (f"{v}={n + 1}", str(n)), (f"{v}{v}={n}", str(n)), (f"abc={n}", str(n)),
                     (f"x={n}, y={n + 1}", f"x={n},y={n + 1}"), (f"y = 2x + {n}", f"y=2x+{n}"),
                     (f"y=2x+{n}", f"y=x\\cdot 2+{n}"), (f"{v} \\ge {n}", f"{v}\\geq {n}"), (f"{v} \\le {n}", f"{v}<={n}")]:
            yield c, r


FAMILIES = [integers, decimals, fractions, percents, degrees, units, texts, intervals, tuples, sets, matrices,
            radicals, powers, pis, negatives, algebra, choices, specials, equations]


def main():
    seen = set()
    for family in FAMILIES:
        for c, r in family():
            for cand, ref in ((c, r), (r, c)):
                if (cand, ref) in seen:
                    continue
                seen.add((cand, ref))
                sys.stdout.write(json.dumps({"family": family.__name__, "candidate": cand, "reference": ref},
                                            ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
