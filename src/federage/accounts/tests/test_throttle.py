"""The log-in throttle: a pure rule (accounts.domain), counted atomically under parallel attempts."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.auth import base_user
from django.db import connection
from django.test import RequestFactory

from federage.accounts import domain, services
from federage.accounts.models import LoginFailure
from federage.core import clock
from federage.core.errors import ApplicationError

NOW = dt.datetime(2026, 12, 31, 23, 59, 30, tzinfo=dt.UTC)
LIMIT = 5


def failures(pair=0, email=0, address=0, last=None) -> domain.Failures:
    return domain.Failures(pair=pair, email=email, address=address, email_last=last)


def test_one_client_guessing_one_account_stops_at_the_limit():
    assert domain.login_wait(failures(pair=LIMIT - 1, email=LIMIT - 1), NOW, LIMIT) is None
    assert domain.login_wait(failures(pair=LIMIT, email=LIMIT), NOW, LIMIT) == domain.LONGEST_WAIT


def test_an_account_guessed_from_everywhere_slows_down_but_its_owner_still_gets_in():
    just_now = NOW - dt.timedelta(seconds=1)
    # Past the limit, the delay doubles with each failure…
    assert domain.login_wait(failures(email=LIMIT, last=just_now), NOW, LIMIT) is None
    wait = domain.login_wait(failures(email=LIMIT + 3, last=just_now), NOW, LIMIT)
    assert wait == dt.timedelta(seconds=8 - 1)
    # …up to LONGEST_WAIT: never a lock.
    many = failures(email=LIMIT + 40, last=NOW - dt.timedelta(seconds=59))
    assert domain.login_wait(many, NOW, LIMIT) == dt.timedelta(seconds=1)
    assert (
        domain.login_wait(failures(email=LIMIT + 40, last=NOW - domain.LONGEST_WAIT), NOW, LIMIT)
        is None
    )


def test_one_address_guessing_many_accounts_stops_at_four_times_the_limit():
    assert domain.login_wait(failures(address=4 * LIMIT - 1), NOW, LIMIT) is None
    assert domain.login_wait(failures(address=4 * LIMIT), NOW, LIMIT) == domain.LONGEST_WAIT


def test_reset_mails_are_counted_per_address_asked_for_and_per_client():
    assert domain.reset_mails_allowed(2, 9)
    assert not domain.reset_mails_allowed(3, 0)
    assert not domain.reset_mails_allowed(0, 10)


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_reach_the_hash_no_more_than_the_limit(make_user, monkeypatch):
    """Issue 14: 40 parallel wrong passwords were all checked against the hash (limit 5)."""
    user = make_user("target@example.org")
    checked = []
    real_check = base_user.check_password

    def counting_check(*args, **kwargs):
        checked.append(1)
        return real_check(*args, **kwargs)

    # What User.check_password calls: every attempt that reaches the hash passes here.
    monkeypatch.setattr(base_user, "check_password", counting_check)
    barrier = threading.Barrier(16)

    def attempt(_):
        request = RequestFactory().post("/api/v1/auth/login", REMOTE_ADDR="203.0.113.7")
        request.session = {}
        try:
            barrier.wait()
            with clock.frozen(NOW):
                services.user_log_in(request=request, email=user.email, password="wrong-guess")
        except ApplicationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(attempt, range(16)))
    assert codes.count("invalid_credentials") == settings.LOGIN_FAILURES_MAX, codes
    assert codes.count("too_many_attempts") == 16 - settings.LOGIN_FAILURES_MAX
    assert len(checked) == settings.LOGIN_FAILURES_MAX, "only those within the limit"
    assert LoginFailure.objects.filter(email=user.email).count() == settings.LOGIN_FAILURES_MAX


@pytest.mark.django_db
def test_the_owner_logs_in_from_home_while_a_stranger_guesses(make_user):
    user = make_user("owner@example.org")
    from federage.testing import PASSWORD

    def log_in(address: str, password: str, at: dt.datetime):
        request = RequestFactory().post("/api/v1/auth/login", REMOTE_ADDR=address)
        request.session = _Session()
        with clock.frozen(at):
            return services.user_log_in(request=request, email=user.email, password=password)

    for second in range(LIMIT):
        with pytest.raises(ApplicationError):
            log_in("198.51.100.9", "wrong-guess", NOW + dt.timedelta(seconds=second))
    with pytest.raises(ApplicationError) as stopped:
        log_in("198.51.100.9", "wrong-guess", NOW + dt.timedelta(seconds=LIMIT))
    assert stopped.value.code == "too_many_attempts"
    assert stopped.value.extra == {"retry_after": 60}
    # From home, a little later: not locked out.
    assert log_in("192.0.2.1", PASSWORD, NOW + dt.timedelta(seconds=LIMIT + 2)) == user


class _Session(dict):
    """What django.contrib.auth.login needs of a session, without a session store."""

    session_key = None

    def cycle_key(self):
        pass

    def flush(self):
        self.clear()
