"""Accounts: detainees (number + PIN) and staff (username + password, a role).

Guessing is slowed down and then stopped for a short while, never for long: a growing
wait after each wrong try, a lock of LOCK_MINUTES after MAX_FAILURES, and a lock does not
grow while it lasts, so nobody can keep someone else locked out. Staff can lift a lock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.models import AuditEntry, Detainee, SignInGuard, StaffUser
from wegwijzer.i18n import N_

ROLES = ("frontoffice", "editor", "coordinator", "admin")
MAX_FAILURES = 5
LOCK_MINUTES = 10
MAX_DELAY_SECONDS = 30
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash("not a real secret")


class SignInError(Exception):
    """Sign-in refused; `message` is an English msgid, `wait` seconds to wait, if any."""

    def __init__(self, message: str, wait: int = 0):
        super().__init__(message)
        self.wait = wait

    def text(self, gettext) -> str:
        """The message translated by `gettext`, with the wait filled in."""
        return gettext(str(self)).format(seconds=self.wait,
                                         minutes=max(1, round(self.wait / 60)))


class AccountError(ValueError):
    """Invalid account data entered by staff (message in Dutch: the console is Dutch)."""


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def _verify(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def check_guard(account: SignInGuard, now: datetime) -> None:
    """Refuses a try while the account waits or is locked."""
    if account.locked_until and now < account.locked_until:
        raise SignInError(N_("Too many wrong tries. Try again in {minutes} minutes, or ask "
                             "the staff to unlock your account."),
                          wait=_seconds(account.locked_until - now))
    if account.next_attempt_at and now < account.next_attempt_at:
        raise SignInError(N_("Please wait {seconds} seconds before you try again."),
                          wait=_seconds(account.next_attempt_at - now))


def record_failure(account: SignInGuard, now: datetime) -> None:
    if account.locked_until and now >= account.locked_until:
        account.failed_attempts = 0  # the lock is over: a fresh start
        account.locked_until = None
    account.failed_attempts += 1
    if account.failed_attempts >= MAX_FAILURES:
        account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        account.next_attempt_at = None
    else:
        delay = min(2 ** (account.failed_attempts - 1), MAX_DELAY_SECONDS)
        account.next_attempt_at = now + timedelta(seconds=delay)


def reset_guard(account: SignInGuard) -> None:
    account.failed_attempts = 0
    account.next_attempt_at = None
    account.locked_until = None


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def sign_in_detainee(session: Session, number: str, pin: str, now: datetime) -> Detainee:
    """The detainee with this number and PIN; raises SignInError otherwise."""
    detainee = session.scalar(select(Detainee).where(Detainee.number == number.strip()))
    if detainee is None or not detainee.active:
        _verify(_DUMMY_HASH, pin)
        raise SignInError(N_("This detainee number and PIN do not match."))
    return _check_secret(session, detainee, detainee.pin_hash, pin, now,
                         N_("This detainee number and PIN do not match."))


def sign_in_staff(session: Session, username: str, password: str, now: datetime) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip()))
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        raise SignInError("Gebruikersnaam of wachtwoord klopt niet.")
    return _check_secret(session, user, user.password_hash, password, now,
                         "Gebruikersnaam of wachtwoord klopt niet.")


def _check_secret(session: Session, account, secret_hash: str, secret: str, now: datetime,
                  wrong: str):
    check_guard(account, now)
    if _verify(secret_hash, secret):
        reset_guard(account)
        session.commit()
        return account
    record_failure(account, now)
    session.commit()
    raise SignInError(wrong)


def check_pin(pin: str) -> str:
    if not PIN_PATTERN.match(pin or ""):
        raise AccountError("Een PIN bestaat uit 4 tot 8 cijfers.")
    return pin


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens.")
    return password


def create_staff(session: Session, username: str, password: str, role: str,
                 full_name: str = "", organisation_id: int | None = None,
                 by: StaffUser | None = None) -> StaffUser:
    username = username.strip()
    if not re.fullmatch(r"[a-zA-Z0-9._-]{2,80}", username):
        raise AccountError("Een gebruikersnaam bestaat uit letters, cijfers, punt, - of _.")
    if role not in ROLES:
        raise AccountError(f"Onbekende rol: {role}.")
    if role == "editor" and organisation_id is None:
        raise AccountError("Een redacteur hoort bij een organisatie.")
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise AccountError(f"De gebruikersnaam {username} bestaat al.")
    user = StaffUser(username=username, full_name=full_name.strip(),
                     password_hash=hash_secret(check_password(password)), role=role,
                     organisation_id=organisation_id if role == "editor" else None)
    session.add(user)
    session.flush()
    audit(session, by, "staff.create", f"staff:{username}", role=role)
    return user


def create_detainee(session: Session, number: str, pin: str, by: StaffUser | None = None,
                    **fields) -> Detainee:
    number = number.strip()
    if not re.fullmatch(r"[0-9A-Za-z-]{3,20}", number):
        raise AccountError("Een gedetineerdennummer bestaat uit 3 tot 20 cijfers of letters.")
    if session.scalar(select(Detainee).where(Detainee.number == number)):
        raise AccountError(f"Het nummer {number} bestaat al.")
    detainee = Detainee(number=number, pin_hash=hash_secret(check_pin(pin)), **fields)
    session.add(detainee)
    session.flush()
    audit(session, by, "detainee.create", f"detainee:{number}")
    return detainee


def set_pin(session: Session, detainee: Detainee, pin: str, by: StaffUser) -> None:
    detainee.pin_hash = hash_secret(check_pin(pin))
    reset_guard(detainee)
    audit(session, by, "detainee.pin", f"detainee:{detainee.number}")


def set_password(session: Session, user: StaffUser, password: str, by: StaffUser) -> None:
    user.password_hash = hash_secret(check_password(password))
    reset_guard(user)
    audit(session, by, "staff.password", f"staff:{user.username}")


def unlock(session: Session, account: Detainee | StaffUser, by: StaffUser) -> None:
    reset_guard(account)
    target = (f"detainee:{account.number}" if isinstance(account, Detainee)
              else f"staff:{account.username}")
    audit(session, by, "unlock", target)


def audit(session: Session, by: StaffUser | None, action: str, target: str, **detail) -> None:
    session.add(AuditEntry(staff_id=by.id if by else None, action=action, target=target,
                           detail=detail))
