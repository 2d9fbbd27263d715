"""`mognad validate`, `mognad regions`, `mognad score`: the instrument and the method from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from questionnaires import QuestionnaireError, find, load, load_regions
from questionnaires.answers import AnswersError, parse
from questionnaires.lint import lint
from reports import formatting as fmt
from scoring import plan, region_summary, score
from scoring.sheet import from_answers_file

EXIT_BAD_ANSWERS = 2
EXIT_BAD_QUESTIONNAIRE = 1


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
        ok = "giltig" if args.lang == "sv" else "valid"
        print(f"{args.file}: {ok} ({q.ref}: {len(q.dimensions)} dimensioner/dimensions, "
              f"{len(q.indicators)} indikatorer/indicators, {len(q.actions)} åtgärder/actions)")
        return 0
    for problem in problems:
        print(problem.render(args.lang))
    n = len(problems)
    print(f"{n} problem" + ("" if args.lang == "sv" else "s" if n != 1 else ""))
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
        header = ("Kod", "Region", "NUTS2", "Folkmängd", "Grupp") if args.lang == "sv" else (
            "Code", "Region", "NUTS2", "Population", "Group")
        print(f"{header[0]:<4} {header[1]:<28} {header[2]:<6} {header[3]:>12} {header[4]}")
        for r in roster:
            print(f"{r.code:<4} {r.name:<28} {r.nuts2:<6} {fmt.integer(r.population, args.lang):>12} {r.size_group}")
    return 0


def _read_answers(args):
    """(answers, questionnaire) or a list of rendered problem lines."""
    source = str(args.answers)
    try:
        raw = args.answers.read_bytes()
    except OSError as exc:
        what = "filen kan inte läsas" if args.lang == "sv" else "the file cannot be read"
        return None, [f"{source}: {what} ({exc.strerror})"]
    given = None
    if args.questionnaire is not None:
        try:
            given = load(args.questionnaire)
        except QuestionnaireError as exc:
            return None, [p.render(args.lang) for p in exc.problems]
    try:
        return parse(raw, find, [r.code for r in load_regions()], given), []
    except AnswersError as exc:
        return None, [p.render(args.lang, source) for p in exc.problems]


def score_command(args) -> int:
    parsed, problems = _read_answers(args)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_ANSWERS
    answers, q = parsed
    scores = score(from_answers_file(answers, q), q)
    proposal = plan(scores, q)
    summary = region_summary(scores, proposal, q, answers.region, answers.round, args.lang)
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(_table(summary, q, args.lang))
    return 0


def _table(summary: dict, q, lang: str) -> str:
    sv = lang == "sv"
    region = {r.code: r.name for r in load_regions()}[summary["region"]]
    lines = [f"{q.title[lang]} ({q.ref})", f"{region} – {'omgång' if sv else 'round'} {summary['round']}", ""]
    head = ("Dimension", "Poäng", "Procent", "Stadium", "Fullständighet") if sv else (
        "Dimension", "Score", "Percent", "Stage", "Completeness")
    lines.append(f"{head[0]:<48} {head[1]:>6} {head[2]:>8}  {head[3]:<24} {head[4]:>14}")
    none = "otillräckligt underlag" if sv else "insufficient evidence"
    for dim in summary["dimensions"]:
        title = f"{dim['id']} {q.dimension_by_id[dim['id']].title[lang]}"[:48]
        stage = dim["stage_label"] or none
        lines.append(f"{title:<48} {fmt.decimal(dim['score'], lang, 2):>6} {fmt.percent(dim['percent'], lang):>8}  "
                     f"{stage:<24} {fmt.share(dim['completeness'], lang):>14}")
    overall = summary["overall"]
    total = "Totalt" if sv else "Overall"
    lines.append(f"{total:<48} {fmt.decimal(overall['score'], lang, 2):>6} {fmt.percent(overall['percent'], lang):>8}  "
                 f"{overall['stage_label'] or none:<24}")
    flagged = [i["id"] for i in summary["indicators"] if i["disagreement"]]
    if flagged:
        lines += ["", ("Oenighet att diskutera: " if sv else "Disagreement to discuss: ") + ", ".join(flagged)]
    if summary["plan"]:
        lines += ["", "Prioriterade dimensioner:" if sv else "Priority dimensions:"]
        for item in summary["plan"]:
            lines.append(f"  {item['dimension']}: {'mål' if sv else 'target'} {item['target_stage']} "
                         f"({fmt.decimal(item['target'], lang)}), gap {fmt.decimal(item['gap'], lang, 2)}, "
                         f"{'prioritet' if sv else 'priority'} {fmt.decimal(item['priority'], lang, 2)}")
            for action in item["actions"]:
                lines.append(f"    – {action['indicator']} {action['from_level']}→{action['to_level']}: {action['text']}")
    return "\n".join(lines)
