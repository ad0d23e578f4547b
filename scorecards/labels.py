"""A score as every scorecard page shows it, on every row of a ranking: made in Python, not a
Jinja macro (a branch rollup called the macro 650 times, a fifth of the page's time).

Template global `scorecards.score(value, suffix="")`, imported by components/scorecards.html
under the name the macro had; see frontline.web.per_locale.
"""

from collections.abc import Callable

from markupsafe import Markup, escape

from frontline.i18n import N_
from frontline.web import per_locale

NOT_APPLICABLE = N_("N/A")
NOT_APPLICABLE_HINT = N_("Not applicable: nothing to count in this period")


@per_locale
def _not_applicable(gettext: Callable[[str], str]) -> Markup:
    return Markup('<span class="na" title="{}">{}</span>').format(
        gettext(NOT_APPLICABLE_HINT), gettext(NOT_APPLICABLE)
    )


def score(value: float | None, suffix: str = "") -> Markup:
    """'87.5', '87.5%' with a suffix, or N/A (with why) when there was nothing to count."""
    if value is None:
        return _not_applicable()
    # One escape of the whole string: Markup.format's formatter cost more than the rest of a
    # ranking's row.
    return escape(f"{value:.1f}{suffix}")
