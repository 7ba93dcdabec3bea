"""A detainee's side of the request queue: signing in, asking, following, and the rules
that keep one person's requests away from everyone else."""

from __future__ import annotations

import re
import signal
import time
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from kiosk import accounts, queue
from kiosk.models import Detainee, HelpRequest
from tests.conftest import (
    PIN,
    csrf_token,
    make_settings,
    new_detainee,
    post_form,
    sign_in,
    start_kiosk,
    stop,
)
from wegwijzer.i18n import translations


def ask(http: httpx.Client, base: str, about: str, service: str = "caw-wonen",
        key: str | None = None, **fields) -> httpx.Response:
    return post_form(http, f"{base}/requests/new", f"{base}/requests", service=service,
                     about=about, interpreter="no", consent="yes",
                     submission_key=key or uuid.uuid4().hex, **fields)


def ref_of(response: httpx.Response) -> str:
    found = re.search(r"/requests/([A-Z0-9]{8})", response.headers["location"])
    return found.group(1)


@pytest.fixture
def person(db, kiosk):
    """A signed-in detainee's client, and their number."""
    number = new_detainee(db, lang="fr")
    with httpx.Client(timeout=30) as http:
        assert sign_in(http, kiosk, number).status_code == 303
        yield http, number


def test_sign_in_opens_the_requests_page_and_sign_out_ends_it(db, kiosk):
    number = new_detainee(db)
    with httpx.Client(timeout=30) as http:
        response = sign_in(http, kiosk, number)
        assert response.status_code == 303 and response.headers["location"] == "/requests"
        page = http.get(f"{kiosk}/requests")
        assert page.status_code == 200 and 'action="/signout"' in page.text
        post_form(http, f"{kiosk}/requests", f"{kiosk}/signout")
        assert http.get(f"{kiosk}/requests").status_code == 303


def test_a_wrong_pin_is_refused_and_retrying_at_once_must_wait(db, kiosk):
    number = new_detainee(db)
    with httpx.Client(timeout=30) as http:
        dutch = translations("nl").gettext
        first = sign_in(http, kiosk, number, "0000")
        assert first.status_code == 401
        assert dutch("This detainee number and PIN do not match.") in first.text
        second = sign_in(http, kiosk, number, PIN)  # right PIN, but too soon
        assert second.status_code == 401
        assert dutch("Please wait {seconds} seconds before you try again.").format(
            seconds=1) in second.text
        time.sleep(1.2)
        assert sign_in(http, kiosk, number, PIN).status_code == 303


def test_guessing_slows_down_then_locks_briefly_and_staff_can_lift_the_lock(db):
    number = new_detainee(db)
    start = datetime(2026, 1, 1, 12)
    with db() as session:
        detainee = session.scalar(select(Detainee).where(Detainee.number == number))
        now = start
        waits = []
        for _ in range(accounts.MAX_FAILURES - 1):
            accounts.check_guard(detainee, now)
            accounts.record_failure(detainee, now)
            waits.append(detainee.next_attempt_at - now)
            now += waits[-1]
        assert waits == sorted(waits) and waits[0] < waits[-1]
        accounts.record_failure(detainee, now)
        assert detainee.locked_until is not None
        # Locked: even the right PIN is refused, and trying again does not lengthen it.
        with pytest.raises(accounts.SignInError):
            accounts.check_guard(detainee, now + timedelta(minutes=1))
        assert detainee.locked_until - now == timedelta(minutes=accounts.LOCK_MINUTES)
        # Whoever guessed cannot keep the owner out longer than the lock.
        accounts.check_guard(detainee, detainee.locked_until)
        accounts.record_failure(detainee, detainee.locked_until)
        assert detainee.failed_attempts == 1 and detainee.locked_until is None
        accounts.unlock(session, detainee, by=None)
        assert detainee.failed_attempts == 0 and detainee.next_attempt_at is None
        session.rollback()


