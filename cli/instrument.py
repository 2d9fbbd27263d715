"""`mognad validate`, `mognad regions`, `mognad score`: the instrument and the method from the shell.

Each command imports what it needs when it runs (the linter, the method, the service), not when the parser is
built: `mognad --help` and the other commands should not wait for pandas or JSON Schema (issue 15).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, EXIT_BAD_QUESTIONNAIRE, MESSAGES, text
from questionnaires.text import Catalogue

TEXTS = Catalogue({
    "crosswalk_valid": {
        "sv": "{path}: giltig översättningsnyckel från {old} till {new} ({mappings} + {origins} indikatorer, "
              "{comparable} jämförbara par)",
        "en": "{path}: valid crosswalk from {old} to {new} ({mappings} + {origins} indicators, "
              "{comparable} comparable pairs)"},
}, base=MESSAGES)


def register(commands) -> None:
    p = commands.add_parser("validate", help="granska en definition av frågeformulär eller en översättningsnyckel "
                                             "mellan två versioner / lint a questionnaire definition or a crosswalk")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=validate)

    p = commands.add_parser("regions", help="lista regionerna / list the regions")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.set_defaults(handler=regions)

    p = commands.add_parser("score", help="räkna poäng för en svarsfil / score an answers file")
    p.add_argument("answers", type=Path)
    p.add_argument("--questionnaire", type=Path, help="definition (default: the bundled one named in the file)")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.set_defaults(handler=score_command)


def validate(args) -> int:
    """A definition, then every bundled crosswalk that names it (checked against it); or a crosswalk file."""
    from questionnaires import crosswalk, load
    from questionnaires.lint import lint

    if crosswalk.is_crosswalk(args.file):
        problems = _crosswalk(args, args.file)
    else:
        problems = lint(args.file)
        if not problems:
            q = load(args.file)
            print(text(args, "valid", path=args.file, ref=q.ref, dimensions=len(q.dimensions),
                       indicators=len(q.indicators), actions=len(q.actions)))
            for (old, new), path in sorted(crosswalk.bundled_crosswalks().items()):
                if q.ref in (old, new):
                    problems += _crosswalk(args, path, q if q.ref == old else None, q if q.ref == new else None)
    if not problems:
        return 0
    for problem in problems:
        print(problem.render(args.lang))
    print(text(args, "problems", n=len(problems)))
    return EXIT_BAD_QUESTIONNAIRE


def _crosswalk(args, path: Path, old=None, new=None) -> list:
    """The crosswalk's problems; when it has none, one line saying what it holds."""
    from questionnaires import crosswalk

    found, problems = crosswalk.checked(path, old, new)
    if found is not None:
        print(TEXTS.render("crosswalk_valid", args.lang, path=path, old=found.from_ref, new=found.to_ref,
                           mappings=len(found.mappings), origins=len(found.origins),
                           comparable=len(found.comparable_pairs)))
    return problems


