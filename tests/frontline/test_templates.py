"""The template environment: imports stay cheap and still see every global."""

import re

import pytest
from starlette.requests import Request

from frontline.web import _rendering_locale, render_markup, templates
from staff.models import Position, Role
from tests.factories import PASSWORD, make_person, make_standard


def test_an_imported_macro_sees_a_global_added_after_its_template_was_loaded():
    env = templates.env
    page = env.from_string('{% from "components/forms.html" import notice %}{{ notice(x) }}')
    assert "hello" in page.render(x="hello")
    env.globals["late_global_for_test"] = "late"
    try:
        late = env.from_string("{{ late_global_for_test }}")
        assert late.render() == "late"
        assert "late_global_for_test" in late.globals.keys()  # noqa: SIM118 - the set Jinja subtracts
        assert "hello" in page.render(x="hello")
    finally:
        del env.globals["late_global_for_test"]


def test_an_importer_with_globals_of_its_own_passes_them_to_the_imported_macros():
    # Jinja's rule: the imported module is made anew when the importer has globals the
    # imported template lacks (the comparison that `_Globals.keys()` makes cheap).
    env = templates.env
    macro = env.from_string("{% macro shown() %}[{{ own }}]{% endmacro %}")
    importer = env.from_string(
        "{% import macro_template as m %}{{ m.shown() }}", globals={"own": "mine"}
    )
    assert importer.render(macro_template=macro) == "[mine]"
    assert env.from_string("{% import t as m %}{{ m.shown() }}").render(t=macro) == "[]"


def test_a_kept_part_may_not_carry_the_viewers_csrf_token(app):
    # render_markup renders what a cache shows to others: a form with the viewer's token
    # there would hand it to everyone else (and fail their posts).
    request = Request({"type": "http", "app": app, "headers": [], "state": {"csrf_token": "t1"}})
    figures = templates.env.from_string("<p>{{ x }}</p>")
    assert str(render_markup(request, figures, {"x": "42"})) == "<p>42</p>"  # type: ignore[arg-type]
    form = templates.env.from_string('{% from "components/forms.html" import csrf_input %}'
                                     "<form>{{ csrf_input(request) }}</form>")  # fmt: skip
    with pytest.raises(RuntimeError, match="CSRF token"):
        render_markup(request, form, {})  # type: ignore[arg-type]


def _nav_links(page: str) -> str:
    return page[page.index('<ul class="nav-links"') : page.index('<ul class="nav-user">')]


def test_the_header_kept_rendered_follows_page_language_role_and_count(db, client):
    # The header's links are rendered once per navigation and language (web.nav_links):
    # whatever differs between two requests must still show.
    make_standard(db, code="HDR-01")
    make_standard(db, code="HDR-02")
    teller = make_person(db, role=Role.employee, position=Position.teller)
    client.login(teller.employee_no, PASSWORD)
    library = _nav_links(client.get("/standards").text)
    assert '<a href="/standards" aria-current="page">Standards' in library
    assert re.search(r'id="nav-outstanding"[^>]*>2<', library)
    client.acknowledge("/standards/HDR-01/v/1")
    home = _nav_links(client.get("/").text)
    assert '<a href="/" aria-current="page">Home' in home
    assert '<a href="/standards" >Standards' in home
    assert re.search(r'id="nav-outstanding"[^>]*>1<', home)
    client.submit("/language", {"locale": "zh_CN", "next": "/"}, token_page="/")
    assert '<a href="/" aria-current="page">首页</a>' in _nav_links(client.get("/").text)
    client.submit("/logout", token_page="/")
    hr = make_person(db, role=Role.hr)
    client.login(hr.employee_no, PASSWORD)
    hr_home = _nav_links(client.get("/").text)
    assert 'class="dropdown nav-menu nav-manage"' in hr_home
    assert "nav-outstanding" not in hr_home  # no position, no count


@pytest.mark.parametrize(
    ("locale", "en", "shown"),
    [("en", "Greet", "Greet|en"), ("en", "", "问候|en"), ("zh_CN", "Greet", "问候|zh_CN")],
)
def test_local_text_follows_the_page_being_rendered(locale: str, en: str, shown: str) -> None:
    """`local(zh, en)` and `page_locale()` are globals, so macros use them without being
    imported with the page's context."""
    token = _rendering_locale.set(locale)
    try:
        page = templates.env.from_string("{{ local(zh, en) }}|{{ page_locale() }}")
        assert page.render(zh="问候", en=en) == shown
    finally:
        _rendering_locale.reset(token)