def test_posts_without_the_csrf_token_are_refused(db, kiosk, person):
    http, number = person
    for path in ("/signin", "/requests", "/signout", "/session/ping"):
        response = http.post(f"{kiosk}{path}", data={"number": number, "pin": PIN,
                                                      "about": "x", "service": ""})
        assert response.status_code == 403, path
    forged = http.post(f"{kiosk}/requests", data={"csrf_token": "0" * 64, "about": "help"})
    assert forged.status_code == 403


def test_a_request_is_filed_once_however_often_it_is_sent(db, kiosk, person):
    http, number = person
    key = uuid.uuid4().hex
    first = ask(http, kiosk, "Ik zoek een woning na mijn vrijlating", key=key)
    again = ask(http, kiosk, "Ik zoek een woning na mijn vrijlating", key=key)
    assert first.status_code == again.status_code == 303
    assert ref_of(first) == ref_of(again)
    with db() as session:
        count = session.scalar(select(func.count()).select_from(HelpRequest)
                               .join(HelpRequest.detainee)
                               .where(Detainee.number == number))
    assert count == 1
    page = http.get(f"{kiosk}/requests/{ref_of(first)}?sent=1&lang=en")
    assert page.status_code == 200
    assert "Ik zoek een woning" in page.text and "has been sent" in page.text


def test_a_request_needs_words_and_an_existing_service(kiosk, person):
    http, _ = person
    empty = ask(http, kiosk, " ")
    assert empty.status_code == 400 and 'role="alert"' in empty.text
    unknown = ask(http, kiosk, "Hulp nodig", service="no-such-service")
    assert unknown.status_code == 400
    dont_know = ask(http, kiosk, "Ik weet niet wie me kan helpen", service="")
    assert dont_know.status_code == 303


def test_nobody_reaches_another_persons_request(db, kiosk, person):
    http, _ = person
    ref = ref_of(ask(http, kiosk, "Schulden bij de deurwaarder"))
    other = new_detainee(db)
    with httpx.Client(timeout=30) as intruder:
        assert intruder.get(f"{kiosk}/requests/{ref}").status_code == 303  # not signed in
        sign_in(intruder, kiosk, other)
        assert intruder.get(f"{kiosk}/requests/{ref}").status_code == 404
        cancel = post_form(intruder, f"{kiosk}/requests", f"{kiosk}/requests/{ref}/cancel")
        assert cancel.status_code == 404
        assert ref not in intruder.get(f"{kiosk}/requests").text
    with db() as session:
        assert session.scalar(select(HelpRequest).where(HelpRequest.ref == ref)).state \
            == "submitted"
    assert post_form(http, f"{kiosk}/requests", f"{kiosk}/requests/{ref}/cancel") \
        .status_code == 303
    assert "Annulée" in http.get(f"{kiosk}/requests/{ref}?lang=fr").text


def test_a_signed_out_device_shows_nothing_personal(db, kiosk, person):
    http, number = person
    ref = ref_of(ask(http, kiosk, "Een vraag over mijn kinderen"))
    post_form(http, f"{kiosk}/requests", f"{kiosk}/signout")
    for path in ("/requests", f"/requests/{ref}", "/requests/new"):
        response = http.get(f"{kiosk}{path}")
        assert response.status_code == 303 and "/signin" in response.headers["location"]
    home = http.get(f"{kiosk}/").text
    assert number not in home and "kinderen" not in home and "/signout" not in home


def test_an_overdue_request_says_so_honestly(db, kiosk, person):
    http, number = person
    ref = ref_of(ask(http, kiosk, "Wanneer kan ik naar de les?", service="cvo-nederlands"))
    with db() as session:
        request = session.scalar(select(HelpRequest).where(HelpRequest.ref == ref))
        request.created_at -= timedelta(days=30)
        session.commit()
    assert "longer than usual" in http.get(f"{kiosk}/requests/{ref}?lang=en").text
    assert "longer than usual" in http.get(f"{kiosk}/requests?lang=en").text


