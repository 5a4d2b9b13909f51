"""Businesses, their members and invitations.

A business is a tenant: `TENANT#<id>` holds the `BUSINESS` item (with `admins`, the number of
its admins, which never drops below one) and a `MEMBER#<sub>` item per member. The person's
side, in their own partition, is `MEMBERSHIP` (at most one: the business they act in) and a
`TENANCY#<id>` per business they ever joined (so deleting the account can find what they wrote
there). Every change to both sides is one transaction; the conditions hold the invariants.
Invitations are `INVITE#<sha256 of the code>`: the table never holds a usable code. A sign-up
made straight in Cognito that names one holds its hash under `SIGNUP#<e-mail>` until confirmed.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domains.me.public import read_names
from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.repositories.anchor import ACCOUNT, account_deleted, person_exists_check
from chalicelib.repositories.dynamo import (
    Labelled,
    Refusal,
    from_item,
    home_partition,
    put_new,
    run_transaction,
    to_item,
    to_value,
    transact,
)

BUSINESS_SK = "BUSINESS"
MEMBER = "MEMBER#"
MEMBERSHIP_SK = "MEMBERSHIP"
TENANCY = "TENANCY#"
INVITE_SK = "INVITE"


def _key(partition: str, sort_key: str) -> dict[str, Any]:
    return {"PK": {"S": partition}, "SK": {"S": sort_key}}


def business_key(business_id: str) -> dict[str, Any]:
    return _key(f"TENANT#{business_id}", BUSINESS_SK)


def member_key(business_id: str, user_id: str) -> dict[str, Any]:
    return _key(f"TENANT#{business_id}", MEMBER + user_id)


def membership_key(user_id: str) -> dict[str, Any]:
    return _key(home_partition(user_id), MEMBERSHIP_SK)


def invite_key(code_hash: str) -> dict[str, Any]:
    return _key(f"INVITE#{code_hash}", INVITE_SK)


PENDING = "INVITE#"  # a business's pending invitations: TENANT#<b> / INVITE#<ulid>


def pending_invite_key(business_id: str, invite_id: str) -> dict[str, Any]:
    return _key(f"TENANT#{business_id}", PENDING + invite_id)


def held_invite_key(email: str) -> dict[str, Any]:
    # Cognito's user names are not case-sensitive in this pool: neither is the hold.
    return _key(f"SIGNUP#{email.lower()}", INVITE_SK)


def _no_longer_admin() -> Forbidden:
    return Forbidden("You are no longer an admin of this business; refresh your tokens.", code="role_required")


def _role_changed() -> Conflict:
    return Conflict("The member's role changed meanwhile; read it again.", code="role_changed")


def _already_in_business() -> Conflict:
    return Conflict("You already belong to a business; leave it first.", code="already_in_business")


def _nested_location() -> Conflict:
    return Conflict(
        "A location has no locations of its own: the chain's admin adds them to the chain.", code="nested_location"
    )


def _last_admin() -> Conflict:
    return Conflict("A business keeps at least one admin: make someone else admin first.", code="last_admin")


class BusinessStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _still_admin(self, business_id: str, actor_id: str) -> dict[str, Any]:
        """The acting admin's own member item says admin now: a token from before a demotion or
        a removal (valid up to 15 minutes) cannot make changes that outlive it."""
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": member_key(business_id, actor_id),
                "ConditionExpression": "#role = :admin",
                "ExpressionAttributeNames": {"#role": "role"},
                "ExpressionAttributeValues": {":admin": to_value("admin")},
            }
        }

    def _admins(self, business_id: str, change: int, *, keep_one: bool = True) -> dict[str, Any]:
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": business_key(business_id),
            "UpdateExpression": "ADD admins :change",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeValues": {":change": to_value(change)},
        }
        if change < 0 and keep_one:
            update["ConditionExpression"] += " AND admins > :one"
            update["ExpressionAttributeValues"][":one"] = to_value(1)
        return {"Update": update}

    def _join_actions(self, business_id: str, member: dict[str, Any]) -> list[Labelled]:
        """The member item, the person's membership and tenancy, and their account's check (a
        deleted account's token must not leave a `TENANCY#` item in the erased partition)."""
        user_id = member["user_id"]
        membership = {"business_id": business_id, "role": member["role"], "joined_at": member["joined_at"]}
        return [
            ("member", put_new(self._table, member_key(business_id, user_id), member)),
            ("membership", put_new(self._table, membership_key(user_id), membership)),
            (
                "tenancy",
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": {
                            **_key(home_partition(user_id), TENANCY + business_id),
                            **to_item({"business_id": business_id, "joined_at": member["joined_at"]}),
                        },
                    }
                },
            ),
            (ACCOUNT, person_exists_check(self._table, user_id)),
        ]

    def create(self, business: dict[str, Any], founder: dict[str, Any]) -> None:
        """The business, its first admin, and the founder's membership, or nothing."""
        actions = [
            ("business", put_new(self._table, business_key(business["id"]), {**business, "admins": 1})),
            *self._join_actions(business["id"], founder),
        ]
        self._run(
            actions, {ACCOUNT: account_deleted, "member": _already_in_business, "membership": _already_in_business}
        )

    def create_location(
        self, business: dict[str, Any], invite_hash: str, invite: dict[str, Any], actor_id: str
    ) -> None:
        """A location of a chain, with the invitation of its first admin (it has no admin yet),
        by an admin of the chain (whose member item exists only while the chain does). A chain
        has two levels: the parent must be a top-level business, not itself a location."""
        parent_is_top_level = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": business_key(business["parent_business_id"]),
                "ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(parent_business_id)",
            }
        }
        actions = [
            ("actor", self._still_admin(business["parent_business_id"], actor_id)),
            ("business", put_new(self._table, business_key(business["id"]), {**business, "admins": 0})),
            ("invite", put_new(self._table, invite_key(invite_hash), invite)),
            ("parent", parent_is_top_level),
        ]
        self._run(actions, {"actor": _no_longer_admin, "parent": _nested_location})

    def get(self, business_id: str) -> dict[str, Any] | None:
        item = self._client.get_item(TableName=self._table, Key=business_key(business_id)).get("Item")
        return from_item(item) if item else None

    def delete_unjoined(self, business_id: str, founder_id: str) -> None:
        """Undoes `create` when the identity service could not record the founder's role."""
        transact(
            self._client,
            [
                {"Delete": {"TableName": self._table, "Key": key}}
                for key in (business_key(business_id), member_key(business_id, founder_id), membership_key(founder_id))
            ],
        )

    # Invitations

    def put_invite(self, invite_hash: str, invite: dict[str, Any], actor_id: str, pending: dict[str, Any]) -> None:
        """The invitation (found by its code's hash) and, in the business's partition, its entry
        in the list of pending ones (`pending`: what an admin sees, the hash to revoke it by)."""
        actions = [
            ("invite", put_new(self._table, invite_key(invite_hash), invite)),
            ("pending", put_new(self._table, pending_invite_key(invite["business_id"], invite["id"]), pending)),
            ("actor", self._still_admin(invite["business_id"], actor_id)),
        ]
        self._run(actions, {"actor": _no_longer_admin})

    def pending_invites(
        self, business_id: str, limit: int, start: dict[str, Any] | None, now_epoch: int
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The business's invitations not used, revoked or expired, newest first (one Query; the
        expired ones, which the TTL removes some time later, are filtered out)."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :invite)",
            "FilterExpression": "expires_at > :now",
            "ExpressionAttributeValues": {
                ":pk": to_value(f"TENANT#{business_id}"),
                ":invite": to_value(PENDING),
                ":now": to_value(now_epoch),
            },
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if start:
            params["ExclusiveStartKey"] = {"PK": to_value(f"TENANT#{business_id}"), **start}
        response = self._client.query(**params)
        last = response.get("LastEvaluatedKey")
        return [from_item(item) for item in response.get("Items", [])], ({"SK": last["SK"]} if last else None)

    def get_pending_invite(self, business_id: str, invite_id: str) -> dict[str, Any] | None:
        item = self._client.get_item(
            TableName=self._table, Key=pending_invite_key(business_id, invite_id), ConsistentRead=True
        ).get("Item")
        return from_item(item) if item else None

    def revoke_invite(self, business_id: str, invite_id: str, invite_hash: str, actor_id: str) -> None:
        """Deletes the invitation and its pending entry, on condition it is still pending (not
        accepted or revoked meanwhile: an acceptance deletes the entry in its own transaction)."""
        actions = [
            (
                "pending",
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": pending_invite_key(business_id, invite_id),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ),
            (
                "invite",
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": invite_key(invite_hash),
                        "ConditionExpression": "attribute_not_exists(used_by)",
                    }
                },
            ),
            ("actor", self._still_admin(business_id, actor_id)),
        ]
        gone = lambda: NotFound("No such pending invitation.")  # noqa: E731
        self._run(actions, {"pending": gone, "invite": gone, "actor": _no_longer_admin})

    def get_invite(self, invite_hash: str) -> dict[str, Any] | None:
        item = self._client.get_item(TableName=self._table, Key=invite_key(invite_hash), ConsistentRead=True).get(
            "Item"
        )
        return from_item(item) if item else None

    def hold_invite(self, email: str, invite_hash: str, expires_at: int) -> None:
        """The invitation a sign-up named, until the account is confirmed (gone with the invitation)."""
        item = {"invite_hash": invite_hash, "expires_at": expires_at}
        self._client.put_item(TableName=self._table, Item={**held_invite_key(email), **to_item(item)})

    def held_invite(self, email: str) -> str | None:
        item = self._client.get_item(TableName=self._table, Key=held_invite_key(email), ConsistentRead=True).get("Item")
        return from_item(item)["invite_hash"] if item else None

    def accept(self, invite_hash: str, member: dict[str, Any], now_epoch: int, invite_id: str | None = None) -> None:
        """Uses the invitation (once, before it expires) and makes the member, atomically."""
        business_id = member["business_id"]
        use_invite = {
            "Update": {
                "TableName": self._table,
                "Key": invite_key(invite_hash),
                "UpdateExpression": "SET used_by = :user",
                "ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(used_by) AND expires_at > :now",
                "ExpressionAttributeValues": {":user": to_value(member["user_id"]), ":now": to_value(now_epoch)},
            }
        }
        actions = [("invite", use_invite), *self._join_actions(business_id, _member_fields(member))]
        if invite_id:  # no longer pending (an invitation from before the list has no entry)
            entry = pending_invite_key(business_id, invite_id)
            actions.append(("pending", {"Delete": {"TableName": self._table, "Key": entry}}))
        if member["role"] == "admin":
            actions.append(("admins", self._admins(business_id, 1)))
        self._run(
            actions,
            {
                ACCOUNT: account_deleted,
                "invite": lambda: Conflict("This invitation has been used or has expired.", code="invite_used"),
                "member": _already_in_business,
                "membership": _already_in_business,
            },
        )

    def release(self, invite_hash: str, member: dict[str, Any], pending: dict[str, Any] | None = None) -> None:
        """Undoes `accept` when the identity service could not record the new role (the
        invitation pending again, its entry in the list too)."""
        business_id, user_id = member["business_id"], member["user_id"]
        restore = []
        if pending is not None:
            item = {**pending_invite_key(business_id, pending["id"]), **to_item(pending)}
            restore.append({"Put": {"TableName": self._table, "Item": item}})
        actions: list[dict[str, Any]] = [
            *restore,
            {
                "Update": {
                    "TableName": self._table,
                    "Key": invite_key(invite_hash),
                    "UpdateExpression": "REMOVE used_by",
                }
            },
            {"Delete": {"TableName": self._table, "Key": member_key(business_id, user_id)}},
            {"Delete": {"TableName": self._table, "Key": membership_key(user_id)}},
        ]
        if member["role"] == "admin":
            actions.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": business_key(business_id),
                        "UpdateExpression": "ADD admins :change",
                        "ExpressionAttributeValues": {":change": to_value(-1)},
                    }
                }
            )
        transact(self._client, actions)

    # Members

    def members_page(
        self, business_id: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :member)",
            "ExpressionAttributeValues": {":pk": to_value(f"TENANT#{business_id}"), ":member": to_value(MEMBER)},
            "Limit": limit + 1,
        }
        if start:
            params["ExclusiveStartKey"] = {"PK": to_value(f"TENANT#{business_id}"), **start}
        raw = self._client.query(**params).get("Items", [])
        more = len(raw) > limit
        raw = raw[:limit]
        return [from_item(item) for item in raw], ({"SK": raw[-1]["SK"]} if more else None)

    def names(self, user_ids: list[str]) -> dict[str, str]:
        """The display names of a page of members: one BatchGetItem of their profiles."""
        return read_names(self._client, self._table, user_ids)

    def get_member(self, business_id: str, user_id: str) -> dict[str, Any] | None:
        item = self._client.get_item(
            TableName=self._table, Key=member_key(business_id, user_id), ConsistentRead=True
        ).get("Item")
        return from_item(item) if item else None

    def set_role(self, business_id: str, user_id: str, old_role: str, new_role: str, actor_id: str) -> None:
        """Changes both sides, only from the role read (no lost update), keeping an admin; the
        same role again rewrites it, on the same conditions (the member is still there)."""
        actions: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key,
                    "UpdateExpression": "SET #role = :new",
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": {"#role": "role"},
                    "ExpressionAttributeValues": values,
                }
            }
            for key, condition, values in (
                (
                    member_key(business_id, user_id),
                    "#role = :old",
                    {":new": to_value(new_role), ":old": to_value(old_role)},
                ),
                (
                    membership_key(user_id),
                    "business_id = :business",
                    {":new": to_value(new_role), ":business": to_value(business_id)},
                ),
            )
        ]
        admins = self._admins(business_id, 1 if new_role == "admin" else -1)
        changes_admins = old_role != new_role and "admin" in (old_role, new_role)
        # One's own member item is already conditioned on the role read, which the service
        # requires to be admin.
        member_change, membership_change = actions
        self._guarded(
            member_change, membership_change, admins if changes_admins else None, business_id, actor_id, user_id
        )

    def remove(
        self, business_id: str, user_id: str, role: str, actor_id: str | None, *, last_admin_may_leave: bool = False
    ) -> None:
        """`actor_id` None: the person leaves by themselves (their account is being deleted).
        `last_admin_may_leave`: the admin count may reach 0 (an account erased after Cognito lost it)."""
        actions: list[dict[str, Any]] = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": member_key(business_id, user_id),
                    "ConditionExpression": "#role = :role",
                    "ExpressionAttributeNames": {"#role": "role"},
                    "ExpressionAttributeValues": {":role": to_value(role)},
                }
            },
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": membership_key(user_id),
                    "ConditionExpression": "business_id = :business",
                    "ExpressionAttributeValues": {":business": to_value(business_id)},
                }
            },
        ]
        admins = self._admins(business_id, -1, keep_one=not last_admin_may_leave) if role == "admin" else None
        member_change, membership_change = actions
        self._guarded(member_change, membership_change, admins, business_id, actor_id, user_id)

    def _guarded(
        self,
        member_change: dict[str, Any],
        membership_change: dict[str, Any],
        admins: dict[str, Any] | None,
        business_id: str,
        actor_id: str | None,
        user_id: str,
    ) -> None:
        """A member's two items, the admin count, and that the acting admin still is one, in one
        transaction. A stale admin is told so before anything else."""
        actions: list[Labelled] = [("member", member_change), ("membership", membership_change)]
        if actor_id is not None and actor_id != user_id:
            actions.append(("actor", self._still_admin(business_id, actor_id)))
        if admins is not None:
            actions.append(("admins", admins))
        refusals = {"actor": _no_longer_admin, "member": _role_changed, "membership": _role_changed}
        self._run(actions, {**refusals, "admins": _last_admin})

    def restore(self, member: dict[str, Any], business_id: str) -> None:
        """Puts a removed member back (the identity service failed to take them out)."""
        actions = [
            action for label, action in self._join_actions(business_id, member) if label in ("member", "membership")
        ]
        for action in actions:
            action["Put"].pop("ConditionExpression")
        if member["role"] == "admin":
            actions.append(self._admins(business_id, 1))
        transact(self._client, actions)

    def set_two_step(self, user_id: str, enabled: bool) -> None:
        """Records on the person's member item (in the business they act in, if any) whether their
        sign-ins ask for a TOTP code: the staff check reads it with the role, in the same GetItem."""
        membership = self.membership(user_id)
        if membership is not None:
            self.record_two_step(membership["business_id"], user_id, enabled)

    def record_two_step(self, business_id: str, user_id: str, enabled: bool) -> None:
        """The flag on one member item, if it is still there."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=member_key(business_id, user_id),
                UpdateExpression="SET two_step = :on",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":on": to_value(enabled)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            # Left the business meanwhile: a member item made later reads Cognito's state.

    def membership(self, user_id: str) -> dict[str, Any] | None:
        item = self._client.get_item(TableName=self._table, Key=membership_key(user_id), ConsistentRead=True).get(
            "Item"
        )
        return from_item(item) if item else None

    def tenancies(self, user_id: str) -> list[str]:
        """Every business the person ever joined."""
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :tenancy)",
            ExpressionAttributeValues={":pk": to_value(home_partition(user_id)), ":tenancy": to_value(TENANCY)},
            ProjectionExpression="business_id",
        )
        return [from_item(item)["business_id"] for item in response.get("Items", [])]

    def _run(self, actions: list[Labelled], refusals: dict[str, Refusal]) -> None:
        run_transaction(self._client, actions, refusals)


def _member_fields(member: dict[str, Any]) -> dict[str, Any]:
    return {name: member[name] for name in ("user_id", "email", "role", "joined_at", "two_step") if name in member}
