"""Your data, your account: export everything, import it back without duplicates, delete it all.

Every installed domain's manifest says what user data it keeps (chalicelib.manifest: Records,
Single, Authored), how to export one item and how to rebuild one from its exported record:
export, import and deletion cover it without being told.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib import domains
from chalicelib.clock import utc_now
from chalicelib.errors import Conflict, InvalidInput, NotFound, Unauthenticated, UnsupportedMediaType
from chalicelib.identity import MEMBER, Identity, personal_tenant
from chalicelib.ids import new_id
from chalicelib.json_values import encode
from chalicelib.manifest import import_named
from chalicelib.repositories.items import Kind
from chalicelib.timeutil import iso_utc, parse_iso_utc

if TYPE_CHECKING:
    from marshmallow import Schema

    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.domains.account.files import ExportFiles
    from chalicelib.domains.account.store import AccountStore
    from chalicelib.domains.businesses.public import BusinessService
    from chalicelib.domains.me.public import PreferencesService
    from chalicelib.jobs import JobQueue
    from chalicelib.repositories.accounts import AccountList

SCHEMA_VERSION = 1
# Records of one import, JSON or CSV: counted before any of them is validated.
MAX_IMPORT_RECORDS = 10_000
# Records one transaction of the import writes: its share of the tenant's request budget.
RECORDS_PER_REQUEST = 98
# An import holds a lease on its marker, renewed by every transaction it writes; a roll-back takes
# it only once expired. At least the API function's timeout (a test reads it from the template):
# a chunk stalled for the whole invocation still renews in time, and an import cut short blocks
# the next one for at most this long after its last chunk.
LEASE = timedelta(seconds=30)
# Records an import writes inside the request; more, and it is queued (202): the records are
# checked and written by the worker (`run_import`), whose result the poll URL answers.
INLINE_IMPORT_RECORDS = 500
# A background import's lease, from its queuing and renewed by each of its transactions: longer
# than the jobs queue's visibility timeout (720 s), so a worker that crashed mid-way has its message
# handed out again, and resumes, before another import may roll it back.
JOB_LEASE = timedelta(minutes=15)


class Attachment(Protocol):
    """Files of the person's that the export carries beside its document, in a zip of their own
    (an activity's track as GPX): listed in the document under `name`, read one by one by the job."""

    name: str

    def listed(self, identity: Identity, items: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """From the partition's items already read: one entry ({..., "file": path in the zip}) a file."""
        ...

    def read(self, identity: Identity, entry: dict[str, Any]) -> bytes | None: ...


@dataclass(frozen=True)
class DataDomain:
    name: str
    kind: Kind
    # How to rebuild an item from its exported record; None: exported, not imported (media:
    # the file is not in the document).
    build: Callable[[dict[str, Any], dict[str, Any], str], dict[str, Any]] | None
    export_record: Callable[[dict[str, Any]], dict[str, Any]]
    record_schema: type[Schema] | None
    # (text, max_rows) -> records, for the one domain a CSV imports (weights).
    from_csv: Callable[[str, int], list[dict[str, Any]]] | None = None


@dataclass(frozen=True)
class Coverage:
    """What the account's data is, collected from the installed domains' manifests."""

    domains: tuple[DataDomain, ...]
    # Single items of the user's partition, by sort key: their key in the export document.
    singles: dict[str, str]
    # Data the user wrote outside their partition (posts, likes, comments): export_authored
    # and delete_authored of each holder.
    holders: tuple[Any, ...]
    # Sort-key prefixes of what sends the person's data elsewhere: deleted first.
    outbound: tuple[str, ...]


def coverage() -> Coverage:
    def named(name: str | None) -> Any:
        return import_named(name) if name else None

    records = domains.records()
    return Coverage(
        domains=tuple(
            DataDomain(
                listed.name,
                named(listed.kind),
                named(listed.build),
                named(listed.export),
                named(listed.record_schema),
                named(listed.csv.parse) if listed.csv else None,
            )
            for listed in records
        ),
        singles={single.sort_key: single.name for single in domains.singles()},
        holders=tuple(named(domain.authored.holder)() for domain in domains.manifests() if domain.authored),
        outbound=tuple(named(listed.kind).prefix for listed in records if listed.outbound),
    )


class AccountDataService:
    def __init__(
        self,
        store: AccountStore,
        files: ExportFiles,
        users: CognitoUsers,
        preferences: PreferencesService,
        covered: Coverage,
        memberships: BusinessService,
        inline_limit_bytes: int,
        jobs: JobQueue,
        accounts: AccountList,
        clock: Callable[[], str] = utc_now,
        charge: Callable[[Identity, int], None] = lambda identity, requests: None,
        report: Callable[[dict[str, Any]], None] = lambda line: None,
        attachments: Sequence[Attachment] = (),
    ):
        self._store = store
        self._files = files
        self._users = users
        self._preferences = preferences
        self._domains = covered.domains
        self._singles = covered.singles
        self._holders = covered.holders
        self._memberships = memberships
        self._inline_limit = inline_limit_bytes
        self._outbound = covered.outbound
        self._clock = clock
        # Counts requests against the tenant's budget (an import by its size).
        self._charge = charge
        self._jobs = jobs
        self._accounts = accounts
        # Where a job's summary line goes (the log).
        self._report = report
        # Files beside the document (tracks): only the background export carries them.
        self._attachments = tuple(attachments)

    def export(self, identity: Identity) -> dict[str, Any] | tuple[str, dict[str, Any]]:
        """Everything the user owns, as one document, answered at once at any size. While the
        partition fits one read (EXPORT_INLINE_ITEMS items), the document itself, or past the
        inline limit (Lambda answers at most 6 MB) a pre-signed link to it. A larger account gets
        ("accepted", {status: running, id}): the worker builds it (`build_export`) and
        `export_status` answers the link once it is there. So does an account with files to carry
        beside the document (an activity's track): the worker reads them, never the request."""
        items, more = self._store.first_items(identity, EXPORT_INLINE_ITEMS)
        if more or any(attachment.listed(identity, items) for attachment in self._attachments):
            export_id = new_id()
            expires_at = int(parse_iso_utc(self._clock()).timestamp()) + EXPORT_KEPT_SECONDS
            self._store.start_export(identity, export_id, self._clock(), expires_at)
            self._jobs.submit(EXPORT, {**_erasure_args(identity), "email": identity.email, "export_id": export_id})
            return "accepted", {"id": export_id, "status": "running"}
        body, exported_at = self._document(identity, items)
        # API Gateway carries the answer as an escaped JSON string: measure what it will carry.
        if len(json.dumps(body.decode())) <= self._inline_limit:
            return json.loads(body)  # numbers as JSON has them: 1, not 1.0
        url = self._files.store(identity, f"stride-export-{new_id()}", body)
        return {
            "schema_version": SCHEMA_VERSION,
            "exported_at": exported_at,
            "download_url": url,
            "expires_in": 300,
            "size_bytes": len(body),
        }

    def build_export(self, args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
        """The export job: the whole partition with paged, eventually consistent reads (a record
        written in the last second may be missing, as from any read that started before it), the
        document put in the user's part of the bucket, the status marked ready. Run again, it
        builds the same document again (idempotent). Each attachment's files go in a zip of their
        own beside it (`stride-export-<id>-tracks.zip`), listed in the document under its name."""
        identity = _erased_identity(args)._replace(email=str(args.get("email", "")))
        export_id = str(args["export_id"])
        if self._store.export_status(identity, export_id) is None:
            return  # the account was erased (or the status expired): nobody is waiting for it
        items = self._store.all_items(identity, consistent=False)
        listed = {attachment.name: attachment.listed(identity, items) for attachment in self._attachments}
        listed = {name: entries for name, entries in listed.items() if entries}
        body, exported_at = self._document(identity, items, listed)
        keys = [self._files.put(identity, f"stride-export-{export_id}", body)]
        archives: dict[str, dict[str, Any]] = {}
        for attachment in self._attachments:
            if attachment.name in listed:
                entries = listed[attachment.name]
                archive_key, size = self._files.put_archive(
                    identity, f"stride-export-{export_id}-{attachment.name}", _files_of(attachment, identity, entries)
                )
                keys.append(archive_key)
                archives[attachment.name] = {"key": archive_key, "size": size, "count": len(entries)}
        if not self._store.finish_export(identity, export_id, keys[0], len(body), exported_at, archives):
            for key in keys:
                self._files.delete(key)  # erased while it was built: no file of theirs is left behind

    def export_status(self, identity: Identity, export_id: str) -> dict[str, Any]:
        """Where a background export is: running, or ready with a pre-signed link (valid 300 s,
        a fresh one at each poll). Another person's id, or an expired one, is not found."""
        status = self._store.export_status(identity, export_id)
        if status is None:
            raise NotFound("No such export.")
        shown: dict[str, Any] = {"id": export_id, "status": status["status"]}
        if status["status"] == "ready":
            shown.update(
                exported_at=status["exported_at"],
                download_url=self._files.link(status["file_key"]),
                expires_in=300,
                size_bytes=int(status["size_bytes"]),
            )
            for name, archive in (status.get("archives") or {}).items():
                shown[name] = {
                    "download_url": self._files.link(archive["key"]),
                    "size_bytes": int(archive["size"]),
                    "files": int(archive["count"]),
                }
        return shown

    def _document(
        self,
        identity: Identity,
        items: list[tuple[str, dict[str, Any]]],
        listed: dict[str, list[dict[str, Any]]] | None = None,
    ) -> tuple[bytes, str]:
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "exported_at": self._clock(),
            "account": {"user_id": identity.user_id, "email": identity.email, "tenant_id": identity.tenant_id},
            **{name: None for name in self._singles.values()},
            **{domain.name: [] for domain in self._domains},
        }
        for sort_key, item in items:
            if sort_key in self._singles:
                document[self._singles[sort_key]] = item
                continue
            domain = next((d for d in self._domains if sort_key.startswith(d.kind.prefix)), None)
            if domain is not None:  # anything else is bookkeeping (idempotency keys), not data
                record = domain.export_record(item)
                record.pop("import_id", None)  # bookkeeping of the import that wrote it
                document[domain.name].append(record)
        # What they wrote in every business they were ever in, left ones included.
        everywhere = self._memberships.every_tenant(identity)
        for holder in self._holders:
            for acting in everywhere:
                for name, records in holder.export_authored(acting).items():
                    document.setdefault(name, []).extend(records)
        document.update(listed or {})  # the files beside it: {workout_id, ..., file} a track
        return encode(document), document["exported_at"]

    def import_payload(self, identity: Identity, payload: Any) -> dict[str, Any] | tuple[str, dict[str, Any]]:
        if payload.media_type == "text/csv":
            return self.import_csv(identity, payload.text)
        return self.import_document(identity, payload.document)

    def import_document(self, identity: Identity, document: Any) -> dict[str, Any] | tuple[str, dict[str, Any]]:
        version = document.get("schema_version") if isinstance(document, dict) else None
        if type(version) is not int or version != SCHEMA_VERSION:
            raise InvalidInput(
                f"Send a Stride export (schema_version {SCHEMA_VERSION}) or a CSV of weights.",
                details={"schema_version": [f"Must be {SCHEMA_VERSION}."]},
            )
        # null or absent is no records; anything else must be a list (`{}` is refused, not read as empty).
        records = {domain.name: _or_none(document.get(domain.name)) for domain in self._domains if domain.build}
        count = sum(len(listed) for listed in records.values() if isinstance(listed, list))
        if count > MAX_IMPORT_RECORDS:
            raise InvalidInput(
                f"At most {MAX_IMPORT_RECORDS} records an import; this document has {count}.",
                code="too_many_records",
            )
        return self._import(identity, records)

    def import_csv(self, identity: Identity, text: str) -> dict[str, Any] | tuple[str, dict[str, Any]]:
        """The records of the domain whose manifest declares a CSV format, imported like a document's."""
        domain = next((domain for domain in self._domains if domain.from_csv is not None), None)
        if domain is None or domain.from_csv is None:
            raise UnsupportedMediaType("No CSV can be imported; send a Stride export (application/json).")
        return self._import(identity, {domain.name: domain.from_csv(text, MAX_IMPORT_RECORDS)})

    def _import(self, identity: Identity, records: dict[str, Any]) -> dict[str, Any] | tuple[str, dict[str, Any]]:
        """All or nothing, without webhooks: every item carries the import's id (the stream
        announces no creation of an imported item, and a roll-back finds what to delete by it).
        Up to INLINE_IMPORT_RECORDS records, written now; more, queued: ("accepted", {id, status})."""
        count = sum(len(listed) for listed in records.values() if isinstance(listed, list))
        now = self._clock()
        self._roll_back_unfinished(identity, now)
        if count > INLINE_IMPORT_RECORDS:
            return "accepted", self._queue_import(identity, records, count, now)
        import_id = new_id()
        planned, summary = self._plan(identity, records, import_id, now)
        # The request itself was counted; each further transaction counts as one more.
        if (extra := -(-len(planned) // RECORDS_PER_REQUEST) - 1) > 0:
            self._charge(identity, extra)
        self._store.put_new(identity, planned, import_id, self._lease)
        return summary

    def _plan(
        self, identity: Identity, records: dict[str, Any], import_id: str, now: str
    ) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, dict[str, int]]]:
        """The items to put (checked, each carrying the import's id) and the counts. What is there
        already is read by the records' own keys (never the whole history): an item this same
        import wrote (a job run again after a crash) counts as imported, anyone else's as skipped."""
        zone = self._preferences.current(identity)["timezone"]
        planned: list[tuple[str, dict[str, Any]]] = []
        summary: dict[str, dict[str, int]] = {"imported": {}, "skipped": {}}
        for domain in self._domains:
            if domain.build is None or domain.record_schema is None:
                continue
            items = self._validated(domain, records.get(domain.name, []), zone, now)
            # The same record twice in one file is imported once.
            new = list({domain.kind.sort_key(item["id"]): item for item in items}.items())
            there = self._store.existing(identity, [key for key, _ in new]) if new else {}
            fresh = [(key, {**item, "import_id": import_id}) for key, item in new if key not in there]
            ours = sum(1 for writer in there.values() if writer == import_id)
            planned.extend(fresh)
            summary["imported"][domain.name] = len(fresh) + ours
            summary["skipped"][domain.name] = len(new) - len(fresh) - ours
        return planned, summary

    def _queue_import(self, identity: Identity, records: dict[str, Any], count: int, now: str) -> dict[str, Any]:
        """A large import, answered at once: the tenant's budget charged by its size, the records
        put in the user's part of the bucket, the marker (its lease held for the queue's wait) and
        the status written, the job queued."""
        if (extra := -(-count // RECORDS_PER_REQUEST) - 1) > 0:
            self._charge(identity, extra)
        import_id = new_id()
        key = self._files.put_import(identity, import_id, encode({"records": records}))
        expires_at = int(parse_iso_utc(now).timestamp()) + EXPORT_KEPT_SECONDS
        self._store.start_import(identity, import_id, key, self._job_lease(), expires_at)
        self._jobs.submit(IMPORT, {**_erasure_args(identity), "import_id": import_id})
        return {"id": import_id, "status": "running"}

    def run_import(self, args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
        """The import job: the records checked and written as an inline import writes them, in
        transactions of 97 under the import's lease; the last one also sets the status done with
        the counts. Idempotent and resumable: a job handed out again (a crash, a timeout) finds
        what it wrote already by its id and writes the rest; a finished or failed one is left as
        it is. Invalid records, or a roll-back by a later import (its lease had expired): failed,
        with the reason (per-row errors as an inline import answers them), nothing kept."""
        identity = _erased_identity(args)
        import_id = str(args["import_id"])
        status = self._store.import_status(identity, import_id)
        if status is None or status["status"] != "running":
            return  # done or failed already (a second delivery), or the account was erased
        records = json.loads(self._files.read(status["file_key"]))["records"]
        try:
            planned, summary = self._plan(identity, records, import_id, self._clock())
            self._store.put_new(identity, planned, import_id, self._job_lease, result=summary)
        except (InvalidInput, Conflict) as exc:
            shown = {"code": exc.code, "message": str(exc), "details": _first_rows(exc.details or {})}
            self._store.fail_import(identity, import_id, self._clock(), shown)
        except Unauthenticated:
            return  # the account was deleted meanwhile: the erasure takes the file and the status
        self._files.delete(status["file_key"])

    def import_status(self, identity: Identity, import_id: str) -> dict[str, Any]:
        """Where a background import is: running, done with its counts, or failed with its reason.
        Another person's id, or an expired one, is not found."""
        status = self._store.import_status(identity, import_id)
        if status is None:
            raise NotFound("No such import.")
        shown: dict[str, Any] = {"id": import_id, "status": status["status"]}
        if status["status"] == "done":
            shown.update(status["result"])
        elif status["status"] == "failed":
            shown["error"] = status["error"]
        return shown

    def _job_lease(self) -> tuple[str, str]:
        """Now, and the end of a background import's lease taken or renewed now."""
        now = self._clock()
        return now, iso_utc(parse_iso_utc(now) + JOB_LEASE)

    def _lease(self) -> tuple[str, str]:
        """Now, and the end of a lease taken or renewed now."""
        now = self._clock()
        return now, iso_utc(parse_iso_utc(now) + LEASE)

    def _roll_back_unfinished(self, identity: Identity, now: str) -> None:
        """An import cut short (its Lambda timed out: its lease expired) is rolled back before the
        next one; one still holding its lease refuses the next (409)."""
        for marker in self._store.unfinished(identity):
            held_until = marker.get("lease_until") or iso_utc(parse_iso_utc(marker["started_at"]) + LEASE)
            if held_until > now:
                raise Conflict(
                    "Another import of yours is still running; try again in a minute.", code="import_running"
                )
            self._store.roll_back(identity, marker["import_id"], now)

    def _validated(self, domain: DataDomain, records: Any, zone: str, now: str) -> list[dict[str, Any]]:
        assert domain.build is not None and domain.record_schema is not None  # noqa: S101 (imported domains only)
        # Loaded with the record schema (through chalicelib.names, which defers marshmallow's patterns).
        from marshmallow import ValidationError

        if not isinstance(records, list):
            raise InvalidInput("Not a list.", details={domain.name: ["Must be a list."]})
        items, errors = [], {}
        for index, record in enumerate(records):
            try:
                body = domain.record_schema().load(record)
                items.append(domain.build(body, _meta(body, now), zone))
            except ValidationError as exc:
                errors[str(index)] = exc.messages
            except InvalidInput as exc:
                errors[str(index)] = exc.details or [exc.message]
        if errors:
            raise InvalidInput("Some records are invalid; nothing was imported.", details={domain.name: errors})
        return items

    def delete_account(self, identity: Identity) -> None:
        """Answers at once; the erasure runs in the background (`erase`). Here: out of the business
        (refused for a business's last admin, before anything changes), the erasure queued, the
        profile (every write of the token is refused from now: 401), then the sessions and the
        Cognito user (sign-in refused from now). Safe to call again: each step is."""
        self._memberships.leave_for_deletion(identity)
        # Queued before anything else changes: whatever fails after, the job finishes it (it
        # deletes the profile and the Cognito user too), and a retry of this call queues it again.
        self._jobs.submit(ERASE, _erasure_args(identity))
        self._store.delete_anchor(identity)
        # By e-mail (an alias Cognito accepts for the user): moto revokes only tokens issued to
        # the name used at sign-in, real Cognito all of the user's.
        self._users.sign_out_everywhere(identity.email or identity.user_id)
        self._users.delete(identity.user_id)

    def erase(self, args: dict[str, Any], remaining_seconds: Callable[[], float]) -> dict[str, Any] | None:
        """The erasure job: everything of the account, in an order a crash or a timeout at any
        point can resume from (each step deletes what is left of it). Returns the args to go on
        from when the invocation's time runs short, None once nothing is left.

        The business's member item and the profile first (again: for an account deleted through
        Cognito they are still there), then what sends data out (webhooks, the e-mail schedule:
        the deletions below are stream events, never to be POSTed to anyone), what the person
        wrote in every tenant they were part of, then the partition, a page at a time (its
        TENANCY items name those tenants: they go after what was written there), the files, the
        Cognito user, and last the account's entry in the account list (while it is there, the
        reconciliation would find an erasure that never finished)."""
        identity = _erased_identity(args)
        if args.get("step") != "partition":
            self._memberships.leave_for_erasure(identity)
            self._store.delete_anchor(identity)
            self._store.delete_prefixed(identity, self._outbound)
            everywhere = self._memberships.every_tenant(identity)
            for holder in self._holders:
                for acting in everywhere:
                    holder.delete_authored(acting)
        while self._store.delete_some(identity, ERASE_PAGE):
            if remaining_seconds() < ERASE_MARGIN_SECONDS:
                return {**args, "step": "partition"}
        self._files.delete_all(identity)
        self._users.sign_out_everywhere(identity.user_id)
        self._users.delete(identity.user_id)
        self._accounts.remove(identity.user_id)
        return None

    def erase_deleted_user(
        self, detail: dict[str, Any], remaining_seconds: Callable[[], float]
    ) -> dict[str, Any] | None:
        """A CloudTrail event of Cognito's DeleteUser or AdminDeleteUser (EventBridge puts its
        `detail` on the jobs queue): the account is erased as DELETE /me erases it. Cognito names
        the user by `additionalEventData.sub`; an event without it, or of another pool, or a call
        that failed, or a user who is still there, changes nothing (the reconciliation is the net)."""
        sub = (detail.get("additionalEventData") or {}).get("sub")
        pool = (detail.get("requestParameters") or {}).get("userPoolId")
        if detail.get("errorCode") or not isinstance(sub, str) or not sub or (pool and pool != self._users.pool_id):
            return None
        if self._users.exists(sub):
            return None
        return self.erase({"user_id": sub}, remaining_seconds)

    def reconcile(self, args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
        """The periodic net under the events: every listed account whose Cognito user is gone gets
        an erasure job. Pages ListUsers (60 users a call) into the set of live subs, then Queries
        the account list shard by shard (chalicelib.repositories.accounts): about N/60 + N/4000
        calls for N accounts, never a Scan. An account missing from the set is confirmed gone
        with AdminGetUser first (it may have signed up after its page was read)."""
        live = self._users.every_sub()
        queued = 0
        for entry in self._accounts.entries():
            user_id = entry["user_id"]
            if user_id in live or self._users.exists(user_id):
                continue
            self._jobs.submit(ERASE, {"user_id": user_id})
            queued += 1
        self._report({"message": "accounts_reconciled", "live": len(live), "erasures_queued": queued})


# The export job's kind; how many items an export reads before it leaves the request for the
# worker (one Query); how long a background export's status and file are kept (the file's tag
# expires it after a day).
EXPORT = "account.export"
EXPORT_INLINE_ITEMS = 1000
EXPORT_KEPT_SECONDS = 24 * 3600

# The import job's kind; the per-row errors a failed one keeps (its status is one item: 400 KB at most).
IMPORT = "account.import"
IMPORT_ERRORS_KEPT = 100

# The erasure job's kind (chalicelib.jobs), and how much of the partition it deletes between looks
# at the clock: a page is one Query and at most 20 BatchWriteItems, well under the margin.
ERASE = "account.erase"
ERASE_PAGE = 500
ERASE_MARGIN_SECONDS = 15.0


def _files_of(attachment: Attachment, identity: Identity, entries: list[dict[str, Any]]) -> Iterator[tuple[str, bytes]]:
    """(path in the zip, bytes) of each listed file still there, read one at a time."""
    for entry in entries:
        body = attachment.read(identity, entry)
        if body is not None:
            yield str(entry["file"]), body


def _first_rows(details: dict[str, Any]) -> dict[str, Any]:
    """Per-row errors ({domain: {row: messages}}) of the first IMPORT_ERRORS_KEPT rows."""
    kept: dict[str, Any] = {}
    left = IMPORT_ERRORS_KEPT
    for name, rows in details.items():
        if isinstance(rows, dict):
            kept[name] = dict(list(rows.items())[:left])
            left -= len(kept[name])
        else:
            kept[name] = rows
    return kept


def _erasure_args(identity: Identity) -> dict[str, Any]:
    """What the erasure needs of the person: no e-mail (the queue keeps failed messages 14 days)."""
    return {"user_id": identity.user_id, "tenant_id": identity.tenant_id, "role": identity.role}


def _erased_identity(args: dict[str, Any]) -> Identity:
    user_id = str(args["user_id"])
    return Identity(
        user_id=user_id,
        email="",
        tenant_id=str(args.get("tenant_id") or personal_tenant(user_id)),
        role=str(args.get("role") or MEMBER),
    )


def _stamp(value: date | datetime) -> str:
    return iso_utc(value if isinstance(value, datetime) else datetime.combine(value, time(0), tzinfo=UTC))


def _meta(body: dict[str, Any], now: str) -> dict[str, Any]:
    """Ids and times as exported; the version starts again at 1."""
    created = _stamp(body.pop("created_at")) if body.get("created_at") else now
    updated = _stamp(body.pop("updated_at")) if body.get("updated_at") else created
    if body.get("completed_at"):
        body["completed_at"] = _stamp(body["completed_at"])
    body.pop("version", None)
    return {"id": body.pop("id"), "created_at": created, "updated_at": updated, "version": 1}


def _or_none(records: Any) -> Any:
    return [] if records is None else records