def test_a_peer_files_for_someone_who_confirms_and_then_sees_nothing(db, kiosk):
    peer = new_detainee(db, is_peer=True)
    helped = new_detainee(db)
    with httpx.Client(timeout=30) as http:
        sign_in(http, kiosk, peer)
        form = http.get(f"{kiosk}/requests/new?for=someone")
        assert 'name="pin"' in form.text
        wrong = ask(http, kiosk, "Hulp bij mijn papieren", number=helped, pin="9999",
                    **{"for": "someone"})
        assert wrong.status_code == 401
        time.sleep(1.2)
        done = ask(http, kiosk, "Hulp bij mijn papieren", number=helped, pin=PIN,
                   **{"for": "someone"})
        assert done.status_code == 200 and "Hulp bij mijn papieren" not in done.text
        with db() as session:
            filed = session.scalar(select(HelpRequest).join(HelpRequest.detainee)
                                   .where(Detainee.number == helped))
            assert filed.filed_via.number == peer
            ref = filed.ref
        assert http.get(f"{kiosk}/requests/{ref}").status_code == 404
        assert "papieren" not in http.get(f"{kiosk}/requests").text
    with httpx.Client(timeout=30) as http:
        sign_in(http, kiosk, helped)
        assert "Hulp bij mijn papieren" in http.get(f"{kiosk}/requests/{ref}").text


def test_only_peers_may_file_for_someone_else(db, kiosk, person):
    http, _ = person
    target = new_detainee(db)
    response = ask(http, kiosk, "Voor iemand anders", number=target, pin=PIN,
                   **{"for": "someone"})
    assert response.status_code == 303  # filed as the person's own request
    with db() as session:
        assert not session.scalars(select(HelpRequest).join(HelpRequest.detainee)
                                   .where(Detainee.number == target)).all()


def test_possible_duplicates_are_the_same_question_of_one_person(db):
    number = new_detainee(db)
    other = new_detainee(db)
    with db() as session:
        me = session.scalar(select(Detainee).where(Detainee.number == number))
        them = session.scalar(select(Detainee).where(Detainee.number == other))
        same = "Ik heb schulden en de deurwaarder schrijft mij"
        a = queue.file_request(session, me, queue.NewRequest(same, "nl", "ocmw-sociaal-huis"))
        b = queue.file_request(session, me, queue.NewRequest(
            "ik heb veel schulden, de deurwaarder schreef", "nl", "caw-ifg"))
        c = queue.file_request(session, me, queue.NewRequest("Ik wil sporten", "nl"))
        d = queue.file_request(session, them, queue.NewRequest(same, "nl"))
        assert queue.possible_duplicates([a, b, c, d]) == {a.id, b.id}


def test_a_session_ends_after_the_idle_time(db, short_idle_kiosk):
    number = new_detainee(db)
    with httpx.Client(timeout=30) as http:
        sign_in(http, short_idle_kiosk, number)
        page = http.get(f"{short_idle_kiosk}/requests")
        assert page.status_code == 200 and 'data-idle-seconds="2"' in page.text
        time.sleep(3)
        response = http.get(f"{short_idle_kiosk}/requests")
        assert response.status_code == 303 and "/signin" in response.headers["location"]


def test_an_acknowledged_request_survives_a_crash(db, data_dir):
    settings = make_settings(data_dir)
    number = new_detainee(db)
    process = start_kiosk(settings)
    base = settings.kiosk_url
    with httpx.Client(timeout=30) as http:
        sign_in(http, base, number)
        ref = ref_of(ask(http, base, "Vlak voor de crash gevraagd"))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process = start_kiosk(settings)
        try:
            sign_in(http, base, number)
            assert "Vlak voor de crash" in http.get(f"{base}/requests/{ref}").text
        finally:
            stop(process)


def test_the_csrf_token_belongs_to_the_device(kiosk):
    with httpx.Client(timeout=30) as one, httpx.Client(timeout=30) as two:
        token = csrf_token(one, f"{kiosk}/signin")
        csrf_token(two, f"{kiosk}/signin")
        stolen = two.post(f"{kiosk}/signin", data={"csrf_token": token, "number": "1",
                                                    "pin": "1234"})
        assert stolen.status_code == 403
