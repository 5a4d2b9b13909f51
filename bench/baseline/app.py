"""The baseline: the smallest Chalice app with one Cognito-authorized route doing one GetItem."""

import os

import boto3
from chalice import Chalice, CognitoUserPoolAuthorizer

app = Chalice(app_name="baseline")
authorizer = CognitoUserPoolAuthorizer("pool", provider_arns=["arn:aws:cognito-idp:us-east-1:000000000000:userpool/x"])
_table = None


def table():
    global _table
    if _table is None:
        _table = boto3.client("dynamodb", region_name="us-east-1")
    return _table


@app.route("/me/preferences", authorizer=authorizer)
def preferences():
    sub = app.current_request.context["authorizer"]["claims"]["sub"]
    item = table().get_item(TableName=os.environ["TABLE_NAME"], Key={"PK": {"S": sub}, "SK": {"S": "PREFERENCES"}})
    return item.get("Item", {})
