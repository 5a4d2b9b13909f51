"""Businesses: founding, invitations, roles, removal, chains; claims change at the next refresh."""

import hashlib

import pytest

from chalicelib import clock
from tests.businesses import enrol_staff, found_business, invite, join, refresh
from tests.catalog import WEIGHT
from tests.conftest import PASSWORD


def members_of(api, admin, business_id):
    answer = api.get(f"/businesses/{business_id}/members", token=admin.token)
    assert answer.status == 200, answer.body
    return {member["user_id"]: member["role"] for member in answer.body["items"]}


def stored_invite(local_aws, code):
    key = {"PK": {"S": f"INVITE#{hashlib.sha256(code.encode()).hexdigest()}"}, "SK": {"S": "INVITE"}}
    return local_aws.client("dynamodb"), key


# Founding


def test_founding_makes_the_caller_admin_at_the_next_refresh_and_moves_none_of_their_data(api, user):
    weight = api.post("/weights", WEIGHT, token=user.token).body

    answer = api.post("/businesses", {"name": "Riverside Gym"}, token=user.token)

    assert answer.status == 201, answer.body
    business = answer.body["business"]
    assert business["name"] == "Riverside Gym" and business["parent_business_id"] is None
    assert answer.body["role"] == "admin" and answer.body["admin_invite"] is None
    assert "refresh" in answer.body["message"]
    # The token in hand still names the personal tenant; the refreshed one names the business.
    assert api.get("/me", token=user.token).body["tenant_id"] == f"personal-{user.user_id}"
    assert refresh(api, user) == {"tenant_id": business["id"], "role": "admin", "parent_business_id": None}
    assert api.get("/me", token=user.token).body["role"] == "admin"
    assert api.get(f"/businesses/{business['id']}", token=user.token).body == business  # all fields, null ones too
    assert [item["id"] for item in api.get("/weights", token=user.token).body["items"]] == [weight["id"]]
    # Founding needs no two-step sign-in; the admin's staff routes wait for it, the rest do not.
    refused = api.get(f"/businesses/{business['id']}/members", token=user.token)
    assert refused.status == 403 and refused.body["error"]["code"] == "mfa_required", refused.body
    assert "POST /auth/mfa/totp" in refused.body["error"]["message"]
    enrol_staff(api, user)
    assert members_of(api, user, business["id"]) == {user.user_id: "admin"}


def test_one_business_at_a_time_even_with_a_token_from_before(api, user):
    stale = user.token
    found_business(api, user)

    for token in (stale, user.token):
        answer = api.post("/businesses", {"name": "Second Gym"}, token=token)
        assert answer.status == 409, answer.body
        assert answer.body["error"]["code"] == "already_in_business"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 121},
        {"name": 5},
        {"name": "Gym", "owner": "me"},
        # One line: the name is an invitation e-mail's subject, where a line break was a 500.
        {"name": "Gym\nBcc: someone@example.com"},
        {"name": "Gym\n"},
        {"name": "Gym\u2028Two"},
        {"name": "\tGym"},
    ],
)
def test_a_business_needs_a_sensible_name(api, user, body):
    answer = api.post("/businesses", body, token=user.token)
    assert answer.status == 400, answer.body
    assert refresh(api, user)["tenant_id"] == f"personal-{user.user_id}"


def test_another_business_is_not_found_whatever_the_role(api, users, user, other_user):
    mine = found_business(api, user)
    theirs = found_business(api, other_user)
    for path in (f"/businesses/{theirs}", f"/businesses/{theirs}/members"):
        answer = api.get(path, token=user.token)
        assert answer.status == 404, answer.body
    answer = api.patch(f"/businesses/{theirs}/members/{other_user.user_id}", {"role": "member"}, token=user.token)
    assert answer.status == 404
    assert api.request("DELETE", f"/businesses/{theirs}/members/{other_user.user_id}", token=user.token).status == 404
    assert (
        api.post(f"/businesses/{theirs}/invites", {"email": user.email, "role": "admin"}, token=user.token).status
        == 404
    )
    assert members_of(api, other_user, theirs) == {other_user.user_id: "admin"}
    assert members_of(api, user, mine) == {user.user_id: "admin"}


