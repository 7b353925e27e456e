"""Limits on how many answers one connection may send a day, without storing who sent them.

The key is a keyed hash (HMAC with SECRET_KEY) of the client address and the date, so it changes every day and
cannot be turned back into an address. Only the key and a count live, in the shared cache (a database table, or
Redis), until the day is over. The address is the client's as trygg.proxy resolved it behind a trusted proxy, so two
residents behind the municipality's proxy are two connections, and the count holds across processes and servers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import pickle
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from trygg.accounts.actions import audit
from trygg.accounts.changes import changes
from trygg.surveys.models import BurstFlag, Response, Survey

DAY_SECONDS = 24 * 3600


def connection_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.localdate().isoformat()
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{day}|{address}".encode(), hashlib.sha256).hexdigest()
    return f"trygg:answers:{digest}"


def over_daily_limit(request: HttpRequest) -> bool:
    """Count one answer for this connection today; True when it is past TRYGG_ANSWERS_PER_CONNECTION_PER_DAY."""
    return count_answer(connection_key(request)) > settings.TRYGG_ANSWERS_PER_CONNECTION_PER_DAY


def count_answer(key: str) -> int:
    """Add one to the count under `key` and return the new count (1 for a new key); the entry lives a day.

    Atomic across processes and servers: Redis increments in one command; the database cache's own incr reads and
    writes in two steps (and resets the expiry to five minutes), so there the row is locked for the update.
    """
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        return _count_in_database(backend, key)
    if cache.add(key, 1, timeout=DAY_SECONDS):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the entry expired between add and incr: this answer starts a new count
        cache.add(key, 1, timeout=DAY_SECONDS)
        return 1


def _count_in_database(backend: DatabaseCache, key: str) -> int:
    """One locked read and one write in the cache's own table and value format, in one short transaction.

    The row is locked (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction holds the one write lock), so
    concurrent answers from one address are counted one after the other. Going through backend.get and set instead
    would take about twice the round trips (a COUNT(*) of the table and a savepoint on every set): most of the cost
    of an answer. Values are stored as the database cache stores them (pickled, base64), so cache.get still reads them.
    """
    made_key = backend.make_and_validate_key(key)
    table = connection.ops.quote_name(settings.CACHE_TABLE)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    now = timezone.now().replace(microsecond=0)
    expires = connection.ops.adapt_datetimefield_value(now + timedelta(seconds=DAY_SECONDS))
    # Table names come from settings; keys and values are parameters.
    read = f"SELECT value, expires > %s FROM {table} WHERE cache_key = %s{lock}"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(read, [connection.ops.adapt_datetimefield_value(now), made_key])
            row = cursor.fetchone()
            if row is not None:
                count = _decode(backend, row[0]) + 1 if row[1] else 1
                cursor.execute(f"UPDATE {table} SET value = %s, expires = %s WHERE cache_key = %s",  # noqa: S608
                               [_encode(backend, count), expires, made_key])
                return count
            try:
                with transaction.atomic():
                    cursor.execute(f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)",  # noqa: S608
                                   [made_key, _encode(backend, 1), expires])
                return 1
            except IntegrityError:
                continue  # another process counted this key's first answer meanwhile: lock its row and count on it
    raise RuntimeError(f"the count under {key} could be neither read nor created")


def _encode(backend: DatabaseCache, value: int) -> str:
    return base64.b64encode(pickle.dumps(value, backend.pickle_protocol)).decode("latin1")


def _decode(backend: DatabaseCache, stored: str) -> int:
    # Only trygg writes this table; an entry that is not a count starts the count again.
    try:
        value = pickle.loads(base64.b64decode(connection.ops.process_clob(stored).encode()))  # noqa: S301
    except (ValueError, pickle.UnpicklingError, EOFError, binascii.Error):
        return 0
    return value if isinstance(value, int) else 0


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


def record_burst(request: HttpRequest, survey: Survey, answers: Mapping[str, object], *,
                 proven: bool) -> tuple[str, str] | None:
    """Count this answer in its connection's and its content's window; (reason, group) when past the limit.

    The group is a short keyed hash shared by the answers of one burst, so staff see them together; it cannot be
    turned back into an address and changes with the day.
    """
    window = _window()
    limit = settings.TRYGG_BURST_ANSWERS if proven else max(1, settings.TRYGG_BURST_ANSWERS // 3)
    connection_digest = connection_key(request).rsplit(":", 1)[1]
    content = json.dumps(answers, sort_keys=True, ensure_ascii=False)
    content_digest = hmac.new(settings.SECRET_KEY.encode(), f"{survey.pk}|{content}".encode(),
                              hashlib.sha256).hexdigest()
    for reason, digest in ((BurstFlag.Reason.CONNECTION, connection_digest),
                           (BurstFlag.Reason.CONTENT, content_digest)):
        # This window's count plus the last one's, so a burst across the windows' boundary is not split in two.
        count = count_answer(f"trygg:burst:{reason}:{digest}:{window}")
        count += int(cache.get(f"trygg:burst:{reason}:{digest}:{window - 1}") or 0)
        if count > limit:
            return str(reason), f"{window}-{digest[:10]}"
    return None


def do_flag_burst(response: Response, reason: str, group: str, *, proven: bool) -> BurstFlag:
    """Flag a stored web answer as part of a burst, for staff to decide; the answer is kept and counted."""
    flag = BurstFlag.objects.create(response=response, reason=reason, group=group, proven=proven)
    audit("burst_flagged", organisation=response.survey.organisation, survey=response.survey.slug,
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
