"""`mognad validate`, `mognad regions`, `mognad score`: the instrument and the method from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, EXIT_BAD_QUESTIONNAIRE, MESSAGES, text
from questionnaires import QuestionnaireError, load, load_regions
from questionnaires.lint import lint
from reports import formatting as fmt
from service.summary import answers_summary


def register(commands) -> None:
    p = commands.add_parser("validate", help="granska en definition av frågeformulär / lint a questionnaire definition")
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
    problems = lint(args.file)
    if not problems:
        q = load(args.file)
        print(text(args, "valid", path=args.file, ref=q.ref, dimensions=len(q.dimensions),
                   indicators=len(q.indicators), actions=len(q.actions)))
        return 0
    for problem in problems:
        print(problem.render(args.lang))
    n = len(problems)
    print(text(args, "problems", n=n))
    return EXIT_BAD_QUESTIONNAIRE


def regions(args) -> int:
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
                lines.append(f"    – {action['indicator']} {action['from_level']}→{action['to_level']}: {action['text']}")
    return "\n".join(lines)