# Invitations


def test_an_invited_person_joins_with_the_role_and_sees_the_business_feed(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    code = invite(api, user, business_id, person.email, "coach")

    answer = api.post(f"/invites/{code}/accept", token=person.token)

    assert answer.status == 200, answer.body
    assert answer.body["business_id"] == business_id and answer.body["role"] == "coach"
    assert refresh(api, person) == {"tenant_id": business_id, "role": "coach", "parent_business_id": None}
    assert members_of(api, user, business_id) == {user.user_id: "admin", person.user_id: "coach"}
    post = api.post("/posts", {"text": "Welcome, everyone"}, token=user.token).body
    assert post["id"] in [item["id"] for item in api.get("/feed", token=person.token).body["items"]]


def test_an_invitation_shows_its_code_once_expires_in_seven_days_and_is_stored_hashed(api, users, user, local_aws):
    business_id = found_business(api, user)
    answer = api.post(
        f"/businesses/{business_id}/invites", {"email": "Coach@Example.com", "role": "coach"}, token=user.token
    )

    assert answer.status == 201, answer.body
    assert answer.body["email"] == "coach@example.com" and answer.body["role"] == "coach"
    client, key = stored_invite(local_aws, answer.body["code"])
    item = client.get_item(TableName="stride-local", Key=key)["Item"]
    assert answer.body["code"] not in str(item)
    assert int(item["expires_at"]["N"]) - int(clock.epoch()) == pytest.approx(7 * 86400, abs=120)


def test_an_invitation_is_used_once(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    code = invite(api, user, business_id, person.email)
    assert api.post(f"/invites/{code}/accept", token=person.token).status == 200

    again = api.post(f"/invites/{code}/accept", token=person.token)  # the token still says personal

    assert again.status == 409, again.body
    assert again.body["error"]["code"] == "invite_used"
    assert members_of(api, user, business_id) == {user.user_id: "admin", person.user_id: "member"}


def test_an_invitation_for_someone_else_or_unknown_or_expired_is_not_found(api, users, user, other_user, local_aws):
    business_id = found_business(api, user)
    person = users.create()
    code = invite(api, user, business_id, person.email)

    assert api.post(f"/invites/{code}/accept", token=other_user.token).status == 404
    assert api.post("/invites/no-such-code-at-all-here/accept", token=person.token).status == 404
    client, key = stored_invite(local_aws, code)
    client.update_item(
        TableName="stride-local",
        Key=key,
        UpdateExpression="SET expires = :past, expires_at = :epoch",
        ExpressionAttributeValues={":past": {"S": "2020-01-01T00:00:00.000Z"}, ":epoch": {"N": "1577836800"}},
    )
    expired = api.post(f"/invites/{code}/accept", token=person.token)
    assert expired.status == 404, expired.body
    assert members_of(api, user, business_id) == {user.user_id: "admin"}


def test_a_member_of_a_business_cannot_accept_another(api, users, user, other_user):
    found_business(api, user)
    theirs = found_business(api, other_user)
    code = invite(api, other_user, theirs, user.email)

    answer = api.post(f"/invites/{code}/accept", token=user.token)

    assert answer.status == 409 and answer.body["error"]["code"] == "already_in_business"


@pytest.mark.parametrize(
    "body", [{"email": "x@example.com"}, {"email": "x@example.com", "role": "owner"}, {"role": "member"}]
)
def test_an_invitation_needs_an_email_and_a_known_role(api, user, body):
    business_id = found_business(api, user)
    answer = api.post(f"/businesses/{business_id}/invites", body, token=user.token)
    assert answer.status == 400, answer.body


def test_signing_up_with_an_invitation_joins_the_business(api, users, user):
    business_id = found_business(api, user)
    email = users.new_email()
    code = invite(api, user, business_id, email, "coach")

    answer = api.post("/auth/signup", {"email": email, "password": PASSWORD, "name": "New Coach", "invite_code": code})

    assert answer.status == 201, answer.body
    api.post("/auth/confirm", {"email": email, "code": "123456"})
    person = users.log_in(email, PASSWORD, answer.body["user_id"])
    me = api.get("/me", token=person.token).body
    assert (me["tenant_id"], me["role"]) == (business_id, "coach")
    assert api.get("/me/profile", token=person.token).body["display_name"] == "New Coach"
    assert members_of(api, user, business_id)[person.user_id] == "coach"


def test_signing_up_with_someone_elses_invitation_creates_nothing(api, users, user):
    business_id = found_business(api, user)
    code = invite(api, user, business_id, "invited@example.com")
    email = users.new_email()

    answer = api.post(
        "/auth/signup", {"email": email, "password": PASSWORD, "name": "Gatecrasher", "invite_code": code}
    )

    assert answer.status == 404, answer.body
    # No account was made: the address can sign up afresh.
    assert api.post("/auth/signup", {"email": email, "password": PASSWORD, "name": "Later"}).status == 201
    assert members_of(api, user, business_id) == {user.user_id: "admin"}


@pytest.mark.parametrize("code", ["short", "has spaces in it here!", "x" * 65, 7])
def test_a_malformed_invite_code_at_signup_is_a_400(api, users, code):
    body = {"email": users.new_email(), "password": PASSWORD, "name": "A", "invite_code": code}
    assert api.post("/auth/signup", body).status == 400


# Roles


def test_an_admin_changes_roles_and_the_member_sees_it_at_refresh(api, users, user):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)

    answer = api.patch(f"/businesses/{business_id}/members/{person.user_id}", {"role": "coach"}, token=user.token)

    assert answer.status == 200, answer.body
    assert answer.body["role"] == "coach"
    assert refresh(api, person)["role"] == "coach"
    assert members_of(api, user, business_id)[person.user_id] == "coach"


def test_a_business_keeps_an_admin(api, users, user):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)

    for answer in (
        api.patch(f"/businesses/{business_id}/members/{user.user_id}", {"role": "member"}, token=user.token),
        api.request("DELETE", f"/businesses/{business_id}/members/{user.user_id}", token=user.token),
    ):
        assert answer.status == 409, answer.body
        assert answer.body["error"]["code"] == "last_admin"
    assert refresh(api, user)["role"] == "admin"

    # With a second admin (who turns two-step sign-in on), the first may step down.
    api.patch(f"/businesses/{business_id}/members/{person.user_id}", {"role": "admin"}, token=user.token)
    enrol_staff(api, person)
    answer = api.patch(f"/businesses/{business_id}/members/{user.user_id}", {"role": "member"}, token=user.token)
    assert answer.status == 200, answer.body
    assert refresh(api, user)["role"] == "member"
    assert members_of(api, refresh_and(api, person), business_id) == {user.user_id: "member", person.user_id: "admin"}


