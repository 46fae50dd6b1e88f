"""Pure rules of accounts: how many wrong passwords a log-in tolerates, and how long it waits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The longest a log-in ever waits for its address: the owner of an account under attack from
# elsewhere is slowed down, never shut out.
LONGEST_WAIT = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Failures:
    """Recent failed log-ins (in the window): for this email from this client address, for this
    email from anywhere, from this address for any email; and when this email last failed."""

    pair: int
    email: int
    address: int
    email_last: dt.datetime | None


def login_wait(failures: Failures, now: dt.datetime, limit: int) -> dt.timedelta | None:
    """None when the attempt may be checked, else how long to wait before the next one.

    - One client guessing one account: `limit` tries, then no more within the window.
    - One account guessed from many addresses: past `limit`, one try per delay, the delay
      doubling with each failure up to LONGEST_WAIT (so its owner still gets in).
    - One address guessing many accounts: 4 × `limit` (an office or a village hall shares one).
    """
    if failures.pair >= limit or failures.address >= 4 * limit:
        return LONGEST_WAIT
    if failures.email >= limit and failures.email_last is not None:
        delay = min(dt.timedelta(seconds=2 ** (failures.email - limit)), LONGEST_WAIT)
        elapsed = now - failures.email_last
        if elapsed < delay:
            return delay - elapsed
    return None


def reset_mails_allowed(sent_to_email: int, sent_from_address: int) -> bool:
    """Password-reset mails in the last hour: three per address asked for, ten per client."""
    return sent_to_email < 3 and sent_from_address < 10
