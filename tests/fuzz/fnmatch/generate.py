#!/usr/bin/env python3
"""Writes python-fnmatch.jsonl: [pattern, key, fnmatch.fnmatchcase(key, pattern)] for random patterns and keys.

ExcludeMatcherFuzzTests replays it, so the .NET translation is checked against Python's own fnmatch (Ray's semantics).
Run with Python 3.9 or later (empty ranges such as [z-a] are dropped since 3.9): python3 generate.py
"""
import fnmatch, json, random, sys

PIECES = ["*", "**", "?", "[", "]", "!", "-", "^", "\\", "a", "b", "c", "z", "A", "0", "/", ".", "[z-a]", "[a-z]", "[!",
          "[]", "[!]", "[]]", "[!]]", "[a-]", "[--z]", "[a-c-e]", "[^a]", "[[]", "[\\]", "(", ")", "|", "{", "}", "$", "+",
          "&&", "~~", "[[:alpha:]]", "\n", "\u00e9", " ", "logs/", "*.tmp", "(?", "\\d", "[a-[b]]", "[z-a-c]", "[!z-a]", "[a-c--e]"]
KEY_CHARS = ["a", "b", "c", "z", "A", "0", "-", "]", "[", "^", "!", ".", "\\", "\n", "\u00e9", " ", "d", "(", "+", "&", "~", "tmp", "logs"]

rng = random.Random(20261201)


def near_match(pattern):
    """A key built from the pattern (wildcards filled in, a character picked from each set), so many cases match."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("".join(rng.choice(KEY_CHARS) for _ in range(rng.randint(0, 2))))
        elif c == "?":
            out.append(rng.choice(KEY_CHARS))
        elif c == "[" and "]" in pattern[i + 2:]:
            j = pattern.index("]", i + 2)
            out.append(rng.choice(pattern[i + 1:j] or "a"))
            i = j
        else:
            out.append(c)
        i += 1
    return "".join(out).replace("/", "")


lines = []
for _ in range(3000):
    pattern = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
    for key in ("".join(rng.choice(KEY_CHARS) for _ in range(rng.randint(0, 6))), near_match(pattern)):
        lines.append(json.dumps([pattern, key, fnmatch.fnmatchcase(key, pattern)], ensure_ascii=True))
with open("python-fnmatch.jsonl", "w", encoding="ascii") as out:
    out.write("\n".join(lines) + "\n")
print(sys.version.split()[0], len(lines), sum(1 for l in lines if l.endswith("true]")), "matches")
