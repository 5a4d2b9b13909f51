"""The Cognito operations that change how a person signs in, by their CloudTrail event names (no
imports: the event rule's pattern is read when the app is imported)."""

MFA_PREFERENCE = frozenset({"SetUserMFAPreference", "AdminSetUserMFAPreference"})
PASSWORD = frozenset({"ChangePassword", "AdminSetUserPassword", "ConfirmForgotPassword"})
ATTRIBUTES = frozenset({"UpdateUserAttributes", "AdminUpdateUserAttributes"})
SIGN_IN_CHANGES = MFA_PREFERENCE | PASSWORD | ATTRIBUTES | {"VerifySoftwareToken", "VerifyUserAttribute"}
