"""id_of: a stored row's id as a plain int, and a loud error for a row not stored yet."""

import pytest

from frontline.models import id_of
from staff.models import Branch
from tests.factories import make_branch


def test_id_of_a_stored_row_is_its_primary_key(db):
    branch = make_branch(db)
    assert isinstance(branch.id, int)
    assert id_of(branch) == branch.id


def test_id_of_a_row_not_yet_flushed_raises_instead_of_passing_none_on():
    with pytest.raises(ValueError, match="Branch has no id yet"):
        id_of(Branch(code="B-NEW", name="新支行"))
