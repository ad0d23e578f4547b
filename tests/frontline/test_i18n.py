"""Simplified Chinese and English: the user's setting, else Accept-Language, else English."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from frontline.cli import EXTRACT_KEYWORDS
from frontline.i18n import TRANSLATIONS_DIR, from_accept_language, pick_locale
from frontline.settings import ROOT
from tests.factories import PASSWORD, make_person


def test_accept_language_negotiation():
    assert from_accept_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh_CN"
    assert from_accept_language("en-US,en;q=0.9,zh;q=0.5") == "en"
    assert from_accept_language("fr-FR, zh-TW;q=0.3") == "zh_CN"
    assert from_accept_language("de, fr") is None
    assert from_accept_language("zh;q=0, en;q=0.1") == "en"
    assert pick_locale(user_locale="en", cookie="zh_CN", accept_language="zh") == "en"
    assert pick_locale(user_locale=None, cookie=None, accept_language=None) == "en"


def test_browser_language_is_used_before_login(client):
    zh = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert '<html lang="zh-CN"' in zh and "工号" in zh
    en = client.get("/login", headers={"Accept-Language": "en-GB"}).text
    assert '<html lang="en"' in en and "Employee number" in en


def test_language_switch_before_login_sets_a_cookie(client):
    response = client.submit("/language", {"locale": "zh_CN", "next": "/login"})
    assert response.headers["location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "en"}).text
    assert "登录" in page


def test_user_setting_wins_and_is_saved(db, client, make_client):
    person = make_person(db, locale="zh_CN")
    client.login(person.employee_no, PASSWORD)
    assert "退出登录" in client.get("/", headers={"Accept-Language": "en"}).text
    client.submit("/language", {"locale": "en", "next": "/account"}, token_page="/")
    other_device = make_client()
    other_device.login(person.employee_no, PASSWORD)
    assert "Log out" in other_device.get("/", headers={"Accept-Language": "zh-CN"}).text


def test_unknown_language_is_ignored(client):
    client.submit("/language", {"locale": "xx", "next": "/login"})
    assert "Employee number" in client.get("/login").text


def test_error_pages_are_translated(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 404
    assert '<html lang="zh-CN"' in page.text and "页面不存在" in page.text
    english = client.get("/no-such-page").text
    assert "Page not found" in english


def _extracted_ids() -> set[str]:
    method_map = [
        ("frontline/**.py", "python"),
        ("staff/**.py", "python"),
        ("standards/**.py", "python"),
        ("templates/**.html", "jinja2"),
    ]
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "N_": None,
        "translate": (2,),
        "translate_plural": (2, 3),
    }
    assert EXTRACT_KEYWORDS  # the CLI extracts with the same keywords
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map,
        keywords=keywords,
        options_map={"templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}},
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_zh_cn_catalog_is_complete():
    with (TRANSLATIONS_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else m.string[0])
    }
    missing = sorted(_extracted_ids() - translated)
    assert missing == [], (
        f"untranslated: {missing[:10]} — run `frontline i18n update` and translate"
    )
