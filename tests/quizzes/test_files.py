"""The bank file (YAML) and spreadsheets: exact round trip, errors by line, nothing half-imported,
answered versions never overwritten, the command line."""

import io
import textwrap

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlmodel import func, select

from frontline import cli
from frontline import settings as settings_module
from quizzes import bank
from quizzes.files.bank_file import parse_bank
from quizzes.files.bank_import import ImportRefused, apply_bank, export_bank
from quizzes.files.spreadsheet import parse_spreadsheet, template_csv, template_xlsx
from quizzes.models import Question, QuestionVersion, Quiz
from tests.factories import make_standard
from tests.quizzes.test_bank import _answer

GOOD = textwrap.dedent(
    """\
    format: frontline-quizzes/1
    questions:
      - code: Q-GRT-01-01
        status: published
        type: single
        difficulty: easy
        category: greeting
        standard_code: GRT-01
        tags:
          - 迎客
        stem_zh: 客户走近柜台时,应先说什么?
        stem_en: What do you say first?
        options:
          - key: A
            zh: 您好!
            en: Hello!
            feedback_zh: 对,先问候。
            feedback_en: Right, greet first.
          - key: B
            zh: 喂,到你了。
            en: Hey, you're up.
            feedback_zh: 这是服务禁语。
            feedback_en: A forbidden phrase.
        correct:
          - A
        explanation_zh: |-
          先问候,再办理。
          见 GRT-01。
        explanation_en: Greet, then serve.
      - code: Q-GRT-01-02
        status: draft
        type: ordering
        difficulty: medium
        category: greeting
        standard_code: null
        tags: []
        stem_zh: 排列步骤
        stem_en: ''
        options:
          - key: A
            zh: 举手招迎
            en: ''
            feedback_zh: ''
            feedback_en: ''
          - key: B
            zh: 问候
            en: ''
            feedback_zh: ''
            feedback_en: ''
        correct:
          - A
          - B
        explanation_zh: ''
        explanation_en: ''
    quizzes:
      - code: QZ-GRT
        status: published
        title_zh: 柜面迎客测验
        title_en: Counter greeting
        description_zh: ''
        description_en: ''
        pass_mark: 80
        attempts_allowed: 3
        time_limit_minutes: 10
        shuffle_questions: true
        shuffle_options: true
        scoring_rule: partial_with_penalty
        layout: one_per_screen
        review_policy: full
        review_from: '2026-12-01T00:00:00Z'
        practice: true
        positions:
          - teller
        questions:
          - code: Q-GRT-01-01
            points: 2
        draws: []
    """
)


def count(db, table) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def load(db, text: str, *, commit: bool = True):
    parsed = parse_bank(text)
    with db.session() as session:
        try:
            return apply_bank(session, parsed=parsed, actor_id=None)
        finally:
            if not commit:
                session.rollback()


def export(db) -> str:
    with db.session(write=False) as session:
        return export_bank(session)


def test_the_file_round_trips_exactly(db) -> None:
    make_standard(db, code="GRT-01")
    plan = load(db, GOOD)
    assert plan.totals()["create"] == 3
    assert export(db) == GOOD
    again = load(db, GOOD)
    assert again.totals() == {"create": 0, "update": 0, "new version": 0, "unchanged": 3}


def test_a_changed_question_that_was_answered_becomes_its_next_version(db) -> None:
    make_standard(db, code="GRT-01")
    load(db, GOOD)
    with db.session() as session:
        version_id = bank.get_by_code(session, code="Q-GRT-01-01").current_version_id
    _answer(db, version_id)
    plan = load(db, GOOD.replace("应先说什么?", "第一句应说什么?"))
    assert [(i.code, i.action.value) for i in plan.items if i.action.value != "unchanged"] == [
        ("Q-GRT-01-01", "new version")
    ]
    with db.session() as session:
        old = session.get(QuestionVersion, version_id)
        assert old.stem_zh == "客户走近柜台时,应先说什么?"
    assert count(db, QuestionVersion) == 3


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_bad_items_are_reported_by_line_and_nothing_is_imported(db) -> None:
    bad = (
        GOOD.replace("    type: ordering", "    type: essay")
        .replace("pass_mark: 80", "pass_mark: 180")
        .replace("        feedback_en: Right, greet first.", "        colour: red")
    )
    parsed = parse_bank(bad)
    lines = {p.line: p.message for p in parsed.problems}
    assert "type: Input should be 'single'" in lines[line_of(bad, "type: essay")]
    assert "colour: unknown field" in lines[line_of(bad, "colour: red")]
    assert "pass_mark" in lines[line_of(bad, "pass_mark: 180")]
    with db.session() as session, pytest.raises(ImportRefused):
        apply_bank(session, parsed=parsed, actor_id=None)
    assert count(db, Question) == 0


def test_a_problem_found_while_applying_leaves_nothing_behind(db) -> None:
    # No standard GRT-01 in force: the first question is refused after others were written.
    parsed = parse_bank(GOOD)
    assert parsed.problems == []
    with db.session() as session:
        with pytest.raises(ImportRefused) as refused:
            apply_bank(session, parsed=parsed, actor_id=None)
        session.rollback()
    assert refused.value.errors[0].line == line_of(GOOD, "- code: Q-GRT-01-01")
    assert "no standard in force" in refused.value.errors[0].message
    assert count(db, Question) == 0 and count(db, Quiz) == 0


