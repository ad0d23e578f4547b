"""Standards and template files for the template and recorded-audit tests."""

from typing import Any

from frontline.db import Database
from tests.factories import make_standard

TEMPLATE_YAML = """\
templates:
  - code: CTR-01
    title: {zh: 柜面服务检查, en: Counter service check}
    subject: employee          # or branch
    scoring: deduction         # or weighted
    status: published
    sections:
      - title: {zh: 服务礼仪, en: Etiquette}
        items:
          - {code: CTR-01-03, text: {zh: 举手招迎、问候、目光交流, en: Raise a hand, greet, eye contact}, standard: GRT-01, points: 3}
          - {code: CTR-01-09, text: {zh: 无服务禁语, en: No forbidden phrases}, standard: LNG-02, points: 10, per_occurrence: 2}
          - {code: CTR-01-11, text: {zh: 电话报工号, en: Phone greeting with staff number}, standard: PHN-01, points: 5, na_allowed: true}
          - {code: CTR-01-12, text: {zh: 核验有效身份证件, en: Verify valid ID}, standard: IDV-01, veto: true}
"""  # noqa: E501 - the issue's example, as written

VETO_CHECK = {"zh": "未查验身份证件原件即办理业务", "en": "Proceeding without the original ID"}


def make_issue_standards(db: Database) -> dict[str, Any]:
    """The published standards the issue's example template links to."""
    made = {}
    for code in ("GRT-01", "LNG-02", "PHN-01"):
        made[code] = make_standard(db, code=code)
    made["IDV-01"] = make_standard(db, code="IDV-01", veto_checks=[VETO_CHECK])
    return made
