#!/usr/bin/env python3
"""Points Stryker.NET at the code a learner writes.

Usage (from the repository root):
    python3 tools/mutation/lab_regions.py NN            # rewrite solutions/NN-*/stryker-config.json's "mutate"
    python3 tools/mutation/lab_regions.py NN --check    # exit 1 when the committed spans are stale

Every `#region lab ...` / `#region lab-remove` block of solutions/NN-*/**/*.cs becomes a text span
`File.cs{start..end}` (character offsets, end exclusive, as Stryker's --mutate takes them), so the
score Stryker prints is the score on learner-written code. The config's "workbook" section lists:
  exclude-files       given code (the try tools) left out;
  equivalent-mutants  {"file", "code", "why"}: the exact code (unique in its file, or every occurrence with
                      "every": true; "file" may be a glob) whose mutants are equivalent under the handout's
                      contract; it becomes an exclusion "!**/File.cs{a..b}". {"file", "strings-in": "new X(",
                      "why"} excludes the string literals among the arguments of every such call (messages);
                      "from-argument"/"to-argument" (0-based) limit it to those top-level arguments, and
                      literals containing "keep" stay mutated.
"""
import json
import pathlib
import re
import sys

REGION = re.compile(r"^[ \t]*#region\b(.*)$", re.M)
ENDREGION = re.compile(r"^[ \t]*#endregion\b.*$", re.M)


def spans(text):
    """(start, end) of each outermost lab region, from its #region line to the end of its #endregion line."""
    tokens = sorted([(m.start(), "open", m.group(1).strip(), m.end()) for m in REGION.finditer(text)]
                    + [(m.start(), "close", "", m.end()) for m in ENDREGION.finditer(text)])
    stack, out = [], []
    for start, kind, name, end in tokens:
        if kind == "open":
            stack.append((start, name))
        else:
            open_at, open_name = stack.pop()
            is_lab = open_name == "lab-remove" or open_name.startswith("lab ")
            if is_lab and not any(n == "lab-remove" or n.startswith("lab ") for _, n in stack):
                out.append((open_at, end))
    return out


STRING = re.compile(r'\$?@?"(?:[^"\\]|\\.)*"')


def string_literals_in_calls(text, call, first=0, last=None):
    """Spans of the string literals (interpolated ones included) among the arguments of every `call(`...`)`,
    only in its top-level arguments first..last (0-based; last None = to the end)."""
    out = []
    for m in re.finditer(re.escape(call), text):
        depth, i, argument = 1, m.end(), 0
        while depth and i < len(text):
            lit = STRING.match(text, i)
            if lit:
                if argument >= first and (last is None or argument <= last):
                    out.append((lit.start(), lit.end()))
                i = lit.end()
                continue
            depth += {"(": 1, ")": -1, "[": 1, "]": -1, "{": 1, "}": -1}.get(text[i], 0)
            if depth == 1 and text[i] == ",":
                argument += 1
            i += 1
    return out


def main():
    lab = sys.argv[1]
    check = "--check" in sys.argv[2:]
    root = pathlib.Path(__file__).resolve().parents[2]
    [solution] = [p for p in (root / "solutions").iterdir() if p.name.startswith(lab + "-")]
    config_path = solution / "stryker-config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    section = config["stryker-config"]
    workbook = config.get("workbook", {})
    excluded = set(workbook.get("exclude-files", []))
    mutate = []
    for path in sorted(solution.rglob("*.cs")):
        rel = path.relative_to(solution).as_posix()
        if rel.startswith(("bin/", "obj/")) or path.name in excluded:
            continue
        # Roslyn's SourceText counts UTF-16 code units; the sources are BMP-only, so code points match.
        found = spans(path.read_text(encoding="utf-8-sig"))
        if found:
            mutate.append("**/" + rel + "".join(f"{{{a}..{b}}}" for a, b in found))
    for entry in workbook.get("equivalent-mutants", []):
        paths = [p for p in sorted(solution.rglob(entry["file"])) if not p.relative_to(solution).as_posix().startswith(("bin/", "obj/"))]
        if not paths:
            sys.exit(f"{entry['file']}: no such file in {solution}")
        for path in paths:
            text = path.read_text(encoding="utf-8-sig")
            if "strings-in" in entry:
                found = string_literals_in_calls(text, entry["strings-in"], entry.get("from-argument", 0), entry.get("to-argument"))
                if "keep" in entry:  # literals holding this text stay mutated (a test checks them)
                    found = [(a, b) for a, b in found if entry["keep"] not in text[a:b]]
                if found:
                    mutate.append("!**/" + path.relative_to(solution).as_posix() + "".join(f"{{{a}..{b}}}" for a, b in found))
                continue
            code = entry["code"]
            found = [m.start() for m in re.finditer(re.escape(code), text)]
            if not found and entry.get("every"):
                continue
            if not found or (len(found) > 1 and not entry.get("every")):
                sys.exit(f"{path.name}: the code {code!r} must occur exactly once, or say \"every\": true (found {len(found)})")
            spans_text = "".join(f"{{{at}..{at + len(code)}}}" for at in found)
            mutate.append("!**/" + path.relative_to(solution).as_posix() + spans_text)
    if check:
        if section.get("mutate") != mutate:
            print(f"{config_path}: the mutate spans are stale; run python3 tools/mutation/lab_regions.py {lab}")
            sys.exit(1)
        print(f"{config_path}: spans up to date ({len(mutate)} patterns)")
        return
    section["mutate"] = mutate
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{config_path}: {len(mutate)} mutate patterns (lab regions, equivalent-mutant exclusions)")


if __name__ == "__main__":
    main()