def refresh_and(api, person):
    refresh(api, person)
    return person


def test_an_unknown_member_is_not_found(api, users, user, other_user):
    business_id = found_business(api, user)
    for answer in (
        api.patch(f"/businesses/{business_id}/members/{other_user.user_id}", {"role": "coach"}, token=user.token),
        api.request("DELETE", f"/businesses/{business_id}/members/{other_user.user_id}", token=user.token),
    ):
        assert answer.status == 404, answer.body
    assert refresh(api, other_user)["tenant_id"] == f"personal-{other_user.user_id}"


def test_a_removed_member_keeps_their_account_and_their_data(api, users, user):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)
    weight = api.post("/weights", WEIGHT, token=person.token).body

    answer = api.request("DELETE", f"/businesses/{business_id}/members/{person.user_id}", token=user.token)

    assert answer.status == 204
    assert refresh(api, person) == {
        "tenant_id": f"personal-{person.user_id}",
        "role": "member",
        "parent_business_id": None,
    }
    assert api.get(f"/weights/{weight['id']}", token=person.token).status == 200
    assert members_of(api, user, business_id) == {user.user_id: "admin"}
    assert api.get(f"/businesses/{business_id}", token=person.token).status == 404
    # Free to found or join another now.
    assert api.post("/businesses", {"name": "My Own Studio"}, token=person.token).status == 201


