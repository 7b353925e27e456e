"""Limits on how many answers one connection may send a day, without storing who sent them.

The key is a keyed hash (HMAC with SECRET_KEY) of the client address and the date, so it changes every day and
cannot be turned back into an address. Only the key and a count live, shared by every process and server (a table
of the database, surveys_counter, or Redis when CACHE_URL names one), until the day is over. The address is the
client's as trygg.proxy resolved it behind a trusted proxy, so two residents behind the municipality's proxy are two
connections, and the count holds across processes and servers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes
from trygg.accounts.models import PER_ANSWER_EVENT
from trygg.surveys.models import BurstFlag, Counter, Response, Survey

DAY_SECONDS = 24 * 3600
PURGE_ONE_IN = 1000  # answers counted in the database, on average, per deletion of the expired counts


def connection_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.localdate().isoformat()
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{day}|{address}".encode(), hashlib.sha256).hexdigest()
    return f"trygg:answers:{digest}"


def count_answer(key: str) -> int:
    """Add one to the count under `key` and return the new count (1 for a new key); the count lives a day.

    Atomic across processes and servers. In the database (the default) one upsert of the key's row in
    surveys_counter, which stays locked until the transaction ends, so concurrent answers from one address are
    counted one after the other and a rolled-back answer is not counted; in Redis (CACHE_URL) one INCR.
    """
    if _counts_in_database():
        return _count_in_database({key: 1})[key]
    if cache.add(key, 1, timeout=DAY_SECONDS):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the entry expired between add and incr: this answer starts a new count
        cache.add(key, 1, timeout=DAY_SECONDS)
        return 1


def _counts_in_database() -> bool:
    return isinstance(caches["default"], DatabaseCache)


def _count_in_database(added: Mapping[str, int]) -> dict[str, int]:
    """Add `added[key]` to each key's count in one statement; the counts after it, by key.

    An INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL, SQLite 3.35 and later): one round trip whatever the
    number of keys, no read-then-write. Adding 0 reads a count (and creates it at 0). Keys are sent in one order, so
    two answers locking the same rows lock them in the same order and never wait for each other crosswise.
    """
    table = connection.ops.quote_name(Counter._meta.db_table)
    key = connection.ops.quote_name("key")
    now = timezone.now()
    expires = connection.ops.adapt_datetimefield_value(now + timedelta(seconds=DAY_SECONDS))
    keys = sorted(added)
    params: list[Any] = []
    for name in keys:
        params += [name, added[name], expires]
    params.append(connection.ops.adapt_datetimefield_value(now))
    # Table and column names are Django's quoting of fixed names; keys and counts are parameters.
    upsert = (f"INSERT INTO {table} ({key}, n, expires) VALUES {', '.join(['(%s, %s, %s)'] * len(keys))} "  # noqa: S608
              f"ON CONFLICT ({key}) DO UPDATE SET n = CASE WHEN {table}.expires > %s THEN {table}.n + excluded.n "
              f"ELSE excluded.n END, expires = excluded.expires RETURNING {key}, n")
    with connection.cursor() as cursor:
        cursor.execute(upsert, params)
        counts = {str(name): int(n) for name, n in cursor.fetchall()}
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        transaction.on_commit(purge_expired_counts)
    return counts


def purge_expired_counts() -> int:
    """Delete the counts whose time is over (every key names its day or window, so none is counted again)."""
    return Counter.objects.filter(expires__lt=timezone.now()).delete()[0]


# Proof of work (ALTCHA-compatible, self-hosted): the browser searches for the number whose SHA-256 with the salt
# gives the challenge, which costs a resident a fraction of a second and a stuffing script that much per answer.
# The salt carries a hash of the form token, so one solution cannot be replayed on other forms. No third party.
POW_MAX_NUMBER = 100_000
POW_ALGORITHM = "SHA-256"


def _pow_signature(challenge: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"pow|{challenge}".encode(), hashlib.sha256).hexdigest()


def _token_tag(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def new_challenge(token: str) -> dict[str, object]:
    """An ALTCHA challenge (algorithm, challenge, maxnumber, salt, signature) bound to this form token for a day."""
    expires = int(timezone.now().timestamp()) + DAY_SECONDS
    salt = f"{secrets.token_hex(8)}{_token_tag(token)}?expires={expires}"
    number = secrets.randbelow(POW_MAX_NUMBER + 1)
    challenge = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    return {"algorithm": POW_ALGORITHM, "challenge": challenge, "maxnumber": POW_MAX_NUMBER, "salt": salt,
            "signature": _pow_signature(challenge)}


def solved_challenge(payload: str, token: str) -> bool:
    """True when `payload` (base64 JSON, as the ALTCHA widget sends it) solves a challenge of ours for this token.

    Anything else (missing, as without JavaScript; forged; expired; another form's) is False, never an error.
    """
    try:
        data = json.loads(base64.b64decode(payload[:2000], validate=True))
        salt, number, challenge = str(data["salt"]), int(data["number"]), str(data["challenge"])
        signature = str(data["signature"])
        expires = int(salt.rsplit("?expires=", 1)[1])
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
        return False
    return (data.get("algorithm") == POW_ALGORITHM and expires > timezone.now().timestamp()
            and salt.split("?", 1)[0].endswith(_token_tag(token))
            and 0 <= number <= POW_MAX_NUMBER
            and hmac.compare_digest(hashlib.sha256(f"{salt}{number}".encode()).hexdigest(), challenge)
            and hmac.compare_digest(_pow_signature(challenge), signature))


# Bursts: many answers in a short time from one connection (its daily keyed hash) or with the same content. They are
# kept and flagged for staff, who decide. Answers without a proof of work (no JavaScript) meet a third of the limit.
# Counted in windows of TRYGG_BURST_MINUTES, each answer against its window and the one before (so over one to two
# windows' time).
def _window() -> int:
    return int(timezone.now().timestamp()) // (settings.TRYGG_BURST_MINUTES * 60)


class Counted(NamedTuple):
    """An answer's counts: whether its connection is past the day's limit, and (reason, group) when in a burst."""

    over_limit: bool
    burst: tuple[str, str] | None


def count_answer_sent(request: HttpRequest, survey: Survey, answers: Mapping[str, object], *,
                      proven: bool) -> Counted:
    """Count an answer being stored: against its connection's daily limit and in its connection's and content's
    burst windows. Call it inside the answer's transaction, after the answer's insert.

    In the database the day's count, both windows' counts and the last windows' are one statement, and an answer
    the caller rolls back (over the limit) is not counted; the rows stay locked until the transaction ends, so
    concurrent answers from one address are counted one after the other and exactly the limit is stored. With a
    cache server the day's count comes first, and an answer over the limit is not counted in the windows. The burst
    group is a short keyed hash shared by the answers of one burst, so staff see them together; it cannot be turned
    back into an address and changes with the day.
    """
    daily = connection_key(request)
    limit = settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY
    window = _window()
    connection_digest = daily.rsplit(":", 1)[1]
    content = json.dumps(answers, sort_keys=True, ensure_ascii=False)
    content_digest = hmac.new(settings.SECRET_KEY.encode(), f"{survey.pk}|{content}".encode(),
                              hashlib.sha256).hexdigest()
    kinds = ((BurstFlag.Reason.CONNECTION, connection_digest), (BurstFlag.Reason.CONTENT, content_digest))
    now = {f"trygg:burst:{reason}:{digest}:{window}": 1 for reason, digest in kinds}
    before = {f"trygg:burst:{reason}:{digest}:{window - 1}": 0 for reason, digest in kinds}
    if _counts_in_database():
        counts = _count_in_database({daily: 1} | now | before)  # all counted and read in one statement
        if counts[daily] > limit:
            return Counted(True, None)
    else:
        if count_answer(daily) > limit:
            return Counted(True, None)
        counts = {key: count_answer(key) for key in now} | {key: int(cache.get(key) or 0) for key in before}
    burst_limit = settings.TRYGG_BURST_ANSWERS if proven else max(1, settings.TRYGG_BURST_ANSWERS // 3)
    for reason, digest in kinds:
        # This window's count plus the last one's, so a burst across the windows' boundary is not split in two.
        base = f"trygg:burst:{reason}:{digest}"
        if counts[f"{base}:{window}"] + counts[f"{base}:{window - 1}"] > burst_limit:
            return Counted(False, (str(reason), f"{window}-{digest[:10]}"))
    return Counted(False, None)


def do_flag_burst(response: Response, reason: str, group: str, *, proven: bool) -> BurstFlag:
    """Flag a stored web answer as part of a burst, for staff to decide; the answer is kept and counted."""
    flag = BurstFlag.objects.create(response=response, reason=reason, group=group, proven=proven)
    audit(PER_ANSWER_EVENT, organisation=response.survey.organisation, survey=response.survey.slug,
          response=response.pk, reason=reason, group=group, proof_of_work=proven,
          **changes({"decision": None}, {"decision": flag.decision}))
    return flag


@transaction.atomic
def do_decide_burst(flag: BurstFlag, keep: bool, actor: User | None) -> None:
    """Staff's decision on a flagged answer: keep it (the flag is marked decided) or remove the answer for good.

    A decided flag stays decided: deciding again changes nothing and writes no event.
    """
    flag = BurstFlag.objects.select_for_update().select_related("response__survey__organisation").get(pk=flag.pk)
    if flag.decision:
        return
    survey = flag.response.survey
    detail = {"survey": survey.slug, "response": flag.response_id, "reason": flag.reason, "group": flag.group}
    if keep:
        flag.decision = BurstFlag.Decision.KEEP
        flag.decided_by = actor
        flag.decided_at = timezone.now()
        flag.save(update_fields=["decision", "decided_by", "decided_at"])
        audit("burst_kept", organisation=survey.organisation, actor=actor, **detail,
              **changes({"decision": BurstFlag.Decision.PENDING.value}, {"decision": flag.decision}))
    else:
        answers_before = survey.responses.count()
        flag.response.delete()
        audit("burst_removed", organisation=survey.organisation, actor=actor, **detail,
              **changes({"responses": answers_before}, {"responses": answers_before - 1}))