def test_an_unpublishable_quiz_is_refused_at_its_status(db) -> None:
    make_standard(db, code="GRT-01")
    text = GOOD.replace(
        "    status: published\n    type: single", "    status: draft\n    type: single"
    )
    with db.session() as session:
        with pytest.raises(ImportRefused) as refused:
            apply_bank(session, parsed=parse_bank(text), actor_id=None)
        session.rollback()
    assert "not published" in refused.value.errors[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("format: other/1\nquestions: []\n", "format: frontline-quizzes/1"),
        ("format: frontline-quizzes/1\nquestions: {}\n", "must be a list"),
        ("format: frontline-quizzes/1\nquestions:\n  - code: bad code\n", "is not a code"),
        ("a: &a [*a]\n", "alias"),
    ],
)
def test_unreadable_files(text: str, message: str) -> None:
    parsed = parse_bank(text)
    assert parsed.problems and message in " ".join(p.message for p in parsed.problems)


# ---- spreadsheets ------------------------------------------------------------------------------

SHEET = [
    ["编号", "题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "标准", "标签", "难度"],
    ["", "单选", "应先说什么?", "您好! | Hello!", "喂", "", "A", "先问候", "", "迎客", "易"],
    ["Q-X-02", "多选", "哪些不能说?", "急啥", "您好", "没看见我忙吗", "A,C", "", "", "", "中"],
    ["", "判断", "可以代客保管密码。", "", "", "", "错", "", "", "", ""],
    ["", "排序", "排列", "问候", "举手", "请坐", "BAC", "", "", "", "难"],
]


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.mark.parametrize("kind", ["xlsx", "csv", "gb18030"])
def test_a_spreadsheet_with_chinese_headers_comes_in(db, kind) -> None:
    data = {
        "xlsx": lambda: workbook(SHEET),
        "csv": lambda: csv_bytes(SHEET),
        "gb18030": lambda: csv_bytes(SHEET, "gb18030"),
    }[kind]()
    parsed = parse_spreadsheet(data, filename=f"bank.{'xlsx' if kind == 'xlsx' else 'csv'}")
    assert parsed.problems == []
    specs = parsed.questions
    assert [s.content.type.value for s in specs] == ["single", "multiple", "true_false", "ordering"]
    assert specs[0].content.options[0].en == "Hello!" and specs[0].content.difficulty == "easy"
    assert specs[1].content.correct == ["A", "C"]
    assert specs[2].content.correct == ["F"]
    assert [o.zh for o in specs[3].content.options] == ["举手", "问候", "请坐"]
    with db.session() as session:
        done = apply_bank(session, parsed=parsed, actor_id=None)
    assert sorted(i.code for i in done.items) == ["Q-0001", "Q-0002", "Q-0003", "Q-X-02"]


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(db) -> None:
    rows = [
        SHEET[0],
        ["", "问答", "x", "a", "b", "", "A", "", "", "", ""],
        SHEET[1],
        ["", "单选", "x", "a", "b", "", "Z", "", "", "", ""],
        ["", "判断", "x", "", "", "", "也许", "", "", "", ""],
        ["", "单选", "", "a", "b", "", "A", "", "", "", "超难"],
    ]
    parsed = parse_spreadsheet(csv_bytes(rows), filename="bank.csv")
    by_line = {}
    for p in parsed.problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert sorted(by_line) == [2, 4, 5, 6]
    assert "题型" in by_line[2][0]
    assert "Mark exactly one right option" in " ".join(by_line[4])
    assert "对 or 错" in by_line[5][0]
    assert "难度" in by_line[6][0]
    with db.session() as session, pytest.raises(ImportRefused):
        apply_bank(session, parsed=parsed, actor_id=None)
    assert count(db, Question) == 0


def test_a_sheet_without_the_needed_columns_or_not_a_workbook() -> None:
    parsed = parse_spreadsheet(csv_bytes([["a", "b"], ["1", "2"]]), filename="x.csv")
    assert "题型" in parsed.problems[0].message
    parsed = parse_spreadsheet(b"not a zip", filename="x.xlsx")
    assert "Excel" in parsed.problems[0].message


def test_the_templates_parse_as_one_good_question() -> None:
    assert len(parse_spreadsheet(template_csv().encode(), filename="t.csv").questions) == 1
    assert load_workbook(io.BytesIO(template_xlsx())).active["A1"].value == "编号"


# ---- the command line --------------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINE_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    settings_module.get_settings.cache_clear()
    yield tmp_path
    settings_module.get_settings.cache_clear()


def test_cli_import_dry_run_export_and_bad_file(cli_env, db) -> None:
    make_standard(db, code="GRT-01")
    source = cli_env / "bank.yaml"
    source.write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(cli.main, ["quizzes", "import", "--dry-run", str(source)])
    assert dry.exit_code == 0, dry.output
    assert "question Q-GRT-01-01: create" in dry.output and "nothing was imported" in dry.output
    assert count(db, Question) == 0
    done = runner.invoke(cli.main, ["quizzes", "import", str(source)])
    assert done.exit_code == 0, done.output
    out = cli_env / "out.yaml"
    exported = runner.invoke(cli.main, ["quizzes", "export", str(out)])
    assert exported.exit_code == 0 and out.read_text(encoding="utf-8") == GOOD
    bad = cli_env / "bad.csv"
    bad.write_bytes(csv_bytes([SHEET[0], ["", "问答", "x", "a", "b", "", "A"]]))
    failed = runner.invoke(cli.main, ["quizzes", "import", str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}:2: Column 题型" in failed.stderr and "Traceback" not in failed.output