# Chains


def test_a_chain_admin_adds_a_location_whose_members_carry_the_parent(api, users, user):
    chain = found_business(api, user)
    email = users.new_email()

    answer = api.post(
        "/businesses", {"name": "Riverside North", "parent_business_id": chain, "admin_email": email}, token=user.token
    )

    assert answer.status == 201, answer.body
    location = answer.body["business"]
    assert location["parent_business_id"] == chain and answer.body["role"] is None
    assert answer.body["admin_invite"]["role"] == "admin" and answer.body["admin_invite"]["email"] == email
    assert refresh(api, user)["tenant_id"] == chain  # the chain's admin stays where they are
    signed_up = api.post(
        "/auth/signup",
        {"email": email, "password": PASSWORD, "name": "Manager", "invite_code": answer.body["admin_invite"]["code"]},
    )
    assert signed_up.status == 201, signed_up.body
    api.post("/auth/confirm", {"email": email, "code": "123456"})
    manager = users.log_in(email, PASSWORD, signed_up.body["user_id"])
    assert refresh(api, manager) == {"tenant_id": location["id"], "role": "admin", "parent_business_id": chain}
    enrol_staff(api, manager)
    member = join(api, users, manager, location["id"])
    assert refresh(api, member)["parent_business_id"] == chain


def test_a_locations_admin_cannot_add_a_location_under_it(api, users, user):
    chain = found_business(api, user)
    email = users.new_email()
    made = api.post(
        "/businesses", {"name": "North", "parent_business_id": chain, "admin_email": email}, token=user.token
    )
    code = made.body["admin_invite"]["code"]
    signed_up = api.post("/auth/signup", {"email": email, "password": PASSWORD, "name": "M", "invite_code": code})
    api.post("/auth/confirm", {"email": email, "code": "123456"})
    manager = users.log_in(email, PASSWORD, signed_up.body["user_id"])
    location = refresh(api, manager)["tenant_id"]
    enrol_staff(api, manager)

    body = {"name": "North Annex", "parent_business_id": location, "admin_email": users.new_email()}
    answer = api.post("/businesses", body, token=manager.token)

    assert answer.status == 409 and answer.body["error"]["code"] == "nested_location", answer.body


def test_only_a_chains_own_admin_adds_a_location_and_names_its_admin(api, users, user, other_user):
    chain = found_business(api, user)
    coach = join(api, users, user, chain, "coach")
    body = {"name": "North", "parent_business_id": chain, "admin_email": "m@example.com"}

    assert api.post("/businesses", body, token=coach.token).status == 403
    assert api.post("/businesses", body, token=other_user.token).status == 404
    assert api.post("/businesses", {"name": "North", "parent_business_id": chain}, token=user.token).status == 400
    assert (
        api.post("/businesses", {"name": "North", "admin_email": "m@example.com"}, token=other_user.token).status == 400
    )


# Account deletion


def test_the_last_admin_cannot_delete_their_account_until_someone_else_is_admin(api, users, user):
    business_id = found_business(api, user)

    answer = api.request("DELETE", "/me", token=user.token)

    assert answer.status == 409, answer.body
    assert answer.body["error"]["code"] == "last_admin"
    assert api.get("/me/profile", token=user.token).status == 200  # nothing was deleted
    assert members_of(api, user, business_id) == {user.user_id: "admin"}


def test_a_deleted_member_leaves_the_business_and_their_posts_go(api, users, user, background):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)
    post = api.post("/posts", {"text": "Hello gym"}, token=person.token).body

    assert api.request("DELETE", "/me", token=person.token).status == 202

    background.drain()

    assert members_of(api, user, business_id) == {user.user_id: "admin"}
    assert api.get(f"/posts/{post['id']}", token=user.token).status == 404


def test_posts_in_a_business_left_earlier_go_with_the_account(api, users, user, background):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)
    post = api.post("/posts", {"text": "Was here"}, token=person.token).body
    api.request("DELETE", f"/businesses/{business_id}/members/{person.user_id}", token=user.token)
    refresh(api, person)

    assert api.request("DELETE", "/me", token=person.token).status == 202

    background.drain()

    assert api.get(f"/posts/{post['id']}", token=user.token).status == 404


