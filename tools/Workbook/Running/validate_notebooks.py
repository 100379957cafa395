# Checks notebooks against the nbformat 4.5 schema of the installed nbformat (Debian: python3-nbformat),
# strictly: nbformat itself adds a missing cell id on read (with a warning), so the raw JSON is checked
# here, cell by cell, before nbformat's own validate() runs on a copy. Used by `workbook verify`
# (tools/Workbook/Running/NotebookSchema.cs); by hand: python3 validate_notebooks.py notebooks/*.ipynb
#
# Prints one line "@@notebook-schema {json}" with {"nbformat": version, "notebooks": {path: [problem, ...]}}
# and exits 0; exits 3 after printing {"missing": why} when nbformat or jsonschema cannot be imported.
import json, os, re, sys

try:
    import nbformat, jsonschema
except ImportError as e:
    print("@@notebook-schema " + json.dumps({"missing": str(e)}))
    sys.exit(3)
ID = re.compile(r"^[a-zA-Z0-9-_]+$")
SCHEMA = os.path.join(os.path.dirname(nbformat.__file__), "v4", "nbformat.v4.5.schema.json")
if not os.path.exists(SCHEMA):
    print("@@notebook-schema " + json.dumps({"missing": "nbformat %s has no nbformat 4.5 schema (5.1 or later has)" % nbformat.__version__}))
    sys.exit(3)

def where(error):
    return "/".join(str(p) for p in error.absolute_path)

def short(text):
    return text if len(text) <= 200 else text[:200] + "…"

def explain(error):
    # A oneOf over output (or cell) kinds: report what is wrong in the branch whose kind matches.
    if error.validator == "oneOf" and error.context:
        branches = {}
        for e in error.context:
            branches.setdefault(e.schema_path[0], []).append(e)
        fitting = [es for es in branches.values()
                   if not any(list(e.relative_path) in (["output_type"], ["cell_type"]) for e in es)]
        if len(fitting) == 1:
            return [x for e in fitting[0] for x in explain(e)]
    return [(where(error), short(error.message))]

def check(path):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except Exception as e:
        return ["not valid JSON: %s" % e]
    if not isinstance(nb, dict):
        return ["not a JSON object"]
    if nb.get("nbformat") != 4 or nb.get("nbformat_minor") != 5:
        problems.append("says nbformat %s.%s; the workbook's notebooks are nbformat 4.5" % (nb.get("nbformat"), nb.get("nbformat_minor")))
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cells = nb.get("cells") if isinstance(nb.get("cells"), list) else []
    seen = {}
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            problems.append("cell %d: not a JSON object" % number)
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        first = next((l.strip() for l in source.splitlines() if l.strip()), "")
        name = "cell %d (%s%s%s)" % (number, cell.get("cell_type", "no cell_type"),
                                      ", id " + json.dumps(cell["id"]) if "id" in cell else ", no id",
                                      ": " + json.dumps(first[:40] + ("…" if len(first) > 40 else ""), ensure_ascii=False) if first else "")
        kind = cell.get("cell_type")
        if "id" not in cell:
            problems.append("%s: has no \"id\"; nbformat 4.5 requires one on every cell" % name)
        elif not isinstance(cell["id"], str) or not ID.match(cell["id"]) or len(cell["id"]) > 64:
            problems.append("%s: the id is not 1-64 characters of a-z, A-Z, 0-9, '-' and '_'" % name)
        elif cell["id"] in seen:
            problems.append("%s: the id is also the id of cell %d; ids must be unique" % (name, seen[cell["id"]]))
        else:
            seen[cell["id"]] = number
        definition = "%s_cell" % kind
        if definition not in schema["definitions"]:
            problems.append("%s: cell_type must be code, markdown or raw" % name)
            continue
        validator = jsonschema.Draft4Validator({"$ref": "#/definitions/" + definition, "definitions": schema["definitions"]})
        for error in sorted(validator.iter_errors(cell), key=lambda e: list(map(str, e.absolute_path))):
            if error.validator == "required" and "'id'" in error.message:
                continue
            if error.validator == "pattern" and list(error.absolute_path) == ["id"]:
                continue
            for at, message in explain(error):
                problems.append("%s%s: %s" % (name, " at " + at if at else "", message))
    rest = dict(nb)
    rest["cells"] = []
    for error in jsonschema.Draft4Validator(schema).iter_errors(rest):
        for at, message in explain(error):
            problems.append("notebook%s: %s" % (" " + at if at else "", message))
    if not problems:
        # nbformat's own check on top of the schema (it also looks for duplicate ids), on a copy, repairing nothing.
        import copy, warnings
        from nbformat.validator import validate, ValidationError
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                validate(copy.deepcopy(nb))
        except ValidationError as e:
            problems.append("notebook: %s" % short(str(getattr(e, "message", e))))
    return problems
print("@@notebook-schema " + json.dumps({"nbformat": nbformat.__version__, "notebooks": {p: check(p) for p in sys.argv[1:]}}))
