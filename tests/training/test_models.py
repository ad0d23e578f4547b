"""The database itself refuses changes to a published module version and its lessons."""

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from training.models import Lesson, Module, ModuleVersion, VersionStatus


def _published_version(db):
    with db.session() as session:
        module = Module(code="TRN-TRIGGER")
        session.add(module)
        session.flush()
        version = ModuleVersion(module_id=module.id, number=1, title_zh="柜面服务")
        session.add(version)
        session.flush()
        session.add(Lesson(version_id=version.id, position=1, title_zh="第一课", body_zh="正文"))
        session.flush()
        version.status = VersionStatus.published
        session.add(version)
        return version.id


def test_a_draft_version_and_its_lessons_can_change(db):
    with db.session() as session:
        module = Module(code="TRN-DRAFT")
        session.add(module)
        session.flush()
        version = ModuleVersion(module_id=module.id, number=1, title_zh="草稿")
        session.add(version)
        session.flush()
        lesson = Lesson(version_id=version.id, position=1, title_zh="第一课")
        session.add(lesson)
        session.flush()
        version.title_zh = "草稿二"
        lesson.body_zh = "改过"
        session.add_all([version, lesson])


def test_a_published_version_cannot_change(db):
    version_id = _published_version(db)
    with pytest.raises(DBAPIError, match="cannot change"), db.session() as session:
        version = session.get(ModuleVersion, version_id)
        version.title_zh = "改标题"
        session.add(version)
        session.flush()
    with db.session() as session:  # superseding is a status change, which is allowed
        version = session.get(ModuleVersion, version_id)
        version.status = VersionStatus.superseded
        session.add(version)


@pytest.mark.parametrize("change", ["edit", "add", "delete"])
def test_the_lessons_of_a_published_version_cannot_change(db, change):
    version_id = _published_version(db)
    with pytest.raises(DBAPIError, match="cannot change"), db.session() as session:
        lesson = session.exec(select(Lesson).where(Lesson.version_id == version_id)).one()
        if change == "edit":
            lesson.body_zh = "改过"
            session.add(lesson)
        elif change == "add":
            session.add(Lesson(version_id=version_id, position=2, title_zh="加一课"))
        else:
            session.delete(lesson)
        session.flush()