def test_the_export_names_the_business(api, users, user):
    business_id = found_business(api, user)
    exported = api.get("/me/export", token=user.token).body
    assert exported["business_membership"]["business_id"] == business_id
    assert exported["business_membership"]["role"] == "admin"


# What a stale token may still do


def test_a_demoted_admins_token_cannot_make_changes_that_outlive_it(api, users, user):
    business_id = found_business(api, user)
    second = join(api, users, user, business_id, "admin")
    member = join(api, users, user, business_id)
    assert (
        api.patch(f"/businesses/{business_id}/members/{second.user_id}", {"role": "coach"}, token=user.token).status
        == 200
    )

    # second's token still says admin (until it expires), but their member item does not.
    attempts = [
        api.patch(f"/businesses/{business_id}/members/{second.user_id}", {"role": "admin"}, token=second.token),
        api.patch(f"/businesses/{business_id}/members/{user.user_id}", {"role": "member"}, token=second.token),
        api.request("DELETE", f"/businesses/{business_id}/members/{member.user_id}", token=second.token),
        api.post(
            f"/businesses/{business_id}/invites", {"email": "crony@example.com", "role": "admin"}, token=second.token
        ),
        api.post(
            "/businesses",
            {"name": "Annex", "parent_business_id": business_id, "admin_email": "crony@example.com"},
            token=second.token,
        ),
    ]

    assert [answer.status for answer in attempts] == [403] * 5, [answer.body for answer in attempts]
    assert members_of(api, user, business_id) == {
        user.user_id: "admin",
        second.user_id: "coach",
        member.user_id: "member",
    }


def test_a_removed_admins_token_cannot_invite_its_way_back(api, users, user):
    business_id = found_business(api, user)
    second = join(api, users, user, business_id, "admin")
    assert api.request("DELETE", f"/businesses/{business_id}/members/{second.user_id}", token=user.token).status == 204

    answer = api.post(
        f"/businesses/{business_id}/invites", {"email": second.email, "role": "admin"}, token=second.token
    )

    assert answer.status == 403, answer.body


@pytest.mark.parametrize("user_id", ["x" * 1100, "not a sub!", "a%2Fb"])
def test_a_member_id_that_cannot_be_a_sub_is_not_found(api, user, user_id):
    business_id = found_business(api, user)
    assert api.patch(f"/businesses/{business_id}/members/{user_id}", {"role": "coach"}, token=user.token).status == 404
    assert api.request("DELETE", f"/businesses/{business_id}/members/{user_id}", token=user.token).status == 404


def test_consent_to_share_is_given_to_one_business_not_the_next(api, users, user, other_user):
    first = found_business(api, user)
    member = join(api, users, user, first)
    assert api.put("/me/sharing", {"coach_access": True}, token=member.token).body["business_id"] == first
    api.request("DELETE", f"/businesses/{first}/members/{member.user_id}", token=user.token)
    refresh(api, member)
    second = found_business(api, other_user)
    code = invite(api, other_user, second, member.email)
    assert api.post(f"/invites/{code}/accept", token=member.token).status == 200
    refresh(api, member)
    programs = f"/businesses/{second}/members/{member.user_id}/programs"

    assert api.get(programs, token=other_user.token).status == 404  # consent was for the first gym

    api.put("/me/sharing", {"coach_access": True}, token=member.token)
    assert api.get(programs, token=other_user.token).status == 200


def test_a_removed_coachs_token_reads_no_members_health_data(api, users, user):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)
    api.put("/me/sharing", {"coach_access": True}, token=member.token)
    coach = join(api, users, user, business_id, "coach")
    programs = f"/businesses/{business_id}/members/{member.user_id}/programs"
    assert api.get(programs, token=coach.token).status == 200

    api.request("DELETE", f"/businesses/{business_id}/members/{coach.user_id}", token=user.token)

    answer = api.get(programs, token=coach.token)  # the token still says coach
    assert answer.status == 403 and answer.body["error"]["code"] == "role_required"
