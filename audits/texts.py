"""Text the audit pages show on every checklist row, made in Python rather than by macros.

A tablet's draft of a 30-item checklist rendered in ~5.7 ms, 4.5 of them the rows: a macro call
and a gettext each cost more than the row's own data. Template globals (`audits.pick(...)`),
imported by components/audit_taking.html under the names its macros had.
"""

from collections.abc import Callable

from markupsafe import Markup, escape

from frontline.i18n import N_
from frontline.web import per_locale

Gettext = Callable[[str], str]


def pick(zh: str | None, en: str | None, lang: str) -> Markup:
    """The text in the reader's language, the other one when it has none, marked with its own."""
    chosen = (en if lang == "en" and en else zh) if zh else en
    tag = "en" if chosen == en and chosen != zh else "zh-CN"
    return Markup(f'<span lang="{tag}">{escape(chosen or "")}</span>')  # noqa: S704 - escaped


def score_text(value: float | None) -> str:
    """A score as shown: one decimal, or a dash for none."""
    return "—" if value is None else f"{value:.1f}"


@per_locale
def item_points(
    gettext: Gettext, veto: bool, per_occurrence: float | None, points: float, scoring: str
) -> Markup:
    """What an item is worth: a veto, a deduction per occurrence, a weight or points."""
    if veto:
        return Markup('<span class="badge badge-critical">{}</span>').format(
            gettext(N_("Veto item"))
        )
    if per_occurrence:
        text = gettext(N_("%(each)s per occurrence, at most %(points)s")) % {
            "each": f"{per_occurrence:g}",
            "points": f"{points:g}",
        }
    elif scoring == "weighted":
        text = gettext(N_("weight %(weight)s")) % {"weight": f"{points:g}"}
    else:
        text = gettext(N_("%(points)s points")) % {"points": f"{points:g}"}
    return Markup('<span class="item-points">{}</span>').format(text)
