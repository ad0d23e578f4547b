"""Certificates: issued on completion, verifiable by number without login, revoked by HR.

A certificate records the exact module version taken; verification shows only what it needs
(a masked name, the module, the dates and whether it is valid, expired or revoked).
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of, utcnow
from staff.models import Person
from training.models import Certificate, Enrollment, Module, ModuleVersion
from training.service import TrainingError

# Crockford's base32 without I, L, O, U: read aloud and typed from paper without confusion.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_PATTERN = r"^TC-\d{4}-[0-9A-HJKMNP-TV-Z]{10}$"


class Validity(StrEnum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"


VALIDITY_LABELS = {
    Validity.valid: N_("Valid"),
    Validity.expired: N_("Expired"),
    Validity.revoked: N_("Revoked"),
}


def new_number(year: int) -> str:
    """A number like TC-2026-7KQ2M9XW4B: the year and ten random characters (50 bits), so
    numbers cannot be guessed from one another."""
    return f"TC-{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def issue(session: Session, *, enrollment: Enrollment, version: ModuleVersion) -> Certificate:
    assert enrollment.completed_at is not None
    number = new_number(enrollment.completed_at.year)
    while session.exec(select(Certificate.id).where(Certificate.number == number)).first():
        number = new_number(enrollment.completed_at.year)  # pragma: no cover - 1 in 10^15
    certificate = Certificate(
        number=number,
        enrollment_id=id_of(enrollment),
        person_id=enrollment.person_id,
        module_id=enrollment.module_id,
        version_id=id_of(version),
        issued_at=enrollment.completed_at,
        expires_on=enrollment.expires_on,
    )
    session.add(certificate)
    session.flush()
    return certificate


def validity(certificate: Certificate, *, today: date) -> Validity:
    if certificate.revoked_at is not None:
        return Validity.revoked
    if certificate.expires_on is not None and certificate.expires_on <= today:
        return Validity.expired
    return Validity.valid


def masked_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***, Li Wei → L*****: the first character only."""
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else "*"


@dataclass(frozen=True)
class CertificateView:
    certificate: Certificate
    person: Person
    module: Module
    version: ModuleVersion


def get_by_number(session: Session, *, number: str) -> CertificateView | None:
    row = session.exec(
        select(Certificate, Person, Module, ModuleVersion)
        .join(Person, col(Person.id) == Certificate.person_id)
        .join(Module, col(Module.id) == Certificate.module_id)
        .join(ModuleVersion, col(ModuleVersion.id) == Certificate.version_id)
        .where(Certificate.number == number)
    ).first()
    return CertificateView(*row) if row else None


def certificates_of(session: Session, *, person_id: int) -> list[CertificateView]:
    rows = session.exec(
        select(Certificate, Person, Module, ModuleVersion)
        .join(Person, col(Person.id) == Certificate.person_id)
        .join(Module, col(Module.id) == Certificate.module_id)
        .join(ModuleVersion, col(ModuleVersion.id) == Certificate.version_id)
        .where(Certificate.person_id == person_id)
        .order_by(col(Certificate.issued_at).desc())
    ).all()
    return [CertificateView(*row) for row in rows]


def latest_for(session: Session, *, enrollment_id: int) -> Certificate | None:
    return session.exec(
        select(Certificate)
        .where(Certificate.enrollment_id == enrollment_id)
        .order_by(col(Certificate.issued_at).desc())
    ).first()


def revoke(
    session: Session, *, certificate: Certificate, reason: str, actor_id: int, ip: str = ""
) -> None:
    if certificate.revoked_at is not None:
        raise TrainingError(N_("This certificate is already revoked."))
    now: datetime = utcnow()
    certificate.revoked_at = now
    certificate.revoked_by_id = actor_id
    certificate.revoked_reason = reason
    session.add(certificate)
    session.flush()
    audit_trail.record(
        session,
        action="training.certificate_revoke",
        actor_id=actor_id,
        target_type="person",
        target_id=certificate.person_id,
        detail={"certificate": certificate.number, "reason": reason},
        ip=ip,
    )