def regions(args) -> int:
    from questionnaires.regions import load_regions
    from reports import formatting as fmt

    roster = load_regions()
    if args.format == "json":
        print(json.dumps([{"code": r.code, "iso": r.iso, "name": r.name, "county": r.county, "nuts2": r.nuts2,
                           "population": r.population, "size_group": r.size_group} for r in roster],
                         ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print("code;name;nuts2;population;size_group")
        for r in roster:
            print(f"{r.code};{r.name};{r.nuts2};{r.population};{r.size_group}")
    else:
        header = text(args, "regions_header").split("|")
        print(f"{header[0]:<4} {header[1]:<28} {header[2]:<6} {header[3]:>12} {header[4]}")
        for r in roster:
            print(f"{r.code:<4} {r.name:<28} {r.nuts2:<6} {fmt.integer(r.population, args.lang):>12} {r.size_group}")
    return 0


def _read_answers(args):
    """(answers, questionnaire) or a list of rendered problem lines."""
    from questionnaires import QuestionnaireError, load
    from service.answers import read_answers

    source = str(args.answers)
    try:
        raw = args.answers.read_bytes()
    except OSError as exc:
        return None, [f"{source}: {MESSAGES.render('unreadable', args.lang, reason=exc.strerror or exc)}"]
    given = None
    if args.questionnaire is not None:
        try:
            given = load(args.questionnaire)
        except QuestionnaireError as exc:
            return None, [p.render(args.lang) for p in exc.problems]
    result = read_answers(source, raw, lang=args.lang, questionnaire=given)
    return (None, result) if isinstance(result, list) else (result, [])


def score_command(args) -> int:
    from service.summary import answers_summary

    parsed, problems = _read_answers(args)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    answers, q = parsed
    summary = answers_summary(answers, q, args.lang)
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(_table(summary, q, args.lang))
    return 0


def _table(summary: dict, q, lang: str) -> str:
    from questionnaires.regions import load_regions
    from reports import formatting as fmt
    from scoring.explain import WORDS

    def say(code: str, **params) -> str:
        return MESSAGES.render(code, lang, **params)

    region = {r.code: r.name for r in load_regions()}[summary["region"]]
    lines = [f"{q.title[lang]} ({q.ref})", say("round_of", region=region, round=summary["round"]), ""]
    head = [say(code) for code in ("dimension", "score", "percent", "stage", "completeness")]  # glossary words
    lines.append(f"{head[0]:<48} {head[1]:>6} {head[2]:>8}  {head[3]:<24} {head[4]:>14}")
    none = say("insufficient")
    for dim in summary["dimensions"]:
        title = f"{dim['id']} {q.dimension_by_id[dim['id']].title[lang]}"[:48]
        stage = dim["stage_label"] or none
        lines.append(f"{title:<48} {fmt.decimal(dim['score'], lang, 2):>6} {fmt.percent(dim['percent'], lang):>8}  "
                     f"{stage:<24} {fmt.share(dim['completeness'], lang):>14}")
    overall = summary["overall"]
    total = say("overall")
    lines.append(f"{total:<48} {fmt.decimal(overall['score'], lang, 2):>6} {fmt.percent(overall['percent'], lang):>8}  "
                 f"{overall['stage_label'] or none:<24}")
    if summary.get("method") == 2:
        lines += _uncertainty(summary, q, lang)
    flagged = [i["id"] for i in summary["indicators"] if i["disagreement"]]
    if flagged:
        lines += ["", say("disagreement_to_discuss", indicators=", ".join(flagged))]
    if summary["plan"]:
        lines += ["", say("priority_dimensions")]
        for item in summary["plan"]:
            lines.append(say("plan_line", dimension=item["dimension"], stage=item["target_stage"],
                             target=fmt.decimal(item["target"], lang), gap=fmt.decimal(item["gap"], lang, 2),
                             priority=fmt.decimal(item["priority"], lang, 2)))
            for action in item["actions"]:
                needed = f" ({WORDS.render('prerequisite_for', lang, indicator=action['prerequisite_for'])})" \
                    if action.get("prerequisite_for") else ""
                lines.append(f"    – {action['indicator']} {action['from_level']}→{action['to_level']}{needed}: "
                             f"{action['text']}")
    return "\n".join(lines)


def _uncertainty(summary: dict, q, lang: str) -> list[str]:
    """Method 2: each score's 90 % interval and, in words, why a score is uncertain; the foundation flag."""
    from reports import formatting as fmt
    from scoring import explain
    from scoring.explain import WORDS

    lines = ["", WORDS.render("interval", lang) + ":"]
    rows = [(f"{d['id']} {q.dimension_by_id[d['id']].title[lang]}"[:48], d) for d in summary["dimensions"]]
    rows.append((MESSAGES.render("overall", lang), summary["overall"]))
    for title, item in rows:
        if item["interval"] is None:
            continue
        lo, hi = (fmt.decimal(end, lang, 2) for end in item["interval"])
        words = explain.uncertain(item["low_confidence_reasons"], lang,
                                  respondents=item.get("panel", {}).get("respondents", 0), lo=lo, hi=hi,
                                  share=fmt.share(item["completeness"], lang))
        lines.append(f"  {title:<46} {WORDS.render('interval_range', lang, lo=lo, hi=hi):>11}  {words}".rstrip())
    agreed = [i["id"] for i in summary["indicators"] if "consensus" in i]
    if agreed:
        lines += ["", WORDS.render("consensus_of", lang, indicators=", ".join(agreed))]
    if "foundation" in summary["flags"]:
        weak = [d["id"] for d in summary["dimensions"] if d["foundation"] and d["score"] is not None and d["score"] < 2]
        lines += ["", WORDS.render("foundation_flag", lang, dimensions=", ".join(weak))]
    return lines
